package io.stemcache.core.testing;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.Waveform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Assertions on analyses that say exactly where two differ. */
public final class Analyses {

    private Analyses() {}

    /**
     * Fails unless every field is equal and every double has the same raw bits, naming the first
     * difference (series and index, waveform point, marker field, metadata field).
     */
    public static void assertBitExact(AudioAnalysis expected, AudioAnalysis actual) {
        if (expected == null || actual == null) {
            check(expected == actual, "analysis", expected, actual);
            return;
        }
        check(
                expected.fileMetadataId().equals(actual.fileMetadataId()),
                "fileMetadataId",
                expected.fileMetadataId(),
                actual.fileMetadataId());
        check(expected.stemType() == actual.stemType(), "stemType", expected.stemType(), actual.stemType());
        check(
                expected.analysisVersion().equals(actual.analysisVersion()),
                "analysisVersion",
                expected.analysisVersion(),
                actual.analysisVersion());
        List<String> names = new ArrayList<>(expected.analysisData().keySet());
        List<String> actualNames = new ArrayList<>(actual.analysisData().keySet());
        check(names.equals(actualNames), "analysisData series names (in order)", names, actualNames);
        for (Map.Entry<String, double[]> series : expected.analysisData().entrySet()) {
            assertBitExact(
                    "analysisData." + series.getKey(),
                    series.getValue(),
                    actual.analysisData().get(series.getKey()));
        }
        assertBitExact(expected.waveformData(), actual.waveformData());
        assertBitExact(expected.metadata(), actual.metadata());
    }

    /** Like {@link #assertBitExact(AudioAnalysis, AudioAnalysis)} for a waveform and its markers. */
    public static void assertBitExact(Waveform expected, Waveform actual) {
        assertBitExact("waveformData.points", expected.points(), actual.points());
        check(
                expected.sampleRate() == actual.sampleRate(),
                "waveformData.sampleRate",
                expected.sampleRate(),
                actual.sampleRate());
        assertBitExact("waveformData.duration", expected.duration(), actual.duration());
        check(
                expected.markers().size() == actual.markers().size(),
                "waveformData.markers count",
                expected.markers().size(),
                actual.markers().size());
        for (int i = 0; i < expected.markers().size(); i++) {
            Marker e = expected.markers().get(i);
            Marker a = actual.markers().get(i);
            String at = "waveformData.markers[" + i + "].";
            assertBitExact(at + "time", e.time(), a.time());
            check(e.type() == a.type(), at + "type", e.type(), a.type());
            assertBitExact(at + "intensity", e.intensity(), a.intensity());
            assertBitExact(at + "frequency", e.frequency(), a.frequency());
        }
    }

    /** Compares two series value by value on their raw bits, naming the first differing index. */
    public static void assertBitExact(String name, double[] expected, double[] actual) {
        if (expected == null || actual == null) {
            check(expected == actual, name, expected, actual);
            return;
        }
        check(expected.length == actual.length, name + " length", expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                assertBitExact(name + "[" + i + "]", expected[i], actual[i]);
            }
        }
    }

    private static void assertBitExact(AnalysisMetadata expected, AnalysisMetadata actual) {
        check(
                expected.sampleRate() == actual.sampleRate(),
                "metadata.sampleRate",
                expected.sampleRate(),
                actual.sampleRate());
        assertBitExact("metadata.duration", expected.duration(), actual.duration());
        check(
                expected.bufferSize() == actual.bufferSize(),
                "metadata.bufferSize",
                expected.bufferSize(),
                actual.bufferSize());
        check(
                expected.featuresExtracted().equals(actual.featuresExtracted()),
                "metadata.featuresExtracted",
                expected.featuresExtracted(),
                actual.featuresExtracted());
        assertBitExact("metadata.analysisDuration", expected.analysisDuration(), actual.analysisDuration());
    }

    private static void assertBitExact(String name, double expected, double actual) {
        long e = Double.doubleToRawLongBits(expected);
        long a = Double.doubleToRawLongBits(actual);
        if (e != a) {
            throw new AssertionError(name + " differs: expected " + expected + " (0x" + Long.toHexString(e)
                    + ") but was " + actual + " (0x" + Long.toHexString(a) + ")");
        }
    }

    private static void check(boolean same, String name, Object expected, Object actual) {
        if (!same) {
            throw new AssertionError(name + " differs: expected " + expected + " but was " + actual);
        }
    }
}
