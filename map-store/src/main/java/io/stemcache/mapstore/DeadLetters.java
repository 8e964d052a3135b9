package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells failures PostgreSQL will repeat for ever from ones that pass, and sets entries of the former
 * aside in {@code audio_analysis_dead_letter}, so one bad row does not block its partition's queue: the
 * store's one-by-one fallback after a refused batch, and the quarantine of rows a load could not read.
 */
final class DeadLetters {

    // Under the store's name: operators follow one logger for everything the store does.
    private static final Logger log = LoggerFactory.getLogger(PostgresAnalysisStore.class);

    /** The count {@link #storeOneByOne} gives an entry it set aside. */
    static final int DEAD_LETTERED = -1;

    static final String TABLE = "audio_analysis_dead_letter";

    static final String INSERT = "INSERT INTO " + TABLE
            + " (owner_kind, owner_id, file_metadata_id, stem_type, payload, sqlstate, reason) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /**
     * Moves one unreadable row of a table (formatted in) into the dead-letter table, in one statement: only if it
     * is still the row that was read (same {@code entry_version}), so a newer write that replaced it stays.
     */
    private static final String QUARANTINE = """
            WITH moved AS (
                DELETE FROM %s
                WHERE owner_kind = ? AND owner_id = ? AND file_metadata_id = ? AND stem_type = ?
                  AND entry_version = ? AND payload IS NOT NULL
                RETURNING owner_kind, owner_id, file_metadata_id, stem_type, payload)
            INSERT INTO audio_analysis_dead_letter (owner_kind, owner_id, file_metadata_id, stem_type, payload,
                sqlstate, reason)
            SELECT owner_kind, owner_id, file_metadata_id, stem_type, payload, NULL, ? FROM moved""";

    /** The quarantine statement of {@code table}. */
    static String quarantine(AnalysisCacheTable table) {
        return QUARANTINE.formatted(table.name);
    }

    private final DataSource dataSource;
    private final StoreMetrics metrics;

    DeadLetters(DataSource dataSource, StoreMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /**
     * Upserts each entry in its own transaction; one PostgreSQL refuses for good goes to the dead-letter
     * table and counts {@link #DEAD_LETTERED}. Throws, for Hazelcast to retry the whole batch (the stored
     * rows rewrite themselves harmlessly), on any other failure or when the dead letter cannot be written.
     */
    int[] storeOneByOne(String mapName, List<AnalysisKey> keys, Map<AnalysisKey, CachedAudioAnalysis> entries) {
        int[] counts = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            AnalysisKey key = keys.get(i);
            CachedAudioAnalysis value = entries.get(key);
            try {
                counts[i] = Transaction.run(dataSource, connection -> {
                    Transaction.markOwnDeletes(connection);
                    try (PreparedStatement write =
                            connection.prepareStatement(AnalysisCacheTable.statementOf(key, value))) {
                        AnalysisCacheTable.bind(write, key, value);
                        return write.executeUpdate();
                    }
                });
            } catch (SQLException | RuntimeException e) {
                if (!isPermanent(e)) {
                    metrics.storeFailed();
                    throw PostgresAnalysisStore.failure(mapName, "storing " + key + " on its own failed", e);
                }
                String state = sqlState(e);
                try {
                    insert(dataSource, key, value, state, PostgresAnalysisStore.reason(e));
                } catch (SQLException | RuntimeException deadLetterFailure) {
                    deadLetterFailure.addSuppressed(e);
                    metrics.storeFailed();
                    throw PostgresAnalysisStore.failure(
                            mapName, "setting " + key + " aside in " + TABLE + " failed", deadLetterFailure);
                }
                log.error(
                        "map '{}': {} set aside in {}: PostgreSQL refuses it for good ({}: {})",
                        mapName,
                        key,
                        TABLE,
                        state,
                        PostgresAnalysisStore.reason(e));
                counts[i] = DEAD_LETTERED;
            }
        }
        return counts;
    }

    /**
     * Puts unreadable rows aside in the dead-letter table, with the reason, for inspection: they read as misses
     * either way, and no longer fail every load of their key. Best effort: a row that cannot be moved stays.
     */
    void quarantine(String mapName, List<EntryLoader.Unreadable> unreadable) {
        for (EntryLoader.Unreadable row : unreadable) {
            if (!row.quarantine()) {
                log.warn(
                        "map '{}': the unreadable row of {} stays in the table (a legacy JSON row, or a payload of a"
                                + " newer format)",
                        mapName,
                        row.key());
                continue;
            }
            try {
                int moved = Transaction.run(dataSource, connection -> {
                    Transaction.markOwnDeletes(connection);
                    try (PreparedStatement move = connection.prepareStatement(quarantine(row.table()))) {
                        int next = KeyColumns.bind(move, 1, row.key());
                        move.setLong(next, row.version());
                        move.setString(next + 1, ("unreadable on load: " + row.reason()).replace('\u0000', '?'));
                        return move.executeUpdate();
                    }
                });
                metrics.quarantined(moved);
                if (moved > 0) {
                    log.warn(
                            "map '{}': the unreadable row of {} was moved to {} for inspection",
                            mapName,
                            row.key(),
                            TABLE);
                }
            } catch (SQLException | RuntimeException e) {
                log.warn(
                        "map '{}': could not move the unreadable row of {} to {}; it stays: {}",
                        mapName,
                        row.key(),
                        TABLE,
                        PostgresAnalysisStore.reason(e));
            }
        }
    }

    /**
     * True when storing the same row again can only fail the same way: data exceptions (class 22),
     * integrity constraints (23), program limits (54), or a value the binding itself refuses. Everything
     * else, connections (08), resources (53), operator intervention (57), rollbacks (40), locks (55P03),
     * pool timeouts, a schema not migrated (42) or a state we do not know, is worth retrying.
     */
    static boolean isPermanent(Exception failure) {
        if (failure instanceof IllegalArgumentException) {
            return true;
        }
        String state = sqlState(failure);
        if (state == null || hasTransientCause(failure)) {
            return false;
        }
        return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
    }

    /** The server's SQLState: a batch error carries it on its next exception. */
    static String sqlState(Exception failure) {
        if (!(failure instanceof SQLException sql)) {
            return null;
        }
        SQLException next = sql.getNextException();
        if (next != null && next.getSQLState() != null) {
            return next.getSQLState();
        }
        return sql.getSQLState();
    }

    private static boolean hasTransientCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException) {
                return true;
            }
        }
        return false;
    }

    /** Inserts one dead letter in its own transaction; throws if even that fails. */
    static void insert(DataSource dataSource, AnalysisKey key, CachedAudioAnalysis value, String state, String reason)
            throws SQLException {
        Transaction.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                KeyColumns.bind(insert, 1, key);
                insert.setBytes(5, value.payload());
                insert.setString(6, state);
                // NUL is the commonest poison; text cannot hold it either.
                insert.setString(7, reason.replace('\u0000', '?'));
                return insert.executeUpdate();
            }
        });
    }
}
