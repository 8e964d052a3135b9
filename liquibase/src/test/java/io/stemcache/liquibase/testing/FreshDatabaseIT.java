package io.stemcache.liquibase.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class FreshDatabaseIT {

    @Test
    void create_namesTheDatabaseAfterItsPurpose() {
        try (FreshDatabase db = FreshDatabase.create("naming")) {
            assertThat(db.name()).matches("stemcache_test_naming_[a-z0-9]+");
            assertThat(db.jdbcUrl()).endsWith("/" + db.name());
            assertThat(exists(db.name())).isTrue();
        }
    }

    @Test
    void create_twice_givesTwoDatabases() {
        try (FreshDatabase first = FreshDatabase.create("twice");
                FreshDatabase second = FreshDatabase.create("twice")) {
            assertThat(first.name()).isNotEqualTo(second.name());
        }
    }

    @Test
    void create_isEmpty() throws SQLException {
        try (FreshDatabase db = FreshDatabase.create("empty")) {
            assertThat(count(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                    .isZero();
        }
    }

    @Test
    void createMigrated_hasTheSchema() throws SQLException {
        try (FreshDatabase db = FreshDatabase.createMigrated("migrated")) {
            assertThat(count(db, "SELECT count(*) FROM audio_analysis_cache")).isZero();
            assertThat(count(db, "SELECT count(*) FROM cache_statistics")).isZero();
        }
    }

    @Test
    void close_dropsTheDatabase() {
        FreshDatabase db = FreshDatabase.create("drop");

        db.close();

        assertThat(exists(db.name())).isFalse();
    }

    @Test
    void close_withAConnectionLeftOpen_stillDrops() throws SQLException {
        FreshDatabase db = FreshDatabase.create("leak");
        try (Connection leaked = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            db.close();

            assertThat(exists(db.name())).isFalse();
            assertThat(leaked.isValid(1)).isFalse();
        }
    }

    @Test
    void close_twice_doesNothing() {
        FreshDatabase db = FreshDatabase.create("twice_closed");
        db.close();

        db.close();

        assertThat(exists(db.name())).isFalse();
    }

    private static long count(FreshDatabase db, String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static boolean exists(String name) {
        String server = System.getProperty(FreshDatabase.SERVER_PROPERTY, FreshDatabase.DEFAULT_SERVER);
        try (Connection connection = DriverManager.getConnection(server, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
