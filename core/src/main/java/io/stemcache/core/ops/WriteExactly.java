package io.stemcache.core.ops;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Writes an entry exactly as it is, version included: what a backup applies after its primary ran a processor
 * that wrote (a backup never computes a version of its own), so primary and backups hold the same entry.
 *
 * <p>A client can send this one with any entry. Its write passes the map's interceptors like a put
 * ({@link EntryChecks}: the payload), which do not see the key: it refuses itself, with an IllegalArgumentException
 * naming both, an entry whose id, file or stem are not those of the key it runs on; the key keeps what it held.
 */
public final class WriteExactly implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean> {

    /** {@link #ttlSeconds()} of a write that keeps the map's own time to live. */
    public static final long MAP_TTL = -1;

    private final CachedAudioAnalysis entry;
    private final long ttlSeconds;

    /** Writes {@code entry}, living {@code ttlSeconds} ({@link #MAP_TTL}: the map's). */
    public WriteExactly(CachedAudioAnalysis entry, long ttlSeconds) {
        this.entry = Objects.requireNonNull(entry, "entry");
        if (ttlSeconds < MAP_TTL) {
            throw new IllegalArgumentException("ttlSeconds must be -1 (the map's) or at least 0, got " + ttlSeconds);
        }
        this.ttlSeconds = ttlSeconds;
    }

    public CachedAudioAnalysis entry() {
        return entry;
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    @Override
    public Boolean process(Map.Entry<AnalysisKey, CachedAudioAnalysis> mapEntry) {
        EntryChecks.matchesKey(mapEntry.getKey(), entry);
        write(mapEntry, entry, ttlSeconds);
        return true;
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean> getBackupProcessor() {
        return this;
    }

    static void write(
            Map.Entry<AnalysisKey, CachedAudioAnalysis> mapEntry, CachedAudioAnalysis value, long ttlSeconds) {
        if (ttlSeconds == MAP_TTL) {
            mapEntry.setValue(value);
        } else {
            ((ExtendedMapEntry<AnalysisKey, CachedAudioAnalysis>) mapEntry)
                    .setValue(value, ttlSeconds, TimeUnit.SECONDS);
        }
    }
}
