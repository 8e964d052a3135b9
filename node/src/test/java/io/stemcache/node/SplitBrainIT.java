package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.test.HazelcastTestSupport;
import com.hazelcast.test.SplitBrainTestSupport;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A split brain: three members (the node's {@code hazelcast.yaml}, merge policy included, and PostgreSQL
 * store, in one JVM through Hazelcast's test factory) are cut into {a, b} and {c} by Hazelcast's test
 * firewall, both sides take writes of the same keys and of their own keys, then the network heals and {c}
 * merges into {a, b}. Every key must end with its newest write in memory and in PostgreSQL, whichever side
 * wrote it, and no key may be lost: the higher version (a side that wrote the key more often), and for writes
 * of the same version on both sides (concurrent: no order exists) the later one by the writers' clocks.
 */
class SplitBrainIT {

    private static final int WRITE_DELAY_SECONDS = 2;
    private static final int KEYS_PER_GROUP = 12;

    private NodeMembers nodes;

    @BeforeEach
    void start() {
        nodes = new NodeMembers("splitbrain", WRITE_DELAY_SECONDS, 50, false);
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    private HazelcastInstance member() {
        // Look for the other side every second instead of every 2 minutes (Hazelcast's defaults: 300 s, 120 s).
        return nodes.member((Config config) -> config.setProperty("hazelcast.merge.first.run.delay.seconds", "1")
                .setProperty("hazelcast.merge.next.run.delay.seconds", "1"));
    }

    /** One version of an analysis: same file and stem, its own analysis version (so the payload differs). */
    private static AudioAnalysis version(AudioAnalysis base, UUID file, String analysisVersion) {
        return new AudioAnalysis(
                file, base.stemType(), analysisVersion, base.analysisData(), base.waveformData(), base.metadata());
    }

    private record Written(AudioAnalysis analysis, Instant updatedAt, String side) {}

    private static Written set(AudioCacheService cache, String side, AnalysisKey key, AudioAnalysis analysis) {
        CachedAudioAnalysis entry = cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
        return new Written(analysis, entry.updatedAt(), side);
    }

    private static long backlog(List<HazelcastInstance> members) {
        return members.stream()
                .mapToLong(m -> m.getMap(NodeMembers.MAP).getLocalMapStats().getDirtyEntryCount())
                .sum();
    }

    @Test
    void healedSplit_keepsTheNewestVersionOfEveryKey_fromEitherSide_andLosesNone() throws Exception {
        HazelcastInstance a = member();
        HazelcastInstance b = member();
        HazelcastInstance c = member();
        List<HazelcastInstance> all = List.of(a, b, c);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        all.stream().allMatch(m -> m.getCluster().getMembers().size() == 3));
        AudioCacheService viaA = StemcacheClient.service(a, ClientSettings.defaults());
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);

        // Before the split: keys every side knows, stored in PostgreSQL.
        Map<AnalysisKey, UUID> shared = new LinkedHashMap<>();
        Map<AnalysisKey, Written> newest = new LinkedHashMap<>();
        for (int i = 0; i < 4 * KEYS_PER_GROUP; i++) {
            UUID file = UUID.randomUUID();
            AnalysisKey key = new AnalysisKey(owner, file, base.stemType());
            shared.put(key, file);
            newest.put(key, set(viaA, "before", key, version(base, file, "v0")));
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> TableRows.count(nodes.database.dataSource()) == shared.size());

        // The split: {a, b} and {c}; each side removes the other's members.
        long splitStarted = System.nanoTime();
        for (HazelcastInstance big : List.of(a, b)) {
            SplitBrainTestSupport.blockCommunicationBetween(big, c);
        }
        for (HazelcastInstance big : List.of(a, b)) {
            HazelcastTestSupport.closeConnectionBetween(big, c);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> a.getCluster().getMembers().size() == 2
                        && b.getCluster().getMembers().size() == 2
                        && c.getCluster().getMembers().size() == 1);
        long splitMillis = (System.nanoTime() - splitStarted) / 1_000_000;

        AudioCacheService big = StemcacheClient.service(b, ClientSettings.defaults());
        AudioCacheService small = StemcacheClient.service(c, ClientSettings.defaults());
        List<AnalysisKey> keys = new ArrayList<>(shared.keySet());
        List<AnalysisKey> newerOnSmall = keys.subList(0, KEYS_PER_GROUP);
        List<AnalysisKey> newerOnBig = keys.subList(KEYS_PER_GROUP, 2 * KEYS_PER_GROUP);
        List<AnalysisKey> lateSlowClockOnBig = keys.subList(2 * KEYS_PER_GROUP, 3 * KEYS_PER_GROUP);
        // keys.subList(3 * KEYS_PER_GROUP, ...) are left alone during the split.

        // First round: the older versions.
        for (AnalysisKey key : newerOnSmall) {
            newest.put(key, set(big, "big", key, version(base, shared.get(key), "v1-big")));
        }
        for (AnalysisKey key : newerOnBig) {
            newest.put(key, set(small, "small", key, version(base, shared.get(key), "v1-small")));
        }
        // Second round: the newer versions, on the side named by the group.
        for (AnalysisKey key : newerOnSmall) {
            newest.put(key, set(small, "small", key, version(base, shared.get(key), "v2-small")));
        }
        for (AnalysisKey key : newerOnBig) {
            newest.put(key, set(big, "big", key, version(base, shared.get(key), "v2-big")));
        }
        // A write the larger side applies last, from an API node whose clock is 10 s behind (so its updatedAt is
        // older than the smaller side's write): the member that applies it gives it its version, so it wins; the
        // writer's clock does not count (issue 10).
        for (AnalysisKey key : lateSlowClockOnBig) {
            set(small, "small", key, version(base, shared.get(key), "v2-small"));
        }
        AudioCacheService slowWriter = StemcacheClient.service(
                a, ClientSettings.defaults().withClock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-10))));
        for (AnalysisKey key : lateSlowClockOnBig) {
            newest.put(key, set(slowWriter, "big-late", key, version(base, shared.get(key), "v1-big-late")));
        }
        // Keys only one side has.
        for (int i = 0; i < KEYS_PER_GROUP; i++) {
            for (String side : List.of("big", "small")) {
                UUID file = UUID.randomUUID();
                AnalysisKey key = new AnalysisKey(owner, file, base.stemType());
                newest.put(key, set(side.equals("big") ? big : small, side, key, version(base, file, "only-" + side)));
            }
        }
        long rowsAtHeal = TableRows.count(nodes.database.dataSource());
        long smallBacklogAtHeal = backlog(List.of(c));

        // The heal: {c} finds {a, b} again and merges into it.
        CountDownLatch merged = new CountDownLatch(1);
        c.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleState.MERGED) {
                merged.countDown();
            }
        });
        long healStarted = System.nanoTime();
        for (HazelcastInstance bigMember : List.of(a, b)) {
            SplitBrainTestSupport.unblockCommunicationBetween(bigMember, c);
        }
        assertThat(merged.await(90, TimeUnit.SECONDS))
                .as("c merged into {a, b}")
                .isTrue();
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        all.stream().allMatch(m -> m.getCluster().getMembers().size() == 3));
        long mergeMillis = (System.nanoTime() - healStarted) / 1_000_000;
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog(all) == 0);
        long drainMillis = (System.nanoTime() - healStarted) / 1_000_000;

        // Memory: every key, newest version, read through every member.
        int missingInMemory = 0;
        int wrongInMemory = 0;
        for (HazelcastInstance member : all) {
            AudioCacheService cache = StemcacheClient.service(member, ClientSettings.defaults());
            for (Map.Entry<AnalysisKey, Written> expected : newest.entrySet()) {
                CachedAudioAnalysis entry = cache.getAnalysis(expected.getKey()).orElse(null);
                if (entry == null) {
                    missingInMemory++;
                } else if (!entry.analysisVersion()
                        .equals(expected.getValue().analysis().analysisVersion())) {
                    wrongInMemory++;
                }
            }
        }
        // PostgreSQL: one row per key, the newest version.
        long rows = TableRows.count(nodes.database.dataSource());
        PostgresAnalysisStore reader = new PostgresAnalysisStore(nodes.database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = reader.loadAll(newest.keySet());
        long wrongInTable = newest.entrySet().stream()
                .filter(e -> stored.containsKey(e.getKey())
                        && !stored.get(e.getKey())
                                .analysisVersion()
                                .equals(e.getValue().analysis().analysisVersion()))
                .count();
        long lost = newest.size() - stored.size();
        System.out.printf(
                "RESULT split-brain sides=2+1 keys=%d newer_on_small=%d newer_on_big=%d late_slow_clock_on_big=%d"
                        + " only_big=%d only_small=%d untouched=%d split_ms=%d rows_at_heal=%d small_backlog_at_heal=%d"
                        + " merge_ms=%d drain_ms=%d missing_memory=%d wrong_version_memory=%d rows=%d"
                        + " wrong_version_table=%d lost=%d%n",
                newest.size(),
                newerOnSmall.size(),
                newerOnBig.size(),
                lateSlowClockOnBig.size(),
                KEYS_PER_GROUP,
                KEYS_PER_GROUP,
                KEYS_PER_GROUP,
                splitMillis,
                rowsAtHeal,
                smallBacklogAtHeal,
                mergeMillis,
                drainMillis,
                missingInMemory,
                wrongInMemory,
                rows,
                wrongInTable,
                lost);

        for (Map.Entry<AnalysisKey, Written> expected : newest.entrySet()) {
            Written version = expected.getValue();
            CachedAudioAnalysis entry = viaA.getAnalysis(expected.getKey()).orElse(null);
            assertThat(entry)
                    .as("%s in memory after the merge", expected.getKey())
                    .isNotNull();
            assertThat(entry.analysisVersion())
                    .as("%s: newest write (on %s) in memory", expected.getKey(), version.side())
                    .isEqualTo(version.analysis().analysisVersion());
            Analyses.assertBitExact(version.analysis(), entry.analysis());
            CachedAudioAnalysis row = stored.get(expected.getKey());
            assertThat(row).as("%s in PostgreSQL", expected.getKey()).isNotNull();
            assertThat(row.analysisVersion())
                    .as("%s: newest write (on %s) in PostgreSQL", expected.getKey(), version.side())
                    .isEqualTo(version.analysis().analysisVersion());
            assertThat(row.version())
                    .as("%s: the table holds the version memory holds", expected.getKey())
                    .isEqualTo(entry.version());
            Analyses.assertBitExact(version.analysis(), row.analysis());
        }
        assertThat(missingInMemory).isZero();
        assertThat(wrongInMemory).isZero();
        assertThat(a.getMap(NodeMembers.MAP).size()).as("no other key appeared").isEqualTo(newest.size());
        assertThat(rows).isEqualTo(newest.size());
        assertThat(lost).isZero();
    }
}
