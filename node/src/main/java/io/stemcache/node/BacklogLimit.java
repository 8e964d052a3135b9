package io.stemcache.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import io.stemcache.core.ops.PutInterceptor;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Back-pressure for a long PostgreSQL outage: this member refuses new writes to the map while its
 * write-behind backlog (entries it owns that are not yet in PostgreSQL) is above a limit, so the backlog
 * cannot grow until the heap runs out. Writes already accepted are kept and stored when PostgreSQL returns;
 * writes are accepted again as soon as the backlog is back under the limit.
 */
public final class BacklogLimit extends PutInterceptor implements AutoCloseable {

    /** The setting that bounds the backlog, named in the error writers get. */
    public static final String SETTING = "stemcache.write-behind.max-backlog-entries";

    private static final long serialVersionUID = 1L;
    private static final String ID = "stemcache-backlog-limit";

    private final long maxEntries;
    // Hazelcast sends copies of a member's interceptors to members that join; a copy has none of these and
    // lets every write through, so each member's own limit (registered over the copy) is the one that counts.
    private final transient AtomicLong backlog;
    private final transient String member;
    private final transient String mapName;
    private final transient MapServiceContext context;
    private final transient ScheduledExecutorService sampler;

    private BacklogLimit(HazelcastInstance hazelcast, String mapName, long maxEntries, Duration sampleInterval) {
        this.maxEntries = maxEntries;
        this.backlog = new AtomicLong();
        this.member = String.valueOf(hazelcast.getCluster().getLocalMember().getAddress());
        this.mapName = mapName;
        IMap<Object, Object> map = hazelcast.getMap(mapName);
        this.context = ((MapService) ((AbstractDistributedObject<?>) map).getService()).getMapServiceContext();
        this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stemcache-backlog-sampler");
            thread.setDaemon(true);
            return thread;
        });
        // Reading the map's local statistics visits every partition: too much for each put, fine a few times a second.
        sampler.scheduleWithFixedDelay(() -> backlog.set(map.getLocalMapStats().getDirtyEntryCount()), 0,
                sampleInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Installs the limit on this member only (not through {@link IMap#addInterceptor}, which would send
     * the same limit object to every member); close it to remove it.
     */
    public static BacklogLimit install(HazelcastInstance member, String mapName, long maxEntries, Duration sampleInterval) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException(SETTING + " must be at least 1, got " + maxEntries);
        }
        BacklogLimit limit = new BacklogLimit(member, mapName, maxEntries, sampleInterval);
        limit.context.removeInterceptor(mapName, ID);
        limit.context.addInterceptor(ID, mapName, limit);
        return limit;
    }

    /** The backlog as last sampled. */
    public long backlog() {
        return backlog == null ? 0 : backlog.get();
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
        if (backlog != null && backlog.get() >= maxEntries) {
            throw new IllegalStateException("member " + member + " refuses the write: PostgreSQL is behind, "
                    + backlog.get() + " entries of map '" + mapName + "' are waiting to be stored, the limit is "
                    + SETTING + "=" + maxEntries + "; nothing accepted is lost; retry once PostgreSQL has caught up");
        }
        return null;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        context.removeInterceptor(mapName, ID);
    }

    // Equal to any other limit, so a copy sent by another member and this member's own share one id.
    @Override
    public boolean equals(Object other) {
        return other instanceof BacklogLimit;
    }

    @Override
    public int hashCode() {
        return BacklogLimit.class.hashCode();
    }
}
