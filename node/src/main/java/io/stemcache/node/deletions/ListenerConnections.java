package io.stemcache.node.deletions;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Opens the listener's own PostgreSQL session, outside the member's pool. The session holds an advisory lock and
 * a LISTEN for as long as the member listens, which pooled connections must never carry back to the pool, and it
 * would keep one of the pool's few connections from the write-behind stores and loads for good.
 */
@FunctionalInterface
interface ListenerConnections {

    /** Shown in {@code pg_stat_activity.application_name}, to tell the listener's session from the pool's. */
    String APPLICATION_NAME = "stemcache-row-deletions";

    /**
     * Without a reply for this long the listener gives its session up and reconnects; the longest wait for
     * notifications (the poll interval) sets its own timeout.
     */
    int SOCKET_TIMEOUT_SECONDS = 30;

    /**
     * Keepalives the server sends on the session, so that when the listener's host vanishes without closing
     * the connection PostgreSQL ends the session, and releases the lock, after about 25 s instead of the
     * operating system's two hours.
     */
    String KEEPALIVES = "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3";

    Connection open() throws SQLException;

    /**
     * Sessions like the pool's: a Hikari pool's URL, user, password and driver properties, connected through
     * the driver directly; any other data source is asked for a connection, so it must not be a pool.
     */
    static ListenerConnections like(DataSource dataSource) {
        HikariDataSource hikari = unwrapHikari(dataSource);
        if (hikari == null) {
            return () -> prepare(dataSource.getConnection());
        }
        if (hikari.getJdbcUrl() == null) {
            if (hikari.getDataSource() == null) {
                throw new IllegalStateException("stemcache.row-deletions needs spring.datasource.url (the pool has"
                        + " neither a JDBC URL nor a data source to open its own session with)");
            }
            DataSource unpooled = hikari.getDataSource();
            return () -> prepare(unpooled.getConnection(hikari.getUsername(), hikari.getPassword()));
        }
        String url = hikari.getJdbcUrl();
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        // The URL's own parameters still win over these (pgjdbc reads them last).
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        properties.setProperty("tcpKeepAlive", "true");
        return () -> prepare(DriverManager.getConnection(url, properties));
    }

    private static Connection prepare(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(KEEPALIVES);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static HikariDataSource unwrapHikari(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }
}
