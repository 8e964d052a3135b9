package io.stemcache.core;

/**
 * One event in a stem: when (seconds), what kind, how strong (0..1) and, for onsets and peaks, at which
 * frequency in Hz ({@link Double#NaN} when the product gave none).
 */
public record Marker(double time, MarkerType type, double intensity, double frequency) {

    public Marker {
        if (type == null) {
            throw new IllegalArgumentException("marker type must not be null");
        }
    }

    /** A marker without a frequency. */
    public Marker(double time, MarkerType type, double intensity) {
        this(time, type, intensity, Double.NaN);
    }

    public boolean hasFrequency() {
        return !Double.isNaN(frequency);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Marker m
                && Double.doubleToLongBits(time) == Double.doubleToLongBits(m.time)
                && type == m.type
                && Double.doubleToLongBits(intensity) == Double.doubleToLongBits(m.intensity)
                && Double.doubleToLongBits(frequency) == Double.doubleToLongBits(m.frequency);
    }

    @Override
    public int hashCode() {
        return (Double.hashCode(time) * 31 + type.hashCode()) * 31 + Double.hashCode(intensity);
    }
}
