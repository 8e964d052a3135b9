package io.stemcache.bench;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import java.time.Instant;

/** Cache entries for the benchmarks: encoded once, and re-keyed for another owner without encoding again. */
final class Entries {

    private Entries() {}

    /**
     * The lossless entry of an analysis, holding only its payload: unlike {@link CachedAudioAnalysis#of} it
     * keeps no reference to the decoded analysis, so thousands of them fit in a heap.
     */
    static CachedAudioAnalysis encoded(AnalysisKey key, AudioAnalysis analysis) {
        return rekeyed(
                CachedAudioAnalysis.of(
                        key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()),
                key);
    }

    /** The same payload (shared, not copied) as the entry of {@code key}, with that key's own row id. */
    static CachedAudioAnalysis rekeyed(CachedAudioAnalysis entry, AnalysisKey key) {
        if (!key.fileMetadataId().equals(entry.fileMetadataId()) || key.stemType() != entry.stemType()) {
            throw new IllegalArgumentException("key " + key + " is not for the analysis of " + entry);
        }
        return new CachedAudioAnalysis(
                key.entryId(),
                entry.fileMetadataId(),
                entry.stemType(),
                entry.analysisVersion(),
                entry.cacheVersion(),
                entry.contentHash(),
                entry.precision(),
                entry.createdAt(),
                entry.updatedAt(),
                entry.metadata(),
                entry.rawSize(),
                entry.payload());
    }
}
