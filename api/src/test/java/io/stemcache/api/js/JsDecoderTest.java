package io.stemcache.api.js;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Corpus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JS decoder against the Java codec: every corpus file is encoded here at every precision, decoded by the Java
 * codec, and both written to a folder (golden payloads made at test time, never committed); {@code
 * js/test/decoder.test.mjs} then decodes each payload in Node and compares every value bit for bit, and runs the
 * hostile-payload cases.
 */
class JsDecoderTest {

    @TempDir
    Path golden;

    @Test
    void jsDecoder_isBitExactWithTheJavaCodec_onEveryCorpusFileAtEveryPrecision_andRefusesHostilePayloads()
            throws Exception {
        AnalysisCodec codec = AnalysisCodec.standard();
        List<String> cases = new ArrayList<>();
        for (Path file : Corpus.files()) {
            AudioAnalysis analysis = Corpus.load(file);
            String name = file.getFileName().toString().replace(".json.gz", "");
            for (Precision precision : Precision.values()) {
                byte[] payload = codec.encode(analysis, precision);
                AudioAnalysis decoded = codec.decode(payload);
                String id = name + "." + precision.name();
                Files.write(golden.resolve(id + ".payload"), payload);
                Files.write(golden.resolve(id + ".f64"), values(decoded));
                Files.writeString(golden.resolve(id + ".json"), describe(decoded, precision), StandardCharsets.UTF_8);
                cases.add(id);
            }
        }
        // A small real payload for the hostile cases to damage: a corpus stem cut to 200 frames.
        Files.write(golden.resolve("fuzz.payload"), codec.encode(Corpus.small(200), Precision.FLOAT64));
        Files.writeString(golden.resolve("cases.txt"), String.join("\n", cases), StandardCharsets.UTF_8);
        NodeTests.run(Map.of("STEMCACHE_GOLDEN", golden.toString()), "test/decoder.test.mjs");
    }

    /** Every float64 of the decoded analysis, little-endian: series in order, points, marker times, intensities, stored frequencies. */
    private static byte[] values(AudioAnalysis analysis) {
        List<double[]> columns = new ArrayList<>(analysis.analysisData().values());
        columns.add(analysis.waveformData().points());
        List<Marker> markers = analysis.waveformData().markers();
        columns.add(markers.stream().mapToDouble(Marker::time).toArray());
        columns.add(markers.stream().mapToDouble(Marker::intensity).toArray());
        columns.add(markers.stream()
                .filter(Marker::hasFrequency)
                .mapToDouble(Marker::frequency)
                .toArray());
        int count = columns.stream().mapToInt(c -> c.length).sum();
        ByteBuffer out = ByteBuffer.allocate(count * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] column : columns) {
            for (double value : column) {
                out.putLong(Double.doubleToRawLongBits(value));
            }
        }
        return out.array();
    }

    private static String describe(AudioAnalysis analysis, Precision precision) throws IOException {
        StringBuilder json = new StringBuilder("{");
        json.append("\"fileMetadataId\":\"").append(analysis.fileMetadataId()).append("\",");
        json.append("\"stemType\":\"").append(analysis.stemType().code()).append("\",");
        json.append("\"analysisVersion\":\"").append(analysis.analysisVersion()).append("\",");
        json.append("\"precision\":\"").append(precision.name()).append("\",");
        json.append("\"series\":[");
        boolean first = true;
        for (Map.Entry<String, double[]> series : analysis.analysisData().entrySet()) {
            json.append(first ? "" : ",")
                    .append("[\"")
                    .append(series.getKey())
                    .append("\",")
                    .append(series.getValue().length)
                    .append(']');
            first = false;
        }
        json.append("],");
        var waveform = analysis.waveformData();
        json.append("\"points\":").append(waveform.points().length).append(',');
        json.append("\"waveformSampleRate\":").append(waveform.sampleRate()).append(',');
        json.append("\"waveformDuration\":").append(waveform.duration()).append(',');
        json.append("\"markerTypes\":[");
        for (int i = 0; i < waveform.markers().size(); i++) {
            Marker marker = waveform.markers().get(i);
            json.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(marker.type().code())
                    .append(marker.hasFrequency() ? "+f" : "")
                    .append('"');
        }
        json.append("],");
        var metadata = analysis.metadata();
        json.append("\"metadata\":{\"sampleRate\":")
                .append(metadata.sampleRate())
                .append(",\"duration\":")
                .append(metadata.duration())
                .append(",\"bufferSize\":")
                .append(metadata.bufferSize())
                .append(",\"analysisDuration\":")
                .append(metadata.analysisDuration())
                .append(",\"featuresExtracted\":[");
        for (int i = 0; i < metadata.featuresExtracted().size(); i++) {
            json.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(metadata.featuresExtracted().get(i))
                    .append('"');
        }
        return json.append("]}}").toString();
    }
}
