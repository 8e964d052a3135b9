package io.stemcache.node;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.maintenance.MaintenanceSettings;
import io.stemcache.node.maintenance.PostgresMemberServices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Members built as the node builds them (its {@code hazelcast.yaml}, a {@link PostgresAnalysisStore} each,
 * optionally the member services), several in one JVM through Hazelcast's test factory, over a fresh
 * migrated database, reached directly or, for the tests that cut PostgreSQL off, through a {@link TcpProxy}
 * ({@link #throughProxy()}). Close it after each test: {@link #close()} first checks the invariant every cluster
 * test ends on (see {@link #assertRowsMatchMemory()}), unless the test broke it on purpose ({@link #withoutInvariant}).
 */
public final class NodeMembers implements AutoCloseable {

    public static final String MAP = "analyses";

    public final FreshDatabase database;
    public final TestHazelcastFactory factory = new TestHazelcastFactory();
    /** The stores of the members started, in order; tests read their metrics. */
    final List<PostgresAnalysisStore> stores = new ArrayList<>();

    private final int writeDelaySeconds;
    private final int writeBatchSize;
    private final boolean withServices;
    private String invariantOff;
    private AnalysisCodec codec = AnalysisCodec.standard();
    private TcpProxy proxy;
    private HikariDataSource proxied;

    public NodeMembers(String purpose, int writeDelaySeconds, int writeBatchSize, boolean withServices) {
        this(FreshDatabase.createMigrated(purpose), writeDelaySeconds, writeBatchSize, withServices);
    }

    /**
     * Members over {@code database} (e.g. the product's schema, migrated), which {@link #close()} drops; a
     * {@code writeBatchSize} below 1 keeps {@code hazelcast.yaml}'s.
     */
    public NodeMembers(FreshDatabase database, int writeDelaySeconds, int writeBatchSize, boolean withServices) {
        this.database = database;
        this.writeDelaySeconds = writeDelaySeconds;
        this.writeBatchSize = writeBatchSize;
        this.withServices = withServices;
    }

    /** Members started from now on check writes with {@code limit} ({@code stemcache.max-analysis-mb}). */
    public NodeMembers limit(AnalysisCodec limit) {
        this.codec = limit;
        return this;
    }

    /**
     * Members started from now on reach PostgreSQL (their store and services) through a {@link TcpProxy} the test
     * cuts and restores ({@link #proxy()}), with a small pool that gives up on a connection within a second, as a
     * store does when the database is away. {@link #close()} restores the proxy first, so the invariant flushes to a
     * reachable database.
     */
    NodeMembers throughProxy() {
        if (proxy == null) {
            proxy = TcpProxy.to("127.0.0.1", 5432);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"));
            config.setUsername(database.user());
            config.setPassword(database.password());
            config.setMaximumPoolSize(4);
            config.setConnectionTimeout(1_000);
            config.setValidationTimeout(500);
            proxied = new HikariDataSource(config);
        }
        return this;
    }

    /** The proxy the members' connections go through; {@link #throughProxy()} first. */
    TcpProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException("no proxy: call throughProxy() before starting members");
        }
        return proxy;
    }

    /** What the members' stores and services connect to: the proxy once {@link #throughProxy()}, else the database. */
    private DataSource memberSource() {
        return proxied != null ? proxied : database.dataSource();
    }

    public HazelcastInstance member() {
        return member(config -> {});
    }

    /** A member as {@link #member()}, its configuration changed by {@code customizer} first (test properties). */
    public HazelcastInstance member(Consumer<Config> customizer) {
        return member(
                withServices ? new PostgresMemberServices(memberSource(), MaintenanceSettings.defaults(MAP)) : null,
                customizer);
    }

    /**
     * A member with {@code services} (null: none), its configuration changed by {@code customizer} first: the one
     * place the tests build a member as the node does. Its store is the last of {@link #stores}.
     */
    public HazelcastInstance member(PostgresMemberServices services, Consumer<Config> customizer) {
        PostgresAnalysisStore store = new PostgresAnalysisStore(memberSource(), StoreSettings.defaults());
        stores.add(store);
        Config yaml = new ClasspathYamlConfig("hazelcast.yaml");
        Config config = services != null
                ? MemberConfigs.withStore(yaml, MAP, store, services, codec)
                : MemberConfigs.withStore(yaml, MAP, store, codec);
        config.getMapConfig(MAP).getMapStoreConfig().setWriteDelaySeconds(writeDelaySeconds);
        if (writeBatchSize > 0) {
            config.getMapConfig(MAP).getMapStoreConfig().setWriteBatchSize(writeBatchSize);
        }
        customizer.accept(config);
        return factory.newHazelcastInstance(config);
    }

    /** The store of the member started last. */
    public PostgresAnalysisStore lastStore() {
        return stores.get(stores.size() - 1);
    }

    public HazelcastInstance client() {
        return client(StemcacheClient.defaultConfig());
    }

    /** A client of the members with {@code config} (e.g. the shipped one with its near cache changed). */
    public HazelcastInstance client(ClientConfig config) {
        return factory.newHazelcastClient(config);
    }

    /** Leaves the invariant out of {@link #close()}, for a test that breaks it on purpose; {@code why} says how. */
    public NodeMembers withoutInvariant(String why) {
        invariantOff = why;
        return this;
    }

    /**
     * The invariant: once the write-behind queues are flushed, every entry a member holds in memory has its row in
     * PostgreSQL, and the row decodes to the same entry (payload, entry version, cache version), or PostgreSQL refused
     * it for good and it was dead-lettered; a deletion marker has no row. Checked from the first running member;
     * nothing to check when none runs.
     */
    public void assertRowsMatchMemory() {
        HazelcastInstance member = factory.getAllHazelcastInstances().stream()
                .filter(instance -> instance.getLifecycleService().isRunning()
                        && !(instance instanceof com.hazelcast.client.impl.clientside.HazelcastClientProxy))
                .findFirst()
                .orElse(null);
        if (member == null) {
            return;
        }
        IMap<AnalysisKey, CachedAudioAnalysis> map = member.getMap(MAP);
        map.flush();
        Map<AnalysisKey, CachedAudioAnalysis> memory = new HashMap<>();
        map.entrySet().forEach(entry -> memory.put(entry.getKey(), entry.getValue()));
        Map<AnalysisKey, CachedAudioAnalysis> rows =
                new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults()).loadAll(memory.keySet());
        List<String> wrong = new ArrayList<>();
        memory.forEach((key, entry) -> {
            CachedAudioAnalysis row = rows.get(key);
            if (entry.isDeletion()) {
                if (row != null && !row.isDeletion()) {
                    wrong.add(key + ": deleted in memory, a row in PostgreSQL");
                }
            } else if (row == null) {
                if (!deadLettered(key)) {
                    wrong.add(key + ": in memory, no row and not dead-lettered");
                }
            } else if (row.version() != entry.version()
                    || row.cacheVersion() != entry.cacheVersion()
                    || !Arrays.equals(row.payload(), entry.payload())) {
                wrong.add(key + ": row v" + row.version() + " differs from memory v" + entry.version());
            }
        });
        if (!wrong.isEmpty()) {
            throw new AssertionError("after-test invariant (every row decodes to the value the map holds): "
                    + wrong.size() + " of " + memory.size() + " entries wrong, e.g. "
                    + wrong.subList(0, Math.min(5, wrong.size())));
        }
    }

    private boolean deadLettered(AnalysisKey key) {
        return TableRows.query(
                        database.dataSource(),
                        "SELECT count(*) FROM audio_analysis_dead_letter"
                                + " WHERE owner_kind = '" + key.owner().kind().code() + "' AND owner_id = '"
                                + key.owner().id()
                                + "' AND file_metadata_id = '" + key.fileMetadataId() + "' AND stem_type = '"
                                + key.stemType().code()
                                + "'")
                > 0;
    }

    @Override
    public void close() {
        try {
            if (proxy != null) {
                proxy.restore();
            }
            if (invariantOff == null) {
                assertRowsMatchMemory();
            }
        } finally {
            factory.terminateAll();
            if (proxy != null) {
                proxied.close();
                proxy.close();
            }
            database.close();
        }
    }
}
