package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.testing.FreshDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product's production database already has audio_analysis_cache, with NOT NULL JSON columns,
 * a generated name for its unique key and rows: the changelog must adopt it, not recreate it.
 */
class ProductionTableAdoptionIT {

    /** The table as production created it, before stemcache; PostgreSQL names the key itself. */
    static final String PRODUCTION_TABLE = """
            CREATE TABLE audio_analysis_cache (
              id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
              user_id uuid,
              file_metadata_id uuid NOT NULL,
              stem_type varchar(50) NOT NULL,
              analysis_version varchar(20) DEFAULT '1.0',
              sample_rate int,
              duration decimal(10,3),
              buffer_size int,
              features_extracted text[],
              analysis_data jsonb NOT NULL,
              waveform_data jsonb NOT NULL,
              analysis_duration int,
              created_at timestamptz DEFAULT now(),
              updated_at timestamptz DEFAULT now(),
              UNIQUE (file_metadata_id, stem_type, analysis_version)
            )""";

    /** The name PostgreSQL generated for the unnamed key, not the one 001 gives it. */
    static final String PRODUCTION_KEY = "audio_analysis_cache_file_metadata_id_stem_type_analysis_ve_key";

    static final String ALICE = "a11ce000-0000-4000-8000-000000000001";
    static final String BOB = "b0b00000-0000-4000-8000-000000000002";
    static final String SONG = "50a90000-0000-4000-8000-00000000000f";

    /** Alice's vocals in two versions (1.1 newer), her drums, Bob's vocals and an ownerless row. */
    static final String PRODUCTION_ROWS = """
            INSERT INTO audio_analysis_cache (id, user_id, file_metadata_id, stem_type, analysis_version, sample_rate,
              duration, features_extracted, analysis_data, waveform_data, updated_at) VALUES
            ('00000000-0000-4000-8000-000000000001', '%1$s', '%3$s', 'vocals', '1.0', 44100, 183.250,
              '{tempo,key}', '{"tempo": 120.5, "key": "A minor"}', '{"peaks": [0.1, 0.9, 0.4]}', now() - interval '2 days'),
            ('00000000-0000-4000-8000-000000000002', '%1$s', '%3$s', 'vocals', '1.1', 44100, 183.250,
              '{tempo,key,loudness}', '{"tempo": 120.4, "key": "A minor"}', '{"peaks": [0.1, 0.8]}', now() - interval '1 day'),
            ('00000000-0000-4000-8000-000000000003', '%1$s', '%3$s', 'drums', '1.0', 48000, 183.250,
              '{onsets}', '{"onsets": [0.5, 1.0]}', '{"peaks": []}', now()),
            ('00000000-0000-4000-8000-000000000004', '%2$s', '%3$s', 'vocals', '1.2', 44100, 183.250,
              '{tempo}', '{"tempo": 121}', '{"peaks": [0.3]}', now()),
            ('00000000-0000-4000-8000-000000000005', NULL, '%3$s', 'bass', '1.0', 22050, 12.000,
              '{}', '{"tempo": 90}', '{"peaks": [0.2]}', now())
            """.formatted(ALICE, BOB, SONG);

    private FreshDatabase db;

    @BeforeEach
    void createProductionTable() throws SQLException {
        db = FreshDatabase.create("adoption");
        execute(PRODUCTION_TABLE);
        execute(PRODUCTION_ROWS);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void update_productionTable_isAdoptedNotRecreated() throws SQLException {
        List<String> applied = SchemaMigrations.update(db.dataSource());

        assertThat(applied).first().isEqualTo("001-create-audio-analysis-cache adopted (already present)");
        assertThat(applied)
                .hasSize(RollbackIT.ALL_CHANGESETS)
                .filteredOn(line -> line.endsWith(" applied"))
                .hasSize(RollbackIT.ALL_CHANGESETS - 1);
        assertThat(query("SELECT count(*) FROM audio_analysis_cache")).containsExactly("5");
        assertThat(
                        query(
                                "SELECT analysis_data ->> 'key' FROM audio_analysis_cache WHERE id = '00000000-0000-4000-8000-000000000001'"))
                .containsExactly("A minor");
    }

    @Test
    void update_productionRows_getOwnersBackfilled() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        // Alice's older vocals (1.0) collide with her newer ones under the owner key: legacy.
        assertThat(
                        query(
                                "SELECT right(id::text, 1) || ' ' || owner_kind || ' ' || owner_id FROM audio_analysis_cache ORDER BY id"))
                .containsExactly(
                        "1 legacy 00000000-0000-4000-8000-000000000001",
                        "2 user " + ALICE,
                        "3 user " + ALICE,
                        "4 user " + BOB,
                        "5 legacy 00000000-0000-4000-8000-000000000005");
    }

    @Test
    void update_productionRows_getThe018Defaults() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        assertThat(query("SELECT DISTINCT compressed || ' ' || cache_version || ' ' || (last_accessed IS NOT NULL)"
                        + " || ' ' || coalesce(size::text, '-') || ' ' || coalesce(precision, '-') || ' ' || (payload IS NULL)"
                        + " FROM audio_analysis_cache"))
                .containsExactly("false 1 true - - true");
    }

    @Test
    void update_productionKeys_areReplacedByTheOwnerKey() throws SQLException {
        assertThat(uniqueConstraints()).containsExactly(PRODUCTION_KEY);

        SchemaMigrations.update(db.dataSource());

        assertThat(uniqueConstraints()).containsExactly("uq_audio_analysis_cache_key");
    }

    @Test
    void update_productionJsonColumns_becomeNullable() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        assertThat(
                        query(
                                "SELECT column_name || ' ' || is_nullable FROM information_schema.columns"
                                        + " WHERE table_name = 'audio_analysis_cache' AND column_name IN ('analysis_data', 'waveform_data') ORDER BY 1"))
                .containsExactly("analysis_data YES", "waveform_data YES");
        execute(
                "INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type, payload, precision)"
                        + " VALUES ('user', '" + ALICE + "', '" + SONG + "', 'bass', '\\x00', 'Q16')");
    }

    @Test
    void update_productionTable_letsTwoOwnersStoreTheSameFileStemAndVersion() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        // Bob's vocals exist in 1.2; Carol's vocals in 1.2 would have broken the old key.
        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type, analysis_version)"
                + " VALUES ('user', 'c4401000-0000-4000-8000-000000000003', '" + SONG + "', 'vocals', '1.2')");

        assertThat(
                        query(
                                "SELECT count(*) FROM audio_analysis_cache WHERE stem_type = 'vocals' AND analysis_version = '1.2'"))
                .containsExactly("2");
    }

    @Test
    void update_productionWithItsOwn018_adoptsThoseChangesets() throws SQLException {
        execute(
                "ALTER TABLE audio_analysis_cache ADD COLUMN last_accessed timestamptz DEFAULT now(), ADD COLUMN size integer,"
                        + " ADD COLUMN compressed boolean DEFAULT false NOT NULL, ADD COLUMN cache_version integer DEFAULT 1 NOT NULL");
        execute("CREATE INDEX idx_audio_analysis_cache_last_accessed ON audio_analysis_cache (last_accessed)");
        execute("CREATE INDEX idx_audio_analysis_cache_cache_version ON audio_analysis_cache (cache_version)");

        List<String> applied = SchemaMigrations.update(db.dataSource());

        assertThat(applied)
                .filteredOn(line -> line.startsWith("001-") || line.startsWith("018-"))
                .hasSize(7)
                .allMatch(line -> line.endsWith("adopted (already present)"));
        assertThat(query("SELECT count(*) FROM audio_analysis_cache")).containsExactly("5");
    }

    @Test
    void update_productionKeyAsBareUniqueIndex_dropsIt() throws SQLException {
        execute("ALTER TABLE audio_analysis_cache DROP CONSTRAINT " + PRODUCTION_KEY);
        execute(
                "CREATE UNIQUE INDEX audio_cache_key_idx ON audio_analysis_cache (stem_type, analysis_version, file_metadata_id)");

        SchemaMigrations.update(db.dataSource());

        assertThat(query(
                        "SELECT indexname FROM pg_indexes WHERE tablename = 'audio_analysis_cache' AND indexdef LIKE 'CREATE UNIQUE%'"
                                + " ORDER BY 1"))
                .containsExactly("audio_analysis_cache_pkey", "uq_audio_analysis_cache_key");
    }

    @Test
    void rollbackAll_adoptedTableWithRows_refusesToDropIt() throws SQLException {
        SchemaMigrations.update(db.dataSource());

        // Liquibase rolls back changesets it only marked ran, so 001's rollback guards the data.
        assertThatThrownBy(() -> SchemaMigrations.rollbackCount(db.dataSource(), RollbackIT.ALL_CHANGESETS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to drop audio_analysis_cache");
        assertThat(query("SELECT count(*) FROM audio_analysis_cache")).containsExactly("5");
    }

    private List<String> uniqueConstraints() throws SQLException {
        return query(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'audio_analysis_cache'::regclass AND contype = 'u'");
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
