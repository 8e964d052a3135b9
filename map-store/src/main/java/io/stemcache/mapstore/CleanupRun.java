package io.stemcache.mapstore;

import io.stemcache.core.Owner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * One cleanup run's session on PostgreSQL: it holds the cleanup's advisory lock ({@link CleanupLock}) from
 * {@link AnalysisRows#tryStartCleanup} to {@link #close}, and each delete is one batch in a short transaction of
 * its own, committed, and marked as stemcache's own delete (kept out of the product's row-deletion log). What to
 * delete and when to stop is the caller's; failures are {@link AnalysisStoreException}s naming the step.
 */
public final class CleanupRun implements AutoCloseable {

    /** What one batch of the least-recently-read step deleted: its rows and their stored bytes. */
    public record Deleted(long rows, long bytes) {}

    private final DataSource dataSource;
    private final Connection connection;

    private CleanupRun(DataSource dataSource, Connection connection) {
        this.dataSource = dataSource;
        this.connection = connection;
    }

    /** A run holding the lock, or empty (the connection given back) if another session holds it; never waits. */
    static Optional<CleanupRun> tryStart(DataSource dataSource) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (!CleanupLock.tryAcquire(connection)) {
                connection.close();
                return Optional.empty();
            }
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw new AnalysisStoreException("taking the cleanup lock failed: " + e.getMessage(), e);
        }
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            CleanupLock.release(dataSource, connection);
            closeQuietly(connection, e);
            throw new AnalysisStoreException("starting the cleanup failed: " + e.getMessage(), e);
        }
        return Optional.of(new CleanupRun(dataSource, connection));
    }

    /** One batch of the rows of {@code kind}'s table not read for {@code notReadFor}; returns the rows deleted. */
    public int deleteExpired(Owner.Kind kind, Duration notReadFor, int batchSize) {
        AnalysisCacheTable table = AnalysisCacheTable.of(kind);
        return deleteBatch(
                "deleting expired rows of " + table,
                table.sql(MaintenanceSql.DELETE_EXPIRED),
                seconds(notReadFor),
                (long) batchSize);
    }

    /** One batch of the rows of {@code kind}'s table with a cache version below {@code cacheVersion}. */
    public int deleteOldVersions(Owner.Kind kind, int cacheVersion, int batchSize) {
        AnalysisCacheTable table = AnalysisCacheTable.of(kind);
        return deleteBatch(
                "deleting rows of older cache versions of " + table,
                table.sql(MaintenanceSql.DELETE_OLD_VERSIONS),
                cacheVersion,
                (long) batchSize);
    }

    /** One batch of guests' rows beyond {@code quotaBytes} per guest (each guest's newest rows stay). */
    public int deleteOverGuestQuota(long quotaBytes, int batchSize) {
        return deleteBatch(
                "deleting guests' rows over their quota", MaintenanceSql.DELETE_OVER_GUEST_QUOTA, quotaBytes, (long)
                        batchSize);
    }

    /** One batch of tombstones older than {@code retention}. */
    public int deleteOldTombstones(Duration retention, int batchSize) {
        return deleteBatch(
                "deleting old tombstones", MaintenanceSql.DELETE_OLD_TOMBSTONES, seconds(retention), (long) batchSize);
    }

    /** The stored bytes of users' and guests' rows, in one snapshot. */
    public long totalBytes() {
        try (PreparedStatement total = connection.prepareStatement(MaintenanceSql.TOTAL_BYTES);
                ResultSet result = total.executeQuery()) {
            result.next();
            long bytes = result.getLong(1);
            connection.commit();
            return bytes;
        } catch (SQLException e) {
            throw new AnalysisStoreException("summing the stored bytes failed: " + e.getMessage(), e);
        }
    }

    /**
     * One batch of up to {@code batchSize} of the least recently read rows of {@code kind}'s table, only as many
     * as cover {@code excessBytes}.
     */
    public Deleted deleteLeastRecent(Owner.Kind kind, int batchSize, long excessBytes) {
        AnalysisCacheTable table = AnalysisCacheTable.of(kind);
        try (PreparedStatement delete = connection.prepareStatement(table.sql(MaintenanceSql.DELETE_LEAST_RECENT))) {
            Transaction.markOwnDeletes(connection);
            delete.setInt(1, batchSize);
            delete.setLong(2, excessBytes);
            long rows = 0;
            long bytes = 0;
            try (ResultSet deleted = delete.executeQuery()) {
                while (deleted.next()) {
                    rows++;
                    bytes += deleted.getLong(1);
                }
            }
            connection.commit();
            return new Deleted(rows, bytes);
        } catch (SQLException e) {
            throw new AnalysisStoreException(
                    "deleting the least recently read rows of " + table + " failed: " + e.getMessage(), e);
        }
    }

    private int deleteBatch(String what, String sql, Object... parameters) {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                delete.setObject(i + 1, parameters[i]);
            }
            Transaction.markOwnDeletes(connection);
            int rows = delete.executeUpdate();
            connection.commit();
            return rows;
        } catch (SQLException e) {
            throw new AnalysisStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Releases the lock and gives the connection back (or throws it out of the pool, which releases it too). */
    @Override
    public void close() {
        CleanupLock.release(dataSource, connection);
        closeQuietly(connection, null);
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
