package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Analyses;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13, item 2: a constant plane costs 2 bytes whatever its length, and a constant Q16 column 16, so a payload of
 * about 200 bytes with a valid checksum could claim 256 MiB of values, which every decoder (and every API node that
 * read the entry) then allocated. A payload now holds at most {@link AnalysisCodec#MAX_COMPRESSION_RATIO} decoded
 * bytes per payload byte, beyond a small allowance; the encoder keeps to it by writing long constant runs as LZ4.
 */
class CompressionBombTest {

    /** 256 MiB of float64 values: the default limit, which the header check alone let through. */
    private static final long CLAIMED = AnalysisCodec.DEFAULT_MAX_DECODED_BYTES / Double.BYTES;

    private final AnalysisCodec codec = AnalysisCodec.standard();

    /** One Q16 series of {@code n} equal values (16 bytes), no points, no markers: a valid payload of ~120 bytes. */
    static byte[] bomb(long n) {
        PayloadWriter body = TestPayloads.body(List.of("x"));
        body.varint(1);
        body.string("x", 256, "name");
        body.varint(n);
        body.f64(0.5);
        body.f64(0.5);
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
        body.varint(0);
        body.u8(PayloadWriter.RAW);
        body.u8(1);
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
        return TestPayloads.seal(body, Precision.Q16, n);
    }

    @Test
    void decodeAndVerify_ofASmallPayloadClaiming256MiB_areRefusedWithoutAllocatingIt() {
        byte[] bomb = bomb(CLAIMED);
        assertThat(bomb.length).isLessThan(200);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try {
            codec.decode(bomb); // once before measuring: loads the classes the refusal uses
        } catch (CorruptPayloadException expected) {
            // measured below
        }

        long before = threads.getThreadAllocatedBytes(thread);
        assertThatThrownBy(() -> codec.decode(bomb))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("payload of " + bomb.length + " bytes claims " + CLAIMED + " float64 values")
                .hasMessageContaining(
                        "at most " + AnalysisCodec.MAX_COMPRESSION_RATIO + " decoded bytes per payload byte");
        assertThatThrownBy(() -> codec.verify(bomb))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("decoded bytes per payload byte");
        assertThatThrownBy(() -> codec.project(bomb, List.of("x"))).isInstanceOf(CorruptPayloadException.class);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated)
                .as("bytes allocated refusing a 256 MiB claim three times")
                .isLessThan(1 << 20);
    }

    @Test
    void header_acceptsExactlyTheRatioAndRefusesOneValueMore() {
        for (int length : new int[] {24, 1000, 60_000}) {
            byte[] payload = new byte[length];
            long allowed = AnalysisCodec.maxDecodedBytes(length) / Double.BYTES;
            assertThat(allowed)
                    .isEqualTo(
                            (AnalysisCodec.RATIO_ALLOWANCE_BYTES + (long) AnalysisCodec.MAX_COMPRESSION_RATIO * length)
                                    / Double.BYTES);
            assertThat(codec.header(TestPayloads.reseal(payload, Precision.FLOAT64, allowed))
                            .valueCount())
                    .isEqualTo(allowed);
            assertThatThrownBy(() -> codec.header(TestPayloads.reseal(payload, Precision.FLOAT64, allowed + 1)))
                    .isInstanceOf(CorruptPayloadException.class)
                    .hasMessageContaining("decoded bytes per payload byte");
        }
        // The configured cap still applies below the ratio.
        assertThatThrownBy(() -> AnalysisCodec.withMaxDecodedBytes(1 << 10)
                        .header(TestPayloads.reseal(new byte[70_000], Precision.FLOAT64, 1000)))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("over this codec's limit of 1024");
    }

    /** A silent stem of about 21 minutes: 35 series of zeros, zero points. Honest, and compressible beyond the ratio. */
    static AudioAnalysis silent(int frames) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int k = 0; k < 35; k++) {
            series.put("feature" + k, new double[frames]);
        }
        return TestPayloads.analysis(series, new double[2000], List.of());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void encode_ofALongSilentStem_staysWithinTheRatio_andDecodesToTheSameValues(Precision precision) {
        AudioAnalysis silent = silent(110_000);
        byte[] payload = codec.encode(silent, precision);

        assertThat(codec.rawSize(silent)).isLessThanOrEqualTo(AnalysisCodec.maxDecodedBytes(payload.length));
        Analyses.assertBitExact(silent, codec.decode(payload));
    }

    @Test
    void encode_ofOrdinaryData_isUnchanged_constantPlanesStayTwoBytes() {
        // A short silent series among noisy ones is within the ratio: it keeps its constant planes.
        Random random = new Random(13);
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("noise", random.doubles(20_000).toArray());
        series.put("flat", new double[20_000]);
        AudioAnalysis analysis =
                TestPayloads.analysis(series, random.doubles(2000).toArray(), List.of());
        byte[] both = codec.encode(analysis, Precision.FLOAT64);
        byte[] noiseOnly = codec.encode(
                TestPayloads.analysis(
                        Map.of("noise", series.get("noise")),
                        analysis.waveformData().points(),
                        List.of()),
                Precision.FLOAT64);
        assertThat(both.length - noiseOnly.length)
                .as("the flat series: 22 constant planes and its name")
                .isLessThan(64);
    }

    /**
     * A projection copies its series' bytes: of an entry within the ratio thanks to other series, a projection onto a
     * long constant series alone would not be; the codec then re-encodes that projection at FLOAT64, bit-exact.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void project_ontoALongConstantSeries_staysWithinTheRatio_andHoldsTheSameValues(Precision precision) {
        Random random = new Random(7);
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("noise", random.doubles(400_000).toArray());
        series.put("flat", new double[300_000]);
        AudioAnalysis analysis = TestPayloads.analysis(series, new double[2000], List.of());
        byte[] payload = codec.encode(analysis, precision);

        byte[] projection = codec.project(payload, List.of("flat"));

        AudioAnalysis projected = codec.decode(projection);
        assertThat(projected.analysisData().keySet()).containsExactly("flat");
        Analyses.assertBitExact(
                "flat",
                codec.decode(payload).analysisData().get("flat"),
                projected.analysisData().get("flat"));
        assertThat(projected.metadata()).isEqualTo(analysis.metadata());
    }
}
