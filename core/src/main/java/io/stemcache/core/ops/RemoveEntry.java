package io.stemcache.core.ops;

import com.hazelcast.map.EntryProcessor;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.Map;

/**
 * Removes an entry wherever it is (memory, backups, near caches, PostgreSQL through the map-store) and
 * answers whether it existed. Run with {@code executeOnKeys} to remove a file's stems in one call.
 */
public final class RemoveEntry implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean> {

    /** The processor holds no state; one instance serves every call. */
    public static final RemoveEntry INSTANCE = new RemoveEntry();

    private RemoveEntry() {
    }

    @Override
    public Boolean process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        boolean existed = entry.getValue() != null;
        if (existed) {
            entry.setValue(null);
        }
        return existed;
    }
}
