package io.stemcache.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The analysis of one stem, as the product produces it: feature time series (name to float64 values,
 * in the product's order), the waveform with its markers, and how it was made.
 *
 * <p>Equality is bit-exact on every number. Series arrays are shared, not copied, because they are
 * megabytes: treat them as read-only, or take a {@link #copy()} to change them.
 */
public record AudioAnalysis(
        UUID fileMetadataId,
        StemType stemType,
        String analysisVersion,
        Map<String, double[]> analysisData,
        Waveform waveformData,
        AnalysisMetadata metadata) {

    /** Longest analysis version accepted; matches the {@code analysis_version} column. */
    public static final int MAX_VERSION_LENGTH = 20;

    /** Longest feature name accepted. */
    public static final int MAX_FEATURE_NAME_LENGTH = 64;

    public AudioAnalysis {
        if (fileMetadataId == null) {
            throw new IllegalArgumentException("analysis fileMetadataId must not be null");
        }
        if (stemType == null) {
            throw new IllegalArgumentException("analysis stemType must not be null");
        }
        if (analysisVersion == null || analysisVersion.isBlank() || analysisVersion.length() > MAX_VERSION_LENGTH) {
            throw new IllegalArgumentException(
                    "analysis analysisVersion must be 1 to " + MAX_VERSION_LENGTH + " characters, got "
                            + (analysisVersion == null ? "null" : "'" + Owner.abbreviate(analysisVersion) + "'"));
        }
        if (analysisData == null || waveformData == null || metadata == null) {
            throw new IllegalArgumentException("analysis analysisData, waveformData and metadata must not be null");
        }
        for (Map.Entry<String, double[]> series : analysisData.entrySet()) {
            String name = series.getKey();
            if (name == null || name.isEmpty() || name.length() > MAX_FEATURE_NAME_LENGTH) {
                throw new IllegalArgumentException("analysis feature names must be 1 to " + MAX_FEATURE_NAME_LENGTH
                        + " characters, got " + (name == null ? "null" : "'" + Owner.abbreviate(name) + "'"));
            }
            if (series.getValue() == null) {
                throw new IllegalArgumentException("analysis series '" + name + "' must not be null");
            }
        }
        analysisData = Collections.unmodifiableMap(new LinkedHashMap<>(analysisData));
    }

    /**
     * The same analysis with arrays of its own (series and waveform points; markers are immutable): about a
     * millisecond and the analysis's size in garbage for a whole stem (4.2 MB of values).
     */
    public AudioAnalysis copy() {
        Map<String, double[]> series = new LinkedHashMap<>();
        analysisData.forEach((name, values) -> series.put(name, values.clone()));
        Waveform waveform = new Waveform(
                waveformData.points().clone(),
                waveformData.sampleRate(),
                waveformData.duration(),
                waveformData.markers());
        return new AudioAnalysis(fileMetadataId, stemType, analysisVersion, series, waveform, metadata);
    }

    /** How many float64 values the analysis holds (series, waveform points, marker fields). */
    public long valueCount() {
        long count = waveformData.points().length + 3L * waveformData.markers().size();
        for (double[] series : analysisData.values()) {
            count += series.length;
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AudioAnalysis a)) {
            return false;
        }
        if (!fileMetadataId.equals(a.fileMetadataId)
                || stemType != a.stemType
                || !analysisVersion.equals(a.analysisVersion)
                || !waveformData.equals(a.waveformData)
                || !metadata.equals(a.metadata)
                || analysisData.size() != a.analysisData.size()) {
            return false;
        }
        Iterator<Map.Entry<String, double[]>> mine = analysisData.entrySet().iterator();
        Iterator<Map.Entry<String, double[]>> theirs = a.analysisData.entrySet().iterator();
        while (mine.hasNext()) {
            Map.Entry<String, double[]> x = mine.next();
            Map.Entry<String, double[]> y = theirs.next();
            if (!x.getKey().equals(y.getKey()) || !Arrays.equals(x.getValue(), y.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return (fileMetadataId.hashCode() * 31 + stemType.hashCode()) * 31
                + analysisData.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "AudioAnalysis[" + fileMetadataId + "/" + stemType.code() + " v" + analysisVersion + ", "
                + analysisData.size() + " series, " + waveformData + "]";
    }
}
