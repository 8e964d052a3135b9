package io.stemcache.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load of a fault test: steps (one write, one read, ...) each run again and again, a fixed delay after its
 * previous run ended, on threads of their own, until {@link #close()}. The scheduler's clock paces them, so no
 * step sleeps and a slow call simply delays the next run of its own step.
 *
 * <p>Steps count the errors they expect themselves (a refused write, say); anything else a step throws stops
 * that step and is thrown again by {@link #close()}, so a broken load fails its test instead of going quiet.
 */
public final class PacedLoad implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

    /** A load of at most {@code steps} steps, its threads named after {@code name}. */
    public PacedLoad(String name, int steps) {
        AtomicInteger threads = new AtomicInteger();
        scheduler = new ScheduledThreadPoolExecutor(steps, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code step} now and then {@code delay} after each run ends. */
    public PacedLoad every(Duration delay, Runnable step) {
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        step.run();
                    } catch (Throwable t) {
                        failures.add(t);
                        throw t;
                    }
                },
                0,
                delay.toNanos(),
                TimeUnit.NANOSECONDS);
        return this;
    }

    /**
     * Stops every step, waits for the runs in progress, and throws the first failure of a step; once stopped, does
     * nothing (so a test's clean-up can stop a load its test body did not reach the end of).
     */
    @Override
    public void close() {
        if (scheduler.isShutdown()) {
            return;
        }
        scheduler.shutdown();
        boolean stopped;
        try {
            stopped = scheduler.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the load's steps to stop", e);
        }
        if (!stopped) {
            scheduler.shutdownNow();
            throw new AssertionError("a step of the load was still running 60 s after the load was stopped");
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                AssertionError error =
                        new AssertionError("a step of the load failed: " + failures.get(0), failures.get(0));
                failures.subList(1, failures.size()).forEach(error::addSuppressed);
                throw error;
            }
        }
    }
}
