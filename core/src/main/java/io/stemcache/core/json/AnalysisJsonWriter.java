package io.stemcache.core.json;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.Waveform;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Writes the product's shapes in its key order with JavaScript number formatting, so a corpus document
 * comes out byte for byte as {@code JSON.stringify} wrote it.
 */
final class AnalysisJsonWriter {

    private final JsonGenerator out;
    private final char[] number = new char[JsNumberFormat.MAX_LENGTH];

    AnalysisJsonWriter(JsonGenerator out) {
        this.out = out;
    }

    void analysis(AudioAnalysis analysis) {
        out.writeStartObject();
        out.writeStringProperty("fileMetadataId", analysis.fileMetadataId().toString());
        out.writeStringProperty("stemType", analysis.stemType().code());
        out.writeStringProperty("analysisVersion", analysis.analysisVersion());
        out.writeName("analysisData");
        analysisData(analysis.analysisData());
        out.writeName("waveformData");
        waveform(analysis.waveformData());
        out.writeName("metadata");
        metadata(analysis.metadata());
        out.writeEndObject();
    }

    void analysisData(Map<String, double[]> analysisData) {
        out.writeStartObject();
        for (Map.Entry<String, double[]> series : analysisData.entrySet()) {
            out.writeName(series.getKey());
            numbers(series.getValue());
        }
        out.writeEndObject();
    }

    void waveform(Waveform waveform) {
        out.writeStartObject();
        out.writeName("points");
        numbers(waveform.points());
        out.writeNumberProperty("sampleRate", waveform.sampleRate());
        out.writeName("duration");
        number(waveform.duration());
        out.writeName("markers");
        out.writeStartArray();
        for (Marker marker : waveform.markers()) {
            out.writeStartObject();
            out.writeName("time");
            number(marker.time());
            out.writeStringProperty("type", marker.type().code());
            out.writeName("intensity");
            number(marker.intensity());
            if (marker.hasFrequency()) {
                out.writeName("frequency");
                number(marker.frequency());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private void metadata(AnalysisMetadata metadata) {
        out.writeStartObject();
        out.writeNumberProperty("sampleRate", metadata.sampleRate());
        out.writeName("duration");
        number(metadata.duration());
        out.writeNumberProperty("bufferSize", metadata.bufferSize());
        out.writeName("featuresExtracted");
        out.writeStartArray();
        for (String feature : metadata.featuresExtracted()) {
            out.writeString(feature);
        }
        out.writeEndArray();
        out.writeName("analysisDuration");
        number(metadata.analysisDuration());
        out.writeEndObject();
    }

    private void numbers(double[] values) {
        out.writeStartArray();
        for (double value : values) {
            number(value);
        }
        out.writeEndArray();
    }

    private void number(double value) {
        out.writeNumber(number, 0, JsNumberFormat.format(value, number));
    }

    /**
     * Refuses NaN and infinities before anything is written: JSON has no token for them, and
     * {@code JSON.stringify} would turn them into null, losing the value.
     */
    static void requireFinite(AudioAnalysis analysis) {
        requireFinite(analysis.analysisData());
        requireFinite(analysis.waveformData());
        AnalysisMetadata metadata = analysis.metadata();
        requireFinite(metadata.duration(), "metadata.duration", -1);
        requireFinite(metadata.analysisDuration(), "metadata.analysisDuration", -1);
    }

    static void requireFinite(Map<String, double[]> analysisData) {
        for (Map.Entry<String, double[]> series : analysisData.entrySet()) {
            requireFinite(series.getValue(), "analysisData." + series.getKey());
        }
    }

    static void requireFinite(Waveform waveform) {
        requireFinite(waveform.points(), "waveformData.points");
        requireFinite(waveform.duration(), "waveformData.duration", -1);
        List<Marker> markers = waveform.markers();
        for (int i = 0; i < markers.size(); i++) {
            Marker marker = markers.get(i);
            String at = "waveformData.markers[" + i + "].";
            requireFinite(marker.time(), at + "time", -1);
            requireFinite(marker.intensity(), at + "intensity", -1);
            // NaN is how the model says "no frequency"; only an infinity is unwritable.
            if (Double.isInfinite(marker.frequency())) {
                requireFinite(marker.frequency(), at + "frequency", -1);
            }
        }
    }

    private static void requireFinite(double[] values, String path) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                requireFinite(values[i], path, i);
            }
        }
    }

    private static void requireFinite(double value, String path, int index) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot write analysis JSON: " + path
                    + (index < 0 ? "" : "[" + index + "]") + " is " + value + ", which JSON numbers cannot hold");
        }
    }
}
