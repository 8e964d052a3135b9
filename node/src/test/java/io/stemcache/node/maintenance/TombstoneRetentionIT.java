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

/** The cleanup deletes tombstones older than {@code stemcache.cleanup.tombstone-retention}, in batches, and no others. */
class TombstoneRetentionIT {

    private static FreshDatabase database;
    private static TestRows rows;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("tombstone_retention");
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

    private static List<AnalysisKey> tombstones(int count, String deletedAgo) {
        List<AnalysisKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Owner owner = i % 2 == 0 ? TestCluster.user() : TestCluster.guest();
            AnalysisKey key = TestCluster.key(owner, UUID.randomUUID(), StemType.VOCALS);
            rows.insertTombstone(key, i + 1, deletedAgo);
            keys.add(key);
        }
        return keys;
    }

    private static boolean hasTombstone(AnalysisKey key) {
        return rows.tombstoneVersion(key) != null;
    }

    @Test
    void run_deletesTombstonesPastTheDefaultRetentionInBatches_keepsYoungerOnes() {
        List<AnalysisKey> old = tombstones(5, "8 days");
        List<AnalysisKey> young = tombstones(3, "6 days");
        List<AnalysisKey> fresh = tombstones(2, "1 minute");
        AnalysisKey row = TestCluster.key(TestCluster.guest(), UUID.randomUUID(), StemType.BASS);
        rows.insert(row, 100, 1, "1 minute");

        CleanupReport report = new PostgresMemberServices(
                        database.dataSource(), TestCluster.UNSCHEDULED.withBatchSize(2))
                .runCleanup();

        assertThat(report.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(report.oldTombstones()).isEqualTo(5);
        assertThat(report.deletedRows()).as("tombstones are not cache rows").isZero();
        assertThat(old).noneMatch(TombstoneRetentionIT::hasTombstone);
        assertThat(young).allMatch(TombstoneRetentionIT::hasTombstone);
        assertThat(fresh).allMatch(TombstoneRetentionIT::hasTombstone);
        assertThat(rows.exists(row)).isTrue();
    }

    @Test
    void run_withAShorterRetention_usesIt() {
        List<AnalysisKey> old = tombstones(3, "2 hours");
        List<AnalysisKey> fresh = tombstones(2, "30 minutes");

        CleanupReport report = new PostgresMemberServices(
                        database.dataSource(), TestCluster.UNSCHEDULED.withTombstoneRetention(Duration.ofHours(1)))
                .runCleanup();

        assertThat(report.oldTombstones()).isEqualTo(3);
        assertThat(old).noneMatch(TombstoneRetentionIT::hasTombstone);
        assertThat(fresh).allMatch(TombstoneRetentionIT::hasTombstone);
    }
}
