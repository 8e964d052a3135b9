package io.stemcache.api;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.nearcache.NearCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.stemcache.client.StemcacheClientProperties;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * This node's near cache of the analysis map as {@code stemcache.nearcache.*} meters, tagged {@code map},
 * {@code cluster} and {@code scope=api-node} (the members' {@code scope=cluster} meters of the same names add up
 * every API node's hits and misses). Read from Hazelcast's {@link NearCacheStats} at each scrape; before the client
 * first connects there is no map proxy yet, and counters read 0, gauges NaN.
 */
@Component
final class NearCacheMeters implements MeterBinder {

    private final HazelcastInstance client;
    private final ClusterHealth cluster;
    private final String mapName;
    private final Tags tags;
    private volatile IMap<?, ?> map;

    NearCacheMeters(
            @Qualifier("stemcacheHazelcastClient") HazelcastInstance client,
            ClusterHealth cluster,
            StemcacheClientProperties properties) {
        this.client = client;
        this.cluster = cluster;
        this.mapName = properties.mapName();
        this.tags = Tags.of("map", mapName, "cluster", client.getConfig().getClusterName(), "scope", "api-node");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "stemcache.nearcache.hits", NearCacheStats::getHits, "Gets this node's near cache answered");
        counter(
                registry,
                "stemcache.nearcache.misses",
                NearCacheStats::getMisses,
                "Gets this node's near cache sent on to a member");
        counter(
                registry,
                "stemcache.nearcache.evictions",
                NearCacheStats::getEvictions,
                "Entries the near cache evicted to stay within its size");
        counter(
                registry,
                "stemcache.nearcache.expirations",
                NearCacheStats::getExpirations,
                "Entries the near cache dropped by time-to-live or max-idle");
        counter(
                registry,
                "stemcache.nearcache.invalidations",
                NearCacheStats::getInvalidations,
                "Entries the near cache dropped because the cluster changed them");
        gauge(
                registry,
                "stemcache.nearcache.entries",
                NearCacheStats::getOwnedEntryCount,
                null,
                "Entries in this node's near cache");
        gauge(
                registry,
                "stemcache.nearcache.memory.cost",
                NearCacheStats::getOwnedEntryMemoryCost,
                BaseUnits.BYTES,
                "Heap cost of the near cache's entries, as Hazelcast estimates it (0 for OBJECT format)");
    }

    /** The near cache's statistics, or null before the client has connected once or without a near cache. */
    NearCacheStats stats() {
        IMap<?, ?> current = map;
        if (current == null) {
            if (!cluster.connected()) {
                return null;
            }
            try {
                // The proxy the service uses; making it is the only call that needs the cluster (bounded by the
                // invocation timeout), and a scrape must not fail because the cluster went away meanwhile.
                current = client.getMap(mapName);
            } catch (RuntimeException e) {
                return null;
            }
            map = current;
        }
        LocalMapStats local = current.getLocalMapStats();
        return local == null ? null : local.getNearCacheStats();
    }

    private void counter(
            MeterRegistry registry, String name, ToDoubleFunction<NearCacheStats> value, String description) {
        FunctionCounter.builder(name, this, meters -> {
                    NearCacheStats stats = meters.stats();
                    return stats == null ? 0 : value.applyAsDouble(stats);
                })
                .tags(tags)
                .description(description)
                .register(registry);
    }

    private void gauge(
            MeterRegistry registry,
            String name,
            ToDoubleFunction<NearCacheStats> value,
            String unit,
            String description) {
        Gauge.builder(name, this, meters -> {
                    NearCacheStats stats = meters.stats();
                    return stats == null ? Double.NaN : value.applyAsDouble(stats);
                })
                .strongReference(true)
                .tags(tags)
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }
}
