package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stemcache.core.StemType;
import io.stemcache.liquibase.SchemaMigrations;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.liquibase.testing.ProductSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQL of the log of the product's deletes on the product's schema, as the listening member runs it on its own
 * session: the lock is one session's, the log is read oldest first, and an applied batch leaves the log and
 * advances the cursor together.
 */
class DeletionLogIT {

    private FreshDatabase db;
    private UUID ada;
    private UUID song;

    @BeforeEach
    void productSchemaWithTwoRows() {
        db = ProductSchema.create("map_store_deletion_log");
        ada = ProductSchema.insertUser(db.dataSource(), "ada@example.com");
        song = ProductSchema.insertFile(db.dataSource(), ada, "song.wav");
        ProductSchema.insertAnalysis(db.dataSource(), ada, song, "vocals");
        ProductSchema.insertAnalysis(db.dataSource(), ada, song, "drums");
        SchemaMigrations.update(db.dataSource());
    }

    /** A session of its own, as the listener opens (a pooled connection outlives its close, and keeps its lock). */
    private Connection session() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void next_readsTheOldestRows_forgetRemovesThemAndAdvancesTheCursor() throws SQLException {
        try (Connection session = session()) {
            assertThat(DeletionLog.isProductTable(session)).isTrue();
            assertThat(DeletionLog.exists(session)).isTrue();
            execute("DELETE FROM file_metadata WHERE id = '" + song + "'");

            List<LoggedDeletion> first = DeletionLog.next(session, 1);
            assertThat(first).hasSize(1);
            LoggedDeletion row = first.get(0);
            assertThat(row.fileMetadataId()).isEqualTo(song);
            assertThat(row.cascade()).isTrue();
            assertThat(row.key().owner().id()).isEqualTo(ada.toString());
            assertThat(row.key().stemType()).isIn(StemType.VOCALS, StemType.DRUMS);

            DeletionLog.forget(session, first);

            assertThat(session.getAutoCommit())
                    .as("the session is left in auto-commit")
                    .isTrue();
            assertThat(query("SELECT last_seq FROM " + DeletionLog.CURSOR_TABLE))
                    .isEqualTo(row.seq());
            List<LoggedDeletion> rest = DeletionLog.next(session, 10);
            assertThat(rest).hasSize(1);
            assertThat(rest.get(0).seq()).isGreaterThan(row.seq());
            assertThat(rest.get(0).key().stemType()).isNotEqualTo(row.key().stemType());
        }
    }

    @Test
    void tryLock_isHeldByOneSessionAtATime_andGoesWithItsSession() throws SQLException {
        try (Connection other = session()) {
            try (Connection session = session()) {
                assertThat(DeletionLog.tryLock(session)).isTrue();
                assertThat(DeletionLog.backendPid(session)).isPositive();
                DeletionLog.listen(session);

                assertThat(DeletionLog.tryLock(other)).isFalse();
            }
            // PostgreSQL releases the lock when the closed session's server process has ended, just after close.
            await().atMost(Duration.ofSeconds(5)).until(() -> DeletionLog.tryLock(other));
        }
    }

    @Test
    void next_onABrokenSession_failsAsAnAnalysisStoreExceptionNamingTheLog() throws SQLException {
        Connection session = session();
        session.close();

        assertThatThrownBy(() -> DeletionLog.next(session, 10))
                .isInstanceOf(AnalysisStoreException.class)
                .hasMessageStartingWith("reading " + DeletionLog.LOG_TABLE + " failed: ")
                .hasCauseInstanceOf(SQLException.class);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long query(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
