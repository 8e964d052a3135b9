package io.stemcache.node.maintenance;

import java.time.Duration;
import java.time.Instant;

/**
 * What one cleanup of PostgreSQL did on this member: when, whether it ran, and what it removed per step.
 * Counts of a failed run are what it removed before the failure.
 *
 * @param startedAt          when the run began
 * @param finishedAt         when it ended
 * @param outcome            whether it completed, was skipped (another member held the lock) or failed
 * @param expiredUserRows    users' rows deleted for not being read within the user TTL
 * @param expiredGuestRows   guests' rows deleted for not being read within the guest TTL
 * @param oldVersionRows     rows of older cache versions deleted
 * @param oldVersionEntries  entries of older cache versions removed from memory (their rows go too)
 * @param overTotalCapRows   least recently read rows deleted to get under the total cap (guests' first)
 * @param overGuestQuotaRows guests' oldest rows deleted to get each guest under the quota
 * @param oldTombstones      tombstones deleted for being older than the tombstone retention
 * @param failure            why the run failed; null unless {@code outcome} is FAILED
 */
public record CleanupReport(
        Instant startedAt,
        Instant finishedAt,
        Outcome outcome,
        long expiredUserRows,
        long expiredGuestRows,
        long oldVersionRows,
        long oldVersionEntries,
        long overTotalCapRows,
        long overGuestQuotaRows,
        long oldTombstones,
        String failure) {

    /** How a run ended. */
    public enum Outcome {
        /** Every step ran. */
        COMPLETED,
        /** Another member held the cleanup lock, so this one did nothing. */
        SKIPPED,
        /** A step failed (usually the database); later steps did not run. */
        FAILED
    }

    /** Cache rows deleted from PostgreSQL by the run's own statements; tombstones are not cache rows. */
    public long deletedRows() {
        return expiredUserRows + expiredGuestRows + oldVersionRows + overTotalCapRows + overGuestQuotaRows;
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
