package io.stemcache.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.liquibase.SchemaMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * A PostgreSQL database of one benchmark run, {@code stemcache_bench_<command>_<random>}, migrated with
 * {@link SchemaMigrations} and dropped on {@link #close()}, also when the run fails or is interrupted.
 */
final class BenchDatabase implements AutoCloseable {

    /** JDBC URL of any database on the server; the benchmark's own database is created beside it. */
    static final String SERVER_PROPERTY = "stemcache.bench.jdbc";

    static final String DEFAULT_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String USER = "postgres";

    private static final int POOL_SIZE = 16;

    private final String server;
    private final String name;
    private final HikariDataSource pool;
    private final Thread dropOnExit = new Thread(this::close, "drop-bench-database");
    private boolean closed;

    private BenchDatabase(String server, String name, HikariDataSource pool) {
        this.server = server;
        this.name = name;
        this.pool = pool;
    }

    /** Creates and migrates the database for {@code command} (lower-case letters). */
    static BenchDatabase create(String command) {
        String server = System.getProperty(SERVER_PROPERTY, DEFAULT_SERVER);
        int slash = server.lastIndexOf('/');
        if (!server.startsWith("jdbc:postgresql://") || slash < "jdbc:postgresql://".length()) {
            throw new UsageException(SERVER_PROPERTY + " must look like jdbc:postgresql://host:port/db, got " + server);
        }
        String name = "stemcache_bench_" + command + "_"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36)
                        .toLowerCase(Locale.ROOT);
        execute(server, "CREATE DATABASE " + name);
        BenchDatabase database = null;
        try {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.substring(0, slash + 1) + name);
            config.setUsername(USER);
            config.setPoolName(name);
            config.setMaximumPoolSize(POOL_SIZE);
            config.setMinimumIdle(2);
            // As the node's pool: pgjdbc's errors carry no row values (guest tokens among them).
            config.addDataSourceProperty("logServerErrorDetail", "false");
            database = new BenchDatabase(server, name, new HikariDataSource(config));
            Runtime.getRuntime().addShutdownHook(database.dropOnExit);
            SchemaMigrations.update(database.pool);
            return database;
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            } else {
                execute(server, drop(name));
            }
            throw e;
        }
    }

    String name() {
        return name;
    }

    DataSource dataSource() {
        return pool;
    }

    /** The JDBC URL of this database, for processes of the run that open pools of their own (user {@value #USER}). */
    String jdbcUrl() {
        return pool.getJdbcUrl();
    }

    /** The single number a query returns, e.g. a count. */
    long queryLong(String sql, Object... parameters) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Rows of {@code audio_analysis_cache} that belong to the user with this id. */
    long rowsOf(String ownerId) throws SQLException {
        return queryLong(
                "SELECT count(*) FROM audio_analysis_cache WHERE owner_kind = 'user' AND owner_id = ?", ownerId);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(dropOnExit);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook itself running.
        }
        pool.close();
        execute(server, drop(name));
    }

    private static String drop(String name) {
        // FORCE ends sessions a member's store may still hold open.
        return "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)";
    }

    private static void execute(String server, String sql) {
        try (Connection connection = DriverManager.getConnection(server, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot run '" + sql + "' on " + server + " as " + USER + ": " + e.getMessage() + " (set -D"
                            + SERVER_PROPERTY + " to a reachable PostgreSQL)",
                    e);
        }
    }
}
