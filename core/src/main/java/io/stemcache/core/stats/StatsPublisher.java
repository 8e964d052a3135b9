package io.stemcache.core.stats;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.Logger;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.nearcache.NearCacheStats;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Publishes one process's counters into {@value ClusterStats#MAP_NAME} every interval, once more when the
 * Hazelcast instance shuts down, and on {@link #publishNow()}. A process that crashes loses at most one
 * interval of its counts; one that stops gracefully loses none.
 */
public final class StatsPublisher implements AutoCloseable {

    /** {@link #DEFAULT_INTERVAL} in seconds; also the default of a member's {@code stemcache.stats.publish-interval}. */
    public static final int DEFAULT_INTERVAL_SECONDS = 5;

    /** How often processes publish unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS);

    /** How long a publication may wait for the cluster, so shutdown is never held up by it. */
    private static final long PUBLISH_TIMEOUT_SECONDS = 5;

    private final HazelcastInstance hazelcast;
    private final Supplier<Map<String, StatsSnapshot>> snapshots;
    private final ScheduledExecutorService scheduler;
    private final UUID lifecycleRegistration;
    private volatile boolean failing;

    private StatsPublisher(
            HazelcastInstance hazelcast, Supplier<Map<String, StatsSnapshot>> snapshots, Duration interval) {
        this.hazelcast = hazelcast;
        this.snapshots = snapshots;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stemcache-stats-publisher");
            thread.setDaemon(true);
            return thread;
        });
        this.lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleState.SHUTTING_DOWN) {
                scheduler.shutdownNow();
                publishFinal();
            }
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::publishNow, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Publishes a member's snapshot, taken by {@code snapshot}, under the member's UUID. */
    public static StatsPublisher member(HazelcastInstance member, Supplier<StatsSnapshot> snapshot, Duration interval) {
        checkInterval(interval);
        Objects.requireNonNull(snapshot, "snapshot");
        String key = ClusterStats.memberKey(member.getCluster().getLocalMember().getUuid());
        return new StatsPublisher(member, () -> Map.of(key, snapshot.get()), interval);
    }

    /**
     * Publishes an API node's service counters and its near cache's statistics for {@code mapName}. The
     * service counters go under a key of their own (two services on one client count separately); the near
     * cache's under the client's UUID (two services share one near cache, which must count once).
     */
    public static StatsPublisher apiNode(
            HazelcastInstance client,
            String mapName,
            LongSupplier hits,
            LongSupplier misses,
            Duration interval,
            Clock clock) {
        checkInterval(interval);
        Objects.requireNonNull(mapName, "mapName");
        String serviceKey = ClusterStats.SERVICE + UUID.randomUUID();
        String nearCacheKey =
                ClusterStats.NEAR_CACHE + client.getLocalEndpoint().getUuid();
        IMap<Object, Object> map = client.getMap(mapName);
        return new StatsPublisher(
                client,
                () -> {
                    NearCacheStats near = nearCacheStats(map);
                    StatsSnapshot service =
                            StatsSnapshot.service(clock.instant(), hits.getAsLong(), misses.getAsLong());
                    if (near == null) {
                        return Map.of(serviceKey, service);
                    }
                    return Map.of(
                            serviceKey,
                            service,
                            nearCacheKey,
                            StatsSnapshot.nearCache(clock.instant(), near.getHits(), near.getMisses()));
                },
                interval);
    }

    /** Hazelcast's logging (routed to slf4j by members and clients): core has no logging dependency of its own. */
    private static ILogger log() {
        return Logger.getLogger(StatsPublisher.class);
    }

    private static void checkInterval(Duration interval) {
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException("the statistics publish interval must be at least 1ms, got " + interval);
        }
    }

    private static NearCacheStats nearCacheStats(IMap<Object, Object> map) {
        LocalMapStats local = map.getLocalMapStats();
        return local == null ? null : local.getNearCacheStats();
    }

    /** Publishes now; a failure is logged, and the next interval tries again. */
    public void publishNow() {
        try {
            publish();
            if (failing) {
                failing = false;
                log().info("Publishing cache statistics works again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!failing) {
                failing = true;
                log().warning("Could not publish cache statistics to " + ClusterStats.MAP_NAME
                        + " (will retry every interval): " + e);
            } else {
                log().fine("Publishing cache statistics failed again", e);
            }
        }
    }

    /** One publication at a time, each taking its snapshot inside: a late one never overwrites newer counts. */
    private synchronized void publish() throws Exception {
        ClusterStats.snapshots(hazelcast)
                .setAllAsync(snapshots.get())
                .toCompletableFuture()
                .get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * The last publication as the instance shuts down. A member can still write then; a client is already
     * inactive, so an API node's last counts travel when its service is closed (before its client stops).
     */
    private void publishFinal() {
        try {
            publish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log().fine("No last publication of cache statistics at shutdown", e);
        }
    }

    /** Publishes a last time and stops. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
            publishFinal();
        }
    }
}
