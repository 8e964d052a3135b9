package io.stemcache.mapstore;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleanup's PostgreSQL session advisory lock, held on one connection for a whole run. A session
 * lock (rather than {@code pg_try_advisory_xact_lock} per batch) makes a run exclusive from its first
 * step to its last, so two members never interleave batches or both purge memory; it outlives the run's
 * per-batch commits, and PostgreSQL releases it by itself when the connection dies with its member.
 * It needs a session of its own: through PgBouncer, use session pooling for the members.
 */
final class CleanupLock {

    /** Session advisory lock key of the cleanup: "stemclea" in ASCII, shared by every member. */
    static final long KEY = 0x7374656d636c6561L;

    private static final Logger log = LoggerFactory.getLogger(CleanupLock.class);

    private CleanupLock() {}

    /** Takes the lock on {@code connection} if no other session holds it; never waits. */
    static boolean tryAcquire(Connection connection) throws SQLException {
        return query(connection, MaintenanceSql.TRY_LOCK);
    }

    /**
     * Releases the lock and leaves the connection as the pool gave it. If that fails the connection is
     * thrown out of the pool instead: closing the session is what releases a lock it may still hold.
     */
    static void release(DataSource dataSource, Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            if (!query(connection, MaintenanceSql.UNLOCK)) {
                log.warn("The cleanup lock was no longer held by its session when the run ended");
            }
        } catch (SQLException | RuntimeException e) {
            log.warn(
                    "Could not release the cleanup lock ({}); closing its connection, which releases it",
                    e.getMessage());
            discard(dataSource, connection);
        }
    }

    private static void discard(DataSource dataSource, Connection connection) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
            } else {
                connection.abort(Runnable::run);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("Discarding the cleanup connection failed too", e);
        }
    }

    private static boolean query(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, KEY);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }
}
