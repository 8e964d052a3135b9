package io.stemcache.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.stemcache.core.AudioAnalysis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a document can be wrong gets an IllegalArgumentException naming the problem and where. */
class AnalysisJsonRejectsTest {

    static final String VALID = "{\"fileMetadataId\":\"3b627814-5984-4bd1-8145-31a98cbb302b\",\"stemType\":\"drums\","
            + "\"analysisVersion\":\"1.0\",\"analysisData\":{\"rms\":[0,0.5,1],\"zcr\":[0.25,1.2e-7,0.000015]},"
            + "\"waveformData\":{\"points\":[0,-0.5,0.5],\"sampleRate\":44100,\"duration\":0.0348,\"markers\":["
            + "{\"time\":0.01,\"type\":\"beat\",\"intensity\":0.5},"
            + "{\"time\":0.02,\"type\":\"onset\",\"intensity\":0.25,\"frequency\":440}]},"
            + "\"metadata\":{\"sampleRate\":44100,\"duration\":0.0348,\"bufferSize\":512,"
            + "\"featuresExtracted\":[\"rms\",\"zcr\"],\"analysisDuration\":1.5}}";

    static Stream<Arguments> badDocuments() {
        return Stream.of(
                arguments(
                        "unknown top-level field",
                        edit("\"stemType\"", "\"colour\":\"red\",\"stemType\""),
                        new String[] {"$.colour", "unknown field 'colour'"}),
                arguments(
                        "unknown marker field",
                        edit("\"intensity\":0.5}", "\"intensity\":0.5,\"label\":1}"),
                        new String[] {"$.waveformData.markers[0].label", "unknown field"}),
                arguments("missing top-level field", edit("\"stemType\":\"drums\",", ""), new String[] {
                    "$.stemType", "missing required field 'stemType'"
                }),
                arguments("missing metadata field", edit("\"bufferSize\":512,", ""), new String[] {
                    "$.metadata.bufferSize", "missing required field"
                }),
                arguments("missing marker field", edit("\"intensity\":0.25,", ""), new String[] {
                    "$.waveformData.markers[1].intensity", "missing required field"
                }),
                arguments("string in a series", edit("[0,0.5,1]", "[0,\"0.5\",1]"), new String[] {
                    "$.analysisData.rms[1]", "expected a number, got a string"
                }),
                arguments("null in a series", edit("[0,0.5,1]", "[0,null,1]"), new String[] {
                    "$.analysisData.rms[1]", "expected a number, got null"
                }),
                arguments(
                        "string sample rate",
                        edit(
                                "\"sampleRate\":44100,\"duration\":0.0348,\"markers\"",
                                "\"sampleRate\":\"44100\",\"duration\":0.0348,\"markers\""),
                        new String[] {"$.waveformData.sampleRate", "expected an integer, got a string"}),
                arguments("fractional buffer size", edit("\"bufferSize\":512", "\"bufferSize\":512.5"), new String[] {
                    "$.metadata.bufferSize", "expected an integer"
                }),
                arguments("huge buffer size", edit("\"bufferSize\":512", "\"bufferSize\":5120000000"), new String[] {
                    "$.metadata.bufferSize", "int range"
                }),
                arguments(
                        "series object as array",
                        edit("{\"rms\":[0,0.5,1],\"zcr\":[0.25,1.2e-7,0.000015]}", "[]"),
                        new String[] {"$.analysisData", "expected an object of series, got an array"}),
                arguments("number in features", edit("[\"rms\",\"zcr\"]", "[\"rms\",7]"), new String[] {
                    "$.metadata.featuresExtracted[1]", "expected a string, got a number"
                }),
                arguments("truncated", VALID.substring(0, VALID.indexOf("0.000015") + 3), new String[] {
                    "$.analysisData.zcr", "end-of-input"
                }),
                arguments("NaN token", edit("[0,0.5,1]", "[0,NaN,1]"), new String[] {"$.analysisData.rms", "NaN"}),
                arguments("Infinity token", edit("[0,0.5,1]", "[0,Infinity,1]"), new String[] {
                    "$.analysisData.rms", "Infinity"
                }),
                arguments("number beyond float64", edit("[0,0.5,1]", "[0,1e400,1]"), new String[] {
                    "$.analysisData.rms[1]", "1e400 is outside the float64 range"
                }),
                arguments("invalid stem type", edit("\"drums\"", "\"piano\""), new String[] {
                    "$.stemType", "stem type must be one of", "'piano'"
                }),
                arguments("invalid marker type", edit("\"beat\"", "\"clap\""), new String[] {
                    "$.waveformData.markers[0].type", "marker type", "'clap'"
                }),
                arguments("invalid UUID", edit("3b627814-5984-4bd1-8145-31a98cbb302b", "not-a-uuid"), new String[] {
                    "$.fileMetadataId", "expected a UUID, got 'not-a-uuid'"
                }),
                arguments(
                        "non-canonical UUID",
                        edit("3b627814-5984-4bd1-8145-31a98cbb302b", "1-2-3-4-5"),
                        new String[] {"$.fileMetadataId", "canonical UUID"}),
                arguments("duplicate series", edit("\"zcr\":", "\"rms\":"), new String[] {
                    "$.analysisData", "Duplicate", "rms"
                }),
                arguments("trailing content", VALID + "{}", new String[] {"after the root object"}),
                arguments("empty input", "", new String[] {"$", "expected a JSON object, got end of input"}),
                arguments("array root", "[]", new String[] {"expected a JSON object, got an array"}),
                arguments("too many points", edit("[0,-0.5,0.5]", "[" + "0,".repeat(2000) + "0]"), new String[] {
                    "$.waveformData", "at most 2000"
                }),
                arguments("version too long", edit("\"1.0\"", "\"" + "1".repeat(21) + "\""), new String[] {
                    "analysisVersion must be 1 to 20 characters"
                }),
                arguments("comment", edit("{\"fileMetadataId\"", "{/* hi */\"fileMetadataId\""), new String[] {
                    "$", "comment"
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void read_badDocument_namesTheProblem(String problem, String json, String[] fragments) {
        assertThatThrownBy(() -> AnalysisJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .as(problem)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid analysis JSON at ")
                .hasMessageContainingAll(fragments)
                .hasMessageContaining("line 1, column ");
    }

    @Test
    void read_validDocument_readsEveryField() {
        AudioAnalysis analysis = AnalysisJson.read(VALID.getBytes(StandardCharsets.UTF_8));

        assertThat(analysis.analysisData()).containsOnlyKeys("rms", "zcr");
        assertThat(analysis.analysisData().get("zcr")).containsExactly(0.25, 1.2e-7, 0.000015);
        assertThat(analysis.waveformData().markers()).hasSize(2);
        assertThat(analysis.waveformData().markers().get(0).hasFrequency()).isFalse();
        assertThat(analysis.waveformData().markers().get(1).frequency()).isEqualTo(440);
        assertThat(analysis.metadata().analysisDuration()).isEqualTo(1.5);
        assertThat(AnalysisJson.toBytes(analysis))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(VALID);
    }

    @Test
    void read_nullFrequency_readsAsNoFrequency() {
        String json = edit("\"frequency\":440", "\"frequency\":null");

        AudioAnalysis analysis = AnalysisJson.read(json.getBytes(StandardCharsets.UTF_8));

        assertThat(analysis.waveformData().markers().get(1).hasFrequency()).isFalse();
    }

    @Test
    void read_negativeZeroInteger_keepsTheSign() {
        String json = edit("[0,0.5,1]", "[-0,0.5,1]");

        double first = AnalysisJson.read(json.getBytes(StandardCharsets.UTF_8))
                .analysisData()
                .get("rms")[0];

        assertThat(Double.doubleToRawLongBits(first)).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void read_invalidUtf8_namesTheProblem() {
        byte[] json = VALID.replace("drums", "drum\u00e9").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> AnalysisJson.read(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.stemType")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void read_failingStream_throwsUncheckedIoException() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk gone");
            }
        };

        assertThatThrownBy(() -> AnalysisJson.read(failing))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("disk gone");
    }

    @Test
    void readLegacy_badShapes_nameTheProblem() {
        assertThatThrownBy(() -> AnalysisJson.readAnalysisData("{\"rms\": [0, \"x\"]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.rms[1]");
        assertThatThrownBy(() -> AnalysisJson.readWaveform("{\"points\": [], \"sampleRate\": 44100, \"markers\": []}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.duration")
                .hasMessageContaining("missing required field");
        assertThatThrownBy(() -> AnalysisJson.readWaveform("{\"points\": [], \"peaks\": []}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.peaks");
    }

    private static String edit(String from, String to) {
        if (!VALID.contains(from)) {
            throw new IllegalArgumentException("test document has no " + from);
        }
        return VALID.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }
}
