package io.stemcache.node.stats;

import static io.stemcache.node.stats.StatsCluster.FAST;
import static io.stemcache.node.stats.StatsCluster.MAP;
import static io.stemcache.node.stats.StatsCluster.analyses;
import static io.stemcache.node.stats.StatsCluster.keyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The periodic {@code cache_statistics} row: written by the oldest member only, the next one taking over. */
class StatsRecorderIT {

    private static final Duration PERSIST = Duration.ofMillis(300);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final StatsCluster cluster = new StatsCluster("stats_rows");
    private final List<StatsRecorder> recorders = new ArrayList<>();

    @AfterEach
    void close() {
        recorders.forEach(StatsRecorder::close);
        cluster.close();
    }

    private HazelcastInstance member() {
        HazelcastInstance member = cluster.member(FAST);
        recorders.add(StatsRecorder.start(member, MAP, cluster.database.dataSource(), PERSIST));
        return member;
    }

    @Test
    void recordIfOldest_writesOneRowPerIntervalFromTheOldestMember_andTheNextTakesOver() throws SQLException {
        HazelcastInstance oldest = member();
        member();
        member();
        AudioCacheService cache = cluster.apiNode();
        Owner owner = Owner.user(UUID.randomUUID());
        for (AudioAnalysis analysis : analyses(4)) {
            cache.setAnalysis(keyOf(owner, analysis), analysis, null);
            cache.getAnalysis(keyOf(owner, analysis));
        }
        cache.getCacheStats(); // publishes this API node's hits now

        await().atMost(PATIENCE).until(() -> latestRow().equals(List.of("stemcache", 4L, 4L, 4L, 0L, 0L)));
        // A row may be committed before its recorder counts it: retry until the two agree.
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(recorders.get(0).rowsWritten())
                        .as("rows by the oldest member")
                        .isEqualTo(rows()));
        assertThat(recorders.get(1).rowsWritten() + recorders.get(2).rowsWritten())
                .as("rows by the others")
                .isZero();

        oldest.shutdown();
        await().atMost(PATIENCE).until(() -> recorders.get(1).rowsWritten() >= 2);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(rows())
                        .as("rows by the two oldest members")
                        .isEqualTo(recorders.get(0).rowsWritten()
                                + recorders.get(1).rowsWritten()));
        assertThat(recorders.get(2).rowsWritten())
                .as("rows by the youngest member")
                .isZero();
        assertThat(latestRow())
                .as("the totals survive the oldest member leaving")
                .isEqualTo(List.of("stemcache", 4L, 4L, 4L, 0L, 0L));
    }

    private long rows() throws SQLException {
        try (Connection connection = cluster.database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM cache_statistics")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** cluster_name, entries, puts, hits, misses, evictions of the latest row; empty if none. */
    private List<Object> latestRow() throws SQLException {
        try (Connection connection = cluster.database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT cluster_name, entries, puts, hits, misses, evictions"
                        + " FROM cache_statistics ORDER BY id DESC LIMIT 1")) {
            if (!row.next()) {
                return List.of();
            }
            return List.of(
                    row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5), row.getLong(6));
        }
    }
}
