package io.stemcache.mapstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of the log of deleted rows (changeset 026): the trigger on {@code audio_analysis_cache} appends a row
 * for each row the product deletes and sends {@value #CHANNEL}; the listening member reads the oldest rows,
 * applies them, then deletes them and advances the cursor in one transaction. Every call runs on the listener's
 * own session, which the caller opens and keeps (it holds the lock and the {@code LISTEN}); failures are
 * {@link AnalysisStoreException}s naming the step, and mean the session is to be given up.
 */
public final class DeletionLog {

    public static final String CHANNEL = "stemcache_row_deleted";

    /** Session advisory lock key of the listener: "stemrowd" in ASCII, shared by every member. */
    public static final long LOCK_KEY = 0x7374656d726f7764L;

    public static final String LOG_TABLE = "audio_analysis_deleted_row";
    public static final String CURSOR_TABLE = "audio_analysis_deletion_cursor";

    /**
     * The oldest rows still logged, not those past the cursor: seq is taken when the product's transaction
     * deletes, so a transaction that commits after a later one adds rows below a cursor already advanced.
     * Applied rows are deleted, so what is left in the log is exactly what is still to apply.
     */
    private static final String NEXT = "SELECT seq, owner_kind, owner_id, file_metadata_id, stem_type, entry_version,"
            + " cascade FROM " + LOG_TABLE + " ORDER BY seq LIMIT ?";

    private static final String FORGET = "DELETE FROM " + LOG_TABLE + " WHERE seq = ANY (?::bigint[])";

    private static final String ADVANCE =
            "UPDATE " + CURSOR_TABLE + " SET last_seq = GREATEST(last_seq, ?) WHERE id = 1";

    private static final String HAS_FOREIGN_KEYS = "SELECT EXISTS (SELECT 1 FROM pg_constraint"
            + " WHERE conrelid = to_regclass('audio_analysis_cache') AND contype = 'f')";

    private static final String LOG_EXISTS = "SELECT to_regclass('" + LOG_TABLE + "') IS NOT NULL"
            + " AND to_regclass('" + CURSOR_TABLE + "') IS NOT NULL";

    private DeletionLog() {}

    /** True when {@code audio_analysis_cache} has foreign keys: the product's table (auth.users, file_metadata). */
    public static boolean isProductTable(Connection connection) {
        return queryBoolean(connection, HAS_FOREIGN_KEYS, "reading audio_analysis_cache's foreign keys");
    }

    /** True when the migrations created the log and its cursor. */
    public static boolean exists(Connection connection) {
        return queryBoolean(connection, LOG_EXISTS, "looking for " + LOG_TABLE + " and " + CURSOR_TABLE);
    }

    /** Takes the listener's lock if no other session holds it; never waits. */
    public static boolean tryLock(Connection connection) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failed("taking the row-deletion listener's lock", e);
        }
    }

    /** The session's server process, which operators find in pg_stat_activity. */
    public static int backendPid(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
            return result.next() ? result.getInt(1) : -1;
        } catch (SQLException e) {
            throw failed("reading the session's backend pid", e);
        }
    }

    /** Subscribes the session to {@value #CHANNEL}. */
    public static void listen(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        } catch (SQLException e) {
            throw failed("LISTEN " + CHANNEL, e);
        }
    }

    /** The oldest {@code limit} rows of the log, in seq order. */
    public static List<LoggedDeletion> next(Connection connection, int limit) {
        List<LoggedDeletion> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(NEXT)) {
            statement.setInt(1, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(LoggedDeletion.of(
                            result.getLong(1),
                            result.getString(2),
                            result.getString(3),
                            result.getObject(4, UUID.class),
                            result.getString(5),
                            result.getLong(6),
                            result.getBoolean(7)));
                }
            }
        } catch (SQLException e) {
            throw failed("reading " + LOG_TABLE, e);
        }
        return rows;
    }

    /**
     * Deletes the applied rows and moves the cursor to the highest of them, in one transaction on the session
     * that holds the lock: a member whose session ended cannot commit it.
     */
    public static void forget(Connection connection, List<LoggedDeletion> applied) {
        Long[] seqs = applied.stream().map(LoggedDeletion::seq).toArray(Long[]::new);
        long highest = applied.stream().mapToLong(LoggedDeletion::seq).max().orElseThrow();
        try {
            Transaction.on(connection, session -> {
                try (PreparedStatement forget = session.prepareStatement(FORGET);
                        PreparedStatement advance = session.prepareStatement(ADVANCE)) {
                    forget.setArray(1, session.createArrayOf("bigint", seqs));
                    forget.executeUpdate();
                    advance.setLong(1, highest);
                    advance.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw failed("deleting " + applied.size() + " applied rows from " + LOG_TABLE, e);
        }
    }

    private static boolean queryBoolean(Connection connection, String sql, String what) {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            return result.next() && result.getBoolean(1);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private static AnalysisStoreException failed(String what, SQLException e) {
        return new AnalysisStoreException(what + " failed: " + e.getMessage(), e);
    }
}
