package io.stemcache.core.ops;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code cache_statistics}: the cluster's figures as its oldest member recorded them at {@code recordedAt}
 * (every {@code stemcache.stats.persist-interval}). Counters are cumulative since the cluster started; the other
 * figures are as they were then. A column the row lacks (rows are written whole, but the table allows nulls) is 0.
 *
 * @param recordedAt when the row was written
 * @param entries entries in the cluster's memory
 * @param storedBytes payload bytes of those entries
 * @param rawBytes raw value bytes of those entries
 * @param hits gets that returned a usable entry
 * @param misses gets that returned nothing
 * @param puts entries written
 * @param removals entries removed
 * @param evictions entries evicted from memory
 * @param expirations entries expired from memory
 * @param writeBehindBacklog entries waiting to be written to PostgreSQL
 * @param storeFailures write-behind store calls that failed
 * @param lastCleanup when the PostgreSQL cleanup had last finished, or null
 */
public record RecordedStats(
        Instant recordedAt,
        long entries,
        long storedBytes,
        long rawBytes,
        long hits,
        long misses,
        long puts,
        long removals,
        long evictions,
        long expirations,
        long writeBehindBacklog,
        long storeFailures,
        Instant lastCleanup) {

    public RecordedStats {
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** Hits over all gets, 0 when there were none (as {@link io.stemcache.core.CacheStats#hitRate()}). */
    public double hitRate() {
        long gets = hits + misses;
        return gets == 0 ? 0 : (double) hits / gets;
    }
}
