package io.stemcache.bench;

import java.util.Arrays;

/**
 * The measured latencies of one operation, sorted: nearest-rank percentiles in microseconds and a
 * single thread's throughput (operations per second of time spent in the operation, i.e. 1 / mean).
 */
final class Latencies {

    private final long[] sortedNanos;
    private final double totalNanos;

    Latencies(long[] nanos, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("no latencies were measured");
        }
        this.sortedNanos = Arrays.copyOf(nanos, count);
        Arrays.sort(sortedNanos);
        double total = 0;
        for (long n : sortedNanos) {
            total += n;
        }
        this.totalNanos = total;
    }

    int count() {
        return sortedNanos.length;
    }

    /** The {@code q}-quantile (0 &lt; q &le; 1) by nearest rank, in microseconds. */
    double micros(double q) {
        int rank = (int) Math.ceil(q * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1_000.0;
    }

    double p50() {
        return micros(0.50);
    }

    double p99() {
        return micros(0.99);
    }

    double p999() {
        return micros(0.999);
    }

    double opsPerSecond() {
        return sortedNanos.length * 1e9 / totalNanos;
    }
}
