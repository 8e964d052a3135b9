package io.stemcache.core.json;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.MarkerType;
import io.stemcache.core.StemType;
import io.stemcache.core.Waveform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JsonToken;

/** Reads the product's shapes field by field; every field is required unless said otherwise. */
final class AnalysisJsonReader {

    private final JsonCursor in;

    AnalysisJsonReader(JsonCursor in) {
        this.in = in;
    }

    /** The whole document, its root object already started. */
    AudioAnalysis analysis() {
        UUID fileMetadataId = null;
        StemType stemType = null;
        String analysisVersion = null;
        LinkedHashMap<String, double[]> analysisData = null;
        Waveform waveformData = null;
        AnalysisMetadata metadata = null;
        String name;
        while ((name = in.nextName()) != null) {
            switch (name) {
                case "fileMetadataId" -> fileMetadataId = uuid();
                case "stemType" -> stemType = stemType();
                case "analysisVersion" -> analysisVersion = in.string();
                case "analysisData" -> {
                    in.startObject("an object of series");
                    analysisData = analysisData();
                }
                case "waveformData" -> {
                    in.startObject("a waveform object");
                    waveformData = waveform();
                }
                case "metadata" -> {
                    in.startObject("a metadata object");
                    metadata = metadata();
                }
                default -> throw in.unknownField();
            }
        }
        try {
            return new AudioAnalysis(
                    in.require(fileMetadataId, "fileMetadataId"),
                    in.require(stemType, "stemType"),
                    in.require(analysisVersion, "analysisVersion"),
                    in.require(analysisData, "analysisData"),
                    in.require(waveformData, "waveformData"),
                    in.require(metadata, "metadata"));
        } catch (IllegalArgumentException e) {
            throw modelRejected(e);
        }
    }

    /** The {@code analysisData} object, started: series name to values, in document order. */
    LinkedHashMap<String, double[]> analysisData() {
        LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
        String name;
        while ((name = in.nextName()) != null) {
            series.put(name, in.series());
        }
        return series;
    }

    /** The {@code waveformData} object, started. */
    Waveform waveform() {
        double[] points = null;
        Integer sampleRate = null;
        Double duration = null;
        List<Marker> markers = null;
        String name;
        while ((name = in.nextName()) != null) {
            switch (name) {
                case "points" -> points = in.series();
                case "sampleRate" -> sampleRate = in.integer();
                case "duration" -> duration = in.number();
                case "markers" -> markers = markers();
                default -> throw in.unknownField();
            }
        }
        try {
            return new Waveform(
                    in.require(points, "points"),
                    in.require(sampleRate, "sampleRate"),
                    in.require(duration, "duration"),
                    in.require(markers, "markers"));
        } catch (IllegalArgumentException e) {
            throw modelRejected(e);
        }
    }

    private List<Marker> markers() {
        in.startArray("an array of markers");
        List<Marker> markers = new ArrayList<>();
        while (in.nextElement(JsonToken.START_OBJECT, "a marker object")) {
            markers.add(marker());
        }
        return markers;
    }

    private Marker marker() {
        Double time = null;
        MarkerType type = null;
        Double intensity = null;
        double frequency = Double.NaN;
        String name;
        while ((name = in.nextName()) != null) {
            switch (name) {
                case "time" -> time = in.number();
                case "type" -> type = markerType();
                case "intensity" -> intensity = in.number();
                // Optional: beats and drops have none; null is how JSON.stringify writes a NaN.
                case "frequency" -> frequency = in.numberOrNull();
                default -> throw in.unknownField();
            }
        }
        return new Marker(
                in.require(time, "time"), in.require(type, "type"), in.require(intensity, "intensity"), frequency);
    }

    private AnalysisMetadata metadata() {
        Integer sampleRate = null;
        Double duration = null;
        Integer bufferSize = null;
        List<String> featuresExtracted = null;
        Double analysisDuration = null;
        String name;
        while ((name = in.nextName()) != null) {
            switch (name) {
                case "sampleRate" -> sampleRate = in.integer();
                case "duration" -> duration = in.number();
                case "bufferSize" -> bufferSize = in.integer();
                case "featuresExtracted" -> featuresExtracted = strings();
                case "analysisDuration" -> analysisDuration = in.number();
                default -> throw in.unknownField();
            }
        }
        try {
            return new AnalysisMetadata(
                    in.require(sampleRate, "sampleRate"),
                    in.require(duration, "duration"),
                    in.require(bufferSize, "bufferSize"),
                    in.require(featuresExtracted, "featuresExtracted"),
                    in.require(analysisDuration, "analysisDuration"));
        } catch (IllegalArgumentException e) {
            throw modelRejected(e);
        }
    }

    private List<String> strings() {
        in.startArray("an array of strings");
        List<String> strings = new ArrayList<>();
        while (in.nextElement(JsonToken.VALUE_STRING, "a string")) {
            strings.add(in.currentString());
        }
        return strings;
    }

    private UUID uuid() {
        String text = in.string();
        try {
            UUID uuid = UUID.fromString(text);
            // UUID.fromString also takes short forms like "1-2-3-4-5"; the product only writes canonical ones.
            if (uuid.toString().equalsIgnoreCase(text)) {
                return uuid;
            }
        } catch (IllegalArgumentException e) {
            throw in.invalid("expected a UUID, got '" + JsonCursor.abbreviate(text) + "'", e);
        }
        throw in.invalid("expected a canonical UUID, got '" + JsonCursor.abbreviate(text) + "'");
    }

    private StemType stemType() {
        String code = in.string();
        try {
            return StemType.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage(), e);
        }
    }

    private MarkerType markerType() {
        String code = in.string();
        try {
            return MarkerType.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage(), e);
        }
    }

    /** The model's own checks (lengths, limits) failed: say where in the document. */
    private IllegalArgumentException modelRejected(IllegalArgumentException e) {
        return e.getMessage() != null && e.getMessage().startsWith("invalid analysis JSON")
                ? e
                : in.invalid(e.getMessage(), e);
    }
}
