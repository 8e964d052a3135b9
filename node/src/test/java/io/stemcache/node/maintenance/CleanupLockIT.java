package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.mapstore.AnalysisRows;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three members share one database: one cleanup runs at a time, and the schedule runs it once per interval. */
class CleanupLockIT {

    private TestCluster cluster;

    @BeforeEach
    void createCluster() {
        cluster = new TestCluster("cleanup_lock");
    }

    @AfterEach
    void shutdown() {
        cluster.close();
    }

    /** Users' and guests' rows in turns, in both tables, past both TTLs. */
    private void insertExpired(int count) {
        for (int i = 0; i < count; i++) {
            Owner owner = i % 2 == 0 ? TestCluster.user() : TestCluster.guest();
            cluster.rows.insert(TestCluster.key(owner, UUID.randomUUID(), StemType.OTHER), 100, 1, "60 days");
        }
    }

    @Test
    void cleanupNow_concurrentlyOnThreeMembers_onlyOneRuns() throws Exception {
        // One row per transaction, so the run that wins the lock still holds it when the others try.
        MaintenanceSettings slow = TestCluster.UNSCHEDULED.withBatchSize(1);
        for (int i = 0; i < 3; i++) {
            cluster.member(slow);
        }
        insertExpired(300);
        CyclicBarrier start = new CyclicBarrier(3);
        List<CompletableFuture<CleanupReport>> runs = new ArrayList<>();
        for (PostgresMemberServices services : cluster.allServices()) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                arrive(start);
                return services.runCleanup();
            }));
        }

        List<CleanupReport> reports = runs.stream().map(CompletableFuture::join).toList();

        assertThat(reports)
                .extracting(CleanupReport::outcome)
                .containsExactlyInAnyOrder(Outcome.COMPLETED, Outcome.SKIPPED, Outcome.SKIPPED);
        assertThat(reports).extracting(CleanupReport::deletedRows).containsExactlyInAnyOrder(300L, 0L, 0L);
        assertThat(cluster.rows.count()).isZero();
        assertThat(cluster.allServices())
                .extracting(PostgresMemberServices::cleanupRuns)
                .containsExactlyInAnyOrder(
                        new CleanupRuns(1, 0, 0), new CleanupRuns(0, 1, 0), new CleanupRuns(0, 1, 0));
    }

    @Test
    void cleanupNow_whileAnotherSessionHoldsTheLock_doesNothing_thenRunsOnceReleased() throws Exception {
        cluster.member(TestCluster.UNSCHEDULED);
        PostgresMemberServices services = cluster.services(0);
        insertExpired(4);
        try (Connection other = cluster.database.dataSource().getConnection()) {
            lock(other, "pg_advisory_lock");

            assertThat(services.cleanupNow()).isZero();
            assertThat(services.runCleanup().outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(cluster.rows.count()).isEqualTo(4);
            assertThat(services.lastCleanup())
                    .as("skipped attempts are not a last cleanup")
                    .isEmpty();

            lock(other, "pg_advisory_unlock");
        }

        assertThat(services.cleanupNow()).isEqualTo(4);
        assertThat(services.cleanupRuns()).isEqualTo(new CleanupRuns(1, 2, 0));
        try (Connection after = cluster.database.dataSource().getConnection()) {
            assertThat(tryLock(after)).as("the run released its lock").isTrue();
            lock(after, "pg_advisory_unlock");
        }
    }

    @Test
    void schedule_onThreeMembers_runsOncePerIntervalOnTheOldestMember() {
        Duration interval = Duration.ofMillis(400);
        MaintenanceSettings scheduled = TestCluster.UNSCHEDULED.withSchedule(true, Duration.ofMillis(100), interval);
        // The oldest member's schedule starts with it: count from then, not from when the others have joined.
        long started = System.nanoTime();
        HazelcastInstance oldest = cluster.member(scheduled);
        cluster.member(scheduled);
        cluster.member(scheduled);
        assertThat(oldest.getCluster().getMembers().iterator().next().localMember())
                .isTrue();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> cluster.services(0).cleanupRuns().completed() >= 5);
        insertExpired(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.rows.count() == 0);

        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        long runs = cluster.services(0).cleanupRuns().completed();
        assertThat(runs)
                .as("runs in %d ms at one per %s", elapsedMillis, interval)
                .isLessThanOrEqualTo(elapsedMillis / interval.toMillis() + 1);
        assertThat(cluster.services(1).cleanupRuns()).isEqualTo(new CleanupRuns(0, 0, 0));
        assertThat(cluster.services(2).cleanupRuns()).isEqualTo(new CleanupRuns(0, 0, 0));
    }

    @Test
    void schedule_afterTheOldestMemberLeaves_theNextOldestTakesOver() {
        MaintenanceSettings scheduled =
                TestCluster.UNSCHEDULED.withSchedule(true, Duration.ofMillis(100), Duration.ofMillis(300));
        HazelcastInstance oldest = cluster.member(scheduled);
        cluster.member(scheduled);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> cluster.services(0).cleanupRuns().completed() >= 1);

        oldest.shutdown();
        insertExpired(2);

        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.rows.count() == 0);
        assertThat(cluster.services(1).cleanupRuns().completed()).isPositive();
    }

    private static void arrive(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void lock(Connection connection, String function) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
            statement.setLong(1, AnalysisRows.CLEANUP_LOCK_KEY);
            statement.execute();
        }
    }

    private static boolean tryLock(Connection connection) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, AnalysisRows.CLEANUP_LOCK_KEY);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }
}
