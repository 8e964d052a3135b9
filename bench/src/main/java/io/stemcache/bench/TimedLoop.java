package io.stemcache.bench;

import java.util.Arrays;

/**
 * Runs one operation repeatedly on one thread: a warm-up that is not recorded, then a measured phase
 * bounded by time and by an operation count. An optional untimed step runs before each operation.
 */
final class TimedLoop {

    /** One step of a loop, given the iteration number (warm-up included). */
    @FunctionalInterface
    interface Step {
        void run(int iteration) throws Exception;
    }

    /**
     * How long to warm up and measure.
     *
     * @param warmupSeconds warm-up time; at least {@code minOps} warm-up operations run regardless
     * @param seconds       measuring time; at least {@code minOps} and at most {@code maxOps} operations
     */
    record Budget(double warmupSeconds, double seconds, int minOps, int maxOps) {

        Budget {
            if (warmupSeconds < 0 || seconds < 0 || minOps < 1 || maxOps < minOps) {
                throw new IllegalArgumentException("bad budget: warm-up " + warmupSeconds + " s, " + seconds + " s, "
                        + minOps + " to " + maxOps + " operations");
            }
        }
    }

    private TimedLoop() {}

    static Latencies measure(Budget budget, Step operation) throws Exception {
        return measure(budget, i -> {}, operation);
    }

    static Latencies measure(Budget budget, Step untimed, Step operation) throws Exception {
        int iteration = 0;
        long warmupEnd = System.nanoTime() + (long) (budget.warmupSeconds() * 1e9);
        for (int done = 0; done < budget.minOps() || System.nanoTime() < warmupEnd; done++) {
            untimed.run(iteration);
            operation.run(iteration++);
        }
        long[] nanos = new long[Math.min(budget.maxOps(), 1 << 12)];
        int count = 0;
        long deadline = System.nanoTime() + (long) (budget.seconds() * 1e9);
        while (count < budget.maxOps() && (count < budget.minOps() || System.nanoTime() < deadline)) {
            untimed.run(iteration);
            long start = System.nanoTime();
            operation.run(iteration++);
            long elapsed = System.nanoTime() - start;
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, Math.min(budget.maxOps(), nanos.length * 2));
            }
            nanos[count++] = elapsed;
        }
        return new Latencies(nanos, count);
    }
}
