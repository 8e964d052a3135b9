package io.stemcache.node.stats;

import static io.stemcache.node.stats.StatsCluster.FAST;
import static io.stemcache.node.stats.StatsCluster.MAP;
import static io.stemcache.node.stats.StatsCluster.analyses;
import static io.stemcache.node.stats.StatsCluster.keyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CacheStats;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.stats.ClusterStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cluster-wide statistics on real members and PostgreSQL: exact after a workload, and across joins and leaves. */
class ClusterStatsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final StatsCluster cluster = new StatsCluster("stats");

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void getCacheStats_afterAScriptedWorkload_countsExactly() {
        HazelcastInstance member = cluster.member(FAST);
        cluster.member(FAST);
        AudioCacheService cache = cluster.apiNode();
        IMap<AnalysisKey, CachedAudioAnalysis> map = member.getMap(MAP);
        Owner owner = Owner.user(UUID.randomUUID());
        List<AnalysisKey> keys = new ArrayList<>();
        List<CachedAudioAnalysis> written = new ArrayList<>();
        for (AudioAnalysis analysis : analyses(10)) {
            keys.add(keyOf(owner, analysis));
            written.add(cache.setAnalysis(keyOf(owner, analysis), analysis, "hash"));
        }
        for (int i = 0; i < 7; i++) {
            assertThat(cache.getAnalysis(keys.get(i))).isPresent(); // member memory: 7 near-cache misses
        }
        for (int i = 0; i < 3; i++) {
            assertThat(cache.getAnalysis(
                            keyOf(Owner.user(UUID.randomUUID()), analyses(1).get(0))))
                    .isEmpty();
        }
        assertThat(cache.getAnalysis(keys.get(0))).isPresent(); // near cache
        assertThat(cache.getAnalysis(keys.get(1))).isPresent(); // near cache
        map.flush();
        map.delete(keys.get(8));
        map.delete(keys.get(9));
        map.evict(keys.get(7));
        assertThat(cache.getAnalysis(keys.get(7))).isPresent(); // loaded back from PostgreSQL
        AudioAnalysis shortLived = analyses(1).get(0);
        AnalysisKey shortLivedKey = keyOf(owner, shortLived);
        map.set(
                shortLivedKey,
                CachedAudioAnalysis.of(
                        shortLivedKey, shortLived, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()),
                1,
                TimeUnit.SECONDS);

        List<CachedAudioAnalysis> held = written.subList(0, 8);
        CacheStats expected = new CacheStats(
                8,
                held.stream().mapToLong(CachedAudioAnalysis::size).sum(),
                held.stream().mapToLong(CachedAudioAnalysis::rawSize).sum(),
                10,
                3,
                2,
                11,
                2,
                1,
                1,
                0,
                11,
                1,
                0,
                null,
                2);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(cache.getCacheStats()).isEqualTo(expected));
        assertThat(ClusterStats.read(member, MAP))
                .as("the same figures read on a member")
                .isEqualTo(expected);
        assertThat(expected.hitRate()).isEqualTo(10.0 / 13);
        assertThat(expected.compressionRatio()).isBetween(0.0, 1.0);
    }

    @Test
    void membersJoiningAndLeaving_keepTheTotals_andCountEntriesOnce() {
        HazelcastInstance first = cluster.member(FAST);
        cluster.member(FAST);
        AudioCacheService cache = cluster.apiNode();
        Owner owner = Owner.guest("guest-token-stats-0001");
        List<AudioAnalysis> analyses = analyses(12);
        for (AudioAnalysis analysis : analyses.subList(0, 10)) {
            cache.setAnalysis(keyOf(owner, analysis), analysis, null);
            assertThat(cache.getAnalysis(keyOf(owner, analysis))).isPresent();
        }
        assertThat(cache.getAnalysis(keyOf(owner, analyses.get(10)))).isEmpty();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(cache.getCacheStats())
                        .extracting(
                                CacheStats::entries,
                                CacheStats::puts,
                                CacheStats::hits,
                                CacheStats::misses,
                                CacheStats::members)
                        .containsExactly(10L, 10L, 10L, 1L, 2));

        cluster.member(FAST);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(cache.getCacheStats())
                        .extracting(CacheStats::entries, CacheStats::puts, CacheStats::hits, CacheStats::members)
                        .containsExactly(10L, 10L, 10L, 3));

        first.shutdown();
        cache.setAnalysis(keyOf(owner, analyses.get(11)), analyses.get(11), null);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(cache.getCacheStats())
                        .extracting(
                                CacheStats::entries,
                                CacheStats::puts,
                                CacheStats::hits,
                                CacheStats::misses,
                                CacheStats::members,
                                CacheStats::writeBehindBacklog)
                        .containsExactly(11L, 11L, 10L, 1L, 2, 0L));
    }

    @Test
    void memberShutdown_publishesWhatItCountedSinceItsLastInterval() {
        HazelcastInstance silent = cluster.member(Duration.ofHours(1));
        HazelcastInstance member = cluster.member(FAST);
        AudioCacheService cache = cluster.apiNode();
        Owner owner = Owner.user(UUID.randomUUID());
        for (AudioAnalysis analysis : analyses(20)) {
            cache.setAnalysis(keyOf(owner, analysis), analysis, null);
        }
        MemberStats silentStats = cluster.statsOf(silent);
        await().atMost(PATIENCE)
                .until(() -> silentStats.events().puts()
                                + cluster.statsOf(member).events().puts()
                        == 20);
        assertThat(silentStats.events().puts())
                .as("puts the silent member owns")
                .isPositive();
        long othersPuts = 20 - silentStats.events().puts();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(cache.getCacheStats().puts())
                        .as("only the other member has published")
                        .isEqualTo(othersPuts));

        silent.shutdown();

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(cache.getCacheStats())
                        .extracting(CacheStats::puts, CacheStats::entries, CacheStats::members)
                        .containsExactly(20L, 20L, 1));
    }

    @Test
    void lastCleanup_isTheLatestAnyMemberFinished_evenAfterItLeft() {
        Instant earlier = Instant.parse("2026-03-01T10:00:00.123456Z");
        Instant later = Instant.parse("2026-03-01T10:05:00.654321Z");
        AtomicReference<Instant> laterMembersReport = new AtomicReference<>(later);
        cluster.member(FAST, () -> earlier);
        HazelcastInstance leaving = cluster.member(FAST, laterMembersReport::get);
        HazelcastInstance staying = cluster.members().get(0);

        await().atMost(PATIENCE)
                .until(() -> later.equals(ClusterStats.read(staying, MAP).lastCleanup()));
        laterMembersReport.set(null); // its report is gone (a later run was skipped): the time it had stands
        cluster.statsOf(leaving).publishNow();
        assertThat(ClusterStats.read(staying, MAP).lastCleanup()).isEqualTo(later);

        leaving.shutdown();
        await().atMost(PATIENCE).until(() -> ClusterStats.read(staying, MAP).members() == 1);
        assertThat(ClusterStats.read(staying, MAP).lastCleanup()).isEqualTo(later);
    }
}
