package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.MarkerType;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Analyses;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Lz4ShuffleCodecTest {

    private final AnalysisCodec codec = AnalysisCodec.standard();

    @Test
    void encode_awkwardValues_roundTripBitExactAtFloat64() {
        AudioAnalysis analysis = TestPayloads.awkward();
        Analyses.assertBitExact(analysis, codec.decode(codec.encode(analysis, Precision.FLOAT64)));
    }

    @Test
    void encode_markerTimesOffTheFrameGrid_roundTripBitExact() {
        List<Marker> markers = List.of(
                new Marker(0.1234, MarkerType.BEAT, 0.5),
                new Marker(TestPayloads.frameTime(9), MarkerType.ONSET, 0.25, 100.0),
                new Marker(Double.NaN, MarkerType.DROP, 1.0));
        AudioAnalysis analysis = TestPayloads.analysis(Map.of("rms", new double[] {1, 2}), new double[0], markers);
        Analyses.assertBitExact(analysis, codec.decode(codec.encode(analysis, Precision.FLOAT64)));
    }

    @Test
    void encode_emptyAnalysis_roundTrips() {
        AudioAnalysis analysis = TestPayloads.analysis(Map.of(), new double[0], List.of());
        byte[] payload = codec.encode(analysis, Precision.Q16);
        Analyses.assertBitExact(analysis, codec.decode(payload));
        assertThat(codec.header(payload).valueCount()).isZero();
    }

    @Test
    void encode_lossyPrecisions_keepPointsMarkersAndEnvelopeExact() {
        AudioAnalysis analysis = TestPayloads.analysis(
                Map.of("rms", TestPayloads.ramp(100, 0.01)),
                TestPayloads.awkward().waveformData().points(),
                TestPayloads.awkward().waveformData().markers());
        for (Precision precision : List.of(Precision.FLOAT32, Precision.Q16)) {
            AudioAnalysis decoded = codec.decode(codec.encode(analysis, precision));
            Analyses.assertBitExact(analysis.waveformData(), decoded.waveformData());
            assertThat(decoded.metadata()).isEqualTo(analysis.metadata());
            assertThat(decoded.fileMetadataId()).isEqualTo(analysis.fileMetadataId());
        }
    }

    @Test
    void header_readsTheFieldsWithoutTouchingTheBody() {
        AudioAnalysis analysis = TestPayloads.awkward();
        byte[] payload = codec.encode(analysis, Precision.FLOAT64);
        payload[payload.length - 1] ^= 0x55;

        PayloadHeader header = codec.header(payload);

        assertThat(header.formatVersion()).isEqualTo(1);
        assertThat(header.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(header.valueCount()).isEqualTo(analysis.valueCount());
        assertThat(header.rawSize()).isEqualTo(codec.rawSize(analysis));
        assertThat(header.bodyLength()).isEqualTo(payload.length - 24);
        assertThatThrownBy(() -> codec.decode(payload))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void encode_overTheLimit_throwsPayloadTooLargeNamingTheLimit() {
        AudioAnalysis analysis = TestPayloads.awkward();
        long limit = analysis.valueCount() * 8 - 1;
        AnalysisCodec small = AnalysisCodec.withMaxDecodedBytes(limit);

        assertThatThrownBy(() -> small.encode(analysis, Precision.FLOAT64))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("limit of " + limit + " bytes")
                .hasMessageContaining("stemcache.max-analysis-mb");
        assertThat(AnalysisCodec.withMaxDecodedBytes(limit + 1).encode(analysis, Precision.FLOAT64))
                .isNotEmpty();
    }

    @Test
    void withMaxDecodedBytes_notPositive_throws() {
        assertThatThrownBy(() -> AnalysisCodec.withMaxDecodedBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDecodedBytes must be positive");
    }

    @Test
    void encode_q16WithNaNOrInfinity_throwsNamingTheSeries() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            AudioAnalysis analysis =
                    TestPayloads.analysis(Map.of("spectralFlux", new double[] {0, bad, 1}), new double[0], List.of());
            assertThatThrownBy(() -> codec.encode(analysis, Precision.Q16))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("series 'spectralFlux'")
                    .hasMessageContaining("index 1");
        }
    }

    @Test
    void encode_float32OutOfRange_throwsNamingTheSeries() {
        AudioAnalysis analysis = TestPayloads.analysis(Map.of("energy", new double[] {1e39}), new double[0], List.of());
        assertThatThrownBy(() -> codec.encode(analysis, Precision.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("series 'energy'")
                .hasMessageContaining("float32 range");
    }

    @Test
    void encode_q16ConstantSeries_decodesExactlyWithoutPlanes() {
        double[] constant = new double[10_000];
        Arrays.fill(constant, 0.5);
        AudioAnalysis analysis = TestPayloads.analysis(Map.of("flat", constant), new double[0], List.of());
        AudioAnalysis single = TestPayloads.analysis(Map.of("flat", new double[] {0.5}), new double[0], List.of());

        byte[] payload = codec.encode(analysis, Precision.Q16);

        Analyses.assertBitExact(
                "flat", constant, codec.decode(payload).analysisData().get("flat"));
        // Only the varint length grows (1 to 2 bytes): a constant series is its length, minimum and maximum.
        assertThat(payload.length).isEqualTo(codec.encode(single, Precision.Q16).length + 1);
    }

    @Test
    void encode_q16_errorWithinRangeOver131070OnWideAndNegativeRanges() {
        AudioAnalysis analysis =
                randomSeries(new double[][] {{0, 1}, {-1e300, 1e300}, {-5e-310, 7e-310}, {-3.75, -3.5}});
        CodecAssertions.assertWithinQ16Bound(analysis, codec.decode(codec.encode(analysis, Precision.Q16)), false);
    }

    /**
     * When a range is narrow for its magnitude, the decoded value's own float64 rounding (half an ulp)
     * adds to the bound: [1e9, 1e9 + 3] has a bound of 2.3e-5 and ulps of 1.2e-7.
     */
    @Test
    void encode_q16NarrowRangeFarFromZero_errorWithinBoundPlusHalfAnUlp() {
        AudioAnalysis analysis = randomSeries(new double[][] {{1e9, 1e9 + 3}, {-1e6 - 0.001, -1e6}});
        CodecAssertions.assertWithinQ16Bound(analysis, codec.decode(codec.encode(analysis, Precision.Q16)), true);
    }

    private static AudioAnalysis randomSeries(double[][] ranges) {
        Random random = new Random(11);
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int k = 0; k < ranges.length; k++) {
            double[] values = new double[5000];
            for (int i = 0; i < values.length; i++) {
                values[i] = ranges[k][0] + random.nextDouble() * (ranges[k][1] - ranges[k][0]);
            }
            series.put("s" + k, values);
        }
        return TestPayloads.analysis(series, new double[0], List.of());
    }

    @Test
    void encode_unpairedSurrogate_throwsRatherThanLosingIt() {
        AudioAnalysis analysis =
                TestPayloads.analysis(Map.of("bad\uD800name", new double[1]), new double[0], List.of());
        assertThatThrownBy(() -> codec.encode(analysis, Precision.FLOAT64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
    }

    /** A version 1 payload as encoded when the format was fixed: it must decode the same forever. */
    @Test
    void decode_versionOnePayloadFromWhenTheFormatWasFixed() {
        byte[] golden = HexFormat.of().parseHex(GOLDEN_AWKWARD_FLOAT64.replaceAll("\\s", ""));
        Analyses.assertBitExact(TestPayloads.awkward(), codec.decode(golden));
    }

    private static final String GOLDEN_AWKWARD_FLOAT64 = """
            53544d4301000000440000000000000001020000fb9d538a0f8fad5bd9cb469fa16570867728950e0103312e3044ac00
            0000000000000029400002000000000000004a93400303726d7305656d707479037a637244ac00000000000000002940
            0303726d730d02000000ffde24feff0203b4820032000000ff7d82ffff0000e64c0033000000ff5ba4ffff0000f14100
            33000000ffbd42ffff000085ad0033000000ff01feffff00003ff30033000000ff00ffffff0000dc5600330074100074
            12007400007406006c1000fc0f007f02007d00007d02007d02007d04007d04007d04007d04007d04007e0005656d7074
            79000200000000000000000000000000000000000000000000037a637225020200020002000200020002000000000000
            1e000000feff010000fe01000000e0010000000018000000000006000000000200000200000000000200000000000200
            000000000200000000000200000000000200000000000200000000000200000000020006000200020002000000000000
            00a000000000000099000000000000990220020002000220023c0238021c023c023c023c023c023c023c023c0200020a
            04000005060301060e050a04000200020002000200020002000200020002000202020402070207020702070207020702
            070207020702000208020000004202000200020002000080000201020102000201020302030203020202020202020202
            020202020202030200
            """;
}
