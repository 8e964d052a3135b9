package io.stemcache.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.MarkerType;
import io.stemcache.core.Waveform;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

class AnalysisJsonTest {

    static Stream<Path> corpusFiles() {
        return Corpus.files().stream();
    }

    @ParameterizedTest
    @MethodSource("corpusFiles")
    void read_corpusFile_writesBackByteIdenticalAndReadsBackBitExact(Path file) {
        byte[] original = Corpus.json(file);

        AudioAnalysis analysis = AnalysisJson.read(original);
        byte[] written = AnalysisJson.toBytes(analysis);
        AudioAnalysis again = AnalysisJson.read(new ByteArrayInputStream(written));

        Analyses.assertBitExact(analysis, again);
        assertThat(again).isEqualTo(analysis);
        // The corpus is JSON.stringify output, and the writer formats numbers as JavaScript does.
        assertThat(written).isEqualTo(original);
    }

    @ParameterizedTest
    @MethodSource("corpusFiles")
    void read_corpusFile_matchesManifest(Path file) {
        Map<String, String> manifest = Corpus.manifest(file);

        AudioAnalysis analysis = Corpus.load(file);

        assertThat(analysis.fileMetadataId()).hasToString(manifest.get("file_metadata_id"));
        assertThat(analysis.stemType().code()).isEqualTo(manifest.get("stem_type"));
        assertThat(analysis.waveformData().markers()).hasSize(Integer.parseInt(manifest.get("markers")));
        assertThat(analysis.analysisData()).hasSize(35);
        assertThat(analysis.analysisData().keySet())
                .containsExactlyElementsOf(analysis.metadata().featuresExtracted());
        int frames = Integer.parseInt(manifest.get("frames"));
        analysis.analysisData()
                .forEach((name, values) -> assertThat(values).as(name).hasSize(frames));
        assertThat(jsonNumberCount(analysis) * 8).isEqualTo(Long.parseLong(manifest.get("float64_raw_bytes")));
    }

    /** Jackson's FastDoubleParser must agree with the JDK's correctly rounded parser on every number. */
    @ParameterizedTest
    @MethodSource("corpusFiles")
    void jacksonDoubleParsing_corpusFile_equalsDoubleParseDouble(Path file) {
        long numbers = 0;
        try (JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), Corpus.json(file))) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    String text = parser.getString();
                    if (Double.doubleToRawLongBits(parser.getDoubleValue())
                            != Double.doubleToRawLongBits(Double.parseDouble(text))) {
                        fail("Jackson parses " + text + " as " + parser.getDoubleValue());
                    }
                    numbers++;
                }
            }
        }
        assertThat(numbers).isGreaterThan(500_000);
    }

    /** Checks the model against the document text with no JSON parser involved. */
    @Test
    void read_firstCorpusFile_valuesEqualParseDoubleOfTheText() {
        Path file = Corpus.files().get(0);
        String text = new String(Corpus.json(file), StandardCharsets.UTF_8);

        AudioAnalysis analysis = Corpus.load(file);

        Map<String, double[]> arrays = new LinkedHashMap<>(analysis.analysisData());
        arrays.put("points", analysis.waveformData().points());
        arrays.forEach((name, values) -> {
            int start = text.indexOf("\"" + name + "\":[") + name.length() + 4;
            String[] literals = text.substring(start, text.indexOf(']', start)).split(",");
            double[] parsed = new double[literals.length];
            for (int i = 0; i < literals.length; i++) {
                parsed[i] = Double.parseDouble(literals[i]);
            }
            Analyses.assertBitExact(name, parsed, values);
        });
    }

    @Test
    void write_smallAnalysis_streamAndBytesAgree() {
        AudioAnalysis small = Corpus.small(50);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        AnalysisJson.write(small, out);

        assertThat(out.toByteArray()).isEqualTo(AnalysisJson.toBytes(small));
        Analyses.assertBitExact(small, AnalysisJson.read(out.toByteArray()));
    }

    @Test
    void write_edgeValues_readBackBitExact() {
        double[] edges = {
            -0.0,
            0.0,
            Double.MIN_VALUE,
            -Double.MIN_VALUE,
            Double.MIN_NORMAL,
            Double.MAX_VALUE,
            1e21,
            1e-7,
            123456789012345680000.0,
            0.1 + 0.2,
            -1,
            1.0 / 3
        };
        AudioAnalysis analysis = withSeries(Corpus.small(4), "rms", edges);

        AudioAnalysis back = AnalysisJson.read(AnalysisJson.toBytes(analysis));

        Analyses.assertBitExact(analysis, back);
        assertThat(new String(AnalysisJson.toBytes(analysis), StandardCharsets.UTF_8))
                .contains("\"rms\":[-0.0,0,5e-324,-5e-324,2.2250738585072014e-308,1.7976931348623157e+308,"
                        + "1e+21,1e-7,123456789012345680000,0.30000000000000004,-1,0.3333333333333333]");
    }

    @Test
    void write_markerWithoutFrequency_omitsIt() {
        AudioAnalysis small = Corpus.small(4);
        Waveform waveform = new Waveform(
                small.waveformData().points(),
                44100,
                0.5,
                List.of(new Marker(0.25, MarkerType.BEAT, 0.5), new Marker(0.5, MarkerType.PEAK, 1, 440)));
        AudioAnalysis analysis = new AudioAnalysis(
                small.fileMetadataId(),
                small.stemType(),
                small.analysisVersion(),
                small.analysisData(),
                waveform,
                small.metadata());

        String json = AnalysisJson.waveformJson(analysis);

        assertThat(json)
                .endsWith("\"markers\":[{\"time\":0.25,\"type\":\"beat\",\"intensity\":0.5},"
                        + "{\"time\":0.5,\"type\":\"peak\",\"intensity\":1,\"frequency\":440}]}");
        Analyses.assertBitExact(waveform, AnalysisJson.readWaveform(json));
    }

    @Test
    void write_nanInSeries_namesTheValue() {
        AudioAnalysis analysis = withSeries(Corpus.small(4), "zcr", new double[] {0.5, Double.NaN});

        assertThatThrownBy(() -> AnalysisJson.toBytes(analysis))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("analysisData.zcr[1] is NaN");
        assertThatThrownBy(() -> AnalysisJson.write(analysis, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnalysisJson.analysisDataJson(analysis)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void write_infiniteMarkerFrequency_namesTheMarker() {
        AudioAnalysis small = Corpus.small(4);
        Waveform waveform = new Waveform(
                new double[0], 44100, 1, List.of(new Marker(0.5, MarkerType.ONSET, 1, Double.POSITIVE_INFINITY)));
        AudioAnalysis analysis = new AudioAnalysis(
                small.fileMetadataId(),
                small.stemType(),
                small.analysisVersion(),
                small.analysisData(),
                waveform,
                small.metadata());

        assertThatThrownBy(() -> AnalysisJson.waveformJson(analysis))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("waveformData.markers[0].frequency is Infinity");
    }

    @Test
    void legacyColumns_corpusAnalysis_readBackBitExact() {
        AudioAnalysis analysis = Corpus.first();

        Map<String, double[]> analysisData = AnalysisJson.readAnalysisData(AnalysisJson.analysisDataJson(analysis));
        Waveform waveform = AnalysisJson.readWaveform(AnalysisJson.waveformJson(analysis));

        assertThat(analysisData.keySet())
                .containsExactlyElementsOf(analysis.analysisData().keySet());
        analysisData.forEach((name, values) ->
                Analyses.assertBitExact(name, analysis.analysisData().get(name), values));
        Analyses.assertBitExact(analysis.waveformData(), waveform);
    }

    static AudioAnalysis withSeries(AudioAnalysis base, String name, double[] values) {
        Map<String, double[]> series = new LinkedHashMap<>(base.analysisData());
        series.put(name, values);
        return new AudioAnalysis(
                base.fileMetadataId(),
                base.stemType(),
                base.analysisVersion(),
                series,
                base.waveformData(),
                base.metadata());
    }

    /** Every number the JSON holds: series, points, waveform sample rate and duration, marker fields, metadata. */
    private static long jsonNumberCount(AudioAnalysis analysis) {
        long count = analysis.waveformData().points().length + 2 + 4;
        for (double[] values : analysis.analysisData().values()) {
            count += values.length;
        }
        for (Marker marker : analysis.waveformData().markers()) {
            count += marker.hasFrequency() ? 3 : 2;
        }
        return count;
    }
}
