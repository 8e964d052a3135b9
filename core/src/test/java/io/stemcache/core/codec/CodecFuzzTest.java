package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Corpus;
import java.lang.management.ManagementFactory;
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
 * every decode must finish quickly within a small decode limit, allocating no more than its header's value
 * count allows (measured per decode with HotSpot's per-thread allocation counter): a length inside the body
 * that lies cannot make the decoder allocate, and the codec's limit bounds the header.
 *
 * <p>{@code mvn -pl core test -Dtest=CodecFuzzTest -Dstemcache.fuzz.iterations=200000 -Dstemcache.fuzz.seed=42}
 */
class CodecFuzzTest {

    private static final int ITERATIONS = Integer.getInteger("stemcache.fuzz.iterations", 20_000);
    private static final long SEED = Long.getLong("stemcache.fuzz.seed", 0x5eed_c0dec_0001L);
    /** Big enough for the seeds (about 100 KB raw), small enough that a lying length cannot allocate much. */
    private static final long LIMIT = 256 << 10;

    private static final long[] LENGTHS = {
        0,
        1,
        7,
        8,
        9,
        127,
        128,
        255,
        300,
        2000,
        2001,
        16_383,
        16_384,
        32_767,
        1 << 20,
        (1 << 28) - 64,
        Integer.MAX_VALUE,
        1L << 32,
        Long.MAX_VALUE,
        -1
    };

    /**
     * Bytes a decode may allocate per decoded byte its header declares: the values themselves (1x), the markers'
     * objects and parse arrays (about 3x their 24 raw bytes each), and a first growth of the thread's plane
     * scratch (up to twice a column's planes, once per thread). Measured: 1.44x for the seeds, at most 4.1x for
     * a mutated input; a body length that lied past the header would cost 8 bytes per value it claims, up to 2^28.
     */
    private static final long ALLOCATED_PER_DECLARED_BYTE = 6;
    /** Bytes any decode may allocate besides: the exception and its message, the envelope. Measured: at most 17 KB. */
    private static final long ALLOCATED_FIXED = 64 << 10;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final AnalysisCodec codec = AnalysisCodec.withMaxDecodedBytes(LIMIT);

    @Test
    void decode_randomAndMutatedPayloads_throwOnlyCorruptPayloadAndFinishQuicklyWithinBoundedAllocation() {
        assertThat(THREADS.isThreadAllocatedMemorySupported())
                .as("HotSpot's per-thread allocation counter")
                .isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        // Below this size one thread decodes every column, so this thread's counter sees every allocation.
        assertThat(LIMIT / Double.BYTES).isLessThan(SeriesColumns.PARALLEL_MIN_VALUES);
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        int decoded = 0;
        int rejected = 0;
        long slowest = 0;
        long mostAllocated = 0;
        long mostAllocatedDeclared = 0;
        long start = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(random, seeds);
            long declared = declaredBytes(input);
            AudioAnalysis analysis = null;
            CorruptPayloadException refusal = null;
            long t0 = System.nanoTime();
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            try {
                analysis = codec.decode(input);
            } catch (CorruptPayloadException e) {
                refusal = e;
            } catch (Throwable t) {
                throw new AssertionError(
                        "iteration " + i + " (seed " + SEED + ") escaped with " + t + "; input "
                                + Base64.getEncoder().encodeToString(input),
                        t);
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            slowest = Math.max(slowest, System.nanoTime() - t0);
            long allowed = ALLOCATED_PER_DECLARED_BYTE * declared + ALLOCATED_FIXED;
            if (allocated > allowed) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + ") allocated " + allocated
                        + " bytes decoding a payload whose header declares " + declared + " bytes of values (allowed "
                        + allowed + "); input " + Base64.getEncoder().encodeToString(input));
            }
            if (allocated > mostAllocated) {
                mostAllocated = allocated;
                mostAllocatedDeclared = declared;
            }
            if (refusal == null) {
                assertThat(analysis.valueCount() * Double.BYTES).isLessThanOrEqualTo(LIMIT);
                decoded++;
            } else {
                assertThat(refusal.getMessage()).isNotBlank();
                rejected++;
            }
        }
        System.out.printf(
                "RESULT codec-fuzz iterations=%d seed=%d ms=%d decoded=%d rejected=%d slowest_ms=%.2f"
                        + " most_allocated_bytes=%d declared_bytes=%d limit_bytes=%d%n",
                ITERATIONS,
                SEED,
                (System.nanoTime() - start) / 1_000_000,
                decoded,
                rejected,
                slowest / 1e6,
                mostAllocated,
                mostAllocatedDeclared,
                LIMIT);
        assertThat(rejected).isGreaterThan(ITERATIONS / 2);
        // Generous for a loaded CI box: a hang or a runaway loop is what this catches.
        assertThat(slowest).as("slowest decode, ns").isLessThan(2_000_000_000L);
        assertThat(mostAllocated)
                .as("most bytes one decode allocated")
                .isLessThanOrEqualTo(ALLOCATED_PER_DECLARED_BYTE * LIMIT + ALLOCATED_FIXED);
    }

    /** The decoded bytes the header declares (8 per value), 0 if the header itself is refused. */
    private long declaredBytes(byte[] input) {
        try {
            return codec.header(input).valueCount() * Double.BYTES;
        } catch (CorruptPayloadException e) {
            return 0;
        }
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
        // Warm-up, so that loading the classes of the failure paths is not counted against the first decodes.
        Random warmUp = new Random(SEED ^ 1);
        for (int i = 0; i < 200; i++) {
            try {
                codec.decode(mutate(warmUp, seeds));
            } catch (CorruptPayloadException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
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
        long valueCount = random.nextBoolean()
                ? header.valueCount() + random.nextInt(2001) - 1000
                : LENGTHS[random.nextInt(LENGTHS.length)];
        Precision precision = Precision.values()[random.nextInt(3)];
        return TestPayloads.reseal(b, precision, Math.max(0, valueCount));
    }
}
