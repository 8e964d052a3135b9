package io.stemcache.liquibase;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The migration command behind {@link SchemaMigrations#main}: reads the database from the
 * environment, migrates it and returns the process exit code. Its output is the command's user
 * interface, so it prints rather than logs: without a logging backend on the classpath the log
 * would be lost.
 */
final class MigrateCommand {

    static final int OK = 0;
    static final int BAD_CONFIGURATION = 2;
    static final int UNREACHABLE = 3;
    static final int MIGRATION_FAILED = 4;

    static final String URL = "STEMCACHE_DB_URL";
    static final String USER = "STEMCACHE_DB_USER";
    static final String PASSWORD = "STEMCACHE_DB_PASSWORD";
    static final String SPRING_URL = "SPRING_DATASOURCE_URL";
    static final String SPRING_USER = "SPRING_DATASOURCE_USERNAME";
    static final String SPRING_PASSWORD = "SPRING_DATASOURCE_PASSWORD";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    MigrateCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    int run() {
        String urlVariable = isSet(URL) || !isSet(SPRING_URL) ? URL : SPRING_URL;
        String url = env.get(urlVariable);
        if (url == null || url.isBlank()) {
            err.println("stemcache migrate: " + URL + " is not set (nor " + SPRING_URL + "); set it to the JDBC URL"
                    + " of the PostgreSQL database to migrate, e.g. jdbc:postgresql://db:5432/stemcache");
            return BAD_CONFIGURATION;
        }
        String shownUrl = withoutParameters(url);
        if (!url.startsWith("jdbc:postgresql:")) {
            err.println("stemcache migrate: " + urlVariable + " must be a PostgreSQL JDBC URL starting with"
                    + " jdbc:postgresql:, got " + shownUrl);
            return BAD_CONFIGURATION;
        }
        String user = isSet(USER) ? env.get(USER) : env.get(SPRING_USER);
        String password = isSet(PASSWORD) ? env.get(PASSWORD) : env.get(SPRING_PASSWORD);

        Connection connection;
        try {
            connection = DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            err.println("stemcache migrate: cannot connect to " + shownUrl + (user == null ? "" : " as " + user)
                    + ": " + e.getMessage() + " (check " + urlVariable + ", " + USER + " and " + PASSWORD + ")");
            return UNREACHABLE;
        }
        try (connection) {
            List<String> applied = SchemaMigrations.update(
                    connection, SchemaMigrations.MASTER_CHANGELOG, SchemaMigrations.ownClasspath());
            if (applied.isEmpty()) {
                out.println("stemcache migrate: " + shownUrl + " is up to date");
            } else {
                out.println("stemcache migrate: " + shownUrl + ": " + applied.size() + " changesets");
                applied.forEach(line -> out.println("  " + line));
            }
            return OK;
        } catch (IllegalStateException e) {
            err.println("stemcache migrate: migrating " + shownUrl + " failed: " + e.getMessage());
            return MIGRATION_FAILED;
        } catch (SQLException e) {
            // Closing failed after the work was committed; the schema is up to date.
            return OK;
        }
    }

    private boolean isSet(String variable) {
        String value = env.get(variable);
        return value != null && !value.isBlank();
    }

    /** The URL without its query string, which may carry a password. */
    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
