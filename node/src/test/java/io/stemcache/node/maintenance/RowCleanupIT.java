package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cleanup's steps on PostgreSQL alone (no member, so no in-memory step): TTLs per owner kind, each on
 * its owner's table, the total cap over both tables (guests' rows first) and guest quotas, each in batches
 * smaller than the work, and the product's legacy rows kept.
 */
class RowCleanupIT {

    private static final int KB = 1024;

    private static FreshDatabase database;
    private static TestRows rows;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("row_cleanup");
        rows = new TestRows(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @BeforeEach
    void emptyTables() {
        rows.truncate();
    }

    private static CleanupReport cleanup(MaintenanceSettings settings) {
        return new PostgresMemberServices(database.dataSource(), settings).runCleanup();
    }

    private static List<AnalysisKey> insert(Owner owner, int count, int size, String... ages) {
        List<AnalysisKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AnalysisKey key = TestCluster.key(owner, UUID.randomUUID(), StemType.DRUMS);
            rows.insert(key, size, 1, ages[i % ages.length]);
            keys.add(key);
        }
        return keys;
    }

    @Test
    void run_deletesUsersAndGuestsRowsPastTheirTtls_keepsFreshAndLegacyRows() {
        Owner user = TestCluster.user();
        Owner guest = TestCluster.guest();
        List<AnalysisKey> expiredUser = insert(user, 7, KB, "31 days", "400 days");
        List<AnalysisKey> freshUser = insert(user, 3, KB, "29 days", "25 hours", "1 second");
        List<AnalysisKey> expiredGuest = insert(guest, 5, KB, "25 hours", "3 days");
        List<AnalysisKey> freshGuest = insert(guest, 2, KB, "23 hours", "1 minute");
        rows.insertLegacy(UUID.randomUUID(), KB, "5 years");

        CleanupReport report = cleanup(TestCluster.UNSCHEDULED.withBatchSize(2));

        assertThat(report.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(report.expiredUserRows()).isEqualTo(7);
        assertThat(report.expiredGuestRows()).isEqualTo(5);
        assertThat(report.deletedRows()).isEqualTo(12);
        assertThat(expiredUser).noneMatch(rows::exists);
        assertThat(expiredGuest).noneMatch(rows::exists);
        assertThat(freshUser).allMatch(rows::exists);
        assertThat(freshGuest).allMatch(rows::exists);
        assertThat(rows.countIn(TestRows.GUESTS, "true"))
                .as("guests' rows left in their table")
                .isEqualTo(2);
        assertThat(rows.countIn(TestRows.USERS, "owner_kind = 'user'"))
                .as("users' rows left")
                .isEqualTo(3);
        assertThat(rows.count("owner_kind = 'legacy'")).isEqualTo(1);
        assertThat(rows.number("SELECT count(*) FROM audio_analysis_deleted_row"))
                .as("stemcache's own deletes, not in the row-deletion log")
                .isZero();
    }

    @Test
    void run_withShorterTtls_usesThem() {
        Owner guest = TestCluster.guest();
        List<AnalysisKey> old = insert(guest, 3, KB, "2 hours");
        List<AnalysisKey> fresh = insert(guest, 2, KB, "30 minutes");

        CleanupReport report = cleanup(TestCluster.UNSCHEDULED.withTtls(Duration.ofDays(1), Duration.ofHours(1)));

        assertThat(report.expiredGuestRows()).isEqualTo(3);
        assertThat(old).noneMatch(rows::exists);
        assertThat(fresh).allMatch(rows::exists);
    }

    /** Stored bytes of users' and guests' rows, both tables. */
    private static long storedBytes() {
        return rows.number(
                "SELECT (SELECT coalesce(sum(size), 0) FROM audio_analysis_cache WHERE owner_kind <> 'legacy')"
                        + " + (SELECT coalesce(sum(size), 0) FROM audio_analysis_guest_cache)");
    }

    @Test
    void run_overTheTotalCap_deletesLeastRecentlyReadRowsUntilUnderIt() {
        // 20 users' rows of 200 000 bytes, each read a minute after the previous; the cap keeps 10 of them.
        List<AnalysisKey> byAge = new ArrayList<>();
        for (int minutes = 20; minutes >= 1; minutes--) {
            byAge.addAll(insert(TestCluster.user(), 1, 200_000, minutes + " minutes"));
        }
        rows.insertLegacy(UUID.randomUUID(), 50 << 20, "10 years");

        CleanupReport report = cleanup(TestCluster.UNSCHEDULED.withBatchSize(3).withCaps(2, 0));

        assertThat(report.overTotalCapRows()).isEqualTo(10);
        assertThat(storedBytes()).isLessThanOrEqualTo(2L << 20);
        assertThat(byAge.subList(0, 10)).as("the 10 least recently read").noneMatch(rows::exists);
        assertThat(byAge.subList(10, 20)).as("the 10 most recently read").allMatch(rows::exists);
        assertThat(rows.count("owner_kind = 'legacy'"))
                .as("legacy rows neither count nor go")
                .isEqualTo(1);
    }

    @Test
    void run_overTheTotalCap_deletesGuestsRowsFirst_evenRecentlyReadOnes() {
        // 10 users' and 10 guests' rows of 200 000 bytes, read in turns; the cap keeps 10: the users'.
        List<AnalysisKey> users = new ArrayList<>();
        List<AnalysisKey> guests = new ArrayList<>();
        for (int minutes = 20; minutes >= 1; minutes--) {
            boolean user = minutes % 2 == 0;
            (user ? users : guests)
                    .addAll(insert(user ? TestCluster.user() : TestCluster.guest(), 1, 200_000, minutes + " minutes"));
        }

        CleanupReport report = cleanup(TestCluster.UNSCHEDULED.withBatchSize(3).withCaps(2, 0));

        assertThat(report.overTotalCapRows()).isEqualTo(10);
        assertThat(storedBytes()).isLessThanOrEqualTo(2L << 20);
        assertThat(guests).as("every guest's row, the most recently read too").noneMatch(rows::exists);
        assertThat(users).as("users' rows, the least recently read too").allMatch(rows::exists);
    }

    @Test
    void run_overTheTotalCapBeyondGuestsRows_thenDeletesUsersLeastRecentlyRead() {
        // 6 users' rows read an hour ago and 4 guests' read minutes ago, 200 000 bytes each: 1 MiB keeps 5.
        List<AnalysisKey> usersByAge = new ArrayList<>();
        for (int minutes = 65; minutes >= 60; minutes--) {
            usersByAge.addAll(insert(TestCluster.user(), 1, 200_000, minutes + " minutes"));
        }
        List<AnalysisKey> guests = insert(TestCluster.guest(), 4, 200_000, "1 minute", "2 minutes");

        CleanupReport report = cleanup(TestCluster.UNSCHEDULED.withBatchSize(3).withCaps(1, 0));

        assertThat(report.overTotalCapRows()).isEqualTo(5);
        assertThat(storedBytes()).isLessThanOrEqualTo(1L << 20);
        assertThat(guests).noneMatch(rows::exists);
        assertThat(usersByAge.subList(0, 1))
                .as("the user's row read least recently")
                .noneMatch(rows::exists);
        assertThat(usersByAge.subList(1, 6)).allMatch(rows::exists);
    }

    @Test
    void run_underTheTotalCap_deletesNothing() {
        insert(TestCluster.user(), 3, 200_000, "1 minute");
        insert(TestCluster.guest(), 2, 200_000, "1 minute");

        assertThat(cleanup(TestCluster.UNSCHEDULED.withCaps(1, 0)).overTotalCapRows())
                .isZero();
        assertThat(rows.count()).isEqualTo(5);
    }

    @Test
    void run_guestOverQuota_losesItsOldestRows_otherOwnersKeepTheirs() {
        Owner greedy = TestCluster.guest();
        List<AnalysisKey> greedyByAge = new ArrayList<>();
        for (int minutes = 8; minutes >= 1; minutes--) {
            greedyByAge.addAll(insert(greedy, 1, 200_000, minutes + " minutes"));
        }
        List<AnalysisKey> modest = insert(TestCluster.guest(), 3, 200_000, "10 minutes");
        List<AnalysisKey> user = insert(TestCluster.user(), 8, 200_000, "10 minutes");

        CleanupReport report = cleanup(TestCluster.UNSCHEDULED.withBatchSize(2).withCaps(0, 1));

        // 1 MiB holds the 5 newest of 200 000 bytes each; the 3 oldest go.
        assertThat(report.overGuestQuotaRows()).isEqualTo(3);
        assertThat(greedyByAge.subList(0, 3)).noneMatch(rows::exists);
        assertThat(greedyByAge.subList(3, 8)).allMatch(rows::exists);
        assertThat(modest).allMatch(rows::exists);
        assertThat(user).as("users have no quota").allMatch(rows::exists);
        assertThat(rows.countIn(TestRows.USERS, "true"))
                .as("the main table untouched")
                .isEqualTo(8);
    }

    @Test
    void run_oldVersionRows_purgedInBatchesFromBothTables_currentAndLegacyKept() {
        List<AnalysisKey> old = new ArrayList<>();
        List<AnalysisKey> current = new ArrayList<>();
        for (Owner owner : List.of(TestCluster.user(), TestCluster.guest())) {
            for (int i = 0; i < 7; i++) {
                AnalysisKey oldKey = TestCluster.key(owner, UUID.randomUUID(), StemType.BASS);
                rows.insert(oldKey, KB, i % 2 == 0 ? 1 : 2, "1 minute");
                old.add(oldKey);
            }
            for (int i = 0; i < 3; i++) {
                AnalysisKey key = TestCluster.key(owner, UUID.randomUUID(), StemType.BASS);
                rows.insert(key, KB, 3, "1 minute");
                current.add(key);
            }
        }
        rows.insertLegacy(UUID.randomUUID(), KB, "1 day");

        CleanupReport report = cleanup(TestCluster.UNSCHEDULED.withBatchSize(2).withCacheVersion(3));

        assertThat(report.oldVersionRows()).isEqualTo(14);
        assertThat(old).noneMatch(rows::exists);
        assertThat(current).allMatch(rows::exists);
        assertThat(rows.count("owner_kind = 'legacy'")).isEqualTo(1);
    }

    @Test
    void run_recordsTheReport_andLastCleanup() {
        PostgresMemberServices services = new PostgresMemberServices(database.dataSource(), TestCluster.UNSCHEDULED);
        assertThat(services.lastCleanup()).isEmpty();

        insert(TestCluster.user(), 2, KB, "40 days");
        assertThat(services.cleanupNow()).isEqualTo(2);

        CleanupReport last = services.lastCleanup().orElseThrow();
        assertThat(last.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(last.expiredUserRows()).isEqualTo(2);
        assertThat(last.finishedAt()).isAfterOrEqualTo(last.startedAt());
        assertThat(services.cleanupRuns()).isEqualTo(new CleanupRuns(1, 0, 0));
    }
}
