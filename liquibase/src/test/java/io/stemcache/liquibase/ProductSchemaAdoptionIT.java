package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.liquibase.testing.ProductSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: production's audio_analysis_cache is the product's migration 012, with foreign keys to
 * auth.users and file_metadata, NOT NULL columns, a row-level security policy and an updated_at
 * trigger. The changelog must adopt it and leave every one of those in force, and its rollback
 * must give the product its table back.
 */
class ProductSchemaAdoptionIT {

    private static final String FOREIGN_KEY_ERROR = "23503";

    private FreshDatabase db;
    private CatalogSnapshot product;
    private UUID ada;
    private UUID song;
    private UUID vocals;

    @BeforeEach
    void createProductSchema() {
        db = ProductSchema.create("product_adoption");
        ada = ProductSchema.insertUser(db.dataSource(), "ada@example.com");
        song = ProductSchema.insertFile(db.dataSource(), ada, "song.wav");
        vocals = ProductSchema.insertAnalysis(db.dataSource(), ada, song, "vocals");
        ProductSchema.insertAnalysis(db.dataSource(), ada, song, "drums");
        product = CatalogSnapshot.read(db.dataSource());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void update_productSchema_adoptsTheTableAndAppliesEveryOtherChangeset() {
        List<String> applied = SchemaMigrations.update(db.dataSource());

        assertThat(applied)
                .hasSize(RollbackIT.ALL_CHANGESETS)
                .first()
                .isEqualTo("001-create-audio-analysis-cache adopted (already present)");
        assertThat(applied).filteredOn(line -> line.endsWith(" applied")).hasSize(RollbackIT.ALL_CHANGESETS - 1);
    }

    @Test
    void update_productRows_becomeTheirUsersEntriesAtEntryVersionZero() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        assertThat(
                        query(
                                "SELECT stem_type || ' ' || owner_kind || ' ' || owner_id || ' ' || entry_version || ' '"
                                        + " || (analysis_data ->> 'key') || ' ' || (payload IS NULL) FROM audio_analysis_cache ORDER BY 1"))
                .containsExactly("drums user " + ada + " 0 A minor true", "vocals user " + ada + " 0 A minor true");
    }

    @Test
    void update_thenTheProductInsertsARowItsOwnWay_theRowIsItsUsersEntry() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        // The product knows nothing of owner_kind and owner_id: 027's trigger fills them.
        ProductSchema.insertAnalysis(db.dataSource(), ada, song, "bass");

        assertThat(query("SELECT owner_kind || ' ' || owner_id || ' ' || entry_version FROM audio_analysis_cache"
                        + " WHERE stem_type = 'bass'"))
                .containsExactly("user " + ada + " 0");
    }

    @Test
    void update_productSchema_keepsItsForeignKeysPolicyAndTrigger() {
        SchemaMigrations.update(db.dataSource());

        CatalogSnapshot migrated = CatalogSnapshot.read(db.dataSource());
        assertThat(migrated.constraints())
                .contains(
                        "audio_analysis_cache audio_analysis_cache_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id)"
                                + " ON DELETE CASCADE",
                        "audio_analysis_cache audio_analysis_cache_file_metadata_id_fkey FOREIGN KEY (file_metadata_id)"
                                + " REFERENCES file_metadata(id) ON DELETE CASCADE");
        assertThat(migrated.column("audio_analysis_cache", "user_id"))
                .isEqualTo("audio_analysis_cache.user_id uuid not null");
        assertThat(migrated.rowSecurity())
                .containsAll(product.rowSecurity())
                .anyMatch(line -> line.contains("\"" + ProductSchema.POLICY + "\""));
        assertThat(migrated.triggers()).containsAll(product.triggers());
    }

    @Test
    void update_productTrigger_stillSetsUpdatedAt() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        execute("UPDATE audio_analysis_cache SET updated_at = '2000-01-01', sample_rate = 48000 WHERE id = '" + vocals
                + "'");

        assertThat(query("SELECT updated_at > now() - interval '1 hour' FROM audio_analysis_cache WHERE id = '" + vocals
                        + "'"))
                .containsExactly("t");
    }

    @Test
    void update_productForeignKeys_stillCascadeAndRefuseUnknownFiles() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        assertThatThrownBy(() ->
                        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, user_id, file_metadata_id,"
                                + " stem_type, sample_rate, duration, buffer_size, features_extracted, analysis_data) VALUES ('user', '"
                                + ada
                                + "', '" + ada + "', '" + UUID.randomUUID() + "', 'bass', 44100, 1, 512, '{}', '{}')"))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(FOREIGN_KEY_ERROR));

        execute("DELETE FROM file_metadata WHERE id = '" + song + "'");
        assertThat(query("SELECT count(*) FROM audio_analysis_cache")).containsExactly("0");
    }

    @Test
    void update_productSchema_givesGuestsTheirOwnTableWithRowSecurity() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        CatalogSnapshot migrated = CatalogSnapshot.read(db.dataSource());
        assertThat(migrated.columnNames("audio_analysis_guest_cache"))
                .containsExactlyInAnyOrderElementsOf(migrated.columnNames("audio_analysis_cache"));
        assertThat(migrated.rowSecurity())
                .contains("audio_analysis_guest_cache row security true forced false")
                .noneMatch(line -> line.startsWith("audio_analysis_guest_cache policy"));
        // A guest's file is in no file_metadata row: no foreign key may stop it.
        execute("INSERT INTO audio_analysis_guest_cache (id, owner_id, file_metadata_id, stem_type, payload, precision)"
                + " VALUES (gen_random_uuid(), 'g-42', '" + UUID.randomUUID() + "', 'vocals', '\\x00', 'Q16')");
        assertThat(query("SELECT owner_kind || ' ' || owner_id FROM audio_analysis_guest_cache"))
                .containsExactly("guest g-42");
    }

    @Test
    void rollbackCount_stemcacheChangesets_givesTheProductItsTableBack() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        SchemaMigrations.rollbackCount(db.dataSource(), RollbackIT.STEMCACHE_CHANGESETS);

        CatalogSnapshot rolledBack = CatalogSnapshot.read(db.dataSource());
        // 019-06 recreates the old key under 001's name; everything else of the product is as it was.
        assertThat(rolledBack.constraints())
                .containsExactlyInAnyOrderElementsOf(product.constraints().stream()
                        .map(line ->
                                line.replace(ProductSchema.PRODUCT_KEY, "audio_analysis_cache_file_stem_version_key"))
                        .toList());
        assertThat(rolledBack.triggers()).isEqualTo(product.triggers());
        assertThat(rolledBack.functions()).isEqualTo(product.functions());
        assertThat(rolledBack.rowSecurity()).isEqualTo(product.rowSecurity());
        // 018 is the product's own change, kept; 019-05's DROP NOT NULL cannot be undone.
        assertThat(rolledBack.columnNames("audio_analysis_cache"))
                .containsExactlyInAnyOrderElementsOf(concat(
                        product.columnNames("audio_analysis_cache"),
                        List.of("last_accessed", "size", "compressed", "cache_version")));
        assertThat(rolledBack.columnNames("audio_analysis_guest_cache")).isEmpty();
        assertThat(query(
                        "SELECT stem_type || ' ' || user_id || ' ' || (analysis_data ->> 'tempo') FROM audio_analysis_cache"
                                + " ORDER BY 1"))
                .containsExactly("drums " + ada + " 120.5", "vocals " + ada + " 120.5");
    }

    @Test
    void rollbackCount_stemcacheChangesetsOneAtATime_thenUpdateRebuildsTheSameSchema() {
        SchemaMigrations.update(db.dataSource());
        CatalogSnapshot migrated = CatalogSnapshot.read(db.dataSource());

        for (int applied = RollbackIT.STEMCACHE_CHANGESETS; applied > 0; applied--) {
            SchemaMigrations.rollbackCount(db.dataSource(), 1);
        }
        assertThat(SchemaMigrations.update(db.dataSource())).hasSize(RollbackIT.STEMCACHE_CHANGESETS);

        assertThat(CatalogSnapshot.read(db.dataSource())).isEqualTo(migrated);
    }

    @Test
    void rollbackCount_guestRowsOnTheProductTable_refusesNamingTheNotNullUser() throws SQLException {
        SchemaMigrations.update(db.dataSource());
        execute("INSERT INTO audio_analysis_guest_cache (id, owner_id, file_metadata_id, stem_type)"
                + " VALUES (gen_random_uuid(), 'g-7', '" + UUID.randomUUID() + "', 'bass')");

        assertThatThrownBy(() -> SchemaMigrations.rollbackCount(db.dataSource(), RollbackIT.STEMCACHE_CHANGESETS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot move 1 guest rows back from audio_analysis_guest_cache")
                .hasMessageContaining("audio_analysis_cache.user_id is NOT NULL");
        assertThat(query("SELECT owner_id FROM audio_analysis_guest_cache")).containsExactly("g-7");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
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
