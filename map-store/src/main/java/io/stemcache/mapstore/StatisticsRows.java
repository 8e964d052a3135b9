package io.stemcache.mapstore;

import io.stemcache.core.CacheStats;
import io.stemcache.core.ops.RecordedStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The rows of {@code cache_statistics}: one per interval per cluster, written by the oldest member (the node's
 * {@code StatsRecorder}), and a cluster's latest read back newest first by the {@code recorded_at} index, handed
 * back oldest first for a chart. Other clusters sharing the database write rows of their own
 * {@code cluster_name}; they are left out. Failures are {@link AnalysisStoreException}s naming the table.
 */
public final class StatisticsRows {

    private static final String INSERT = "INSERT INTO cache_statistics (recorded_at, cluster_name, entries,"
            + " stored_bytes, raw_bytes, hits, misses, puts, removals, evictions, expirations, write_behind_backlog,"
            + " store_failures, last_cleanup) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String LATEST = "SELECT recorded_at, entries, stored_bytes, raw_bytes, hits, misses, puts,"
            + " removals, evictions, expirations, write_behind_backlog, store_failures, last_cleanup"
            + " FROM cache_statistics WHERE cluster_name = ? ORDER BY recorded_at DESC, id DESC LIMIT ?";

    private final DataSource dataSource;

    public StatisticsRows(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Writes one row of the cluster's figures at {@code recordedAt}. */
    public void record(Instant recordedAt, String clusterName, CacheStats stats) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, OffsetDateTime.ofInstant(recordedAt, ZoneOffset.UTC));
            insert.setString(2, clusterName);
            insert.setLong(3, stats.entries());
            insert.setLong(4, stats.storedBytes());
            insert.setLong(5, stats.rawBytes());
            insert.setLong(6, stats.hits());
            insert.setLong(7, stats.misses());
            insert.setLong(8, stats.puts());
            insert.setLong(9, stats.removals());
            insert.setLong(10, stats.evictions());
            insert.setLong(11, stats.expirations());
            insert.setLong(12, stats.writeBehindBacklog());
            insert.setLong(13, stats.storeFailures());
            Instant lastCleanup = stats.lastCleanup();
            if (lastCleanup == null) {
                insert.setNull(14, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                insert.setObject(14, OffsetDateTime.ofInstant(lastCleanup, ZoneOffset.UTC));
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new AnalysisStoreException("writing cache_statistics failed: " + e.getMessage(), e);
        }
    }

    /** The cluster's latest {@code limit} rows, oldest first. */
    public List<RecordedStats> latest(String clusterName, int limit) {
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
        } catch (SQLException e) {
            throw new AnalysisStoreException("reading cache_statistics failed: " + e.getMessage(), e);
        }
        Collections.reverse(rows);
        return rows;
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
