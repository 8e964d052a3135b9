package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.CacheStats;
import io.stemcache.core.ops.RecordedStats;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows of {@code cache_statistics}: written one per interval, a cluster's latest read back oldest first. */
class StatisticsRowsIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void latest_isTheClustersNewestRows_oldestFirst_otherClustersLeftOut() {
        try (FreshDatabase database = FreshDatabase.createMigrated("map_store_statistics_rows")) {
            StatisticsRows rows = new StatisticsRows(database.dataSource());
            rows.record(T0, "blue", stats(1, null));
            rows.record(T0.plusSeconds(60), "blue", stats(2, T0));
            rows.record(T0.plusSeconds(90), "green", stats(99, null));
            rows.record(T0.plusSeconds(120), "blue", stats(3, null));

            List<RecordedStats> latest = rows.latest("blue", 2);

            assertThat(latest).extracting(RecordedStats::entries).containsExactly(2L, 3L);
            assertThat(latest.get(0).recordedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(latest.get(0).lastCleanup()).isEqualTo(T0);
            assertThat(latest.get(1).lastCleanup()).isNull();
        }
    }

    @Test
    void latest_withoutTheTable_failsAsAnAnalysisStoreExceptionNamingIt() throws SQLException {
        try (FreshDatabase database = FreshDatabase.createMigrated("map_store_statistics_gone")) {
            try (Connection connection = database.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE cache_statistics RENAME TO cache_statistics_gone");
            }
            StatisticsRows rows = new StatisticsRows(database.dataSource());

            assertThatThrownBy(() -> rows.latest("blue", 10))
                    .isInstanceOf(AnalysisStoreException.class)
                    .hasMessageStartingWith("reading cache_statistics failed: ");
            assertThatThrownBy(() -> rows.record(T0, "blue", stats(1, null)))
                    .isInstanceOf(AnalysisStoreException.class)
                    .hasMessageStartingWith("writing cache_statistics failed: ");
        }
    }

    private static CacheStats stats(long entries, Instant lastCleanup) {
        return new CacheStats(entries, 10, 20, 3, 4, 0, 5, 6, 7, 8, 9, 0, 0, 11, lastCleanup, 1);
    }
}
