package io.stemcache.core.ops;

import com.hazelcast.core.Offloadable;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.Map;

/**
 * Reads a key's entry (loading it from PostgreSQL when memory lacks it, as a get does) without a client's near cache
 * ever holding the key: guests' keys carry their tokens, and a near cache's preloader writes its keys to disk.
 */
public final class ReadEntry
        implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, CachedAudioAnalysis>, ReadOnly, Offloadable {

    @Override
    public CachedAudioAnalysis process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        return entry.getValue();
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, CachedAudioAnalysis> getBackupProcessor() {
        return null;
    }

    /** Off the partition thread: the entry is deserialized and serialized again, a few MB for a full stem. */
    @Override
    public String getExecutorName() {
        return Offloadable.OFFLOADABLE_EXECUTOR;
    }
}
