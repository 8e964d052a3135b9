package io.stemcache.liquibase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What PostgreSQL's catalog says about the tables of the current schema (Liquibase's own left
 * out), as sorted text lines, so that tests can assert single facts and compare whole schemas
 * (after a rollback and re-apply): columns, constraints, indexes, triggers, the schema's
 * functions with their bodies, and each table's row-level security switches and policies.
 */
record CatalogSnapshot(
        List<String> columns,
        List<String> constraints,
        List<String> indexes,
        List<String> triggers,
        List<String> functions,
        List<String> rowSecurity) {

    /** The snapshot of a schema without tables or functions. */
    static final CatalogSnapshot EMPTY =
            new CatalogSnapshot(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    private static final String TABLES =
            "(SELECT c.oid FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace"
                    + " AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'databasechangelog%')";

    static CatalogSnapshot read(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return new CatalogSnapshot(
                    lines(
                            connection,
                            "SELECT table_name || '.' || column_name || ' ' || data_type"
                                    + " || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END"
                                    + " || coalesce(' default ' || column_default, '')"
                                    + " FROM information_schema.columns WHERE table_schema = current_schema()"
                                    + " AND table_name NOT LIKE 'databasechangelog%' ORDER BY 1"),
                    lines(
                            connection,
                            "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
                                    + " FROM pg_constraint WHERE conrelid IN " + TABLES + " ORDER BY 1"),
                    lines(
                            connection,
                            "SELECT indexrelid::regclass || ' ' || pg_get_indexdef(indexrelid)"
                                    + " FROM pg_index WHERE indrelid IN " + TABLES + " ORDER BY 1"),
                    lines(
                            connection,
                            "SELECT pg_get_triggerdef(oid) || ' enabled ' || tgenabled::text"
                                    + " FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN " + TABLES
                                    + " ORDER BY 1"),
                    // The definition carries the body, SECURITY DEFINER and the SET clauses.
                    lines(
                            connection,
                            "SELECT pg_get_functiondef(oid) FROM pg_proc"
                                    + " WHERE pronamespace = current_schema()::regnamespace ORDER BY 1"),
                    lines(
                            connection,
                            "SELECT oid::regclass || ' row security ' || relrowsecurity || ' forced '"
                                    + " || relforcerowsecurity FROM pg_class WHERE oid IN " + TABLES
                                    + " AND (relrowsecurity OR relforcerowsecurity)"
                                    + " UNION ALL SELECT tablename || ' policy \"' || policyname || '\" ' || permissive || ' ' || cmd"
                                    + " || ' to ' || roles::text || ' using ' || coalesce(qual, '-') || ' check ' || coalesce(with_check, '-')"
                                    + " FROM pg_policies WHERE schemaname = current_schema() ORDER BY 1"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the catalog", e);
        }
    }

    /** The column's line, e.g. {@code audio_analysis_cache.owner_kind character varying not null}. */
    String column(String table, String column) {
        String prefix = table + "." + column + " ";
        return columns.stream()
                .filter(line -> line.startsWith(prefix))
                .findFirst()
                .orElse("missing " + prefix);
    }

    List<String> columnNames(String table) {
        return columns.stream()
                .filter(line -> line.startsWith(table + "."))
                .map(line -> line.substring(table.length() + 1, line.indexOf(' ')))
                .toList();
    }

    /** The names of the table's constraints. */
    List<String> constraintNames(String table) {
        return constraints.stream()
                .filter(line -> line.startsWith(table + " "))
                .map(line -> line.split(" ", 3)[1])
                .toList();
    }

    /** The triggers' definitions on the table, as pg_get_triggerdef gives them (with the table's schema). */
    List<String> triggersOn(String table) {
        return triggers.stream()
                .filter(line -> line.matches(".* ON (\\w+\\.)?" + table + " .*"))
                .toList();
    }

    static List<String> lines(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }
}
