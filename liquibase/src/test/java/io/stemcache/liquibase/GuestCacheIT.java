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

/** 024's audio_analysis_guest_cache on a database that never had the product's table (001's loose one). */
class GuestCacheIT {

    /** 024's to 027's changesets: rolling them back leaves the schema as it was before guests moved. */
    private static final int GUEST_TABLE_AND_AFTER = 7;

    private static final String GUEST_ROW = "INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id,"
            + " stem_type, analysis_version, payload, size, precision, entry_version, created_at, updated_at)"
            + " VALUES ('guest', 'g-1', '%s', 'vocals', NULL, '\\x0102', 2, 'Q16', 5, now(), NULL)";

    private FreshDatabase db;
    private final UUID file = UUID.randomUUID();

    @BeforeEach
    void migrate() {
        db = FreshDatabase.createMigrated("guest_cache");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void update_guestRowsInTheLooseTable_moveToTheGuestTable() throws SQLException {
        SchemaMigrations.rollbackCount(db.dataSource(), GUEST_TABLE_AND_AFTER);
        execute(GUEST_ROW.formatted(file));
        execute("INSERT INTO audio_analysis_cache (owner_kind, owner_id, file_metadata_id, stem_type)"
                + " VALUES ('user', 'alice', '" + file + "', 'vocals')");

        assertThat(SchemaMigrations.update(db.dataSource())).hasSize(GUEST_TABLE_AND_AFTER);

        assertThat(query("SELECT owner_kind FROM audio_analysis_cache")).containsExactly("user");
        // Kept as written; what the guest table requires and the loose table lacked got its default.
        assertThat(
                        query(
                                "SELECT owner_id || ' ' || stem_type || ' ' || analysis_version || ' ' || encode(payload, 'hex')"
                                        + " || ' ' || precision || ' ' || entry_version || ' ' || (updated_at IS NOT NULL) FROM audio_analysis_guest_cache"))
                .containsExactly("g-1 vocals 1.0 0102 Q16 5 true");
    }

    @Test
    void rollbackCount_guestTableOnTheLooseTable_movesTheGuestRowsBack() throws SQLException {
        execute("INSERT INTO audio_analysis_guest_cache (id, owner_id, file_metadata_id, stem_type, payload)"
                + " VALUES (gen_random_uuid(), 'g-2', '" + file + "', 'bass', '\\x03')");

        SchemaMigrations.rollbackCount(db.dataSource(), GUEST_TABLE_AND_AFTER);

        assertThat(query("SELECT to_regclass('audio_analysis_guest_cache') IS NULL"))
                .containsExactly("t");
        assertThat(
                        query(
                                "SELECT owner_kind || ' ' || owner_id || ' ' || encode(payload, 'hex') FROM audio_analysis_cache"))
                .containsExactly("guest g-2 03");
    }

    @Test
    void guestTable_hasTheColumnNamesOfTheCacheTable() {
        CatalogSnapshot schema = CatalogSnapshot.read(db.dataSource());

        assertThat(schema.columnNames("audio_analysis_guest_cache"))
                .containsExactlyInAnyOrderElementsOf(schema.columnNames("audio_analysis_cache"));
    }

    @Test
    void insert_userRowIntoTheGuestTable_violatesTheChecks() {
        assertThatThrownBy(() ->
                        execute("INSERT INTO audio_analysis_guest_cache (id, owner_kind, owner_id, file_metadata_id,"
                                + " stem_type) VALUES (gen_random_uuid(), 'user', 'alice', '" + file + "', 'bass')"))
                .hasMessageContaining("ck_audio_analysis_guest_cache_owner_kind");
        assertThatThrownBy(
                        () -> execute("INSERT INTO audio_analysis_guest_cache (id, owner_id, user_id, file_metadata_id,"
                                + " stem_type) VALUES (gen_random_uuid(), 'g-3', gen_random_uuid(), '" + file
                                + "', 'bass')"))
                .hasMessageContaining("ck_audio_analysis_guest_cache_no_user");
    }

    @Test
    void insert_sameGuestFileAndStemTwice_violatesTheKey() throws SQLException {
        String row = "INSERT INTO audio_analysis_guest_cache (id, owner_id, file_metadata_id, stem_type)"
                + " VALUES (gen_random_uuid(), 'g-4', '" + file + "', 'drums')";
        execute(row);

        assertThatThrownBy(() -> execute(row)).hasMessageContaining("uq_audio_analysis_guest_cache_key");
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
