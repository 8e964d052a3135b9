package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The {@code stemcache.*} meters, tagged {@code map}, {@code cluster} and {@code scope}: {@code scope=member}
 * for what this member owns and saw, {@code scope=cluster} for the whole cluster's figures (every member
 * exposes the same ones: take one, or the max, never the sum). Counters hold their sources weakly, as
 * Micrometer's do: keep this binder referenced (Spring keeps its bean).
 */
final class StatsMeters implements MeterBinder {

    private final MemberStats member;
    private final ClusterFigures cluster;
    private final Tags memberTags;
    private final Tags clusterTags;

    StatsMeters(MemberStats member, ClusterFigures cluster, HazelcastInstance hazelcast, String mapName) {
        this.member = member;
        this.cluster = cluster;
        Tags common = Tags.of("map", mapName, "cluster", hazelcast.getConfig().getClusterName());
        this.memberTags = common.and("scope", "member");
        this.clusterTags = common.and("scope", "cluster");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(
                registry,
                "stemcache.entries",
                memberTags,
                member,
                MemberStats::ownedEntries,
                null,
                "Entries in memory (primaries only)");
        gauge(
                registry,
                "stemcache.memory.cost",
                memberTags,
                member,
                MemberStats::ownedMemoryCost,
                BaseUnits.BYTES,
                "Heap cost of this member's entries, as Hazelcast measures it");
        gauge(
                registry,
                "stemcache.writebehind.backlog",
                memberTags,
                member,
                MemberStats::writeBehindBacklog,
                null,
                "Entries waiting to be written to PostgreSQL");
        counter(registry, "stemcache.puts", memberTags, member, m -> m.events().puts(), "Entries written");
        counter(
                registry,
                "stemcache.removals",
                memberTags,
                member,
                m -> m.events().removals(),
                "Entries removed");
        counter(
                registry,
                "stemcache.evictions",
                memberTags,
                member,
                m -> m.events().evictions(),
                "Entries evicted from memory (kept in PostgreSQL)");
        counter(
                registry,
                "stemcache.expirations",
                memberTags,
                member,
                m -> m.events().expirations(),
                "Entries expired from memory");
        counter(
                registry,
                "stemcache.loads",
                memberTags,
                member,
                m -> m.events().loads(),
                "Entries loaded into memory from PostgreSQL");
        counter(
                registry,
                "stemcache.store.failures",
                memberTags,
                member,
                MemberStats::storeFailures,
                "Write-behind store calls that failed");

        gauge(
                registry,
                "stemcache.entries",
                clusterTags,
                cluster,
                c -> c.get().entries(),
                null,
                "Entries in memory (primaries only)");
        gauge(
                registry,
                "stemcache.stored",
                clusterTags,
                cluster,
                c -> c.get().storedBytes(),
                BaseUnits.BYTES,
                "Payload bytes of the entries in memory");
        gauge(
                registry,
                "stemcache.raw",
                clusterTags,
                cluster,
                c -> c.get().rawBytes(),
                BaseUnits.BYTES,
                "Raw (float64) bytes of the entries in memory");
        gauge(
                registry,
                "stemcache.writebehind.backlog",
                clusterTags,
                cluster,
                c -> c.get().writeBehindBacklog(),
                null,
                "Entries waiting to be written to PostgreSQL");
        gauge(
                registry,
                "stemcache.hit.ratio",
                clusterTags,
                cluster,
                c -> c.get().hitRate(),
                null,
                "Hits over gets through the service");
        gauge(
                registry,
                "stemcache.members",
                clusterTags,
                cluster,
                c -> c.get().members(),
                null,
                "Members in the cluster");
        gauge(
                registry,
                "stemcache.cleanup.last",
                clusterTags,
                cluster,
                ClusterFigures::lastCleanupEpochSeconds,
                "seconds",
                "When the PostgreSQL cleanup last finished (epoch seconds)");
        counter(
                registry,
                "stemcache.hits",
                clusterTags,
                cluster,
                c -> c.get().hits(),
                "Gets through the service that returned an entry");
        counter(
                registry,
                "stemcache.misses",
                clusterTags,
                cluster,
                c -> c.get().misses(),
                "Gets through the service that returned nothing");
        counter(
                registry,
                "stemcache.nearcache.hits",
                clusterTags,
                cluster,
                c -> c.get().nearCacheHits(),
                "Gets answered by an API node's near cache");
        counter(
                registry,
                "stemcache.nearcache.misses",
                clusterTags,
                cluster,
                c -> c.get().nearCacheMisses(),
                "Gets an API node's near cache sent on to a member");
        counter(registry, "stemcache.puts", clusterTags, cluster, c -> c.get().puts(), "Entries written");
        counter(
                registry,
                "stemcache.removals",
                clusterTags,
                cluster,
                c -> c.get().removals(),
                "Entries removed");
        counter(
                registry,
                "stemcache.evictions",
                clusterTags,
                cluster,
                c -> c.get().evictions(),
                "Entries evicted from memory (kept in PostgreSQL)");
        counter(
                registry,
                "stemcache.expirations",
                clusterTags,
                cluster,
                c -> c.get().expirations(),
                "Entries expired from memory");
        counter(
                registry,
                "stemcache.loads",
                clusterTags,
                cluster,
                c -> c.get().loads(),
                "Entries loaded into memory from PostgreSQL");
        counter(
                registry,
                "stemcache.store.failures",
                clusterTags,
                cluster,
                c -> c.get().storeFailures(),
                "Write-behind store calls that failed");
    }

    private static <T> void gauge(
            MeterRegistry registry,
            String name,
            Tags tags,
            T source,
            ToDoubleFunction<T> value,
            String unit,
            String description) {
        Gauge.builder(name, source, value)
                .strongReference(true)
                .tags(tags)
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }

    private static <T> void counter(
            MeterRegistry registry, String name, Tags tags, T source, ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(name, source, value)
                .tags(tags)
                .description(description)
                .register(registry);
    }
}
