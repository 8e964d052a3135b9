package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.MarkerType;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.Waveform;
import io.stemcache.core.testing.Analyses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The worked example of {@code docs/payload-format.md} is what the codec writes and reads: each hex dump there is
 * the codec's payload of {@link #example()} at its precision, decodes to the values the document shows (bit-exactly
 * to the example at FLOAT64), and its LZ4 plane decodes to the plane the document names. Change the example here
 * and in the document together.
 */
class PayloadFormatDocTest {

    /** From the module's directory, where Maven runs the tests. */
    private static final Path DOC = Path.of("..", "docs", "payload-format.md");

    private final AnalysisCodec codec = AnalysisCodec.standard();

    /** The document's example: 2 series of 4 frames, 3 waveform points, 1 marker. */
    static AudioAnalysis example() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("rms", new double[] {0.5, 0.25, 0.25, 0.125});
        series.put("centroid", new double[] {440.0, 441.5, 443.0, 442.1});
        List<Marker> markers = List.of(new Marker(0.5, MarkerType.ONSET, 0.75, 440.0));
        return new AudioAnalysis(
                UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"),
                StemType.DRUMS,
                "1.0",
                series,
                new Waveform(new double[] {0.0, 0.5, -0.25}, 8000, 1.0, markers),
                new AnalysisMetadata(8000, 1.0, 2000, List.of("rms", "centroid"), 12.5));
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void examplePayload_isWhatTheCodecWrites(Precision precision) {
        byte[] encoded = codec.encode(example(), precision);

        assertThat(HexFormat.of().formatHex(docPayload(precision)))
                .as("the %s dump in %s; the codec writes:%n%s", precision, DOC, dump(encoded))
                .isEqualTo(HexFormat.of().formatHex(encoded));
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void examplePayload_decodesToTheValuesTheDocShows(Precision precision) {
        AudioAnalysis decoded = codec.decode(docPayload(precision));

        assertThat(render(decoded, precision)).isEqualTo(block("example:" + name(precision) + "-values"));
    }

    @Test
    void float64ExamplePayload_decodesToTheExampleBitExact() {
        Analyses.assertBitExact(example(), codec.decode(docPayload(Precision.FLOAT64)));
    }

    @Test
    void lz4PlaneExample_decodesToThePlaneTheDocNames() {
        byte[] expected = new byte[32];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i % 4);
        }
        byte[] plane = dumpBytes("example:lz4-plane");
        PayloadReader in = new PayloadReader(plane, 0, 0);
        byte[] decoded = new byte[expected.length];

        in.plane(decoded, 0, decoded.length, 0);

        assertThat(decoded).isEqualTo(expected);
        assertThat(in.position()).as("the plane ends the dump").isEqualTo(plane.length);
        assertThat(plane[0]).as("plane mode").isEqualTo((byte) PayloadWriter.LZ4);
    }

    private static byte[] docPayload(Precision precision) {
        return dumpBytes("example:" + name(precision) + "-payload");
    }

    private static String name(Precision precision) {
        return precision.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The bytes of a dump: each line is {@code OFFSET  HEX BYTES | comment} (the comment optional), and each
     * line's offset must count the bytes before it.
     */
    private static byte[] dumpBytes(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String line : block(name).split("\n")) {
            int bar = line.indexOf('|');
            String[] tokens = (bar < 0 ? line : line.substring(0, bar)).trim().split("\\s+");
            if (tokens[0].isEmpty()) {
                continue;
            }
            assertThat(Integer.parseInt(tokens[0], 16))
                    .as("offset of the line '%s' in %s", line, name)
                    .isEqualTo(bytes.size());
            for (int i = 1; i < tokens.length; i++) {
                assertThat(tokens[i])
                        .as("a byte of the line '%s' in %s", line, name)
                        .matches("[0-9a-f]{2}");
                bytes.write(HexFormat.fromHexDigits(tokens[i]));
            }
        }
        return bytes.toByteArray();
    }

    /** The text between {@code <!-- name -->} and {@code <!-- /name -->}, without its code fences. */
    private static String block(String name) {
        String doc;
        try {
            doc = Files.readString(DOC);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + DOC.toAbsolutePath().normalize(), e);
        }
        String open = "<!-- " + name + " -->";
        String close = "<!-- /" + name + " -->";
        int start = doc.indexOf(open);
        int end = doc.indexOf(close);
        assertThat(start).as("%s in %s", open, DOC).isNotNegative();
        assertThat(end).as("%s in %s", close, DOC).isGreaterThan(start);
        return doc.substring(start + open.length(), end)
                .lines()
                .filter(line -> !line.startsWith("```"))
                .filter(line -> !line.isBlank())
                .collect(Collectors.joining("\n"));
    }

    /** The decoded analysis as the document shows it: all of it at FLOAT64, the series (all that changes) else. */
    private static String render(AudioAnalysis a, Precision precision) {
        StringBuilder text = new StringBuilder();
        if (precision == Precision.FLOAT64) {
            AnalysisMetadata m = a.metadata();
            line(text, "fileMetadataId", a.fileMetadataId().toString());
            line(text, "stemType", a.stemType().code());
            line(text, "analysisVersion", a.analysisVersion());
            line(
                    text,
                    "metadata",
                    "sampleRate " + m.sampleRate() + ", duration " + m.duration() + ", bufferSize " + m.bufferSize()
                            + ", analysisDuration " + m.analysisDuration());
            line(text, "featuresExtracted", String.join(", ", m.featuresExtracted()));
            line(
                    text,
                    "waveform",
                    "sampleRate " + a.waveformData().sampleRate() + ", duration "
                            + a.waveformData().duration());
        }
        a.analysisData().forEach((name, values) -> line(text, "series " + name, values(values)));
        if (precision == Precision.FLOAT64) {
            line(text, "points", values(a.waveformData().points()));
            List<Marker> markers = a.waveformData().markers();
            for (int i = 0; i < markers.size(); i++) {
                Marker marker = markers.get(i);
                line(
                        text,
                        "marker " + i,
                        "time " + marker.time() + ", " + marker.type().code() + ", intensity " + marker.intensity()
                                + ", frequency " + marker.frequency());
            }
        }
        return text.toString().stripTrailing();
    }

    private static void line(StringBuilder text, String field, String value) {
        text.append(String.format("%-18s %s", field, value)).append('\n');
    }

    private static String values(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(", "));
    }

    /** The codec's bytes in the document's layout, 16 a line, for a failure message. */
    private static String dump(byte[] payload) {
        StringBuilder text = new StringBuilder();
        for (int off = 0; off < payload.length; off += 16) {
            text.append(String.format(
                    "%04x  %s%n",
                    off, HexFormat.ofDelimiter(" ").formatHex(payload, off, Math.min(payload.length, off + 16))));
        }
        return text.toString();
    }
}
