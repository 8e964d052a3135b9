package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AnalysisCodec#project}: some series of a payload, cut from its bytes, decoding as the original's. */
class PayloadProjectionTest {

    /** The four curves issue 11's example asks for, in an order unlike the payload's. */
    static final List<String> FOUR = List.of("spectralCentroid", "rms", "zcr", "spectralFlatness");

    /** Issue 11's target: a 4-of-35-feature projection moves at most this share of the full payload. */
    private static final double MAX_FOUR_FEATURE_SHARE = 0.15;

    private final AnalysisCodec codec = AnalysisCodec.standard();

    static List<Path> files() {
        return Corpus.files();
    }

    @ParameterizedTest
    @MethodSource("files")
    void project_corpusFileAtEveryPrecision_decodesToTheNamedSeriesBitExact(Path file) {
        AudioAnalysis analysis = Corpus.load(file);
        for (Precision precision : Precision.values()) {
            byte[] payload = codec.encode(analysis, precision);
            AudioAnalysis full = codec.decode(payload);

            byte[] projection = codec.project(payload, FOUR);

            Analyses.assertBitExact(cut(full, FOUR), codec.decode(projection));
            assertThat(codec.header(projection).precision()).isEqualTo(precision);
            double share = (double) projection.length / payload.length;
            System.out.printf(
                    "projection %s %s: 4 of %d features %d of %d bytes = %.4f%n",
                    file.getFileName(),
                    precision,
                    full.analysisData().size(),
                    projection.length,
                    payload.length,
                    share);
            assertThat(share)
                    .as("4-feature share of %s at %s", file.getFileName(), precision)
                    .isLessThanOrEqualTo(MAX_FOUR_FEATURE_SHARE);
        }
    }

    /** Rough timing (no JMH): a projection steps over the columns a decode rebuilds. */
    @Test
    void project_fourFeaturesOfACorpusStem_takesLessThanADecode() {
        byte[] payload = codec.encode(Corpus.first(), Precision.FLOAT64);
        long[] project = new long[41];
        long[] verify = new long[41];
        long[] decode = new long[41];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < project.length; i++) {
                long t0 = System.nanoTime();
                codec.project(payload, FOUR);
                long t1 = System.nanoTime();
                codec.verify(payload);
                long t2 = System.nanoTime();
                codec.decode(payload);
                project[i] = t1 - t0;
                verify[i] = t2 - t1;
                decode[i] = System.nanoTime() - t2;
            }
        }
        long projectMedian = median(project);
        long decodeMedian = median(decode);
        System.out.printf(
                "projection of 4 features of %s (FLOAT64, %d bytes): median %.3f ms; verify %.3f ms,"
                        + " decode %.3f ms%n",
                Corpus.files().get(0).getFileName(),
                payload.length,
                projectMedian / 1e6,
                median(verify) / 1e6,
                decodeMedian / 1e6);
        assertThat(projectMedian).isLessThan(decodeMedian);
    }

    @Test
    void project_everySeriesOfAFile_givesThePayloadsBytes() {
        byte[] payload = codec.encode(Corpus.small(300), Precision.FLOAT32);
        List<String> all = List.copyOf(codec.decode(payload).analysisData().keySet());

        assertThat(codec.project(payload, all)).isEqualTo(payload);
    }

    @Test
    void project_namesInAnyOrderOrRepeated_keepThePayloadsOrder() {
        byte[] payload = codec.encode(TestPayloads.awkward(), Precision.FLOAT64);

        byte[] projection = codec.project(payload, List.of("zcr", "rms", "zcr"));

        assertThat(codec.decode(projection).analysisData().keySet()).containsExactly("rms", "zcr");
        assertThat(codec.project(payload, List.of("rms", "zcr"))).isEqualTo(projection);
        Analyses.assertBitExact(cut(codec.decode(payload), List.of("rms", "zcr")), codec.decode(projection));
    }

    @Test
    void project_emptySeries_keepsItEmpty() {
        byte[] payload = codec.encode(TestPayloads.awkward(), Precision.FLOAT64);

        AudioAnalysis projected = codec.decode(codec.project(payload, List.of("empty")));

        assertThat(projected.analysisData()).containsOnlyKeys("empty");
        assertThat(projected.analysisData().get("empty")).isEmpty();
        assertThat(codec.header(codec.project(payload, List.of("empty"))).valueCount())
                .isEqualTo(projected.valueCount());
    }

    @Test
    void project_unknownNames_namesEveryUnknownOneAndTheKnownOnes() {
        byte[] payload = codec.encode(TestPayloads.awkward(), Precision.FLOAT64);

        assertThatThrownBy(() -> codec.project(payload, List.of("rms", "tempo", "key", "tempo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown features 'tempo', 'key'; this analysis holds 'rms', 'empty', 'zcr'");
        assertThatThrownBy(() -> codec.project(payload, List.of("RMS")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown feature 'RMS'; this analysis holds 'rms', 'empty', 'zcr'");
    }

    @Test
    void project_noNames_isTheCallersError_beforeThePayloadIsRead() {
        assertThatThrownBy(() -> codec.project(new byte[3], List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one feature");
        assertThatThrownBy(() -> codec.project(new byte[3], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one feature");
        assertThatThrownBy(() -> codec.project(new byte[3], Arrays.asList("rms", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be null");
    }

    @Test
    void project_damagedPayload_failsTheChecksumBeforeParsing() {
        byte[] payload = codec.encode(TestPayloads.awkward(), Precision.FLOAT64);
        payload[60] ^= 1;

        assertThatThrownBy(() -> codec.project(payload, List.of("rms")))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageStartingWith("checksum mismatch");
    }

    @Test
    void project_valueCountOverTheCodecsLimit_isRefusedFromTheHeader() {
        AudioAnalysis analysis = Corpus.small(300);
        byte[] payload = codec.encode(analysis, Precision.FLOAT64);
        AnalysisCodec small = AnalysisCodec.withMaxDecodedBytes(analysis.valueCount() * 8 - 1);

        assertThatThrownBy(() -> small.project(payload, List.of("rms")))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("over this codec's limit");
        assertThatThrownBy(() ->
                        codec.project(TestPayloads.reseal(payload.clone(), Precision.FLOAT64, -1), List.of("rms")))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void project_seriesLengthOverTheHeader_isRefusedBeforeAnythingIsCopied() {
        PayloadWriter body = TestPayloads.body(List.of("rms"));
        body.varint(1);
        body.string("rms", 256, "name");
        body.varint(1L << 40);
        byte[] payload = TestPayloads.seal(body, Precision.FLOAT64, 10);

        assertThatThrownBy(() -> codec.project(payload, List.of("rms")))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("series 'rms' length");
    }

    @Test
    void project_markersTruncatedOrFollowedByBytes_isRefused() {
        byte[] payload = codec.encode(TestPayloads.awkward(), Precision.FLOAT64);

        assertThatThrownBy(() ->
                        codec.project(TestPayloads.reseal(Arrays.copyOf(payload, payload.length - 1)), List.of("rms")))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() ->
                        codec.project(TestPayloads.reseal(TestPayloads.concat(payload, new byte[1])), List.of("rms")))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("unexpected bytes after the markers");
    }

    /**
     * Mutated payloads, most resealed: a projection either refuses the payload ({@link CorruptPayloadException},
     * or an unknown name when the mutation renamed the series) or returns a payload no longer than it, which
     * decodes to the original's cut whenever the original decodes.
     */
    @Test
    void project_mutatedPayloads_refuseOrCutExactly() {
        AnalysisCodec limited = AnalysisCodec.withMaxDecodedBytes(256 << 10);
        List<byte[]> seeds = new ArrayList<>();
        for (Precision precision : Precision.values()) {
            seeds.add(codec.encode(Corpus.small(300), precision));
        }
        seeds.add(codec.encode(TestPayloads.awkward(), Precision.FLOAT64));
        Random random = new Random(0x5eed_0011L);
        int projected = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] input = CodecFuzzTest.mutate(random, seeds);
            try {
                byte[] projection = limited.project(input, List.of("rms"));
                assertThat(projection.length).isLessThanOrEqualTo(input.length);
                AudioAnalysis original = decodeOrNull(limited, input);
                AudioAnalysis cut = decodeOrNull(limited, projection);
                if (original != null) {
                    Analyses.assertBitExact(cut(original, List.of("rms")), cut);
                }
                projected++;
            } catch (CorruptPayloadException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).startsWith("unknown feature 'rms'");
            } catch (Throwable t) {
                throw new AssertionError(
                        "iteration " + i + " escaped with " + t + "; input "
                                + Base64.getEncoder().encodeToString(input),
                        t);
            }
        }
        System.out.printf("projection fuzz: 5000 inputs, %d projected%n", projected);
        assertThat(projected).isPositive();
    }

    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static AudioAnalysis decodeOrNull(AnalysisCodec codec, byte[] payload) {
        try {
            return codec.decode(payload);
        } catch (CorruptPayloadException e) {
            return null;
        }
    }

    /** The analysis with only the named series, in its own order: what a projection must decode to. */
    static AudioAnalysis cut(AudioAnalysis analysis, Collection<String> names) {
        Map<String, double[]> series = new LinkedHashMap<>();
        analysis.analysisData().forEach((name, values) -> {
            if (names.contains(name)) {
                series.put(name, values);
            }
        });
        return new AudioAnalysis(
                analysis.fileMetadataId(),
                analysis.stemType(),
                analysis.analysisVersion(),
                series,
                analysis.waveformData(),
                analysis.metadata());
    }
}
