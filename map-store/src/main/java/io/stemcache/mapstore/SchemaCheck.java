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

/** Checks at start-up that the table, the columns and the unique key the store relies on exist. */
final class SchemaCheck {

    private static final String RUN_MIGRATIONS = "run the stemcache Liquibase migrations"
            + " (classpath:db/changelog/db.changelog-master.yaml from stemcache-liquibase) on this database first";

    private SchemaCheck() {
    }

    /** Throws IllegalStateException naming what is missing, or why the check could not run. */
    static void verify(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (!tableExists(connection)) {
                throw new IllegalStateException("the stemcache schema is missing: table " + AnalysisCacheTable.NAME
                        + " does not exist; " + RUN_MIGRATIONS);
            }
            List<String> missing = missingColumns(connection);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the stemcache schema is not migrated: table " + AnalysisCacheTable.NAME
                        + " lacks columns " + missing + "; " + RUN_MIGRATIONS);
            }
            if (!hasUniqueKey(connection)) {
                throw new IllegalStateException("the stemcache schema is not migrated: table " + AnalysisCacheTable.NAME
                        + " has no unique key on (owner_kind, owner_id, file_metadata_id, stem_type); " + RUN_MIGRATIONS);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not check the schema of table " + AnalysisCacheTable.NAME + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, AnalysisCacheTable.NAME);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static List<String> missingColumns(Connection connection) throws SQLException {
        Set<String> present = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(AnalysisCacheTable.TABLE_COLUMNS)) {
            statement.setString(1, AnalysisCacheTable.NAME);
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

    private static boolean hasUniqueKey(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(AnalysisCacheTable.UNIQUE_KEYS)) {
            statement.setString(1, AnalysisCacheTable.NAME);
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
