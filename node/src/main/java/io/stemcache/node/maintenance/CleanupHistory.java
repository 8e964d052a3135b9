package io.stemcache.node.maintenance;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This member's cleanup attempts: the last run it made, how its attempts ended, one log line each. */
final class CleanupHistory {

    private static final Logger log = LoggerFactory.getLogger(CleanupHistory.class);

    private final AtomicReference<CleanupReport> last = new AtomicReference<>();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    CleanupReport record(CleanupReport report) {
        switch (report.outcome()) {
            case COMPLETED -> {
                completed.incrementAndGet();
                last.set(report);
                log.info(
                        "Cleanup of PostgreSQL in {} ms: expired user rows {}, expired guest rows {}, old-version rows {}"
                                + " (entries {}), guest-quota rows {}, total-cap rows {}, old tombstones {}",
                        report.duration().toMillis(),
                        report.expiredUserRows(),
                        report.expiredGuestRows(),
                        report.oldVersionRows(),
                        report.oldVersionEntries(),
                        report.overGuestQuotaRows(),
                        report.overTotalCapRows(),
                        report.oldTombstones());
            }
            case SKIPPED -> {
                skipped.incrementAndGet();
                log.debug("Cleanup skipped: another member's run holds the lock");
            }
            case FAILED -> {
                failed.incrementAndGet();
                last.set(report);
                log.warn(
                        "Cleanup of PostgreSQL failed after {} ms (deleted {} rows first): {}",
                        report.duration().toMillis(),
                        report.deletedRows(),
                        report.failure());
            }
        }
        return report;
    }

    Optional<CleanupReport> last() {
        return Optional.ofNullable(last.get());
    }

    CleanupRuns runs() {
        return new CleanupRuns(completed.get(), skipped.get(), failed.get());
    }
}
