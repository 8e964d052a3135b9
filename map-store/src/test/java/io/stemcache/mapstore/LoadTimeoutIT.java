package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A load stuck behind a table lock fails after the load timeout, naming it, instead of waiting as long as the
 * lock is held (and with it every later call on its Hazelcast partition); the row is untouched and loads once
 * the lock is gone. Without a timeout the load waits for the lock.
 */
class LoadTimeoutIT {

    private static FreshDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_load_timeout");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void loadBehindATableLock_failsAfterTheTimeout_andLoadsOnceTheLockIsGone() throws Exception {
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(2, UUID.randomUUID(), TestEntries.T0);
        PostgresAnalysisStore store = new PostgresAnalysisStore(
                database.dataSource(), TestEntries.settings().withLoadTimeout(Duration.ofMillis(500)));
        store.storeAll(entries);
        AnalysisKey key = entries.keySet().iterator().next();

        try (Connection locker = lockTable()) {
            CompletableFuture<CachedAudioAnalysis> load = CompletableFuture.supplyAsync(() -> store.load(key));

            // The lock is held until after this: the load returning at all is the timeout's doing.
            assertThatThrownBy(() -> load.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(AnalysisStoreException.class)
                    .hasMessageContaining("after the load timeout of 500 ms (stemcache.load-timeout");
            assertThat(store.metrics().loads()).isZero();
            locker.rollback();
        }

        CachedAudioAnalysis loaded = store.load(key);
        assertThat(loaded).isNotNull();
        assertThat(loaded.payload()).isEqualTo(entries.get(key).payload());
        assertThat(store.loadAll(List.copyOf(entries.keySet()))).containsOnlyKeys(entries.keySet());
    }

    @Test
    void withoutATimeout_theLoadWaitsForTheLock() throws Exception {
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(1, UUID.randomUUID(), TestEntries.T0);
        PostgresAnalysisStore store = new PostgresAnalysisStore(
                database.dataSource(), TestEntries.settings().withLoadTimeout(Duration.ZERO));
        store.storeAll(entries);
        AnalysisKey key = entries.keySet().iterator().next();

        CompletableFuture<CachedAudioAnalysis> load;
        try (Connection locker = lockTable()) {
            load = CompletableFuture.supplyAsync(() -> store.load(key));
            assertThatThrownBy(() -> load.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            locker.rollback();
        }
        assertThat(load.get(60, TimeUnit.SECONDS).payload())
                .isEqualTo(entries.get(key).payload());
    }

    @Test
    void negativeTimeout_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> TestEntries.settings()
                        .withLoadTimeout(Duration.ofSeconds(-1))
                        .validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loadTimeout");
    }

    /** A connection holding an ACCESS EXCLUSIVE lock on the table until it rolls back or closes. */
    private static Connection lockTable() throws SQLException {
        Connection connection = database.dataSource().getConnection();
        connection.setAutoCommit(false);
        try (Statement lock = connection.createStatement()) {
            lock.execute("LOCK TABLE audio_analysis_cache IN ACCESS EXCLUSIVE MODE");
        }
        return connection;
    }
}
