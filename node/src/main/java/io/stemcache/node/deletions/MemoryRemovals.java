package io.stemcache.node.deletions;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.RemoveEntry;
import io.stemcache.mapstore.LoggedDeletion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Removes a batch of logged deletes from the cluster's memory. Only keys already in memory are touched: an
 * entry processor on an absent key would load it from PostgreSQL first, one query per key for nothing, so the
 * batch's files are looked up in memory (the {@code fileMetadataId} index) and the answer intersected with the
 * batch's keys.
 */
final class MemoryRemovals {

    /** The version a cascade removes up to: any (the file or user is gone). */
    private static final long ANY_VERSION = Long.MAX_VALUE;

    private MemoryRemovals() {}

    /** Removes the batch's entries that are in memory, one processor per key; answers how many it removed. */
    static int apply(IMap<AnalysisKey, CachedAudioAnalysis> map, List<LoggedDeletion> batch) {
        Map<AnalysisKey, Long> upTo = upToVersions(batch);
        if (upTo.isEmpty()) {
            return 0;
        }
        Set<String> files = new LinkedHashSet<>();
        for (AnalysisKey key : upTo.keySet()) {
            files.add(key.fileMetadataId().toString());
        }
        // Compact fields: fileMetadataId is the UUID's text; keys holding a removal's marker are left out.
        Set<AnalysisKey> inMemory = map.keySet(Predicates.and(
                Predicates.in("fileMetadataId", files.toArray(new String[0])), Predicates.equal("deletion", false)));
        List<CompletableFuture<Boolean>> removals = new ArrayList<>();
        for (AnalysisKey key : inMemory) {
            Long version = upTo.get(key);
            if (version != null) {
                RemoveEntry removal = version == ANY_VERSION ? RemoveEntry.any() : RemoveEntry.atMost(version);
                removals.add(map.submitToKey(key, removal).toCompletableFuture());
            }
        }
        int removed = 0;
        for (CompletableFuture<Boolean> removal : removals) {
            if (Boolean.TRUE.equals(removal.join())) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Per key, the highest version the batch removes: a cascade removes any version; of several direct deletes
     * of one key (the row written again and deleted again) the last one's, the highest, covers the others.
     */
    static Map<AnalysisKey, Long> upToVersions(List<LoggedDeletion> batch) {
        Map<AnalysisKey, Long> upTo = new HashMap<>();
        for (LoggedDeletion row : batch) {
            if (row.key() != null) {
                upTo.merge(row.key(), row.cascade() ? ANY_VERSION : row.entryVersion(), Math::max);
            }
        }
        return upTo;
    }
}
