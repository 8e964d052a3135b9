package io.stemcache.core;

import java.time.Instant;

/**
 * Cache statistics as an operator reads them: what is held, how compressed, how it is used. Counters
 * are cumulative over every member and API node since the cluster started, including those that have
 * left; the other figures describe the cluster as it is now.
 *
 * @param entries entries held in the cluster's memory (primaries only)
 * @param storedBytes payload bytes of those entries
 * @param rawBytes raw value bytes of those entries (8 per float64)
 * @param hits gets through the service that returned a usable entry, from a near cache, a member's memory
 *     or PostgreSQL (read-through)
 * @param misses gets through the service that returned nothing (absent, another cache version, audio changed):
 *     the caller has to analyse again
 * @param nearCacheHits gets answered by an API node's near cache
 * @param puts entries written (added or replaced) in the cluster, by anyone
 * @param removals entries removed (invalidation, version purge, claim, cleanup); they leave PostgreSQL too
 * @param evictions entries evicted from memory (they stay in PostgreSQL)
 * @param expirations entries expired from memory by time-to-live or max-idle
 * @param writeBehindBacklog entries waiting to be written to PostgreSQL on the members now
 * @param nearCacheMisses gets an API node's near cache could not answer (they went to a member)
 * @param loads entries loaded into memory from PostgreSQL: memory misses that PostgreSQL answered
 * @param storeFailures write-behind store calls that failed (each retry counts)
 * @param lastCleanup when the PostgreSQL cleanup last finished, or null if never since the cluster started
 * @param members members in the cluster now
 */
public record CacheStats(
        long entries,
        long storedBytes,
        long rawBytes,
        long hits,
        long misses,
        long nearCacheHits,
        long puts,
        long removals,
        long evictions,
        long expirations,
        long writeBehindBacklog,
        long nearCacheMisses,
        long loads,
        long storeFailures,
        Instant lastCleanup,
        int members) {

    /** Hits over all gets, 0 when there were none. */
    public double hitRate() {
        long gets = hits + misses;
        return gets == 0 ? 0 : (double) hits / gets;
    }

    /** Stored over raw bytes, 0 when empty. */
    public double compressionRatio() {
        return rawBytes == 0 ? 0 : (double) storedBytes / rawBytes;
    }
}
