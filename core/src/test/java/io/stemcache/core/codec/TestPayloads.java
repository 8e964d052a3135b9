package io.stemcache.core.codec;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.MarkerType;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.Waveform;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small analyses and hand-made payloads for the codec tests. */
final class TestPayloads {

    static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    static final int SAMPLE_RATE = 44100;
    static final int BUFFER_SIZE = 512;

    private TestPayloads() {}

    /** A small analysis with awkward values: NaN payloads, -0.0, infinities, an empty series. */
    static AudioAnalysis awkward() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("rms", new double[] {
            0.5,
            -0.0,
            0.0,
            Double.longBitsToDouble(0x7ff8_0000_dead_beefL),
            Double.longBitsToDouble(0xfff0_0000_0000_0001L),
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE,
            -Double.MAX_VALUE,
            1e-300,
            0.1,
            0.2,
            0.3
        });
        series.put("empty", new double[0]);
        series.put("zcr", ramp(37, 0.25));
        List<Marker> markers = List.of(
                new Marker(frameTime(3), MarkerType.BEAT, 0.5),
                new Marker(frameTime(10), MarkerType.ONSET, 0.75, 440.0),
                new Marker(frameTime(7), MarkerType.PEAK, 1.0, Double.longBitsToDouble(0x7ff0_0000_0000_0042L)),
                new Marker(frameTime(12), MarkerType.DROP, -0.0));
        return analysis(series, new double[] {0.0, -0.0, 0.25, -1.0, 1.0, (float) 0.1}, markers);
    }

    static AudioAnalysis analysis(Map<String, double[]> series, double[] points, List<Marker> markers) {
        List<String> names = List.copyOf(series.keySet());
        return new AudioAnalysis(
                ID,
                StemType.DRUMS,
                "1.0",
                series,
                new Waveform(points, SAMPLE_RATE, 12.5, markers),
                new AnalysisMetadata(SAMPLE_RATE, 12.5, BUFFER_SIZE, names, 1234.5));
    }

    static double[] ramp(int n, double step) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * step;
        }
        return values;
    }

    static double frameTime(long frame) {
        return (double) (frame * BUFFER_SIZE) / SAMPLE_RATE;
    }

    /** A writer with the header skipped and an envelope matching {@link #analysis}'s, ready for columns. */
    static PayloadWriter body(List<String> features) {
        return body(features, BUFFER_SIZE);
    }

    static PayloadWriter body(List<String> features, int bufferSize) {
        PayloadWriter out = new PayloadWriter(1024);
        out.skip(PayloadHeader.BYTES);
        out.i64(Long.reverseBytes(ID.getMostSignificantBits()));
        out.i64(Long.reverseBytes(ID.getLeastSignificantBits()));
        out.u8(1);
        out.string("1.0", 256, "version");
        out.i32(SAMPLE_RATE);
        out.f64(12.5);
        out.i32(bufferSize);
        out.f64(1234.5);
        out.varint(features.size());
        for (String feature : features) {
            out.string(feature, 256, "feature");
        }
        out.i32(SAMPLE_RATE);
        out.f64(12.5);
        return out;
    }

    /** Seals a body written after a skipped header: a valid header with a correct checksum. */
    static byte[] seal(PayloadWriter body, Precision precision, long valueCount) {
        byte[] payload = body.toByteArray();
        return reseal(payload, precision, valueCount);
    }

    /** Rewrites a payload's header to match its (possibly mutated) body: length and checksum valid again. */
    static byte[] reseal(byte[] payload) {
        PayloadHeader header = headerFields(payload);
        return reseal(payload, header.precision(), header.valueCount());
    }

    static byte[] reseal(byte[] payload, Precision precision, long valueCount) {
        int bodyLength = payload.length - PayloadHeader.BYTES;
        new PayloadHeader(
                        PayloadHeader.FORMAT_VERSION,
                        precision,
                        valueCount,
                        bodyLength,
                        Lz4ShuffleCodec.checksum(payload, bodyLength))
                .writeTo(payload);
        return payload;
    }

    /** The header fields without any check but the precision code. */
    static PayloadHeader headerFields(byte[] payload) {
        long valueCount = 0;
        for (int i = 0; i < 8; i++) {
            valueCount |= (payload[8 + i] & 0xFFL) << (8 * i);
        }
        return new PayloadHeader(payload[4], Precision.values()[payload[5]], valueCount, 0, 0);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
