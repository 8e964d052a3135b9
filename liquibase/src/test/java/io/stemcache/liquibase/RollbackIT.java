package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.testing.FreshDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every changeset's rollback, on a database the changelog created. */
class RollbackIT {

    /**
     * 019's eight changesets, 020's two, 021's, 022's and 023's one each, 024's two, 025's one, 026's three and 027's one:
     * what stemcache adds to the product's schema.
     */
    static final int STEMCACHE_CHANGESETS = 20;

    /** Those and 001's and 018's six, which adopt the product's table. */
    static final int ALL_CHANGESETS = 27;

    private FreshDatabase db;

    @BeforeEach
    void migrate() {
        db = FreshDatabase.createMigrated("rollback");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void rollbackCount_moreThanApplied_rollsBackAllAndLeavesNoTrace() throws SQLException {
        SchemaMigrations.rollbackCount(db.dataSource(), 1000);

        assertThat(CatalogSnapshot.read(db.dataSource())).isEqualTo(CatalogSnapshot.EMPTY);
        assertThat(query("SELECT count(*) FROM databasechangelog")).containsExactly("0");
    }

    @Test
    void rollbackCount_allThenUpdate_rebuildsTheSameSchema() {
        CatalogSnapshot migrated = CatalogSnapshot.read(db.dataSource());

        SchemaMigrations.rollbackCount(db.dataSource(), ALL_CHANGESETS);
        assertThat(SchemaMigrations.update(db.dataSource())).hasSize(ALL_CHANGESETS);

        assertThat(CatalogSnapshot.read(db.dataSource())).isEqualTo(migrated);
    }

    @Test
    void rollbackCount_oneAtATime_eachStepThenUpdateRebuildsTheSameSchema() {
        CatalogSnapshot migrated = CatalogSnapshot.read(db.dataSource());

        for (int applied = ALL_CHANGESETS; applied > 0; applied--) {
            SchemaMigrations.rollbackCount(db.dataSource(), 1);
        }
        assertThat(CatalogSnapshot.read(db.dataSource())).isEqualTo(CatalogSnapshot.EMPTY);
        assertThat(SchemaMigrations.update(db.dataSource())).hasSize(ALL_CHANGESETS);

        assertThat(CatalogSnapshot.read(db.dataSource())).isEqualTo(migrated);
    }

    @Test
    void rollbackCount_stemcacheChangesets_restoresTheProductSchema() throws SQLException {
        UUID file = UUID.randomUUID();
        execute(
                "INSERT INTO audio_analysis_cache (owner_kind, owner_id, user_id, file_metadata_id, stem_type, analysis_data)"
                        + " VALUES ('user', '" + file + "', '" + file + "', '" + file
                        + "', 'vocals', '{\"tempo\": 99}')");

        SchemaMigrations.rollbackCount(db.dataSource(), STEMCACHE_CHANGESETS);

        CatalogSnapshot schema = CatalogSnapshot.read(db.dataSource());
        assertThat(schema.columnNames("audio_analysis_cache"))
                .contains("last_accessed", "size", "compressed", "cache_version")
                .doesNotContain(
                        "owner_kind",
                        "owner_id",
                        "payload",
                        "raw_size",
                        "precision",
                        "content_hash",
                        "access_count",
                        "entry_version");
        assertThat(schema.columns()).allMatch(line -> line.startsWith("audio_analysis_cache."));
        assertThat(schema.triggers()).isEmpty();
        assertThat(schema.functions()).isEmpty();
        assertThat(schema.rowSecurity()).isEmpty();
        assertThat(
                        query(
                                "SELECT conname FROM pg_constraint WHERE conrelid = 'audio_analysis_cache'::regclass ORDER BY 1"))
                .containsExactly("audio_analysis_cache_file_stem_version_key", "audio_analysis_cache_pkey");
        assertThat(query("SELECT analysis_data ->> 'tempo' FROM audio_analysis_cache"))
                .containsExactly("99");
    }

    @Test
    void rollbackCount_twoOwnersShareAFileStemAndVersion_failsOnTheOldKey() throws SQLException {
        UUID file = UUID.randomUUID();
        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type)"
                + " VALUES ('user', 'alice', '" + file + "', 'bass')");
        execute("INSERT INTO audio_analysis_guest_cache (id, owner_id, file_metadata_id, stem_type)"
                + " VALUES (gen_random_uuid(), 'g-1', '" + file + "', 'bass')");

        // Intended: the old schema cannot hold two owners' copies of one analysis. The guest's row is
        // moved back into audio_analysis_cache on the way (024-02) and kept there.
        assertThatThrownBy(() -> SchemaMigrations.rollbackCount(db.dataSource(), STEMCACHE_CHANGESETS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("audio_analysis_cache_file_stem_version_key");
        assertThat(query("SELECT count(*) FROM audio_analysis_cache")).containsExactly("2");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return CatalogSnapshot.lines(connection, sql);
        }
    }
}
