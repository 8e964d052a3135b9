package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.CacheStats;
import io.stemcache.core.stats.ClusterStats;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's statistics, read at most once per {@code maxAge}: a scrape evaluates a dozen meters, and
 * each read aggregates over the analysis map. When a read fails the last figures stand (zeros before the
 * first), so a scrape never fails because the cluster is busy.
 */
final class ClusterFigures implements Supplier<CacheStats> {

    private static final Logger log = LoggerFactory.getLogger(ClusterFigures.class);
    private static final CacheStats NONE = new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 0);

    private final HazelcastInstance hazelcast;
    private final String mapName;
    private final long maxAgeNanos;
    private CacheStats last = NONE;
    private long readAt;
    private boolean read;

    ClusterFigures(HazelcastInstance hazelcast, String mapName, Duration maxAge) {
        this.hazelcast = hazelcast;
        this.mapName = mapName;
        this.maxAgeNanos = maxAge.toNanos();
    }

    @Override
    public synchronized CacheStats get() {
        long now = System.nanoTime();
        if (!read || now - readAt > maxAgeNanos) {
            try {
                last = ClusterStats.read(hazelcast, mapName);
            } catch (RuntimeException e) {
                log.debug("Could not read the cluster's statistics; keeping the last figures", e);
            }
            read = true;
            readAt = now;
        }
        return last;
    }

    double lastCleanupEpochSeconds() {
        CacheStats stats = get();
        return stats.lastCleanup() == null ? Double.NaN : stats.lastCleanup().getEpochSecond();
    }
}
