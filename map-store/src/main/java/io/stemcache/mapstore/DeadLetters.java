package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import javax.sql.DataSource;

/**
 * Tells failures PostgreSQL will repeat for ever from ones that pass, and sets entries of the former
 * aside in {@code audio_analysis_dead_letter}, so one bad row does not block its partition's queue.
 */
final class DeadLetters {

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

    private DeadLetters() {
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
                insert.setString(1, key.owner().kind().code());
                insert.setString(2, key.owner().id());
                insert.setObject(3, key.fileMetadataId());
                insert.setString(4, key.stemType().code());
                insert.setBytes(5, value.payload());
                insert.setString(6, state);
                // NUL is the commonest poison; text cannot hold it either.
                insert.setString(7, reason.replace('\u0000', '?'));
                return insert.executeUpdate();
            }
        });
    }
}
