package io.stemcache.migration;

import io.stemcache.liquibase.SchemaMigrations;
import io.stemcache.node.database.DatabaseBootstrap;
import io.stemcache.node.database.JdbcUrl;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The one migrate command, {@code java -jar stemcache-node-exec.jar migrate} (the chart's pre-install and
 * pre-upgrade Job runs it): a context with only the data source (created first when
 * {@code stemcache.create-database} is on), which applies the changelog to the database named by
 * {@code spring.datasource.*} (environment, arguments or {@code application.yaml}, as for the node), lists the
 * changesets it applied and exits. A failure is reported on one line with its cause, never a password:
 * exit 2 when the configuration is wrong, 3 when the database is unreachable, 4 when a changeset fails.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = HazelcastAutoConfiguration.class)
@Import(DatabaseBootstrap.class)
public class MigrationApplication {

    static final int OK = 0;
    static final int BAD_CONFIGURATION = 2;
    static final int UNREACHABLE = 3;
    static final int MIGRATION_FAILED = 4;

    private static final String URL = "spring.datasource.url";
    private static final String USER = "spring.datasource.username";

    /** Migrates and returns the process exit code, reporting on standard output and error. */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        ConfigurableEnvironment[] prepared = new ConfigurableEnvironment[1];
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(MigrationApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                            "spring.main.banner-mode=off",
                            "management.endpoints.enabled-by-default=false",
                            // This command applies the changelog itself, to list what it applied.
                            "spring.liquibase.enabled=false",
                            // No Hazelcast client either, where the client module is on the path (tests).
                            "stemcache.client.enabled=false")
                    .listeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> {
                        prepared[0] = event.getEnvironment();
                        checkUrl(event.getEnvironment().getProperty(URL));
                    })
                    .run(args);
        } catch (BadUrl e) {
            err.println("stemcache migrate: " + e.getMessage());
            return BAD_CONFIGURATION;
        } catch (RuntimeException e) {
            err.println("stemcache migrate: cannot start with this configuration: " + causes(e));
            return BAD_CONFIGURATION;
        }
        try (context) {
            String url = JdbcUrl.withoutSecrets(prepared[0].getProperty(URL));
            String user = prepared[0].getProperty(USER);
            DataSource dataSource = context.getBean(DataSource.class);
            try (Connection connection = dataSource.getConnection()) {
                connection.isValid(5);
            } catch (SQLException | RuntimeException e) {
                err.println("stemcache migrate: cannot connect to " + url + (user == null ? "" : " as " + user) + ": "
                        + causes(e) + " (check " + URL + ", " + USER + " and spring.datasource.password)");
                return UNREACHABLE;
            }
            List<String> applied;
            try {
                applied = SchemaMigrations.update(dataSource);
            } catch (RuntimeException e) {
                // SchemaMigrations names the changeset and Liquibase's reason.
                err.println("stemcache migrate: migrating " + url + " failed: " + message(e));
                return MIGRATION_FAILED;
            }
            if (applied.isEmpty()) {
                out.println("stemcache migrate: " + url + " is up to date");
            } else {
                out.println("stemcache migrate: " + url + ": " + applied.size() + " changesets");
                applied.forEach(line -> out.println("  " + line));
            }
            return OK;
        }
    }

    private static void checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new BadUrl(URL + " is not set; set it (SPRING_DATASOURCE_URL) to the JDBC URL of the PostgreSQL "
                    + "database to migrate, e.g. jdbc:postgresql://db:5432/stemcache");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new BadUrl(URL + " must be a PostgreSQL JDBC URL starting with jdbc:postgresql:, got "
                    + JdbcUrl.withoutSecrets(url));
        }
    }

    /** {@code e}'s message and, when it does not already say it, its root cause's: the part that names the problem. */
    static String causes(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = message(e);
        String inner = message(root);
        return root == e || outer.contains(inner) ? outer : outer + ": " + inner;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A {@code spring.datasource.url} this command cannot use. */
    private static final class BadUrl extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadUrl(String message) {
            super(message);
        }
    }
}
