package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Reads and changes rows of audio_analysis_cache behind the store's back, with plain SQL. */
final class TableRows {

    private final DataSource dataSource;

    TableRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Rows of both tables of entries (users' and guests'). */
    long count() {
        return queryLong(
                "SELECT (SELECT count(*) FROM audio_analysis_cache) + (SELECT count(*) FROM audio_analysis_guest_cache)");
    }

    /** The table the key's row lives in. */
    static String table(AnalysisKey key) {
        return AnalysisCacheTable.of(key.owner()).name;
    }

    /** The key's tombstone version, or null. */
    Long tombstone(AnalysisKey key) {
        Map<String, Object> row =
                queryRow("SELECT entry_version FROM audio_analysis_tombstone WHERE " + whereKey(), keyParameters(key));
        return row == null ? null : ((Number) row.get("entry_version")).longValue();
    }

    long queryLong(String sql, Object... parameters) {
        Map<String, Object> row = queryRow(sql, parameters);
        return ((Number) row.values().iterator().next()).longValue();
    }

    /** The columns of the key's row (null if there is none) by name: arrays as Java arrays, times as OffsetDateTime. */
    Map<String, Object> row(AnalysisKey key) {
        return queryRow(
                "SELECT * FROM " + table(key) + " WHERE owner_kind = ? AND owner_id = ?"
                        + " AND file_metadata_id = ? AND stem_type = ?",
                key.owner().kind().code(),
                key.owner().id(),
                key.fileMetadataId(),
                key.stemType().code());
    }

    Map<String, Object> queryRow(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    Object value = result.getObject(i);
                    if (value instanceof java.sql.Timestamp) {
                        value = result.getObject(i, java.time.OffsetDateTime.class);
                    }
                    row.put(
                            result.getMetaData().getColumnName(i),
                            value instanceof java.sql.Array array ? array.getArray() : value);
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("update failed: " + sql, e);
        }
    }

    /** Where the key's row is, as SQL that follows "... WHERE ". */
    static String whereKey() {
        return "owner_kind = ? AND owner_id = ? AND file_metadata_id = ? AND stem_type = ?";
    }

    static Object[] keyParameters(AnalysisKey key, Object... before) {
        Object[] all = new Object[before.length + 4];
        System.arraycopy(before, 0, all, 0, before.length);
        all[before.length] = key.owner().kind().code();
        all[before.length + 1] = key.owner().id();
        all[before.length + 2] = key.fileMetadataId();
        all[before.length + 3] = key.stemType().code();
        return all;
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
