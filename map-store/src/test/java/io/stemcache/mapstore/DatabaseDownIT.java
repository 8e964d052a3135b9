package io.stemcache.mapstore;

import static io.stemcache.mapstore.TestEntries.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** With the database gone every operation throws, naming its batch, so Hazelcast retries instead of losing data. */
class DatabaseDownIT {

    private static FreshDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_down");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void storeAll_closedPool_throwsNamingTheBatch() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setMaximumPoolSize(2);
        HikariDataSource pool = new HikariDataSource(config);
        PostgresAnalysisStore store = new PostgresAnalysisStore(pool, TestEntries.settings());
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(3, UUID.randomUUID(), T0);
        store.storeAll(entries);
        pool.close();

        assertThatThrownBy(() -> store.storeAll(entries))
                .isInstanceOf(AnalysisStoreException.class)
                .hasMessageContaining(
                        "storeAll of 3 entries (" + entries.keySet().iterator().next())
                .hasCauseInstanceOf(SQLException.class);
        assertThat(store.metrics().storeFailures()).isEqualTo(1);
        assertThatThrownBy(() -> store.deleteAll(entries.keySet()))
                .isInstanceOf(AnalysisStoreException.class)
                .hasMessageContaining("deleteAll of 3 entries");
    }

    @Test
    void everyOperation_serverNotListening_throwsInsteadOfReportingAMiss() throws IOException {
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setServerNames(new String[] {"127.0.0.1"});
        down.setPortNumbers(new int[] {unusedPort()});
        down.setDatabaseName("stemcache");
        down.setUser("postgres");
        down.setConnectTimeout(2);
        PostgresAnalysisStore store =
                new PostgresAnalysisStore(down, TestEntries.settings().withInitialLoad(10, 1000));
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(2, UUID.randomUUID(), T0);
        AnalysisKey key = entries.keySet().iterator().next();

        assertThatThrownBy(() -> store.store(key, entries.get(key)))
                .isInstanceOf(AnalysisStoreException.class)
                .hasMessageContaining("storeAll of 1 entry (" + key + ")")
                .hasMessageContaining("none of it was written")
                .hasCauseInstanceOf(SQLException.class);
        assertThatThrownBy(() -> store.loadAll(List.copyOf(entries.keySet())))
                .isInstanceOf(AnalysisStoreException.class)
                .hasMessageContaining("loadAll of 2 entries (" + key);
        assertThatThrownBy(store::loadAllKeys)
                .isInstanceOf(AnalysisStoreException.class)
                .hasMessageContaining("loadAllKeys failed");
        assertThatThrownBy(() -> store.init(null, new Properties(), "analyses"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not check the schema");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
