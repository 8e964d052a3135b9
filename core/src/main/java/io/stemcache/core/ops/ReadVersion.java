package io.stemcache.core.ops;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.Map;

/**
 * Answers the version a key holds (0 for none) without moving its payload: a writer learns the version its
 * member gave the write ({@link EntryVersions}) right after it, while the entry is in memory.
 */
public final class ReadVersion implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, Long>, ReadOnly {

    @Override
    public Long process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        CachedAudioAnalysis value = entry.getValue();
        return value == null ? 0L : value.version();
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, Long> getBackupProcessor() {
        return null;
    }
}
