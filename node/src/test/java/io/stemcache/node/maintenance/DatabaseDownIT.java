package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.StemType;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL refuses connections for a while: cleanups fail, are logged and counted, reads are kept for
 * later, the member keeps serving from memory, and once the database is back the next run works.
 */
class DatabaseDownIT {

    private TestCluster cluster;
    private HikariDataSource servicesPool;

    @BeforeEach
    void createCluster() {
        cluster = new TestCluster("database_down");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.database.jdbcUrl());
        config.setUsername(cluster.database.user());
        config.setPassword(cluster.database.password());
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(1_000); // fail fast while the database is down
        servicesPool = new HikariDataSource(config);
    }

    @AfterEach
    void shutdown() throws SQLException {
        try {
            allowConnections(true);
            cluster.close();
        } finally {
            servicesPool.close();
        }
    }

    @Test
    void databaseDown_cleanupFailsAndIsCounted_memberKeepsServing_nextRunWorks() throws SQLException {
        MaintenanceSettings scheduled =
                TestCluster.UNSCHEDULED.withSchedule(true, Duration.ofMillis(200), Duration.ofMillis(500));
        HazelcastInstance member = cluster.member(scheduled, servicesPool);
        PostgresMemberServices services = cluster.services(0);
        IMap<AnalysisKey, CachedAudioAnalysis> map = TestCluster.map(member);
        AnalysisKey cached = TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.MASTER);
        map.set(cached, TestCluster.entry(cached, 1));
        map.flush();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> services.cleanupRuns().completed() >= 1);

        allowConnections(false);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.cleanupRuns().failed() >= 2);

        assertThat(services.lastCleanup().orElseThrow().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(services.lastCleanup().orElseThrow().failure()).isNotBlank();
        assertThatThrownBy(services::cleanupNow)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cleanup failed");
        services.touched(List.of(cached));
        assertThat(services.flushAccesses()).isZero();
        assertThat(services.access().failures()).isPositive();
        assertThat(services.access().pendingKeys())
                .as("reads kept for the next flush")
                .isEqualTo(1);
        assertThat(map.get(cached))
                .as("served from memory while the database is down")
                .isNotNull();

        allowConnections(true);
        insertExpired(3);
        long failedRuns = services.cleanupRuns().failed();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.lastCleanup().orElseThrow().outcome() == Outcome.COMPLETED);
        assertThat(cluster.rows.count("last_accessed < now() - interval '40 days'"))
                .isZero();
        assertThat(services.cleanupRuns().failed()).isBetween(failedRuns, failedRuns + 1);
        assertThat(services.flushAccesses()).as("the kept read lands").isEqualTo(1);
        assertThat(cluster.rows.accessCount(cached)).isEqualTo(1);
    }

    private void insertExpired(int count) {
        for (int i = 0; i < count; i++) {
            cluster.rows.insert(
                    TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.BASS), 10, 1, "50 days");
        }
    }

    /** Closes the database to new connections and ends every session on it, or opens it again. */
    private void allowConnections(boolean allow) throws SQLException {
        String server = System.getProperty(FreshDatabase.SERVER_PROPERTY, FreshDatabase.DEFAULT_SERVER);
        String name = cluster.database.name();
        try (Connection admin =
                        DriverManager.getConnection(server, cluster.database.user(), cluster.database.password());
                Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                statement.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            }
        }
    }
}
