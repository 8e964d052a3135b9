package io.stemcache.mapstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs work on one pooled connection in one transaction: committed if it returns, rolled back if it throws. */
final class Transaction {

    private static final Logger log = LoggerFactory.getLogger(Transaction.class);

    /** Work on a connection whose transaction {@link #run} owns. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transaction() {}

    /**
     * Tells the product table's delete trigger (changeset 026) that this transaction's deletes are stemcache's
     * own: the cluster already knows them, so they are not logged for the members to apply.
     */
    static void markOwnDeletes(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL stemcache.own_delete = 'on'");
        }
    }

    static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return on(connection, work);
        }
    }

    /**
     * Runs work in one transaction on a connection the caller keeps (a session that holds a lock), leaving it in
     * auto-commit as it was.
     */
    static <T> T on(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (AssertionError driverCheck) {
            // pgjdbc asserts (with -ea) instead of throwing when the connection dies inside a batch; an
            // Error escaping a store would stop Hazelcast's write-behind worker, so report a lost connection.
            SQLTransientConnectionException lost = new SQLTransientConnectionException(
                    "the connection failed inside the JDBC driver: " + driverCheck.getMessage(), "08006", driverCheck);
            rollback(connection, lost);
            throw lost;
        } catch (Throwable failure) {
            rollback(connection, failure);
            throw failure;
        } finally {
            restoreAutoCommit(connection, autoCommit);
        }
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is likely gone, which ends the transaction anyway; keep the first failure.
            failure.addSuppressed(e);
        }
    }

    // Pools reset this too, but a plain DataSource hands the connection to the next caller as it is.
    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        if (!autoCommit) {
            return;
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            log.debug("could not restore auto-commit on a connection that is probably broken", e);
        }
    }
}
