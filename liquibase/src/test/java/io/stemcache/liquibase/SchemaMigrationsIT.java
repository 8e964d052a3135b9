package io.stemcache.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.testing.FreshDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The changelog on an empty database: the full schema, applied once. */
class SchemaMigrationsIT {

    private static FreshDatabase db;
    private static List<String> firstUpdate;

    @BeforeAll
    static void migrate() {
        db = FreshDatabase.create("schema");
        firstUpdate = SchemaMigrations.update(db.dataSource());
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void update_freshDatabase_appliesEveryChangeset() {
        assertThat(firstUpdate).hasSize(RollbackIT.ALL_CHANGESETS).allMatch(line -> line.endsWith(" applied"));
        assertThat(firstUpdate.get(0)).startsWith("001-create-audio-analysis-cache");
        assertThat(firstUpdate.get(17)).startsWith("021-01-add-access-count");
        assertThat(firstUpdate.get(18)).startsWith("022-01-create-audio-analysis-dead-letter");
        assertThat(firstUpdate.subList(19, 27))
                .extracting(line -> line.substring(0, line.indexOf(' ')))
                .containsExactly(
                        "023-01-add-entry-version",
                        "024-01-create-guest-cache",
                        "024-02-move-guest-rows",
                        "025-01-create-tombstone",
                        "026-01-create-deleted-row",
                        "026-02-create-deletion-cursor",
                        "026-03-create-row-deletion-triggers",
                        "027-01-fill-owner-of-product-inserts");
    }

    @Test
    void update_freshDatabase_createsAudioAnalysisCacheColumns() {
        CatalogSnapshot schema = CatalogSnapshot.read(db.dataSource());
        assertThat(schema.columnNames("audio_analysis_cache"))
                .containsExactlyInAnyOrder(
                        "id",
                        "user_id",
                        "file_metadata_id",
                        "stem_type",
                        "analysis_version",
                        "sample_rate",
                        "duration",
                        "buffer_size",
                        "features_extracted",
                        "analysis_data",
                        "waveform_data",
                        "analysis_duration",
                        "created_at",
                        "updated_at",
                        "last_accessed",
                        "size",
                        "compressed",
                        "cache_version",
                        "owner_kind",
                        "owner_id",
                        "payload",
                        "raw_size",
                        "precision",
                        "content_hash",
                        "access_count",
                        "entry_version");
        String table = "audio_analysis_cache";
        assertThat(schema.column(table, "id")).isEqualTo(table + ".id uuid not null default gen_random_uuid()");
        assertThat(schema.column(table, "file_metadata_id")).isEqualTo(table + ".file_metadata_id uuid not null");
        assertThat(schema.column(table, "stem_type")).isEqualTo(table + ".stem_type character varying not null");
        assertThat(schema.column(table, "analysis_version"))
                .isEqualTo(table + ".analysis_version character varying default '1.0'::character varying");
        assertThat(schema.column(table, "duration")).isEqualTo(table + ".duration numeric");
        assertThat(schema.column(table, "features_extracted")).isEqualTo(table + ".features_extracted ARRAY");
        assertThat(schema.column(table, "analysis_data")).isEqualTo(table + ".analysis_data jsonb");
        assertThat(schema.column(table, "waveform_data")).isEqualTo(table + ".waveform_data jsonb");
        assertThat(schema.column(table, "created_at"))
                .isEqualTo(table + ".created_at timestamp with time zone default now()");
        assertThat(schema.column(table, "last_accessed"))
                .isEqualTo(table + ".last_accessed timestamp with time zone default now()");
        assertThat(schema.column(table, "size")).isEqualTo(table + ".size integer");
        assertThat(schema.column(table, "compressed")).isEqualTo(table + ".compressed boolean not null default false");
        assertThat(schema.column(table, "cache_version"))
                .isEqualTo(table + ".cache_version integer not null default 1");
        assertThat(schema.column(table, "owner_kind")).isEqualTo(table + ".owner_kind character varying not null");
        assertThat(schema.column(table, "owner_id")).isEqualTo(table + ".owner_id character varying not null");
        assertThat(schema.column(table, "payload")).isEqualTo(table + ".payload bytea");
        assertThat(schema.column(table, "raw_size")).isEqualTo(table + ".raw_size bigint");
        assertThat(schema.column(table, "precision")).isEqualTo(table + ".precision character varying");
        assertThat(schema.column(table, "content_hash")).isEqualTo(table + ".content_hash character varying");
        assertThat(schema.column(table, "entry_version")).isEqualTo(table + ".entry_version bigint not null default 0");
    }

    @Test
    void update_freshDatabase_createsTheGuestTombstoneAndDeletionTables() {
        CatalogSnapshot schema = CatalogSnapshot.read(db.dataSource());
        assertThat(schema.column("audio_analysis_guest_cache", "owner_kind"))
                .isEqualTo(
                        "audio_analysis_guest_cache.owner_kind character varying not null default 'guest'::character varying");
        assertThat(schema.column("audio_analysis_guest_cache", "id"))
                .isEqualTo("audio_analysis_guest_cache.id uuid not null");
        assertThat(schema.columnNames("audio_analysis_tombstone"))
                .containsExactly(
                        "deleted_at", "entry_version", "file_metadata_id", "owner_id", "owner_kind", "stem_type");
        assertThat(schema.columnNames("audio_analysis_deleted_row"))
                .containsExactlyInAnyOrder(
                        "seq",
                        "owner_kind",
                        "owner_id",
                        "file_metadata_id",
                        "stem_type",
                        "entry_version",
                        "cascade",
                        "deleted_at");
        assertThat(schema.column("audio_analysis_deleted_row", "cascade"))
                .isEqualTo("audio_analysis_deleted_row.cascade boolean not null");
        assertThat(schema.columnNames("audio_analysis_deletion_cursor")).containsExactly("id", "last_seq");
        // Row-level security without a policy: PostgREST's roles see nothing, the owning members everything.
        assertThat(schema.rowSecurity())
                .containsExactly(
                        "audio_analysis_deleted_row row security true forced false",
                        "audio_analysis_deletion_cursor row security true forced false",
                        "audio_analysis_guest_cache row security true forced false",
                        "audio_analysis_tombstone row security true forced false");
    }

    @Test
    void update_freshDatabase_createsTheOwnerAndRowDeletionTriggers() {
        CatalogSnapshot schema = CatalogSnapshot.read(db.dataSource());
        assertThat(schema.triggersOn("audio_analysis_cache"))
                .containsExactly(
                        "CREATE TRIGGER stemcache_fill_owner BEFORE INSERT ON public.audio_analysis_cache"
                                + " FOR EACH ROW EXECUTE FUNCTION stemcache_fill_owner() enabled O",
                        "CREATE TRIGGER stemcache_row_delete_started BEFORE DELETE ON public.audio_analysis_cache"
                                + " FOR EACH STATEMENT EXECUTE FUNCTION stemcache_note_delete_depth() enabled O",
                        "CREATE TRIGGER stemcache_row_deleted AFTER DELETE ON public.audio_analysis_cache"
                                + " REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION stemcache_note_deleted_rows()"
                                + " enabled O");
        assertThat(schema.functions()).hasSize(3);
        assertThat(schema.functions())
                .filteredOn(definition -> definition.contains("stemcache_note_deleted_rows()"))
                .singleElement()
                .asString()
                .contains(" SECURITY DEFINER")
                .contains(" SET search_path TO 'public', 'pg_temp'");
        assertThat(schema.functions())
                .filteredOn(definition -> definition.contains("stemcache_note_delete_depth()"))
                .singleElement()
                .asString()
                .doesNotContain("SECURITY DEFINER")
                .doesNotContain(" SET ");
    }

    @Test
    void update_freshDatabase_replacesTheOldKeyWithTheOwnerKey() {
        CatalogSnapshot schema = CatalogSnapshot.read(db.dataSource());
        assertThat(schema.constraints())
                .containsExactlyInAnyOrder(
                        "audio_analysis_cache audio_analysis_cache_pkey PRIMARY KEY (id)",
                        "audio_analysis_cache uq_audio_analysis_cache_key UNIQUE (owner_kind, owner_id, file_metadata_id, stem_type)",
                        "audio_analysis_cache ck_audio_analysis_cache_owner_kind CHECK (((owner_kind)::text = ANY"
                                + " ((ARRAY['user'::character varying, 'guest'::character varying, 'legacy'::character varying])::text[])))",
                        "audio_analysis_cache ck_audio_analysis_cache_precision CHECK (((\"precision\")::text = ANY"
                                + " ((ARRAY['FLOAT64'::character varying, 'FLOAT32'::character varying, 'Q16'::character varying])::text[])))",
                        "cache_statistics cache_statistics_pkey PRIMARY KEY (id)",
                        "audio_analysis_dead_letter audio_analysis_dead_letter_pkey PRIMARY KEY (id)",
                        "audio_analysis_guest_cache audio_analysis_guest_cache_pkey PRIMARY KEY (id)",
                        "audio_analysis_guest_cache uq_audio_analysis_guest_cache_key UNIQUE (owner_kind, owner_id, file_metadata_id, stem_type)",
                        "audio_analysis_guest_cache ck_audio_analysis_guest_cache_owner_kind CHECK (((owner_kind)::text = 'guest'::text))",
                        "audio_analysis_guest_cache ck_audio_analysis_guest_cache_no_user CHECK ((user_id IS NULL))",
                        "audio_analysis_guest_cache ck_audio_analysis_guest_cache_precision CHECK (((\"precision\")::text = ANY"
                                + " ((ARRAY['FLOAT64'::character varying, 'FLOAT32'::character varying, 'Q16'::character varying])::text[])))",
                        "audio_analysis_tombstone audio_analysis_tombstone_pkey PRIMARY KEY (owner_kind, owner_id, file_metadata_id, stem_type)",
                        "audio_analysis_deleted_row audio_analysis_deleted_row_pkey PRIMARY KEY (seq)",
                        "audio_analysis_deletion_cursor audio_analysis_deletion_cursor_pkey PRIMARY KEY (id)",
                        "audio_analysis_deletion_cursor ck_audio_analysis_deletion_cursor_one_row CHECK ((id = 1))");
    }

    @Test
    void update_freshDatabase_createsIndexes() {
        assertThat(CatalogSnapshot.read(db.dataSource()).indexes())
                .extracting(line -> line.substring(0, line.indexOf(' ')))
                .containsExactlyInAnyOrder(
                        "audio_analysis_cache_pkey",
                        "uq_audio_analysis_cache_key",
                        "idx_audio_analysis_cache_file",
                        "idx_audio_analysis_cache_last_accessed",
                        "idx_audio_analysis_cache_cache_version",
                        "cache_statistics_pkey",
                        "idx_cache_statistics_recorded_at",
                        "audio_analysis_dead_letter_pkey",
                        "audio_analysis_guest_cache_pkey",
                        "uq_audio_analysis_guest_cache_key",
                        "idx_audio_analysis_guest_cache_file",
                        "idx_audio_analysis_guest_cache_last_accessed",
                        "idx_audio_analysis_guest_cache_cache_version",
                        "audio_analysis_tombstone_pkey",
                        "idx_audio_analysis_tombstone_deleted_at",
                        "idx_audio_analysis_tombstone_file",
                        "audio_analysis_deleted_row_pkey",
                        "audio_analysis_deletion_cursor_pkey");
    }

    @Test
    void update_freshDatabase_createsCacheStatistics() throws SQLException {
        CatalogSnapshot schema = CatalogSnapshot.read(db.dataSource());
        assertThat(schema.columnNames("cache_statistics"))
                .containsExactlyInAnyOrder(
                        "id",
                        "recorded_at",
                        "cluster_name",
                        "entries",
                        "stored_bytes",
                        "raw_bytes",
                        "hits",
                        "misses",
                        "puts",
                        "removals",
                        "evictions",
                        "expirations",
                        "write_behind_backlog",
                        "store_failures",
                        "last_cleanup");
        assertThat(schema.column("cache_statistics", "id")).isEqualTo("cache_statistics.id bigint not null");
        assertThat(identityColumns())
                .containsExactlyInAnyOrder(
                        "cache_statistics.id BY DEFAULT",
                        "audio_analysis_dead_letter.id BY DEFAULT",
                        "audio_analysis_deleted_row.seq BY DEFAULT");
        assertThat(schema.column("cache_statistics", "recorded_at"))
                .isEqualTo("cache_statistics.recorded_at timestamp with time zone not null default now()");
        assertThat(schema.column("cache_statistics", "cluster_name"))
                .isEqualTo("cache_statistics.cluster_name character varying not null");
    }

    @Test
    void update_twice_isNoOp() {
        CatalogSnapshot before = CatalogSnapshot.read(db.dataSource());

        assertThat(SchemaMigrations.update(db.dataSource())).isEmpty();

        assertThat(CatalogSnapshot.read(db.dataSource())).isEqualTo(before);
    }

    @Test
    void update_recordsEachChangesetUnderItsPinnedPath() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            assertThat(CatalogSnapshot.lines(connection, "SELECT DISTINCT filename FROM databasechangelog ORDER BY 1"))
                    .containsExactly(
                            "db/changelog/001-audio-analysis-cache.yaml",
                            "db/changelog/018-enhance-audio-cache.yaml",
                            "db/changelog/019-stemcache-keys-and-payload.yaml",
                            "db/changelog/020-cache-statistics.yaml",
                            "db/changelog/021-access-tracking.yaml",
                            "db/changelog/022-dead-letter.yaml",
                            "db/changelog/023-entry-version.yaml",
                            "db/changelog/024-guest-cache.yaml",
                            "db/changelog/025-tombstones.yaml",
                            "db/changelog/026-row-deletions.yaml",
                            "db/changelog/027-product-inserts.yaml");
        }
    }

    @Test
    void update_changelogLoadedFromAnotherPath_isNoOp() throws Exception {
        // Spring Boot loads it as classpath:/db/changelog/...; any other path must name the same
        // changesets, or they would all run again.
        Path db = Path.of(SchemaMigrations.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("db");
        try (Connection connection = SchemaMigrationsIT.db.dataSource().getConnection()) {
            assertThat(SchemaMigrations.update(
                            connection, "changelog/db.changelog-master.yaml", new DirectoryResourceAccessor(db)))
                    .isEmpty();
        }
    }

    @Test
    void insert_sameFileStemAndVersionForTwoOwners_succeeds() throws SQLException {
        UUID file = UUID.randomUUID();
        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type, analysis_version)"
                + " VALUES ('user', 'alice', '" + file + "', 'vocals', '1.0'),"
                + " ('user', 'dave', '" + file + "', 'vocals', '1.0')");

        assertThat(count("SELECT count(*) FROM audio_analysis_cache WHERE file_metadata_id = '" + file + "'"))
                .isEqualTo(2);
    }

    @Test
    void insert_sameOwnerFileAndStemTwice_violatesTheKey() throws SQLException {
        UUID file = UUID.randomUUID();
        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type)"
                + " VALUES ('user', 'bob', '" + file + "', 'drums')");

        assertThatThrownBy(() ->
                        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type,"
                                + " analysis_version) VALUES ('user', 'bob', '" + file + "', 'drums', '2.0')"))
                .hasMessageContaining("uq_audio_analysis_cache_key");
    }

    @Test
    void insert_unknownOwnerKind_violatesTheCheck() {
        assertThatThrownBy(() ->
                        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type)"
                                + " VALUES ('robot', 'r2', '" + UUID.randomUUID() + "', 'bass')"))
                .hasMessageContaining("ck_audio_analysis_cache_owner_kind");
    }

    @Test
    void insert_unknownPrecision_violatesTheCheck() {
        assertThatThrownBy(() ->
                        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type,"
                                + " precision) VALUES ('user', 'carol', '" + UUID.randomUUID()
                                + "', 'bass', 'FLOAT16')"))
                .hasMessageContaining("ck_audio_analysis_cache_precision");
    }

    @Test
    void insert_withoutOwner_takesItsUser_orBecomesALegacyRowKeyedByItsId() throws SQLException {
        UUID user = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        UUID file = UUID.randomUUID();
        execute("INSERT INTO audio_analysis_cache (user_id, file_metadata_id, stem_type) VALUES ('" + user + "', '"
                + file + "', 'bass')");
        execute("INSERT INTO audio_analysis_cache (id, file_metadata_id, stem_type) VALUES ('" + id + "', '" + file
                + "', 'bass')");

        assertThat(query("SELECT owner_kind || ' ' || owner_id FROM audio_analysis_cache WHERE file_metadata_id = '"
                        + file + "' ORDER BY owner_kind"))
                .containsExactly("legacy " + id, "user " + user);
    }

    @Test
    void insert_withAPartOfTheOwnerOnly_isRejected() {
        assertThatThrownBy(() -> execute("INSERT INTO audio_analysis_cache (owner_kind, file_metadata_id, stem_type)"
                        + " VALUES ('user', '" + UUID.randomUUID() + "', 'bass')"))
                .hasMessageContaining("owner_id");
    }

    @Test
    void delete_looseTableRow_isLoggedForTheMembers() throws SQLException {
        UUID file = UUID.randomUUID();
        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type, entry_version)"
                + " VALUES ('user', 'erin', '" + file + "', 'piano', 3)");

        execute("DELETE FROM audio_analysis_cache WHERE file_metadata_id = '" + file + "'");

        try (Connection connection = db.dataSource().getConnection()) {
            assertThat(CatalogSnapshot.lines(
                            connection,
                            "SELECT owner_kind || ' ' || owner_id || ' ' || stem_type || ' '"
                                    + " || entry_version || ' ' || cascade FROM audio_analysis_deleted_row WHERE file_metadata_id = '"
                                    + file + "'"))
                    .containsExactly("user erin piano 3 false");
        }
    }

    private static List<String> identityColumns() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return CatalogSnapshot.lines(
                    connection,
                    "SELECT table_name || '.' || column_name || ' ' || identity_generation"
                            + " FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'");
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return CatalogSnapshot.lines(connection, sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return Long.parseLong(CatalogSnapshot.lines(connection, sql).get(0));
        }
    }
}
