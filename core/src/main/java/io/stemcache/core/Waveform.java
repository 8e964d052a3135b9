package io.stemcache.core;

import java.util.Arrays;
import java.util.List;

/**
 * The stem's waveform overview (at most {@link #MAX_POINTS} samples in [-1, 1]) and its markers.
 * The arrays are shared, not copied: treat them as read-only.
 */
public record Waveform(double[] points, int sampleRate, double duration, List<Marker> markers) {

    /** The product draws at most this many waveform points. */
    public static final int MAX_POINTS = 2000;

    public Waveform {
        if (points == null) {
            throw new IllegalArgumentException("waveform points must not be null");
        }
        if (points.length > MAX_POINTS) {
            throw new IllegalArgumentException(
                    "waveform points must be at most " + MAX_POINTS + ", got " + points.length);
        }
        if (markers == null) {
            throw new IllegalArgumentException("waveform markers must not be null");
        }
        if (markers.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("waveform markers must not hold null markers");
        }
        markers = List.copyOf(markers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Waveform w
                && Arrays.equals(points, w.points)
                && sampleRate == w.sampleRate
                && Double.doubleToLongBits(duration) == Double.doubleToLongBits(w.duration)
                && markers.equals(w.markers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(points) * 31 + markers.size();
    }

    @Override
    public String toString() {
        return "Waveform[points=" + points.length + ", sampleRate=" + sampleRate + ", duration=" + duration
                + ", markers=" + markers.size() + "]";
    }
}
