package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.liquibase.testing.ProductSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * 026's log of the rows the product deletes from audio_analysis_cache (directly or by a foreign-key
 * cascade), on the product's schema, so that the members can evict them from memory.
 */
class RowDeletionLogIT {

    private static final String LOGGED =
            "SELECT stem_type || ' ' || owner_kind || ' ' || owner_id || ' ' || entry_version"
                    + " || ' cascade=' || cascade FROM audio_analysis_deleted_row ORDER BY seq";

    private FreshDatabase db;
    private UUID ada;
    private UUID song;

    @BeforeEach
    void migrateProductSchema() throws SQLException {
        db = ProductSchema.create("row_deletions");
        ada = ProductSchema.insertUser(db.dataSource(), "ada@example.com");
        song = ProductSchema.insertFile(db.dataSource(), ada, "song.wav");
        ProductSchema.insertAnalysis(db.dataSource(), ada, song, "vocals");
        ProductSchema.insertAnalysis(db.dataSource(), ada, song, "drums");
        SchemaMigrations.update(db.dataSource());
        execute("UPDATE audio_analysis_cache SET entry_version = 7 WHERE stem_type = 'vocals'");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void migrate_deletionCursor_startsAtZero() throws SQLException {
        assertThat(query("SELECT id || ' ' || last_seq FROM audio_analysis_deletion_cursor"))
                .containsExactly("1 0");
        assertThat(query("SELECT count(*) FROM audio_analysis_deleted_row")).containsExactly("0");
    }

    @Test
    void delete_fileMetadataRow_logsTheCascadedRows() throws SQLException {
        execute("DELETE FROM file_metadata WHERE id = '" + song + "'");

        assertThat(query(LOGGED))
                .containsExactlyInAnyOrder(
                        "vocals user " + ada + " 7 cascade=true", "drums user " + ada + " 0 cascade=true");
        assertThat(query("SELECT DISTINCT file_metadata_id FROM audio_analysis_deleted_row"))
                .containsExactly(song.toString());
    }

    @Test
    void delete_user_logsEachCascadedRowOnce() throws SQLException {
        // Two paths lead here: auth.users -> audio_analysis_cache and auth.users -> file_metadata ->
        // audio_analysis_cache.
        execute("DELETE FROM auth.users WHERE id = '" + ada + "'");

        assertThat(query(LOGGED))
                .containsExactlyInAnyOrder(
                        "vocals user " + ada + " 7 cascade=true", "drums user " + ada + " 0 cascade=true");
    }

    @Test
    void delete_direct_logsTheRowAsNotCascaded() throws SQLException {
        execute("DELETE FROM audio_analysis_cache WHERE stem_type = 'vocals'");

        assertThat(query(LOGGED)).containsExactly("vocals user " + ada + " 7 cascade=false");
    }

    @Test
    void delete_inATransactionOfStemcacheItself_logsNothing() throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SET LOCAL stemcache.own_delete = 'on'");
            statement.execute("DELETE FROM audio_analysis_cache WHERE stem_type = 'vocals'");
            connection.commit();
        }

        assertThat(query("SELECT count(*) FROM audio_analysis_cache")).containsExactly("1");
        assertThat(query("SELECT count(*) FROM audio_analysis_deleted_row")).containsExactly("0");
    }

    @Test
    void delete_legacyRow_isNotLogged() throws SQLException {
        // Legacy rows are unreachable through the cache: nothing in memory to evict.
        execute("UPDATE audio_analysis_cache SET owner_kind = 'legacy', owner_id = id::text WHERE stem_type = 'drums'");

        execute("DELETE FROM audio_analysis_cache");

        assertThat(query(LOGGED)).containsExactly("vocals user " + ada + " 7 cascade=false");
    }

    @Test
    void delete_directAndCascadedInOneStatement_areLoggedAsTheFirstDelete() throws SQLException {
        // The known limit of passing the depth from the BEFORE STATEMENT trigger, which fires once per statement.
        UUID other = ProductSchema.insertFile(db.dataSource(), ada, "other.wav");
        execute(
                "INSERT INTO audio_analysis_cache (owner_kind, owner_id, user_id, file_metadata_id, stem_type, sample_rate,"
                        + " duration, buffer_size, features_extracted, analysis_data) VALUES ('user', '" + ada + "', '"
                        + ada + "', '"
                        + other + "', 'bass', 44100, 1, 512, '{}', '{}')");

        execute("WITH direct AS (DELETE FROM audio_analysis_cache WHERE stem_type = 'vocals')"
                + " DELETE FROM file_metadata WHERE id = '" + other + "'");

        assertThat(query(LOGGED))
                .containsExactlyInAnyOrder(
                        "vocals user " + ada + " 7 cascade=false", "bass user " + ada + " 0 cascade=false");
    }

    @Test
    void delete_notifiesListenersOnceButNotForStemcachesOwnDeletes() throws SQLException {
        try (Connection listener = connect();
                Connection own = connect();
                Connection product = connect()) {
            execute(listener, "LISTEN stemcache_row_deleted");
            own.setAutoCommit(false);
            execute(own, "SET LOCAL stemcache.own_delete = 'on'");
            execute(own, "DELETE FROM audio_analysis_cache WHERE stem_type = 'drums'");
            own.commit();
            execute(product, "DELETE FROM audio_analysis_cache WHERE stem_type = 'vocals'");
            int productPid = backendPid(product);

            // Notifications arrive in commit order: one from the own delete would come first.
            List<PGNotification> received = new ArrayList<>();
            while (received.stream().noneMatch(n -> n.getPID() == productPid)) {
                PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(10_000);
                assertThat(batch).as("a notification within 10 s").isNotEmpty();
                received.addAll(List.of(batch));
            }
            assertThat(received).singleElement().satisfies(n -> {
                assertThat(n.getName()).isEqualTo("stemcache_row_deleted");
                assertThat(n.getParameter()).isEmpty();
            });
        }
    }

    @Test
    void delete_asAProductRoleThatCannotWriteTheLog_isLoggedAnyway() throws SQLException {
        String role = "stemcache_test_product_"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36)
                        .toLowerCase(Locale.ROOT);
        execute("CREATE ROLE " + role + " NOLOGIN");
        try {
            // Like Supabase's authenticated role: it reaches its own rows through the product's policy, nothing else.
            execute("GRANT USAGE ON SCHEMA auth TO " + role);
            execute("GRANT SELECT, DELETE ON audio_analysis_cache TO " + role);
            try (Connection connection = db.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("SET LOCAL ROLE " + role);
                statement.execute("SET LOCAL request.jwt.claim.sub = '" + ada + "'");
                assertThat(statement.executeUpdate("DELETE FROM audio_analysis_cache WHERE stem_type = 'vocals'"))
                        .isOne();
                statement.execute("SAVEPOINT log");
                assertThatThrownBy(
                                () -> statement.execute(
                                        "INSERT INTO audio_analysis_deleted_row (owner_kind, owner_id,"
                                                + " file_metadata_id, stem_type, entry_version, cascade) VALUES ('user', 'x', gen_random_uuid(), 'x', 0, false)"))
                        .hasMessageContaining("permission denied for table audio_analysis_deleted_row");
                statement.execute("ROLLBACK TO SAVEPOINT log");
                connection.commit();
            }

            assertThat(query(LOGGED)).containsExactly("vocals user " + ada + " 7 cascade=false");
        } finally {
            execute("DROP OWNED BY " + role);
            execute("DROP ROLE " + role);
        }
    }

    @Test
    void pgTriggerDepth_underAForeignKeyCascade_isTwoBeforeButOneAfter() throws SQLException {
        // Why 026 reads the depth in a BEFORE STATEMENT trigger: the referential trigger runs its DELETE
        // with the AFTER triggers deferred to the outer statement, where the depth is 1 again.
        execute("""
                CREATE TABLE probe_parent (id int PRIMARY KEY);
                CREATE TABLE probe_child (id int PRIMARY KEY, parent int REFERENCES probe_parent ON DELETE CASCADE);
                CREATE TABLE probe_depth (fired text);
                CREATE FUNCTION probe_depth() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO probe_depth VALUES (TG_WHEN || ' ' || pg_trigger_depth());
                  RETURN NULL;
                END
                $$;
                CREATE TRIGGER probe_before BEFORE DELETE ON probe_child FOR EACH STATEMENT EXECUTE FUNCTION probe_depth();
                CREATE TRIGGER probe_after AFTER DELETE ON probe_child REFERENCING OLD TABLE AS gone
                  FOR EACH STATEMENT EXECUTE FUNCTION probe_depth();
                INSERT INTO probe_parent VALUES (1), (2);
                INSERT INTO probe_child VALUES (1, 1), (2, 2);
                """);

        execute("DELETE FROM probe_parent");
        assertThat(query("SELECT fired FROM probe_depth ORDER BY 1")).containsExactly("AFTER 1", "BEFORE 2");
        execute("DELETE FROM probe_depth");
        execute("INSERT INTO probe_parent VALUES (1); INSERT INTO probe_child VALUES (1, 1)");

        execute("DELETE FROM probe_child");
        assertThat(query("SELECT fired FROM probe_depth ORDER BY 1")).containsExactly("AFTER 1", "BEFORE 1");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private static int backendPid(Connection connection) throws SQLException {
        return Integer.parseInt(
                CatalogSnapshot.lines(connection, "SELECT pg_backend_pid()").get(0));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            execute(connection, sql);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return CatalogSnapshot.lines(connection, sql);
        }
    }
}
