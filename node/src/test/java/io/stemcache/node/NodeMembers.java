package io.stemcache.node;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.maintenance.MaintenanceSettings;
import io.stemcache.node.maintenance.PostgresMemberServices;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Members built as the node builds them (its {@code hazelcast.yaml}, a {@link PostgresAnalysisStore} each,
 * optionally the member services), several in one JVM through Hazelcast's test factory, over a fresh
 * migrated database. Close it after each test.
 */
final class NodeMembers implements AutoCloseable {

    static final String MAP = "analyses";

    final FreshDatabase database;
    final TestHazelcastFactory factory = new TestHazelcastFactory();
    /** The stores of the members started, in order; tests read their metrics. */
    final List<PostgresAnalysisStore> stores = new ArrayList<>();
    private final int writeDelaySeconds;
    private final int writeBatchSize;
    private final boolean withServices;
    private AnalysisCodec codec = AnalysisCodec.standard();

    NodeMembers(String purpose, int writeDelaySeconds, int writeBatchSize, boolean withServices) {
        this(FreshDatabase.createMigrated(purpose), writeDelaySeconds, writeBatchSize, withServices);
    }

    /** Members over {@code database} (e.g. the product's schema, migrated), which {@link #close()} drops. */
    NodeMembers(FreshDatabase database, int writeDelaySeconds, int writeBatchSize, boolean withServices) {
        this.database = database;
        this.writeDelaySeconds = writeDelaySeconds;
        this.writeBatchSize = writeBatchSize;
        this.withServices = withServices;
    }

    /** Members started from now on check writes with {@code limit} ({@code stemcache.max-analysis-mb}). */
    NodeMembers limit(AnalysisCodec limit) {
        this.codec = limit;
        return this;
    }

    HazelcastInstance member() {
        return member(config -> { });
    }

    /** A member as {@link #member()}, its configuration changed by {@code customizer} first (test properties). */
    HazelcastInstance member(Consumer<Config> customizer) {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        stores.add(store);
        Config yaml = new ClasspathYamlConfig("hazelcast.yaml");
        Config config = withServices
                ? MemberConfigs.withStore(yaml, MAP, store,
                        new PostgresMemberServices(database.dataSource(), MaintenanceSettings.defaults(MAP)), codec)
                : MemberConfigs.withStore(yaml, MAP, store, codec);
        config.getMapConfig(MAP).getMapStoreConfig()
                .setWriteDelaySeconds(writeDelaySeconds).setWriteBatchSize(writeBatchSize);
        customizer.accept(config);
        return factory.newHazelcastInstance(config);
    }

    HazelcastInstance client() {
        return factory.newHazelcastClient(StemcacheClient.defaultConfig());
    }

    @Override
    public void close() {
        factory.terminateAll();
        database.close();
    }
}
