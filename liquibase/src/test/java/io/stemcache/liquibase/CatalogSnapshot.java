package io.stemcache.liquibase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What PostgreSQL's catalog says about the stemcache tables, as sorted text lines, so that tests
 * can assert single facts and compare whole schemas (after a rollback and re-apply).
 */
record CatalogSnapshot(List<String> columns, List<String> constraints, List<String> indexes) {

    private static final String TABLES = "('audio_analysis_cache', 'cache_statistics', 'audio_analysis_dead_letter')";

    static CatalogSnapshot read(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return new CatalogSnapshot(
                    lines(connection, "SELECT table_name || '.' || column_name || ' ' || data_type"
                            + " || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END"
                            + " || coalesce(' default ' || column_default, '')"
                            + " FROM information_schema.columns WHERE table_schema = current_schema()"
                            + " AND table_name IN " + TABLES + " ORDER BY 1"),
                    lines(connection, "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
                            + " FROM pg_constraint WHERE conrelid::regclass::text IN " + TABLES + " ORDER BY 1"),
                    lines(connection, "SELECT indexname || ' ' || indexdef FROM pg_indexes"
                            + " WHERE schemaname = current_schema() AND tablename IN " + TABLES + " ORDER BY 1"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the catalog", e);
        }
    }

    /** The column's line, e.g. {@code audio_analysis_cache.owner_kind character varying not null}. */
    String column(String table, String column) {
        String prefix = table + "." + column + " ";
        return columns.stream().filter(line -> line.startsWith(prefix)).findFirst().orElse("missing " + prefix);
    }

    List<String> columnNames(String table) {
        return columns.stream().filter(line -> line.startsWith(table + "."))
                .map(line -> line.substring(table.length() + 1, line.indexOf(' '))).toList();
    }

    static List<String> lines(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }
}
