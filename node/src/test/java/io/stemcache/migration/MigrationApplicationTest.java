package io.stemcache.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The migrate command's refusals that need no database server. */
class MigrationApplicationTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_blankUrl_failsNamingTheProperty() {
        int exit = run("--spring.datasource.url=  ");

        assertThat(exit).isEqualTo(MigrationApplication.BAD_CONFIGURATION);
        assertThat(err()).contains("spring.datasource.url is not set").contains("SPRING_DATASOURCE_URL");
        assertThat(out()).isEmpty();
    }

    @Test
    void run_notAPostgresUrl_failsNamingThePropertyAndHidingThePassword() {
        int exit = run("--spring.datasource.url=jdbc:mysql://db/stemcache?password=secret");

        assertThat(exit).isEqualTo(MigrationApplication.BAD_CONFIGURATION);
        assertThat(err())
                .contains("spring.datasource.url must be a PostgreSQL JDBC URL")
                .contains("jdbc:mysql://db/stemcache")
                .doesNotContain("secret");
    }

    @Test
    void run_unreachableServer_failsNamingTheUrlAndTheCause() {
        // Port 1 refuses connections at once.
        int exit = run(
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/stemcache?password=secret",
                "--spring.datasource.username=cache",
                "--stemcache.create-database=false");

        assertThat(exit).isEqualTo(MigrationApplication.UNREACHABLE);
        assertThat(err())
                .contains("cannot connect to jdbc:postgresql://127.0.0.1:1/stemcache?password=*** as cache")
                .contains("refused")
                .contains("spring.datasource.url")
                .doesNotContain("secret");
    }

    @Test
    void causes_namesTheRootCauseOnce() {
        IllegalStateException wrapped =
                new IllegalStateException("pool failed: disk full", new RuntimeException("disk full"));
        IllegalStateException apart = new IllegalStateException("pool failed", new RuntimeException("disk full"));

        assertThat(MigrationApplication.causes(wrapped)).isEqualTo("pool failed: disk full");
        assertThat(MigrationApplication.causes(apart)).isEqualTo("pool failed: disk full");
    }

    private int run(String... args) {
        return MigrationApplication.run(print(out), print(err), args);
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
