package io.stemcache.node;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.PutInterceptor;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-pressure for a long PostgreSQL outage: this member refuses new writes to the map while its
 * write-behind backlog (entries not yet in PostgreSQL) is above a limit, so the backlog cannot grow until
 * the heap runs out. Two limits, whichever is reached first: the bytes the backlog holds in this member's
 * heap (its own entries and its backups' copies; by default a share of the heap) and the number of its
 * own entries. Writes already accepted are kept and stored when PostgreSQL returns; writes are accepted
 * again as soon as the backlog is back under the limits. Deletion markers are never refused (they are
 * tiny, and a removal must work during an outage).
 */
public final class BacklogLimit extends PutInterceptor implements AutoCloseable {

    /** The setting that bounds the backlog's entries, named in the error writers get. */
    public static final String SETTING = "stemcache.write-behind.max-backlog-entries";
    /** The setting that bounds the backlog's bytes, named in the error writers get. */
    public static final String BYTES_SETTING = "stemcache.write-behind.max-backlog-mb";

    private static final long serialVersionUID = 1L;
    private static final String ID = "stemcache-backlog-limit";
    private static final Logger log = LoggerFactory.getLogger(BacklogLimit.class);

    private final long maxEntries;
    private final long maxBytes;
    // Hazelcast sends copies of a member's interceptors to members that join; a copy has none of these and
    // lets every write through, so each member's own limit (registered over the copy) is the one that counts.
    private final transient String bytesOrigin;
    private final transient AtomicLong entries;
    private final transient AtomicLong bytes;
    /** Bytes of the writes accepted since the last sample, so the limit holds between samples too. */
    private final transient AtomicLong acceptedSinceSample;

    private final transient AtomicLong sampleFailures;
    private final transient String member;
    private final transient String mapName;
    private final transient MapServiceContext context;
    private final transient BacklogSampler sampler;
    private final transient ScheduledExecutorService schedule;

    /** The limits, and where the byte limit came from (for the error message). */
    public record Limits(long maxEntries, long maxBytes, String bytesOrigin) {

        public Limits {
            if (maxEntries < 1) {
                throw new IllegalArgumentException(SETTING + " must be at least 1, got " + maxEntries);
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException(BYTES_SETTING + " must be at least 1 byte, got " + maxBytes);
            }
        }

        /** An entry limit and a byte limit set in MB. */
        public static Limits of(long maxEntries, long maxMb) {
            return new Limits(maxEntries, maxMb << 20, BYTES_SETTING + "=" + maxMb);
        }
    }

    private BacklogLimit(
            HazelcastInstance hazelcast,
            String mapName,
            Limits limits,
            Duration sampleInterval,
            BacklogSampler sampler) {
        this.maxEntries = limits.maxEntries();
        this.maxBytes = limits.maxBytes();
        this.bytesOrigin = limits.bytesOrigin();
        this.entries = new AtomicLong();
        this.bytes = new AtomicLong();
        this.acceptedSinceSample = new AtomicLong();
        this.sampleFailures = new AtomicLong();
        this.member = String.valueOf(hazelcast.getCluster().getLocalMember().getAddress());
        this.mapName = mapName;
        IMap<Object, Object> map = hazelcast.getMap(mapName);
        this.context = ((MapService) ((AbstractDistributedObject<?>) map).getService()).getMapServiceContext();
        this.sampler = sampler != null ? sampler : BacklogSampler.of(context, mapName);
        this.schedule = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stemcache-backlog-sampler");
            thread.setDaemon(true);
            return thread;
        });
        // Walking the write-behind queues visits every partition: too much for each put, fine a few times a second.
        schedule.scheduleWithFixedDelay(this::sample, 0, sampleInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Installs the limits on this member only (not through {@link IMap#addInterceptor}, which would send
     * the same limit object to every member); close it to remove it.
     */
    public static BacklogLimit install(
            HazelcastInstance member, String mapName, Limits limits, Duration sampleInterval) {
        return install(member, mapName, limits, sampleInterval, null);
    }

    /** As {@link #install(HazelcastInstance, String, Limits, Duration)}, reading the backlog with {@code sampler}. */
    static BacklogLimit install(
            HazelcastInstance member, String mapName, Limits limits, Duration sampleInterval, BacklogSampler sampler) {
        BacklogLimit limit = new BacklogLimit(member, mapName, limits, sampleInterval, sampler);
        limit.context.removeInterceptor(mapName, ID);
        limit.context.addInterceptor(ID, mapName, limit);
        return limit;
    }

    /**
     * A warning when the map's memory cap (USED_HEAP_SIZE, per member; Hazelcast 5.7 counts every partition
     * the member holds, backups included) and the backlog's byte limit together do not fit in 90% of the heap,
     * else null: entries evicted before their store keep their value in the backlog, so both can be full at once.
     */
    static String heapBudgetWarning(MapConfig map, Limits limits, long maxHeapBytes) {
        EvictionConfig eviction = map.getEvictionConfig();
        if (eviction.getMaxSizePolicy() != MaxSizePolicy.USED_HEAP_SIZE) {
            return null;
        }
        long capBytes = (long) eviction.getSize() << 20;
        if (capBytes + limits.maxBytes() <= maxHeapBytes / 10 * 9) {
            return null;
        }
        return "map '" + map.getName() + "': its memory cap (eviction size " + eviction.getSize()
                + " MB, USED_HEAP_SIZE)"
                + " and the write-behind backlog limit (" + (limits.maxBytes() >> 20) + " MB, " + limits.bytesOrigin()
                + ") exceed 90% of the " + (maxHeapBytes >> 20) + " MB heap: a long PostgreSQL outage can end in "
                + "OutOfMemoryError; lower the eviction size or the backlog limit, or give the JVM more heap";
    }

    // A scheduled task that throws is never run again: one failure would freeze the limit at its last value.
    private void sample() {
        try {
            long since = acceptedSinceSample.getAndSet(0);
            BacklogSampler.Backlog backlog;
            try {
                backlog = sampler.sample();
            } catch (RuntimeException e) {
                acceptedSinceSample.addAndGet(since);
                throw e;
            }
            entries.set(backlog.entries());
            bytes.set(backlog.bytes());
        } catch (RuntimeException | Error e) {
            if (sampleFailures.incrementAndGet() % 1000 == 1) {
                log.warn(
                        "map '{}': reading the write-behind backlog failed ({} times so far); the limit keeps its "
                                + "last reading and grows with each accepted write until the next one",
                        mapName,
                        sampleFailures.get(),
                        e);
            }
        }
    }

    /** This member's own entries waiting for PostgreSQL, as last sampled. */
    public long backlog() {
        return entries == null ? 0 : entries.get();
    }

    /** Bytes the backlog holds in this member's heap (own entries and backups), with writes accepted since. */
    public long backlogBytes() {
        return bytes == null ? 0 : bytes.get() + acceptedSinceSample.get();
    }

    public long maxEntries() {
        return maxEntries;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Failed readings of the backlog since the member started. */
    public long sampleFailures() {
        return sampleFailures == null ? 0 : sampleFailures.get();
    }

    /** Whether a write would be refused now. */
    public boolean refusing() {
        return refusal() != null;
    }

    private String refusal() {
        if (entries == null) {
            return null;
        }
        long held = backlogBytes();
        if (held >= maxBytes) {
            return (held >> 20) + " MB of map '" + mapName
                    + "' wait to be stored in this member's heap (its entries and " + "its backups), the limit is "
                    + bytesOrigin;
        }
        long waiting = entries.get();
        if (waiting >= maxEntries) {
            return waiting + " entries of map '" + mapName + "' are waiting to be stored, the limit is " + SETTING + "="
                    + maxEntries;
        }
        return null;
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
        if (entries == null || newValue instanceof CachedAudioAnalysis written && written.isDeletion()) {
            return null;
        }
        String refusal = refusal();
        if (refusal != null) {
            throw new IllegalStateException("member " + member + " refuses the write: PostgreSQL is behind, " + refusal
                    + "; nothing accepted is lost; retry once PostgreSQL has caught up");
        }
        if (newValue instanceof CachedAudioAnalysis written) {
            acceptedSinceSample.addAndGet(written.size());
        }
        return null;
    }

    @Override
    public void close() {
        schedule.shutdownNow();
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
