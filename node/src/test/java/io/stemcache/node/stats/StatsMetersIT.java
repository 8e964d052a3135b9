package io.stemcache.node.stats;

import static io.stemcache.node.stats.StatsCluster.FAST;
import static io.stemcache.node.stats.StatsCluster.MAP;
import static io.stemcache.node.stats.StatsCluster.analyses;
import static io.stemcache.node.stats.StatsCluster.keyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters as Prometheus renders them: names, tags and values. */
class StatsMetersIT {

    private final StatsCluster cluster = new StatsCluster("stats_meters");

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void scrape_showsMemberAndClusterFiguresUnderConventionalNames() {
        HazelcastInstance member = cluster.member(FAST);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StatsMeters meters =
                new StatsMeters(cluster.statsOf(member), new ClusterFigures(member, MAP, Duration.ZERO), member, MAP);
        meters.bindTo(registry);
        AudioCacheService cache = cluster.apiNode();
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis analysis = analyses(1).get(0);
        cache.setAnalysis(keyOf(owner, analysis), analysis, null);
        cache.getAnalysis(keyOf(owner, analysis));
        cache.getAnalysis(keyOf(owner, analyses(1).get(0)));
        cache.getCacheStats();

        String member1 = "{cluster=\"stemcache\",map=\"analyses\",scope=\"member\"}";
        String wide = "{cluster=\"stemcache\",map=\"analyses\",scope=\"cluster\"}";
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(registry.scrape())
                        .contains(
                                "stemcache_entries" + member1 + " 1.0",
                                "stemcache_entries" + wide + " 1.0",
                                "stemcache_puts_total" + member1 + " 1.0",
                                "stemcache_puts_total" + wide + " 1.0",
                                "stemcache_hits_total" + wide + " 1.0",
                                "stemcache_misses_total" + wide + " 1.0",
                                "stemcache_hit_ratio" + wide + " 0.5",
                                "stemcache_members" + wide + " 1.0",
                                "stemcache_nearcache_misses_total" + wide + " 2.0",
                                "stemcache_nearcache_hits_total" + wide + " 0.0",
                                "stemcache_removals_total" + wide + " 0.0",
                                "stemcache_evictions_total" + wide + " 0.0",
                                "stemcache_expirations_total" + wide + " 0.0",
                                "stemcache_loads_total" + wide + " 0.0",
                                "stemcache_store_failures_total" + member1 + " 0.0",
                                "stemcache_writebehind_backlog" + wide,
                                "stemcache_memory_cost_bytes" + member1,
                                "stemcache_stored_bytes" + wide,
                                "stemcache_raw_bytes" + wide,
                                "stemcache_cleanup_last_seconds" + wide + " NaN"));
        assertThat(meters)
                .as("held until here: meters reference their sources weakly")
                .isNotNull();
    }
}
