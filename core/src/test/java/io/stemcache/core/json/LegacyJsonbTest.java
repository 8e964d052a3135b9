package io.stemcache.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.Waveform;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The product's old rows as PostgreSQL prints them: jsonb sorts object keys (shorter first), puts a
 * space after ':' and ',', and prints numbers as plain decimals ({@code 1.2e-7} becomes
 * {@code 0.00000012}). Numbers must still parse bit-exactly.
 */
class LegacyJsonbTest {

    /** jsonb's key order: by length, then bytewise. */
    private static final Comparator<String> JSONB_KEYS =
            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    private static final double[] EXTREMES = {
        1.2e-7,
        0.000015,
        Double.MIN_VALUE,
        Double.MIN_NORMAL,
        Double.MAX_VALUE,
        1e21,
        1e22,
        0.1,
        1.0 / 3,
        123456.789,
        9007199254740993.0,
        0,
        1
    };

    @Test
    void readAnalysisData_plainDecimalSample_isBitExact() {
        AudioAnalysis analysis = Corpus.first();
        Map<String, double[]> sample = new LinkedHashMap<>();
        for (String name : List.of("rms", "spectralFlatness", "mfcc_12", "chroma_11")) {
            sample.put(name, analysis.analysisData().get(name));
        }
        sample.put("extremes", EXTREMES);
        Map<String, String> columns = new TreeMap<>(JSONB_KEYS);
        sample.forEach((name, values) -> columns.put(name, plain(values)));
        String jsonb = object(columns);
        assertThat(jsonb).contains("0.00000012, 0.000015, 0.000000000");

        Map<String, double[]> read = AnalysisJson.readAnalysisData(jsonb);

        assertThat(read).containsOnlyKeys(sample.keySet());
        sample.forEach((name, values) -> Analyses.assertBitExact(name, values, read.get(name)));
    }

    @Test
    void readWaveform_plainDecimalCorpusWaveform_isBitExact() {
        Waveform waveform = Corpus.first().waveformData();
        Map<String, String> columns = new TreeMap<>(JSONB_KEYS);
        columns.put("points", plain(waveform.points()));
        columns.put("sampleRate", Integer.toString(waveform.sampleRate()));
        columns.put("duration", plain(waveform.duration()));
        StringBuilder markers = new StringBuilder("[");
        for (Marker marker : waveform.markers()) {
            Map<String, String> fields = new TreeMap<>(JSONB_KEYS);
            fields.put("time", plain(marker.time()));
            fields.put("type", "\"" + marker.type().code() + "\"");
            fields.put("intensity", plain(marker.intensity()));
            if (marker.hasFrequency()) {
                fields.put("frequency", plain(marker.frequency()));
            }
            markers.append(markers.length() > 1 ? ", " : "").append(object(fields));
        }
        columns.put("markers", markers.append(']').toString());

        Waveform read = AnalysisJson.readWaveform(object(columns));

        Analyses.assertBitExact(waveform, read);
    }

    private static String plain(double[] values) {
        StringBuilder json = new StringBuilder("[");
        for (double value : values) {
            json.append(json.length() > 1 ? ", " : "").append(plain(value));
        }
        return json.append(']').toString();
    }

    /** What PostgreSQL's numeric prints for the product's number text. */
    private static String plain(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static String object(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? ", " : "")
                .append('"')
                .append(name)
                .append("\": ")
                .append(value));
        return json.append('}').toString();
    }
}
