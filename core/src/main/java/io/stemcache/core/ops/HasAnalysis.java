package io.stemcache.core.ops;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.Map;

/**
 * Answers whether a key holds an analysis (not nothing, not a deletion marker) without moving its payload; the
 * member loads a key memory lacks from PostgreSQL to answer.
 */
public final class HasAnalysis implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean>, ReadOnly {

    @Override
    public Boolean process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        CachedAudioAnalysis value = entry.getValue();
        return value != null && !value.isDeletion();
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean> getBackupProcessor() {
        return null;
    }
}
