package io.stemcache.core.ops;

import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import io.stemcache.core.CachedAudioAnalysis;
import java.time.Clock;
import java.time.Instant;

/**
 * Gives every write of the analysis map its version, on the member that owns the key: one above the version
 * the key holds in memory, and never below this member's clock in microseconds (a hybrid logical clock). So
 * of two writes of one key, the one its owner applies later has the higher version, whatever the writers'
 * (API nodes') clocks say, and a key not in memory (evicted, or after a restart) continues above its stored row
 * without reading PostgreSQL: writes keep flowing while it is slow or down. The clock only counts there, and
 * only a member clock behind by more than the time since the key's last write could give a lower version (the
 * store then keeps the row and logs the skip). A writer's own version is never trusted over what memory holds.
 *
 * <p>Hazelcast calls it for {@code set}, {@code put} and their kin on the primary and backs up what it returns;
 * processors (removal markers) are not intercepted. Loads are (its {@code putFromLoad}: a get, getAll or loadAll
 * of a key memory lacks): a loaded entry keeps the version its row was stored at, or a conditional GET after an
 * eviction or a restart would miss and a removal of the version a caller read would be skipped. Writers send
 * version 0 ({@link CachedAudioAnalysis#of}, {@link CachedAudioAnalysis#movedTo}), so a value with a version for
 * a key memory lacks is a load. {@link #installOn} makes every member register it.
 * Members send their interceptors to members that join with Java serialization (a Compact one would deadlock
 * the join: its schema is replicated while the join lock is held), so this class is Serializable and stateless.
 */
public final class EntryVersions extends PutInterceptor {

    private static final long serialVersionUID = 1L;

    private final transient Clock clock;

    public EntryVersions() {
        this(Clock.systemUTC());
    }

    EntryVersions(Clock clock) {
        this.clock = clock;
    }

    /** The version a write gets when the key holds {@code current} (null: nothing in memory) at {@code now}. */
    public static long next(CachedAudioAnalysis current, Instant now) {
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        return Math.max(current == null ? 0 : Math.addExact(current.version(), 1), micros);
    }

    /** Registers the interceptor on the map once the member has started (registering again replaces it). */
    public static Config installOn(Config config, String mapName) {
        config.addListenerConfig(new ListenerConfig(
                new OnMemberStart(member -> member.getMap(mapName).addInterceptor(new EntryVersions()))));
        return config;
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
        if (!(newValue instanceof CachedAudioAnalysis written)) {
            return null;
        }
        CachedAudioAnalysis current = oldValue instanceof CachedAudioAnalysis held ? held : null;
        if (current == null && written.version() > 0) {
            return null; // a load: the stored version stands
        }
        return written.withVersion(next(current, (clock == null ? Clock.systemUTC() : clock).instant()));
    }

    // One registration per map: Hazelcast names an interceptor after its class and hash code.
    @Override
    public boolean equals(Object other) {
        return other instanceof EntryVersions;
    }

    @Override
    public int hashCode() {
        return EntryVersions.class.hashCode();
    }
}
