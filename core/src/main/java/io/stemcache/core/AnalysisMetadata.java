package io.stemcache.core;

import java.util.List;

/**
 * How a stem was analysed: sample rate, duration (s), analysis buffer size, the features extracted (in
 * order) and how long the analysis took (ms).
 */
public record AnalysisMetadata(
        int sampleRate, double duration, int bufferSize, List<String> featuresExtracted, double analysisDuration) {

    public AnalysisMetadata {
        if (featuresExtracted == null) {
            throw new IllegalArgumentException("metadata featuresExtracted must not be null");
        }
        if (featuresExtracted.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("metadata featuresExtracted must not hold null names");
        }
        featuresExtracted = List.copyOf(featuresExtracted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalysisMetadata m
                && sampleRate == m.sampleRate
                && Double.doubleToLongBits(duration) == Double.doubleToLongBits(m.duration)
                && bufferSize == m.bufferSize
                && featuresExtracted.equals(m.featuresExtracted)
                && Double.doubleToLongBits(analysisDuration) == Double.doubleToLongBits(m.analysisDuration);
    }

    @Override
    public int hashCode() {
        return featuresExtracted.hashCode() * 31 + sampleRate;
    }
}
