package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The migration command's failures that need no database. */
class MigrateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_withoutUrl_failsNamingStemcacheDbUrl() {
        int exit = run(Map.of("STEMCACHE_DB_USER", "postgres"));

        assertThat(exit).isEqualTo(MigrateCommand.BAD_CONFIGURATION);
        assertThat(err()).contains("STEMCACHE_DB_URL is not set").contains("SPRING_DATASOURCE_URL");
        assertThat(out()).isEmpty();
    }

    @Test
    void run_blankUrl_failsNamingStemcacheDbUrl() {
        assertThat(run(Map.of("STEMCACHE_DB_URL", "  "))).isEqualTo(MigrateCommand.BAD_CONFIGURATION);
        assertThat(err()).contains("STEMCACHE_DB_URL is not set");
    }

    @Test
    void run_notAPostgresUrl_failsNamingTheVariableAndHidingParameters() {
        int exit = run(Map.of("SPRING_DATASOURCE_URL", "jdbc:mysql://db/stemcache?password=secret"));

        assertThat(exit).isEqualTo(MigrateCommand.BAD_CONFIGURATION);
        assertThat(err()).contains("SPRING_DATASOURCE_URL must be a PostgreSQL JDBC URL")
                .contains("jdbc:mysql://db/stemcache").doesNotContain("secret");
    }

    @Test
    void run_unreachableServer_failsNamingTheUrl() {
        // Port 1 refuses connections at once.
        int exit = run(Map.of("STEMCACHE_DB_URL", "jdbc:postgresql://127.0.0.1:1/stemcache?password=secret",
                "STEMCACHE_DB_USER", "cache"));

        assertThat(exit).isEqualTo(MigrateCommand.UNREACHABLE);
        assertThat(err()).contains("cannot connect to jdbc:postgresql://127.0.0.1:1/stemcache as cache")
                .contains("STEMCACHE_DB_URL").doesNotContain("secret");
    }

    private int run(Map<String, String> env) {
        return new MigrateCommand(env, print(out), print(err)).run();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
