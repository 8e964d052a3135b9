package io.stemcache.core;

/**
 * Cache statistics as an operator reads them: what is held, how compressed, how it is used.
 *
 * @param entries entries held in the cluster's memory (primaries only)
 * @param storedBytes payload bytes of those entries
 * @param rawBytes raw value bytes of those entries (8 per float64)
 * @param hits gets answered from the cluster or a near cache
 * @param misses gets that found nothing
 * @param nearCacheHits gets answered by this API node's near cache
 * @param puts entries written
 * @param removals entries removed by invalidation
 * @param evictions entries evicted from memory (they stay in PostgreSQL)
 * @param expirations entries expired
 * @param writeBehindBacklog entries waiting to be written to PostgreSQL
 */
public record CacheStats(long entries, long storedBytes, long rawBytes, long hits, long misses, long nearCacheHits,
                         long puts, long removals, long evictions, long expirations, long writeBehindBacklog) {

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
