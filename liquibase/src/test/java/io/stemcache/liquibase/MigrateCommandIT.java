package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.stemcache.liquibase.testing.FreshDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The migration command against a real server. */
class MigrateCommandIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private FreshDatabase db;

    @BeforeEach
    void createDatabase() {
        db = FreshDatabase.create("migrate_command");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void run_emptyDatabase_migratesAndListsTheChangesets() {
        int exit = run(Map.of("STEMCACHE_DB_URL", db.jdbcUrl(), "STEMCACHE_DB_USER", db.user(),
                "STEMCACHE_DB_PASSWORD", db.password()));

        assertThat(exit).as(err()).isEqualTo(MigrateCommand.OK);
        assertThat(out()).contains(db.jdbcUrl() + ": " + RollbackIT.ALL_CHANGESETS + " changesets")
                .contains("  001-create-audio-analysis-cache applied").contains("  026-03-create-row-deletion-triggers applied");
    }

    @Test
    void run_twice_reportsUpToDate() {
        Map<String, String> env = Map.of("STEMCACHE_DB_URL", db.jdbcUrl(), "STEMCACHE_DB_USER", db.user());
        run(env);
        out.reset();

        assertThat(run(env)).isEqualTo(MigrateCommand.OK);
        assertThat(out()).contains(db.jdbcUrl() + " is up to date");
    }

    @Test
    void run_springDatasourceVariables_areTheFallback() {
        int exit = run(Map.of("SPRING_DATASOURCE_URL", db.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", db.user(),
                "SPRING_DATASOURCE_PASSWORD", db.password()));

        assertThat(exit).as(err()).isEqualTo(MigrateCommand.OK);
        assertThat(out()).contains(RollbackIT.ALL_CHANGESETS + " changesets");
    }

    @Test
    void run_missingDatabase_failsAsUnreachable() {
        String missing = db.jdbcUrl() + "_missing";

        assertThat(run(Map.of("STEMCACHE_DB_URL", missing, "STEMCACHE_DB_USER", db.user())))
                .isEqualTo(MigrateCommand.UNREACHABLE);
        assertThat(err()).contains("cannot connect to " + missing).contains("does not exist");
    }

    @Test
    void run_failingChangeset_failsNamingIt() throws SQLException {
        // A table of that name but not the product's: 001 adopts it, 019 finds no user_id to backfill.
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE audio_analysis_cache (id bigint PRIMARY KEY)");
        }

        int exit = run(Map.of("STEMCACHE_DB_URL", db.jdbcUrl(), "STEMCACHE_DB_USER", db.user()));

        assertThat(exit).isEqualTo(MigrateCommand.MIGRATION_FAILED);
        assertThat(err()).contains("migrating " + db.jdbcUrl() + " failed: Migration failed for changeset")
                .contains("019-02-backfill-owners").contains("column \"user_id\" does not exist");
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
