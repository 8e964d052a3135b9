package io.stemcache.core.ops;

import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import java.time.Instant;
import java.util.Objects;

/**
 * An entry's fields without its payload, as {@link DescribeEntry} answers them.
 *
 * @param version the entry's version ({@link CachedAudioAnalysis#version()})
 * @param precision the precision it is stored at
 * @param size stored payload bytes
 * @param rawSize bytes of its series as float64
 * @param contentHash the source audio's content hash given when it was stored, or null
 * @param analysisVersion the analysis version
 * @param cacheVersion the cache version it was written under; an older one is a miss to a reader
 * @param updatedAt when it was written
 */
public record EntryDescription(
        long version,
        Precision precision,
        int size,
        long rawSize,
        String contentHash,
        String analysisVersion,
        int cacheVersion,
        Instant updatedAt) {

    public EntryDescription {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(analysisVersion, "analysisVersion");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    static EntryDescription of(CachedAudioAnalysis entry) {
        return new EntryDescription(
                entry.version(),
                entry.precision(),
                entry.size(),
                entry.rawSize(),
                entry.contentHash(),
                entry.analysisVersion(),
                entry.cacheVersion(),
                entry.updatedAt());
    }
}
