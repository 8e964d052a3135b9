package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Corpus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@link AnalysisCodec#decode}: random bytes and mutated valid payloads (bit flips,
 * overwrites, truncations, splices, rewritten lengths), most with their header resealed so the checksum
 * passes and the body parser is what gets exercised. Only {@link CorruptPayloadException} may escape, and
 * every decode must finish quickly within a small decode limit.
 *
 * <p>{@code mvn -pl core test -Dtest=CodecFuzzTest -Dstemcache.fuzz.iterations=200000 -Dstemcache.fuzz.seed=42}
 */
class CodecFuzzTest {

    private static final int ITERATIONS = Integer.getInteger("stemcache.fuzz.iterations", 20_000);
    private static final long SEED = Long.getLong("stemcache.fuzz.seed", 0x5eed_c0dec_0001L);
    /** Big enough for the seeds (about 100 KB raw), small enough that a lying length cannot allocate much. */
    private static final long LIMIT = 256 << 10;
    private static final long[] LENGTHS = {0, 1, 7, 8, 9, 127, 128, 255, 300, 2000, 2001, 16_383, 16_384, 32_767,
            1 << 20, (1 << 28) - 64, Integer.MAX_VALUE, 1L << 32, Long.MAX_VALUE, -1};

    private final AnalysisCodec codec = AnalysisCodec.withMaxDecodedBytes(LIMIT);

    @Test
    void decode_randomAndMutatedPayloads_throwOnlyCorruptPayloadAndFinishQuickly() {
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        int decoded = 0;
        int rejected = 0;
        long slowest = 0;
        long start = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(random, seeds);
            long t0 = System.nanoTime();
            try {
                AudioAnalysis analysis = codec.decode(input);
                assertThat(analysis.valueCount() * Double.BYTES).isLessThanOrEqualTo(LIMIT);
                decoded++;
            } catch (CorruptPayloadException e) {
                assertThat(e.getMessage()).isNotBlank();
                rejected++;
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + ") escaped with " + t + "; input "
                        + Base64.getEncoder().encodeToString(input), t);
            }
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        System.out.printf("codec fuzz: %d inputs in %d ms, %d decoded, %d rejected, slowest %.2f ms%n", ITERATIONS,
                (System.nanoTime() - start) / 1_000_000, decoded, rejected, slowest / 1e6);
        assertThat(rejected).isGreaterThan(ITERATIONS / 2);
        // Generous for a loaded CI box: a hang or a runaway loop is what this catches.
        assertThat(slowest).as("slowest decode, ns").isLessThan(2_000_000_000L);
    }

    private List<byte[]> seeds() {
        AnalysisCodec standard = AnalysisCodec.standard();
        AudioAnalysis small = Corpus.small(300);
        List<byte[]> seeds = new ArrayList<>();
        for (Precision precision : Precision.values()) {
            seeds.add(standard.encode(small, precision));
        }
        seeds.add(standard.encode(TestPayloads.awkward(), Precision.FLOAT64));
        for (byte[] seed : seeds) {
            codec.decode(seed);
        }
        return seeds;
    }

    /** One hostile input made from a seed; most are resealed so the checksum passes (also used by PayloadProjectionTest). */
    static byte[] mutate(Random random, List<byte[]> seeds) {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        int kind = random.nextInt(10);
        if (kind == 0) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            if (noise.length >= PayloadHeader.BYTES && random.nextBoolean()) {
                System.arraycopy(seed, 0, noise, 0, 8);
                return TestPayloads.reseal(noise);
            }
            return noise;
        }
        byte[] out = switch (kind) {
            case 1, 2 -> flipBits(random, seed.clone());
            case 3 -> overwrite(random, seed.clone());
            case 4 -> Arrays.copyOf(seed, PayloadHeader.BYTES + random.nextInt(seed.length - PayloadHeader.BYTES));
            case 5 -> splice(random, seed, seeds.get(random.nextInt(seeds.size())));
            case 6, 7 -> rewriteLength(random, seed);
            case 8 -> cutRange(random, seed);
            default -> headerField(random, seed.clone());
        };
        // Most inputs get a valid checksum so the parser, not the checksum, has to catch them.
        return kind != 9 && random.nextInt(10) != 0 ? TestPayloads.reseal(out) : out;
    }

    private static byte[] flipBits(Random random, byte[] b) {
        for (int k = 1 + random.nextInt(8); k > 0; k--) {
            int at = PayloadHeader.BYTES + random.nextInt(b.length - PayloadHeader.BYTES);
            b[at] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private static byte[] overwrite(Random random, byte[] b) {
        int at = PayloadHeader.BYTES + random.nextInt(b.length - PayloadHeader.BYTES);
        for (int k = random.nextInt(16); k >= 0 && at < b.length; k--, at++) {
            b[at] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] splice(Random random, byte[] a, byte[] b) {
        int cutA = PayloadHeader.BYTES + random.nextInt(a.length - PayloadHeader.BYTES);
        int cutB = PayloadHeader.BYTES + random.nextInt(b.length - PayloadHeader.BYTES);
        byte[] out = Arrays.copyOf(a, cutA + b.length - cutB);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    /** Replaces a few bytes with a varint of a length that is interesting to a parser. */
    private static byte[] rewriteLength(Random random, byte[] seed) {
        long value = LENGTHS[random.nextInt(LENGTHS.length)] + (random.nextInt(3) - 1);
        PayloadWriter varint = new PayloadWriter(16);
        varint.varint(value);
        byte[] bytes = varint.toByteArray();
        int at = PayloadHeader.BYTES + random.nextInt(seed.length - PayloadHeader.BYTES);
        int replaced = Math.min(seed.length - at, 1 + random.nextInt(3));
        byte[] out = new byte[seed.length - replaced + bytes.length];
        System.arraycopy(seed, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(seed, at + replaced, out, at + bytes.length, seed.length - at - replaced);
        return out;
    }

    private static byte[] cutRange(Random random, byte[] seed) {
        int from = PayloadHeader.BYTES + random.nextInt(seed.length - PayloadHeader.BYTES);
        int to = Math.min(seed.length, from + 1 + random.nextInt(64));
        byte[] out = Arrays.copyOf(seed, seed.length - (to - from));
        System.arraycopy(seed, to, out, from, seed.length - to);
        return out;
    }

    /** Header fields, resealed: other value counts and precisions over a valid body. */
    private static byte[] headerField(Random random, byte[] b) {
        PayloadHeader header = TestPayloads.headerFields(b);
        long valueCount = random.nextBoolean() ? header.valueCount() + random.nextInt(2001) - 1000
                : LENGTHS[random.nextInt(LENGTHS.length)];
        Precision precision = Precision.values()[random.nextInt(3)];
        return TestPayloads.reseal(b, precision, Math.max(0, valueCount));
    }
}
