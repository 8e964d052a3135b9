package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.liquibase.SchemaMigrations;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.liquibase.testing.ProductSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the product's schema, whose audio_analysis_cache has row-level security and a per-user
 * policy, a members' role that is not the owner and lacks BYPASSRLS sees none of the rows: the
 * check must refuse it before the store loads misses and overwrites rows it cannot see.
 */
class RowSecurityCheckIT {

    private static final List<String> TABLES = List.of("audio_analysis_cache", "audio_analysis_guest_cache");

    private FreshDatabase db;
    private String role;
    private Connection member;

    @BeforeEach
    void createDatabaseAndMemberRole() throws SQLException {
        db = ProductSchema.create("map_store_row_security");
        UUID user = ProductSchema.insertUser(db.dataSource(), "ada@example.com");
        UUID file = ProductSchema.insertFile(db.dataSource(), user, "song.wav");
        ProductSchema.insertAnalysis(db.dataSource(), user, file, "vocals");
        SchemaMigrations.update(db.dataSource());
        // Roles are cluster-wide: a name no other test run uses.
        role = "stemcache_member_"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36)
                        .toLowerCase(Locale.ROOT);
        execute("CREATE ROLE " + role + " LOGIN NOBYPASSRLS");
        execute("GRANT USAGE ON SCHEMA auth TO " + role);
        execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
        member = DriverManager.getConnection(db.jdbcUrl(), role, "");
    }

    @AfterEach
    void dropRoleAndDatabase() throws SQLException {
        try {
            member.close();
            execute("DROP OWNED BY " + role);
            execute("DROP ROLE " + role);
        } finally {
            db.close();
        }
    }

    @Test
    void verify_roleWithoutBypassRls_isRefusedNamingRoleTableAndFix() throws SQLException {
        assertThat(count(member, "SELECT count(*) FROM audio_analysis_cache"))
                .as("rows the member sees")
                .isZero();

        assertThatThrownBy(() -> RowSecurityCheck.verify(member, TABLES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "role " + role + " cannot see every row of table audio_analysis_cache: row-level security is"
                                + " enabled on it and the role neither owns it nor has BYPASSRLS; members must see every row:"
                                + " ALTER ROLE " + role + " BYPASSRLS, or run the members as the table's owner");
    }

    @Test
    void verify_afterAlterRoleBypassRls_passes() throws SQLException {
        execute("ALTER ROLE " + role + " BYPASSRLS");

        try (Connection bypassing = DriverManager.getConnection(db.jdbcUrl(), role, "")) {
            assertThatCode(() -> RowSecurityCheck.verify(bypassing, TABLES)).doesNotThrowAnyException();
            assertThat(count(bypassing, "SELECT count(*) FROM audio_analysis_cache"))
                    .isOne();
        }
    }

    @Test
    void verify_tableWithoutRowSecurity_passes() {
        assertThatCode(() -> RowSecurityCheck.verify(member, List.of("cache_statistics", "audio_analysis_dead_letter")))
                .doesNotThrowAnyException();
    }

    @Test
    void verify_ownedTable_passesUnlessRowSecurityIsForced() throws SQLException {
        execute("CREATE TABLE member_owned (id int)");
        execute("ALTER TABLE member_owned OWNER TO " + role);
        execute("ALTER TABLE member_owned ENABLE ROW LEVEL SECURITY");
        assertThatCode(() -> RowSecurityCheck.verify(member, List.of("member_owned")))
                .doesNotThrowAnyException();

        execute("ALTER TABLE member_owned FORCE ROW LEVEL SECURITY");

        assertThatThrownBy(() -> RowSecurityCheck.verify(member, List.of("member_owned")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("role " + role + " cannot see every row of table member_owned")
                .hasMessageContaining("enabled and forced on it")
                .hasMessageContaining("ALTER ROLE " + role + " BYPASSRLS");
    }

    @Test
    void verify_superuser_passesEvenWhereRowSecurityIsForced() throws SQLException {
        execute("ALTER TABLE audio_analysis_guest_cache FORCE ROW LEVEL SECURITY");

        try (Connection superuser = db.dataSource().getConnection()) {
            assertThatCode(() -> RowSecurityCheck.verify(superuser, TABLES)).doesNotThrowAnyException();
        }
    }

    @Test
    void verify_missingTable_isLeftToTheSchemaCheck() {
        assertThatCode(() -> RowSecurityCheck.verify(member, List.of("no_such_table")))
                .doesNotThrowAnyException();
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
