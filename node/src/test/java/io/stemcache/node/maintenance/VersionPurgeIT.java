package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A version bump is a setting: members configured with version 2 purge version-1 entries from memory
 * and version-1 rows from both PostgreSQL tables in batches, and keep version-2 ones.
 */
class VersionPurgeIT {

    private static TestCluster cluster;
    private static HazelcastInstance member;

    @BeforeAll
    static void createCluster() {
        cluster = new TestCluster("version_purge");
        MaintenanceSettings version2 =
                TestCluster.UNSCHEDULED.withCacheVersion(2).withBatchSize(2);
        member = cluster.member(version2);
        cluster.member(version2);
    }

    @AfterAll
    static void shutdown() {
        cluster.close();
    }

    @Test
    void cleanup_afterAVersionBump_purgesOldEntriesAndRows_keepsCurrentOnes() {
        IMap<AnalysisKey, CachedAudioAnalysis> map = TestCluster.map(member);
        Owner owner = TestCluster.user();
        List<AnalysisKey> old = new ArrayList<>();
        List<AnalysisKey> current = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            AnalysisKey key = TestCluster.key(owner, UUID.randomUUID(), StemType.VOCALS);
            map.set(key, TestCluster.entry(key, 1));
            old.add(key);
        }
        for (int i = 0; i < 4; i++) {
            AnalysisKey key = TestCluster.key(owner, UUID.randomUUID(), StemType.VOCALS);
            map.set(key, TestCluster.entry(key, 2));
            current.add(key);
        }
        map.flush();
        old.subList(0, 3).forEach(map::evict); // only their rows remain
        for (int i = 0; i < 5; i++) {
            AnalysisKey key = TestCluster.key(owner, UUID.randomUUID(), StemType.BASS);
            cluster.rows.insert(key, 1000, 1, "1 minute");
            old.add(key);
        }
        Owner guest = TestCluster.guest();
        for (int i = 0; i < 3; i++) {
            AnalysisKey key = TestCluster.key(guest, UUID.randomUUID(), StemType.BASS);
            cluster.rows.insert(key, 1000, 1, "1 minute"); // in the guest table
            old.add(key);
        }
        assertThat(cluster.rows.count("cache_version = 1")).isEqualTo(14);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> member.getPartitionService().isClusterSafe());

        CleanupReport report = cluster.services(1).runCleanup();

        assertThat(report.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(report.oldVersionEntries()).as("version-1 entries in memory").isEqualTo(3);
        // The removed entries' deletes are queued behind; the batched delete usually gets their rows first.
        assertThat(report.oldVersionRows()).isBetween(11L, 14L);
        map.flush();
        assertThat(cluster.rows.count("cache_version = 1")).isZero();
        assertThat(current).allMatch(cluster.rows::exists);
        assertThat(map.keySet(
                        Predicates.and(Predicates.lessThan("cacheVersion", 2), Predicates.equal("deletion", false))))
                .as("only deletion markers are left")
                .isEmpty();
        assertThat(old)
                .allSatisfy(key -> assertThat(map.get(key))
                        .as("%s", key)
                        .satisfies(value ->
                                assertThat(value == null || value.isDeletion()).isTrue()));
        assertThat(current)
                .allSatisfy(key -> assertThat(map.get(key).cacheVersion()).isEqualTo(2));
    }

    @Test
    void cleanup_withOnlyCurrentVersions_removesNothing() {
        IMap<AnalysisKey, CachedAudioAnalysis> map = TestCluster.map(member);
        AnalysisKey key = TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.MASTER);
        map.set(key, TestCluster.entry(key, 2));
        map.flush();
        AnalysisKey newer = TestCluster.key(TestCluster.user(), UUID.randomUUID(), StemType.MASTER);
        cluster.rows.insert(newer, 100, 3, "1 minute"); // written by clients already on the next version

        CleanupReport report = cluster.services(0).runCleanup();

        assertThat(report.oldVersionEntries()).isZero();
        assertThat(report.oldVersionRows()).isZero();
        assertThat(map.get(key)).isNotNull();
        assertThat(cluster.rows.exists(key)).isTrue();
        assertThat(cluster.rows.exists(newer)).isTrue();
    }
}
