package io.stemcache.node.stats;

import static io.stemcache.node.stats.StatsCluster.FAST;
import static io.stemcache.node.stats.StatsCluster.analyses;
import static io.stemcache.node.stats.StatsCluster.keyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.ops.MemberServices;
import io.stemcache.core.ops.RecordedStats;
import io.stemcache.core.ops.StatsHistory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's {@code cache_statistics} history as an API node reads it: rows the oldest member's
 * {@link StatsRecorder} wrote (members embedded with {@link MemberStatistics}), read back by a member's services
 * through the {@code stemcache-ops} executor (real PostgreSQL, Compact serialization both ways), oldest first, this
 * cluster's only.
 */
class StatsHistoryIT {

    private static final Duration PERSIST = Duration.ofMillis(200);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Long enough that the recorder writes no row within the tests that insert their own. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final StatsCluster cluster = new StatsCluster("stats_history");

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void statsHistory_returnsTheRecordersRowsOldestFirst_latestLimitOnly_andThisClusterOnly() throws SQLException {
        cluster.embeddedMember(FAST, PERSIST);
        cluster.embeddedMember(FAST, PERSIST);
        insert("another-cluster", "now() + interval '1 hour'", "999");
        AudioCacheService cache = cluster.apiNode();
        Owner owner = Owner.user(UUID.randomUUID());
        for (AudioAnalysis analysis : analyses(3)) {
            cache.setAnalysis(keyOf(owner, analysis), analysis, null);
            cache.getAnalysis(keyOf(owner, analysis));
        }
        cache.getAnalysis(keyOf(owner, analyses(1).get(0))); // a miss
        cache.getCacheStats(); // publishes this API node's hits and misses now

        await().atMost(PATIENCE).until(() -> {
            List<RecordedStats> rows = cache.statsHistory(StatsHistory.MAX_ROWS);
            RecordedStats last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            return rows.size() >= 3
                    && last.hits() == 3
                    && last.misses() == 1
                    && last.puts() == 3
                    && last.entries() == 3;
        });
        List<RecordedStats> all = cache.statsHistory(StatsHistory.MAX_ROWS);

        RecordedStats latest = all.get(all.size() - 1);
        assertThat(latest.entries()).isEqualTo(3);
        assertThat(latest.puts()).isEqualTo(3);
        assertThat(latest.hits()).isEqualTo(3);
        assertThat(latest.misses()).isEqualTo(1);
        assertThat(latest.hitRate()).isEqualTo(0.75);
        assertThat(latest.storedBytes()).isPositive();
        assertThat(latest.rawBytes()).isGreaterThan(latest.storedBytes());
        assertThat(latest.lastCleanup()).isNull();
        assertThat(all).as("oldest first").isSortedAccordingTo(Comparator.comparing(RecordedStats::recordedAt));
        assertThat(all)
                .as("another cluster's row (in the future, with 999 entries) is not this cluster's")
                .noneMatch(row -> row.entries() == 999);
        List<RecordedStats> lastTwo = cache.statsHistory(2);
        assertThat(lastTwo).hasSize(2);
        assertThat(lastTwo.get(1).recordedAt()).isAfterOrEqualTo(latest.recordedAt());
        assertThat(lastTwo.get(0).recordedAt()).isBefore(lastTwo.get(1).recordedAt());

        Instant beforeCleanup = Instant.now();
        cache.clearExpired();
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<RecordedStats> rows = cache.statsHistory(1);
            assertThat(rows.get(0).lastCleanup())
                    .as("the completed cleanup reaches the recorded row")
                    .isNotNull()
                    .isAfterOrEqualTo(beforeCleanup.minusSeconds(1));
        });
    }

    @Test
    void statsHistory_ofARowWithNullFigures_readsThemAsZero_andKeepsItsLastCleanup() throws SQLException {
        HazelcastInstance member = cluster.embeddedMember(FAST, NEVER);
        AudioCacheService cache = cluster.apiNode();
        assertThat(cache.statsHistory(10)).as("no rows yet").isEmpty();
        String name = member.getConfig().getClusterName();
        insert(name, "now() - interval '2 minutes'", "NULL");
        try (Connection connection = cluster.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO cache_statistics (recorded_at, cluster_name, entries, hits, misses,"
                    + " last_cleanup) VALUES (now() - interval '1 minute', '" + name + "', 7, 3, 1,"
                    + " '2026-01-02T03:04:05.123456Z')");
        }

        List<RecordedStats> rows = cache.statsHistory(10);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).entries()).isZero();
        assertThat(rows.get(0).hits()).isZero();
        assertThat(rows.get(0).lastCleanup()).isNull();
        assertThat(rows.get(1).entries()).isEqualTo(7);
        assertThat(rows.get(1).hitRate()).isEqualTo(0.75);
        assertThat(rows.get(1).lastCleanup()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    }

    @Test
    void statsHistory_outsideItsLimits_isRefusedNamingTheLimit_onTheCallerAndOnTheMember() {
        HazelcastInstance member = cluster.embeddedMember(FAST, NEVER);
        AudioCacheService cache = cluster.apiNode();

        assertThatThrownBy(() -> cache.statsHistory(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 10080 rows, got 0");
        assertThatThrownBy(() -> cache.statsHistory(StatsHistory.MAX_ROWS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 10081");
        MemberServices services = MemberServices.of(member);
        assertThatThrownBy(() -> services.statsHistory(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 10080 rows, got -1");
    }

    @Test
    void statsHistory_whenPostgresFails_namesTheTable() throws SQLException {
        HazelcastInstance member = cluster.embeddedMember(FAST, NEVER);
        AudioCacheService cache = cluster.apiNode();
        try (Connection connection = cluster.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE cache_statistics RENAME TO cache_statistics_gone");
        }

        assertThatThrownBy(() -> cache.statsHistory(10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("could not read the statistics history: reading cache_statistics failed:");
        assertThat(member.getLifecycleService().isRunning()).isTrue();
    }

    private void insert(String clusterName, String recordedAt, String entries) throws SQLException {
        try (Connection connection = cluster.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO cache_statistics (recorded_at, cluster_name, entries) VALUES ("
                    + recordedAt + ", '" + clusterName + "', " + entries + ")");
        }
    }
}
