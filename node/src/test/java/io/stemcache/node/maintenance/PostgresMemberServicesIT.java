package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The services' statements on PostgreSQL alone, without a member: deleting a file's rows from both tables
 * with a tombstone of each, marked as stemcache's own deletes, and listing an owner's keys from its table.
 */
class PostgresMemberServicesIT {

    private static FreshDatabase database;
    private static TestRows rows;
    private static PostgresMemberServices services;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("member_services");
        rows = new TestRows(database.dataSource());
        services = new PostgresMemberServices(database.dataSource(), TestCluster.UNSCHEDULED);
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @BeforeEach
    void emptyTables() {
        rows.truncate();
        rows.execute("TRUNCATE audio_analysis_deleted_row");
    }

    @Test
    void deleteRowsOfFile_deletesEveryOwnersRowsFromBothTables_andLeavesTombstonesAtTheirVersions() {
        UUID file = UUID.randomUUID();
        Owner user = TestCluster.user();
        Owner guest = TestCluster.guest();
        AnalysisKey userDrums = TestCluster.key(user, file, StemType.DRUMS);
        AnalysisKey userBass = TestCluster.key(user, file, StemType.BASS);
        AnalysisKey guestDrums = TestCluster.key(guest, file, StemType.DRUMS);
        AnalysisKey otherGuestMaster = TestCluster.key(TestCluster.guest(), file, StemType.MASTER);
        rows.insert(userDrums, 100, 1, "1 minute", 3);
        rows.insert(userBass, 100, 1, "1 minute", 4);
        rows.insert(guestDrums, 100, 1, "1 minute", 7);
        rows.insert(otherGuestMaster, 100, 1, "2 days", 0);
        List<AnalysisKey> otherFile = List.of(
                TestCluster.key(user, UUID.randomUUID(), StemType.DRUMS),
                TestCluster.key(guest, UUID.randomUUID(), StemType.DRUMS));
        otherFile.forEach(key -> rows.insert(key, 100, 1, "1 minute", 9));
        rows.insertLegacy(file, 100, "1 year");

        int deleted = services.deleteRowsOfFile(file);

        assertThat(deleted).as("rows deleted from both tables").isEqualTo(4);
        assertThat(rows.count("file_metadata_id = '" + file + "'"))
                .as("the legacy row stays")
                .isEqualTo(1);
        assertThat(rows.countIn(TestRows.USERS, "file_metadata_id = '" + file + "' AND owner_kind = 'legacy'"))
                .isEqualTo(1);
        assertThat(rows.tombstoneVersion(userDrums)).isEqualTo(3);
        assertThat(rows.tombstoneVersion(userBass)).isEqualTo(4);
        assertThat(rows.tombstoneVersion(guestDrums)).isEqualTo(7);
        assertThat(rows.tombstoneVersion(otherGuestMaster)).isEqualTo(0);
        assertThat(rows.number("SELECT count(*) FROM audio_analysis_tombstone"))
                .as("no others")
                .isEqualTo(4);
        assertThat(otherFile).allMatch(rows::exists);
    }

    @Test
    void deleteRowsOfFile_overEarlierTombstones_keepsTheHigherVersion_andRenewsThem() {
        UUID file = UUID.randomUUID();
        AnalysisKey behind = TestCluster.key(TestCluster.guest(), file, StemType.VOCALS);
        AnalysisKey ahead = TestCluster.key(TestCluster.user(), file, StemType.VOCALS);
        rows.insertTombstone(behind, 10, "3 days");
        rows.insert(behind, 100, 1, "1 minute", 5);
        rows.insertTombstone(ahead, 2, "3 days");
        rows.insert(ahead, 100, 1, "1 minute", 6);

        assertThat(services.deleteRowsOfFile(file)).isEqualTo(2);

        assertThat(rows.tombstoneVersion(behind)).isEqualTo(10);
        assertThat(rows.tombstoneVersion(ahead)).isEqualTo(6);
        assertThat(rows.number(
                        "SELECT count(*) FROM audio_analysis_tombstone WHERE deleted_at > now() - interval '1 minute'"))
                .as("deleted_at renewed")
                .isEqualTo(2);
    }

    @Test
    void deleteRowsOfFile_isStemcachesOwnDelete_keptOutOfTheRowDeletionLog_forTheTransactionOnly() {
        UUID file = UUID.randomUUID();
        rows.insert(TestCluster.key(TestCluster.user(), file, StemType.OTHER), 100, 1, "1 minute");
        rows.insert(TestCluster.key(TestCluster.guest(), file, StemType.OTHER), 100, 1, "1 minute");
        AnalysisKey productDeletes = TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.OTHER);
        rows.insert(productDeletes, 100, 1, "1 minute");
        try (HikariDataSource oneConnection = onePooledConnection()) {
            PostgresMemberServices servicesOnIt = new PostgresMemberServices(oneConnection, TestCluster.UNSCHEDULED);

            assertThat(servicesOnIt.deleteRowsOfFile(file)).isEqualTo(2);
            assertThat(rows.number("SELECT count(*) FROM audio_analysis_deleted_row"))
                    .isZero();

            // The same session deletes as the product would: the mark ended with the services' transaction.
            new TestRows(oneConnection)
                    .execute("DELETE FROM audio_analysis_cache WHERE " + TestRows.where(productDeletes));
        }
        assertThat(rows.column("SELECT owner_id FROM audio_analysis_deleted_row"))
                .containsExactly(productDeletes.owner().id());
    }

    private static HikariDataSource onePooledConnection() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    @Test
    void deleteRowsOfFile_noRows_deletesNothing() {
        assertThat(services.deleteRowsOfFile(UUID.randomUUID())).isZero();
        assertThat(rows.number("SELECT count(*) FROM audio_analysis_tombstone")).isZero();
    }

    @Test
    void keysOf_guestAndUser_comeFromTheirOwnTables() {
        Owner guest = TestCluster.guest();
        Owner user = TestCluster.user();
        UUID first = new UUID(0, 1);
        UUID second = new UUID(0, 2);
        rows.insert(TestCluster.key(guest, second, StemType.MASTER), 100, 1, "1 minute");
        rows.insert(TestCluster.key(guest, first, StemType.VOCALS), 100, 1, "1 minute");
        rows.insert(TestCluster.key(guest, first, StemType.DRUMS), 100, 1, "1 minute");
        rows.insert(TestCluster.key(TestCluster.guest(), first, StemType.BASS), 100, 1, "1 minute");
        rows.insert(TestCluster.key(user, first, StemType.BASS), 100, 1, "1 minute");

        assertThat(services.keysOf(guest, 100))
                .containsExactly(
                        TestCluster.key(guest, first, StemType.DRUMS),
                        TestCluster.key(guest, first, StemType.VOCALS),
                        TestCluster.key(guest, second, StemType.MASTER));
        assertThat(services.keysOf(guest, 1)).hasSize(1);
        assertThat(services.keysOf(user, 100)).containsExactly(TestCluster.key(user, first, StemType.BASS));
    }
}
