package io.stemcache.core.stats;

import java.time.Instant;
import java.util.Objects;

/**
 * The counters one process last published: a member's map events and store failures, an API node's
 * service hits and misses, or its near cache's. Counters are cumulative since the process started;
 * {@code writeBehindBacklog} is the member's queue at {@code publishedAt}.
 *
 * @param publishedAt when the process took the snapshot
 * @param lastCleanup when this member last finished a PostgreSQL cleanup, or null
 */
public record StatsSnapshot(
        Instant publishedAt,
        long hits,
        long misses,
        long nearCacheHits,
        long nearCacheMisses,
        long puts,
        long removals,
        long evictions,
        long expirations,
        long loads,
        long storeFailures,
        long writeBehindBacklog,
        Instant lastCleanup) {

    public StatsSnapshot {
        Objects.requireNonNull(publishedAt, "publishedAt");
        if (hits < 0
                || misses < 0
                || nearCacheHits < 0
                || nearCacheMisses < 0
                || puts < 0
                || removals < 0
                || evictions < 0
                || expirations < 0
                || loads < 0
                || storeFailures < 0
                || writeBehindBacklog < 0) {
            throw new IllegalArgumentException("statistics counters cannot be negative: " + this);
        }
    }

    /** A member's figures: map events seen by its local entry listener, store failures and its write-behind queue. */
    public static StatsSnapshot member(
            Instant now,
            long puts,
            long removals,
            long evictions,
            long expirations,
            long loads,
            long storeFailures,
            long writeBehindBacklog,
            Instant lastCleanup) {
        return new StatsSnapshot(
                now,
                0,
                0,
                0,
                0,
                puts,
                removals,
                evictions,
                expirations,
                loads,
                storeFailures,
                writeBehindBacklog,
                lastCleanup);
    }

    /** An API node's service counters. */
    static StatsSnapshot service(Instant now, long hits, long misses) {
        return new StatsSnapshot(now, hits, misses, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
    }

    /** An API node's near-cache counters. */
    static StatsSnapshot nearCache(Instant now, long hits, long misses) {
        return new StatsSnapshot(now, 0, 0, hits, misses, 0, 0, 0, 0, 0, 0, 0, null);
    }
}
