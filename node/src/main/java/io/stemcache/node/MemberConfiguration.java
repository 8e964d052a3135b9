package io.stemcache.node;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.node.deletions.ProductDeletes;
import io.stemcache.node.maintenance.PostgresMemberServices;
import io.stemcache.node.maintenance.StemcacheEndpoint;
import io.stemcache.node.spill.SpillingStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Wires the PostgreSQL map-store, stemcache's serializers and the discovery settings into the member that
 * Spring Boot builds from {@code hazelcast.yaml}, after Liquibase has migrated the schema.
 */
@Configuration(proxyBeanMethods = false)
class MemberConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MemberConfiguration.class);

    @Bean
    AnalysisCodec analysisCodec(StemcacheProperties properties) {
        return properties.codec();
    }

    @Bean
    @DependsOn("liquibase")
    PostgresAnalysisStore postgresAnalysisStore(
            DataSource dataSource, AnalysisCodec codec, StemcacheProperties properties) {
        return new PostgresAnalysisStore(dataSource, properties.storeSettings(codec));
    }

    @Bean
    PostgresMemberServices memberServices(DataSource dataSource, StemcacheProperties properties) {
        return new PostgresMemberServices(dataSource, properties.maintenanceSettings());
    }

    /**
     * The member's map-store: PostgreSQL, with the spill directory for a shutdown while PostgreSQL is down. What
     * an earlier member spilled there is stored first, before this member joins and serves.
     */
    @Bean
    SpillingStore spillingStore(PostgresAnalysisStore store, DataSource dataSource, StemcacheProperties properties) {
        SpillingStore spilling = SpillingStore.open(
                store, properties.writeBehind().spillDirectory(), properties.mapName(), databaseName(dataSource));
        spilling.replay();
        return spilling;
    }

    private static String databaseName(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_database()")) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's name (SELECT current_database())", e);
        }
    }

    @Bean
    HazelcastConfigCustomizer stemcacheMemberCustomizer(
            SpillingStore store, PostgresMemberServices services, StemcacheProperties properties, AnalysisCodec codec) {
        return config -> MemberConfigs.withStore(config, properties.mapName(), store, services, codec);
    }

    /**
     * Hazelcast's own join and partition-group settings (hazelcast.yaml, {@code HZ_*}), refused where they would
     * leave a member alone or a partition without a backup.
     */
    @Bean
    HazelcastConfigCustomizer stemcacheDiscoveryCheck() {
        return MemberDiscovery::check;
    }

    /** The product's deletes of cache rows reach memory; the member starts it, and stops it when it shuts down. */
    @Bean(destroyMethod = "close")
    @DependsOn("liquibase")
    ProductDeletes productDeletes(DataSource dataSource, StemcacheProperties properties) {
        return new ProductDeletes(dataSource, properties.deletionSettings());
    }

    @Bean
    HazelcastConfigCustomizer stemcacheRowDeletionsCustomizer(ProductDeletes productDeletes) {
        return productDeletes::registerIn;
    }

    /** Bound only where the node has a meter registry (the actuator's). */
    @Bean
    MeterBinder stemcacheRowDeletionsMeter(
            ProductDeletes productDeletes, HazelcastInstance hazelcast, StemcacheProperties properties) {
        return registry -> FunctionCounter.builder(
                        "stemcache.row.deletions.applied", productDeletes, ProductDeletes::appliedRows)
                .tags(
                        "map",
                        properties.mapName(),
                        "cluster",
                        hazelcast.getConfig().getClusterName(),
                        "scope",
                        "member")
                .description("Rows the product deleted from audio_analysis_cache that this member applied to memory")
                .register(registry);
    }

    /** Lost partitions, logged and counted; first checks that a node- or zone-aware member knows its node or zone. */
    @Bean(destroyMethod = "close")
    PartitionLosses partitionLosses(HazelcastInstance hazelcast, StemcacheProperties properties) {
        PartitionLosses.checkPartitionGroup(hazelcast);
        return new PartitionLosses(hazelcast, properties.mapName());
    }

    @Bean
    StemcacheEndpoint stemcacheEndpoint(HazelcastInstance hazelcast, PostgresMemberServices services) {
        return new StemcacheEndpoint(hazelcast, services);
    }

    @Bean
    WriteBehindFlusher writeBehindFlusher(
            HazelcastInstance hazelcast, StemcacheProperties properties, SpillingStore store) {
        return new WriteBehindFlusher(hazelcast, properties.mapName(), properties.flushTimeout(), store);
    }

    @Bean(destroyMethod = "close")
    BacklogLimit backlogLimit(HazelcastInstance hazelcast, StemcacheProperties properties) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        BacklogLimit.Limits limits = properties.writeBehind().limits(maxHeap);
        String warning = BacklogLimit.heapBudgetWarning(
                hazelcast.getConfig().getMapConfig(properties.mapName()), limits, maxHeap);
        if (warning != null) {
            log.warn(warning);
        }
        log.info(
                "map '{}': writes are refused while {} MB or {} of this member's entries wait for PostgreSQL ({})",
                properties.mapName(),
                limits.maxBytes() >> 20,
                limits.maxEntries(),
                limits.bytesOrigin());
        return BacklogLimit.install(
                hazelcast,
                properties.mapName(),
                limits,
                properties.writeBehind().sampleInterval());
    }
}
