package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import io.stemcache.core.stats.StatsPublisher;
import io.stemcache.core.stats.StatsSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This member's statistics: the map events it saw as owner, its store failures, write-behind queue and
 * last cleanup, published every interval (and when the member shuts down) into the cluster's statistics.
 */
final class MemberStats implements AutoCloseable {

    private final HazelcastInstance member;
    private final IMap<Object, Object> map;
    private final MapEventCounts events = new MapEventCounts();
    private final UUID listener;
    private final LongSupplier storeFailures;
    private final Supplier<Instant> lastCleanup;
    private final AtomicReference<Instant> latestCleanup = new AtomicReference<>();
    private final Clock clock;
    private final StatsPublisher publisher;

    private MemberStats(
            HazelcastInstance member,
            String mapName,
            LongSupplier storeFailures,
            Supplier<Instant> lastCleanup,
            Duration publishInterval,
            Clock clock) {
        this.member = member;
        this.map = member.getMap(mapName);
        this.storeFailures = storeFailures;
        this.lastCleanup = lastCleanup;
        this.clock = clock;
        this.listener = map.addLocalEntryListener(events);
        this.publisher = StatsPublisher.member(member, this::snapshot, publishInterval);
    }

    /**
     * Starts counting and publishing.
     *
     * @param storeFailures the map-store's failed store calls so far
     * @param lastCleanup when this member last finished a cleanup of PostgreSQL, or null
     */
    static MemberStats start(
            HazelcastInstance member,
            String mapName,
            LongSupplier storeFailures,
            Supplier<Instant> lastCleanup,
            Duration publishInterval) {
        return new MemberStats(member, mapName, storeFailures, lastCleanup, publishInterval, Clock.systemUTC());
    }

    StatsSnapshot snapshot() {
        return StatsSnapshot.member(
                clock.instant(),
                events.puts(),
                events.removals(),
                events.evictions(),
                events.expirations(),
                events.loads(),
                storeFailures(),
                writeBehindBacklog(),
                lastCleanup());
    }

    MapEventCounts events() {
        return events;
    }

    long storeFailures() {
        return storeFailures.getAsLong();
    }

    /** Entries this member owns that are not yet in PostgreSQL. */
    long writeBehindBacklog() {
        return localStats().getDirtyEntryCount();
    }

    /** Entries this member owns (backups not included). */
    long ownedEntries() {
        return localStats().getOwnedEntryCount();
    }

    /** Heap those entries cost, as Hazelcast measures it. */
    long ownedMemoryCost() {
        return localStats().getOwnedEntryMemoryCost();
    }

    /** The latest cleanup this member ever reported: kept when a later run is skipped or its report is gone. */
    Instant lastCleanup() {
        Instant reported = lastCleanup.get();
        return reported == null
                ? latestCleanup.get()
                : latestCleanup.accumulateAndGet(reported, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    /** Publishes now; tests use it to avoid waiting for the interval. */
    void publishNow() {
        publisher.publishNow();
    }

    private LocalMapStats localStats() {
        return map.getLocalMapStats();
    }

    /** Publishes a last time and stops counting. */
    @Override
    public void close() {
        publisher.close();
        if (member.getLifecycleService().isRunning()) {
            map.removeEntryListener(listener);
        }
    }
}
