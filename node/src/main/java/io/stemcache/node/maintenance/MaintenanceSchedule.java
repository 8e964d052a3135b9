package io.stemcache.node.maintenance;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's two periodic jobs, on threads of their own so that a long cleanup never delays the
 * flush of reads: writing coalesced reads every {@code access-flush-interval}, and the cleanup every
 * {@code cleanup.interval} after {@code cleanup.initial-delay}. Stopping writes the reads still pending.
 */
final class MaintenanceSchedule {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceSchedule.class);
    private static final long STOP_WAIT_SECONDS = 30;
    private static final AtomicInteger SCHEDULES = new AtomicInteger();

    private final MaintenanceSettings settings;
    private final AccessTracker access;
    private final Runnable cleanup;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ScheduledExecutorService executor;

    MaintenanceSchedule(MaintenanceSettings settings, AccessTracker access, Runnable cleanup) {
        this.settings = settings;
        this.access = access;
        this.cleanup = cleanup;
        int number = SCHEDULES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "stemcache-maintenance-" + number + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        if (stopped.get() || !started.compareAndSet(false, true)) {
            return;
        }
        long flushMillis = settings.accessFlushInterval().toMillis();
        executor.scheduleWithFixedDelay(
                guarded("access flush", access::flush), flushMillis, flushMillis, TimeUnit.MILLISECONDS);
        if (settings.cleanupEnabled()) {
            executor.scheduleWithFixedDelay(
                    guarded("cleanup", cleanup),
                    settings.cleanupInitialDelay().toMillis(),
                    settings.cleanupInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        log.info(
                "Maintenance of map '{}': reads written every {}, cleanup {}",
                settings.mapName(),
                settings.accessFlushInterval(),
                settings.cleanupEnabled()
                        ? "every " + settings.cleanupInterval() + " from " + settings.cleanupInitialDelay()
                                + " after start"
                        : "off (stemcache.cleanup.enabled=false)");
    }

    /** True once stopping began: a running cleanup ends after its current batch. */
    boolean stopping() {
        return stopped.get();
    }

    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Maintenance jobs still running {} s after the member began to stop", STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        access.flush();
    }

    // A scheduled task that throws is never run again: log and carry on instead.
    private static Runnable guarded(String job, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Maintenance job '{}' failed; it runs again at its next time", job, e);
            }
        };
    }
}
