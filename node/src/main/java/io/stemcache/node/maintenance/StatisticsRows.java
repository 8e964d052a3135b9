package io.stemcache.node.maintenance;

import io.stemcache.core.ops.RecordedStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads a cluster's latest rows of {@code cache_statistics} (written by the node's {@code StatsRecorder}): newest
 * first by the {@code recorded_at} index, handed back oldest first for a chart. Other clusters sharing the database
 * write rows of their own {@code cluster_name}; they are left out.
 */
final class StatisticsRows {

    private static final String LATEST = "SELECT recorded_at, entries, stored_bytes, raw_bytes, hits, misses, puts,"
            + " removals, evictions, expirations, write_behind_backlog, store_failures, last_cleanup"
            + " FROM cache_statistics WHERE cluster_name = ? ORDER BY recorded_at DESC, id DESC LIMIT ?";

    private final DataSource dataSource;

    StatisticsRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<RecordedStats> latest(String clusterName, int limit) throws SQLException {
        List<RecordedStats> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(LATEST)) {
            select.setString(1, clusterName);
            select.setInt(2, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(new RecordedStats(
                            instant(row, 1),
                            row.getLong(2),
                            row.getLong(3),
                            row.getLong(4),
                            row.getLong(5),
                            row.getLong(6),
                            row.getLong(7),
                            row.getLong(8),
                            row.getLong(9),
                            row.getLong(10),
                            row.getLong(11),
                            row.getLong(12),
                            instant(row, 13)));
                }
            }
        }
        Collections.reverse(rows);
        return rows;
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
