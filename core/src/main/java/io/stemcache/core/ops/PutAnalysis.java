package io.stemcache.core.ops;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Writes an entry on the member that owns its key and gives it the key's next version: one more than the
 * version the key holds now (in memory, or loaded from its row or tombstone, so versions continue across
 * restarts and removals). Answers the version. Writers' clocks play no part, so of two writes of one key the
 * one the owner applies later always wins, in memory and in PostgreSQL.
 *
 * <p>Backups apply the primary's result exactly ({@link #getBackupProcessor()}): a backup never computes a
 * version of its own.
 */
public final class PutAnalysis implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, Long> {

    /** {@link #ttlSeconds()} of a write that keeps the map's own time to live. */
    public static final long MAP_TTL = -1;

    private final CachedAudioAnalysis entry;
    private final long ttlSeconds;
    private final long exactVersion;
    private transient CachedAudioAnalysis applied;

    private PutAnalysis(CachedAudioAnalysis entry, long ttlSeconds, long exactVersion) {
        this.entry = Objects.requireNonNull(entry, "entry");
        if (ttlSeconds < MAP_TTL) {
            throw new IllegalArgumentException("ttlSeconds must be -1 (the map's) or at least 0, got " + ttlSeconds);
        }
        this.ttlSeconds = ttlSeconds;
        this.exactVersion = exactVersion;
    }

    /** Writes {@code entry} at the key's next version, living {@code ttlSeconds} ({@link #MAP_TTL}: the map's). */
    public static PutAnalysis of(CachedAudioAnalysis entry, long ttlSeconds) {
        return new PutAnalysis(entry, ttlSeconds, 0);
    }

    /** Writes {@code entry} at exactly the version it carries: what backups and serializers rebuild. */
    public static PutAnalysis exactly(CachedAudioAnalysis entry, long ttlSeconds) {
        if (entry.version() < 1) {
            throw new IllegalArgumentException("an exact write needs an assigned version, got " + entry.version());
        }
        return new PutAnalysis(entry, ttlSeconds, entry.version());
    }

    /** Rebuilds a processor from its serialized fields. */
    public static PutAnalysis restore(CachedAudioAnalysis entry, long ttlSeconds, long exactVersion) {
        return new PutAnalysis(entry, ttlSeconds, exactVersion);
    }

    public CachedAudioAnalysis entry() {
        return entry;
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    /** 0 when the owner assigns the version; otherwise the version written as it is. */
    public long exactVersion() {
        return exactVersion;
    }

    @Override
    public Long process(Map.Entry<AnalysisKey, CachedAudioAnalysis> mapEntry) {
        if (applied != null) {
            throw new IllegalStateException("PutAnalysis runs on one key per instance (executeOnKey)");
        }
        CachedAudioAnalysis stamped;
        if (exactVersion > 0) {
            stamped = entry.withVersion(exactVersion);
        } else {
            CachedAudioAnalysis current = mapEntry.getValue();
            stamped = entry.withVersion(Math.addExact(current == null ? 0 : current.version(), 1));
        }
        write(mapEntry, stamped, ttlSeconds);
        applied = stamped;
        return stamped.version();
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, Long> getBackupProcessor() {
        // Called on the primary after process(): the backup writes what the primary wrote.
        return applied == null ? this : exactly(applied, ttlSeconds);
    }

    static void write(Map.Entry<AnalysisKey, CachedAudioAnalysis> mapEntry, CachedAudioAnalysis value, long ttlSeconds) {
        if (ttlSeconds == MAP_TTL) {
            mapEntry.setValue(value);
        } else {
            ((ExtendedMapEntry<AnalysisKey, CachedAudioAnalysis>) mapEntry).setValue(value, ttlSeconds, TimeUnit.SECONDS);
        }
    }
}
