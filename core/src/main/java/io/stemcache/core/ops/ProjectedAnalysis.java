package io.stemcache.core.ops;

import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Some feature series of an entry, as {@link ProjectFeatures} answers them: a payload of the codec's format holding
 * only those series (and the entry's waveform points and markers), beside the entry's fields an API node checks
 * and serves with it. Not an entry: it is never written to the map.
 *
 * @param payload the projection (read-only), decodable with {@code AnalysisCodec.decode}
 * @param version the entry's version ({@link CachedAudioAnalysis#version()})
 * @param precision the precision of the entry and of the projection
 * @param contentHash the source audio's content hash given when the entry was stored, or null
 * @param analysisVersion the analysis version of the entry
 * @param cacheVersion the cache version the entry was written under; an older one is a miss to a reader
 * @param updatedAt when the entry was written
 */
public record ProjectedAnalysis(
        byte[] payload,
        long version,
        Precision precision,
        String contentHash,
        String analysisVersion,
        int cacheVersion,
        Instant updatedAt) {

    public ProjectedAnalysis {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(analysisVersion, "analysisVersion");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The fields of {@code entry} with {@code projection}, a projection of its payload. */
    static ProjectedAnalysis of(CachedAudioAnalysis entry, byte[] projection) {
        return new ProjectedAnalysis(
                projection,
                entry.version(),
                entry.precision(),
                entry.contentHash(),
                entry.analysisVersion(),
                entry.cacheVersion(),
                entry.updatedAt());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProjectedAnalysis p
                && Arrays.equals(payload, p.payload)
                && version == p.version
                && precision == p.precision
                && Objects.equals(contentHash, p.contentHash)
                && analysisVersion.equals(p.analysisVersion)
                && cacheVersion == p.cacheVersion
                && updatedAt.equals(p.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(payload), version, precision, contentHash, analysisVersion, cacheVersion, updatedAt);
    }

    @Override
    public String toString() {
        return "ProjectedAnalysis[#" + version + " v" + analysisVersion + " cache v" + cacheVersion + ", " + precision
                + ", " + payload.length + " bytes]";
    }
}
