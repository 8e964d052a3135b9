package io.stemcache.node.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Deletes every owner's rows of a file from both tables in one transaction, leaving a tombstone of each
 * at its {@code entry_version}: the file's entries just removed from memory may still have stores of
 * older versions queued behind, and the map-store refuses those that a tombstone outdates.
 */
final class FileRows {

    private final DataSource dataSource;

    FileRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Returns the rows deleted from both tables. */
    int delete(UUID fileMetadataId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement own = connection.createStatement();
                 PreparedStatement delete = connection.prepareStatement(CacheTableSql.DELETE_FILE)) {
                own.execute(CacheTableSql.OWN_DELETE);
                delete.setObject(1, fileMetadataId);
                delete.setObject(2, fileMetadataId);
                int rows = delete.executeUpdate();
                connection.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            } finally {
                restoreAutoCommit(connection, autoCommit);
            }
        }
    }

    // Pools reset it too, but a plain DataSource hands the connection on as it is.
    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            // A broken connection, which its pool discards; the delete's own outcome is what the caller needs.
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);   // the connection is likely gone, which ends the transaction anyway
        }
    }
}
