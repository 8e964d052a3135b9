package io.stemcache.core.json;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Waveform;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Reads the product's analysis JSON into an {@link AudioAnalysis} and writes it back, every number
 * bit-exact; also reads the two {@code jsonb} columns ({@code analysisData}, {@code waveformData}) of the
 * product's old PostgreSQL rows.
 *
 * <p>Reading is strict: an unknown or duplicate field, a missing required field, a value of the wrong
 * type, NaN or infinity, or anything after the root object throws an {@link IllegalArgumentException}
 * naming the JSON path, line and column. A marker's {@code frequency} is optional (absent or null reads
 * as NaN). I/O failures of a stream throw {@link UncheckedIOException}. Streams are neither closed nor
 * wrapped. Writing uses the product's key order and JavaScript number formatting, except that -0 is
 * written {@code -0.0} to keep its sign.
 */
public final class AnalysisJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // JSON.stringify escapes control characters with lower-case hex digits.
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private AnalysisJson() {}

    /** Reads one analysis document from a stream (UTF-8, or another encoding JSON allows). */
    public static AudioAnalysis read(InputStream in) {
        Objects.requireNonNull(in, "in");
        return JsonCursor.parse(
                () -> JSON.createParser(ObjectReadContext.empty(), in),
                cursor -> new AnalysisJsonReader(cursor).analysis());
    }

    /** Reads one analysis document. */
    public static AudioAnalysis read(byte[] json) {
        Objects.requireNonNull(json, "json");
        return JsonCursor.parse(
                () -> JSON.createParser(ObjectReadContext.empty(), json),
                cursor -> new AnalysisJsonReader(cursor).analysis());
    }

    /**
     * Reads a legacy {@code analysis_data} jsonb value: series name to values, in document order. jsonb
     * sorts keys (shorter first), so callers wanting the product's order sort by the metadata's
     * {@code featuresExtracted}.
     */
    public static LinkedHashMap<String, double[]> readAnalysisData(String json) {
        Objects.requireNonNull(json, "json");
        return JsonCursor.parse(
                () -> JSON.createParser(ObjectReadContext.empty(), json),
                cursor -> new AnalysisJsonReader(cursor).analysisData());
    }

    /** Reads a legacy {@code waveform_data} jsonb value: points, sample rate, duration and markers. */
    public static Waveform readWaveform(String json) {
        Objects.requireNonNull(json, "json");
        return JsonCursor.parse(
                () -> JSON.createParser(ObjectReadContext.empty(), json),
                cursor -> new AnalysisJsonReader(cursor).waveform());
    }

    /** Writes the analysis as one UTF-8 JSON document; throws IllegalArgumentException for NaN or infinity. */
    public static void write(AudioAnalysis analysis, OutputStream out) {
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(out, "out");
        AnalysisJsonWriter.requireFinite(analysis);
        generate(out, writer -> writer.analysis(analysis));
    }

    /** The analysis as UTF-8 JSON bytes. */
    public static byte[] toBytes(AudioAnalysis analysis) {
        Objects.requireNonNull(analysis, "analysis");
        AnalysisJsonWriter.requireFinite(analysis);
        // About 19 bytes per value in the product's documents.
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, analysis.valueCount() * 20 + 1024));
        generate(bytes, writer -> writer.analysis(analysis));
        return bytes.toByteArray();
    }

    /** The analysis's {@code analysisData} object as JSON, the value of the legacy jsonb column. */
    public static String analysisDataJson(AudioAnalysis analysis) {
        Objects.requireNonNull(analysis, "analysis");
        AnalysisJsonWriter.requireFinite(analysis.analysisData());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        generate(bytes, writer -> writer.analysisData(analysis.analysisData()));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The analysis's {@code waveformData} object as JSON, the value of the legacy jsonb column. */
    public static String waveformJson(AudioAnalysis analysis) {
        Objects.requireNonNull(analysis, "analysis");
        AnalysisJsonWriter.requireFinite(analysis.waveformData());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        generate(bytes, writer -> writer.waveform(analysis.waveformData()));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void generate(OutputStream out, Consumer<AnalysisJsonWriter> body) {
        try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            body.accept(new AnalysisJsonWriter(generator));
        } catch (JacksonIOException e) {
            throw new UncheckedIOException("writing analysis JSON failed", e.getCause());
        }
    }
}
