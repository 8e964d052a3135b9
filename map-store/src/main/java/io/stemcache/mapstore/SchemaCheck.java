package io.stemcache.mapstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Checks at start-up that the tables, the columns and the unique keys the store relies on exist, and that
 * row-level security hides none of their rows from the store's role.
 */
final class SchemaCheck {

    private static final String RUN_MIGRATIONS = "run the stemcache Liquibase migrations"
            + " (classpath:db/changelog/db.changelog-master.yaml from stemcache-liquibase) on this database first";

    private static final String TABLE_COLUMNS =
            "SELECT attname FROM pg_attribute" + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped";

    private static final String UNIQUE_KEYS = """
            SELECT array_agg(a.attname::text ORDER BY a.attname::text) AS columns
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = ?::regclass AND i.indisunique
            GROUP BY i.indexrelid""";

    private static final List<AnalysisCacheTable> ENTRY_TABLES =
            List.of(AnalysisCacheTable.USERS, AnalysisCacheTable.GUESTS);

    /** Every table the store reads or writes. */
    static final List<String> TABLES = List.of(
            AnalysisCacheTable.USERS.name,
            AnalysisCacheTable.GUESTS.name,
            AnalysisCacheTable.TOMBSTONES,
            DeadLetters.TABLE);

    /** Those and the members' log of the product's deletes: row security must hide none of their rows either. */
    static final List<String> ROW_SECURITY_CHECKED = List.of(
            AnalysisCacheTable.USERS.name,
            AnalysisCacheTable.GUESTS.name,
            AnalysisCacheTable.TOMBSTONES,
            DeadLetters.TABLE,
            "audio_analysis_deleted_row",
            "audio_analysis_deletion_cursor");

    private SchemaCheck() {}

    /** Throws IllegalStateException naming what is missing, or why the check could not run. */
    static void verify(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            for (String table : TABLES) {
                if (!tableExists(connection, table)) {
                    throw new IllegalStateException(
                            "the stemcache schema is " + (table.equals(TABLES.get(0)) ? "missing" : "not migrated")
                                    + ": table " + table + " does not exist; " + RUN_MIGRATIONS);
                }
            }
            for (AnalysisCacheTable table : ENTRY_TABLES) {
                List<String> missing = missingColumns(connection, table.name);
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("the stemcache schema is not migrated: table " + table
                            + " lacks columns " + missing + "; " + RUN_MIGRATIONS);
                }
                if (!hasUniqueKey(connection, table.name)) {
                    throw new IllegalStateException("the stemcache schema is not migrated: table " + table
                            + " has no unique key on (owner_kind, owner_id, file_metadata_id, stem_type); "
                            + RUN_MIGRATIONS);
                }
            }
            RowSecurityCheck.verify(connection, ROW_SECURITY_CHECKED);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not check the schema of the stemcache tables " + TABLES + ": " + e.getMessage(), e);
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static List<String> missingColumns(Connection connection, String table) throws SQLException {
        Set<String> present = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(TABLE_COLUMNS)) {
            statement.setString(1, table);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    present.add(result.getString(1));
                }
            }
        }
        List<String> missing = new ArrayList<>(AnalysisCacheTable.COLUMNS);
        missing.removeAll(present);
        return missing;
    }

    private static boolean hasUniqueKey(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNIQUE_KEYS)) {
            statement.setString(1, table);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    if (List.of((String[]) result.getArray(1).getArray()).equals(AnalysisCacheTable.KEY_COLUMNS)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }
}
