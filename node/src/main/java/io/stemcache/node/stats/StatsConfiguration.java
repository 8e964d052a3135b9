package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreMetrics;
import io.stemcache.node.StemcacheProperties;
import io.stemcache.node.maintenance.PostgresMemberServices;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the member's statistics: counting and publishing, the {@code cache_statistics} rows, the meters. */
@Configuration(proxyBeanMethods = false)
class StatsConfiguration {

    /** A scrape reads the cluster's figures at most this often. */
    private static final Duration CLUSTER_FIGURES_MAX_AGE = Duration.ofSeconds(1);

    @Bean(destroyMethod = "close")
    MemberStats memberStats(
            HazelcastInstance hazelcast,
            PostgresAnalysisStore store,
            PostgresMemberServices services,
            StemcacheProperties properties) {
        // MemberStats keeps the latest completed cleanup when a later run fails.
        return MemberStats.start(
                hazelcast,
                properties.mapName(),
                store.metrics()::storeFailures,
                MemberStatistics.lastCompletedCleanup(services),
                properties.stats().publishInterval());
    }

    @Bean(destroyMethod = "close")
    StatsRecorder statsRecorder(HazelcastInstance hazelcast, DataSource dataSource, StemcacheProperties properties) {
        return StatsRecorder.start(
                hazelcast, properties.mapName(), dataSource, properties.stats().persistInterval());
    }

    @Bean
    MeterBinder stemcacheMeters(MemberStats memberStats, HazelcastInstance hazelcast, StemcacheProperties properties) {
        return new StatsMeters(
                memberStats,
                new ClusterFigures(hazelcast, properties.mapName(), CLUSTER_FIGURES_MAX_AGE),
                hazelcast,
                properties.mapName());
    }

    /**
     * Entries PostgreSQL refused for good, and unreadable rows a load put aside, both in
     * {@code audio_analysis_dead_letter}.
     */
    @Bean
    MeterBinder stemcacheDeadLetterMeter(
            PostgresAnalysisStore store, HazelcastInstance hazelcast, StemcacheProperties properties) {
        // The store bean keeps its metrics, which the counter holds weakly, alive.
        return registry -> {
            FunctionCounter.builder("stemcache.store.deadlettered", store.metrics(), StoreMetrics::deadLettered)
                    .tags(
                            "map",
                            properties.mapName(),
                            "cluster",
                            hazelcast.getConfig().getClusterName(),
                            "scope",
                            "member")
                    .description("Entries PostgreSQL refused for good, set aside in audio_analysis_dead_letter")
                    .register(registry);
            FunctionCounter.builder("stemcache.store.quarantined", store.metrics(), StoreMetrics::quarantined)
                    .tags(
                            "map",
                            properties.mapName(),
                            "cluster",
                            hazelcast.getConfig().getClusterName(),
                            "scope",
                            "member")
                    .description("Unreadable rows a load moved to audio_analysis_dead_letter for inspection")
                    .register(registry);
        };
    }
}
