package io.stemcache.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.liquibase.testing.FreshDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The migrate command (the chart's Job) against a real server. */
class MigrationApplicationIT {

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
        int exit = run(db.jdbcUrl());

        assertThat(exit).as(err()).isEqualTo(MigrationApplication.OK);
        List<String> listed =
                out().lines().filter(line -> line.startsWith("  ")).toList();
        assertThat(out())
                .contains(db.jdbcUrl() + ": " + listed.size() + " changesets")
                .contains("  001-create-audio-analysis-cache applied")
                .contains("  027-01-fill-owner-of-product-inserts applied");
    }

    @Test
    void run_twice_reportsUpToDate() {
        run(db.jdbcUrl());
        out.reset();

        assertThat(run(db.jdbcUrl())).isEqualTo(MigrationApplication.OK);
        assertThat(out()).contains(db.jdbcUrl() + " is up to date");
    }

    @Test
    void run_missingDatabase_failsAsUnreachableNamingTheCause() {
        String missing = db.jdbcUrl() + "_missing";

        assertThat(run(missing)).isEqualTo(MigrationApplication.UNREACHABLE);
        assertThat(err()).contains("cannot connect to " + missing).contains("does not exist");
    }

    @Test
    void run_failingChangeset_failsNamingIt() throws SQLException {
        // A table of that name but not the product's: 001 adopts it, 019 finds no user_id to backfill.
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE audio_analysis_cache (id bigint PRIMARY KEY)");
        }

        int exit = run(db.jdbcUrl());

        assertThat(exit).isEqualTo(MigrationApplication.MIGRATION_FAILED);
        assertThat(err())
                .contains("migrating " + db.jdbcUrl() + " failed: Migration failed for changeset")
                .contains("019-02-backfill-owners")
                .contains("column \"user_id\" does not exist");
    }

    private int run(String url) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + db.user(),
                "--stemcache.create-database=false"));
        if (db.password() != null) {
            args.add("--spring.datasource.password=" + db.password());
        }
        return MigrationApplication.run(print(out), print(err), args.toArray(String[]::new));
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
