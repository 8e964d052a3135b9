package io.stemcache.core.ops;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Removes an entry wherever it is (memory, backups, near caches, PostgreSQL through the map-store) and
 * answers whether it existed. Run it on one key ({@code executeOnKey}, {@code submitToKey}), a new instance
 * per call: the instance remembers what it wrote, for the backups.
 *
 * <p>The key keeps a {@linkplain CachedAudioAnalysis#deletion deletion marker} a version above the removed
 * entry ({@link EntryVersions#next}) for {@link #MARKER_TTL_SECONDS}: its store deletes the row and leaves a tombstone at that version, so a
 * store of the removed entry still queued, or replayed by a promoted backup, cannot bring it back, and the key's
 * next write continues above the marker's version.
 */
public final class RemoveEntry implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean> {

    /** How long a marker stays in memory; its tombstone in PostgreSQL stays for the cleanup's retention. */
    public static final long MARKER_TTL_SECONDS = 3_600;

    private final long atMostVersion;
    private transient CachedAudioAnalysis applied;

    private RemoveEntry(long atMostVersion) {
        this.atMostVersion = atMostVersion;
    }

    /** Removes whatever version the key holds. */
    public static RemoveEntry any() {
        return new RemoveEntry(Long.MAX_VALUE);
    }

    /** Removes the entry only if its version is at most {@code version}: a newer write stays. */
    public static RemoveEntry atMost(long version) {
        return new RemoveEntry(version);
    }

    /**
     * Removes each key's entry (any version) and answers how many were in memory. An entry in memory gets its
     * marker, one processor per key; a key memory does not hold is deleted through the write-behind queue
     * ({@code IMap.delete}: no load, so it works while PostgreSQL is down, and it replaces a store of the key still
     * queued), leaving a tombstone at its row's version once stored.
     */
    public static int fromEach(IMap<AnalysisKey, CachedAudioAnalysis> map, Collection<AnalysisKey> keys) {
        List<CompletableFuture<Boolean>> removals = new ArrayList<>(keys.size());
        for (AnalysisKey key : keys) {
            // getEntryView reads memory only; a get, containsKey or processor would load the key from PostgreSQL.
            if (map.getEntryView(key) != null) {
                removals.add(map.submitToKey(key, any()).toCompletableFuture());
            } else {
                removals.add(map.deleteAsync(key).toCompletableFuture().thenApply(ignored -> false));
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

    public long atMostVersion() {
        return atMostVersion;
    }

    @Override
    public Boolean process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        if (applied != null) {
            throw new IllegalStateException("RemoveEntry runs on one key per instance (executeOnKey, submitToKey)");
        }
        CachedAudioAnalysis current = entry.getValue();
        if (current == null || current.isDeletion() || current.version() > atMostVersion) {
            return false;
        }
        Instant now = Clock.systemUTC().instant();
        applied = CachedAudioAnalysis.deletion(entry.getKey(), EntryVersions.next(current, now), now);
        WriteExactly.write(entry, applied, MARKER_TTL_SECONDS);
        return true;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean> getBackupProcessor() {
        // Called on the primary after process(): nothing removed, nothing to back up; else the same marker.
        return applied == null ? null : (EntryProcessor) new WriteExactly(applied, MARKER_TTL_SECONDS);
    }
}
