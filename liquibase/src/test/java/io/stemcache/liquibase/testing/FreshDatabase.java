package io.stemcache.liquibase.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.liquibase.SchemaMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A uniquely named, empty PostgreSQL database for one test class, dropped on {@link #close()}.
 * Use {@link #createMigrated} for the full stemcache schema, {@link #create} for an empty one.
 *
 * <p>The server comes from the system property {@value #SERVER_PROPERTY} (a JDBC URL naming any
 * existing database on it, default {@value #DEFAULT_SERVER}), the credentials from
 * {@value #USER_PROPERTY} (default {@code postgres}) and {@value #PASSWORD_PROPERTY} (default
 * empty). The database is called {@code stemcache_test_<purpose>_<random>}.
 *
 * <pre>{@code
 * try (FreshDatabase db = FreshDatabase.createMigrated("map_store")) {
 *     new PostgresAnalysisStore(db.dataSource());
 * }
 * }</pre>
 */
public final class FreshDatabase implements AutoCloseable {

    public static final String SERVER_PROPERTY = "stemcache.test.jdbc";
    public static final String USER_PROPERTY = "stemcache.test.jdbc.user";
    public static final String PASSWORD_PROPERTY = "stemcache.test.jdbc.password";
    public static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";

    /** Pool size of {@link #dataSource()}: enough for a write-behind batch beside a test's reads. */
    static final int POOL_SIZE = 8;

    private static final Logger LOG = LoggerFactory.getLogger(FreshDatabase.class);
    private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    private static final Pattern POSTGRES_URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String name;
    private final String jdbcUrl;
    private final HikariDataSource dataSource;
    private boolean closed;

    private FreshDatabase(String serverUrl, String user, String password, String name, String jdbcUrl) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName(name);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        this.dataSource = new HikariDataSource(config);
    }

    /**
     * Creates an empty database.
     *
     * @param purpose what the database is for, in lower case letters, digits and underscores
     *     (at most 31), e.g. {@code "map_store"}; it goes into the database's name
     * @throws IllegalArgumentException when {@code purpose} or {@value #SERVER_PROPERTY} is malformed
     * @throws IllegalStateException when the server is unreachable or refuses to create it
     */
    public static FreshDatabase create(String purpose) {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("purpose must be lower case letters, digits or underscores, starting"
                    + " with a letter, at most 31 characters (it becomes part of a database name), got " + purpose);
        }
        String serverUrl = System.getProperty(SERVER_PROPERTY, DEFAULT_SERVER);
        Matcher url = POSTGRES_URL.matcher(serverUrl);
        if (!url.matches()) {
            throw new IllegalArgumentException(
                    SERVER_PROPERTY + " must look like jdbc:postgresql://host:port/database," + " got " + serverUrl);
        }
        String user = System.getProperty(USER_PROPERTY, "postgres");
        String password = System.getProperty(PASSWORD_PROPERTY, "");
        String name = "stemcache_test_" + purpose + "_"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36)
                        .toLowerCase(Locale.ROOT);
        String jdbcUrl = url.group(1) + name + (url.group(3) == null ? "" : url.group(3));

        executeOnServer(serverUrl, user, password, "CREATE DATABASE " + name);
        LOG.debug("Created database {}", name);
        try {
            return new FreshDatabase(serverUrl, user, password, name, jdbcUrl);
        } catch (RuntimeException e) {
            executeOnServer(serverUrl, user, password, dropStatement(name));
            throw e;
        }
    }

    /**
     * Creates a database and applies the stemcache schema to it with {@link SchemaMigrations}.
     *
     * @see #create(String)
     */
    public static FreshDatabase createMigrated(String purpose) {
        FreshDatabase database = create(purpose);
        try {
            SchemaMigrations.update(database.dataSource());
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The database's name, {@code stemcache_test_<purpose>_<random>}. */
    public String name() {
        return name;
    }

    /** The JDBC URL of this database, with the server URL's parameters. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user that owns the database, for code that opens its own connections. */
    public String user() {
        return user;
    }

    /** That user's password, usually empty (trust authentication). */
    public String password() {
        return password;
    }

    /** A small connection pool on this database, closed with it. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Closes the pool and drops the database, disconnecting anyone still connected. Calling it
     * again does nothing.
     *
     * @throws IllegalStateException when the database cannot be dropped (its name is in the message)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dataSource.close();
        executeOnServer(serverUrl, user, password, dropStatement(name));
        LOG.debug("Dropped database {}", name);
    }

    @Override
    public String toString() {
        return "FreshDatabase[" + jdbcUrl + "]";
    }

    private static String dropStatement(String name) {
        // FORCE (PostgreSQL 13+) terminates the sessions a test left open, e.g. a Hazelcast
        // member's pool that outlived it.
        return "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)";
    }

    private static void executeOnServer(String serverUrl, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot run '" + sql + "' on " + serverUrl + " as " + user + ": " + e.getMessage() + " (set "
                            + SERVER_PROPERTY + " to a reachable PostgreSQL server)",
                    e);
        }
    }
}
