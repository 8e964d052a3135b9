package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL cut off from the members (a TCP proxy closes every connection and refuses new ones) under
 * write and read load through a client: reads are served from memory, writes are kept in the write-behind
 * backlog, which drains when the database returns; every acknowledged write ends up in PostgreSQL once.
 * The outage lasts {@code -Dstemcache.outage.seconds} (default 8; RELIABILITY.md runs 60).
 */
class PostgresOutageIT {

    private static final long OUTAGE_SECONDS = Long.getLong("stemcache.outage.seconds", 8);

    private final List<HazelcastInstance> members = new ArrayList<>();
    private NodeMembers nodes;
    private TcpProxy proxy;
    private PacedLoad load;

    @BeforeEach
    void createDatabase() {
        nodes = new NodeMembers("outage", 1, 50, false).throughProxy();
        proxy = nodes.proxy();
    }

    @AfterEach
    void shutdown() throws InterruptedException {
        try {
            if (load != null) {
                load.close();
            }
        } finally {
            nodes.close();
        }
    }

    private HazelcastInstance member() {
        HazelcastInstance member = nodes.member();
        members.add(member);
        return member;
    }

    private long backlog() {
        return members.stream()
                .mapToLong(m -> m.getMap("analyses").getLocalMapStats().getDirtyEntryCount())
                .sum();
    }

    @Test
    void outage_underLoad_readsServedWritesKeptAndAllStoredOnceAfterwards() throws Exception {
        member();
        member();
        AudioCacheService cache = StemcacheClient.service(nodes.client(), ClientSettings.defaults());
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);
        Map<AnalysisKey, AudioAnalysis> acknowledged = new ConcurrentHashMap<>();
        List<AnalysisKey> readable = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong writeErrors = new AtomicLong();
        RandomReads readCounts = RandomReads.counts();
        AtomicLong reads = readCounts.reads;
        AtomicLong readMisses = readCounts.misses;
        AtomicLong readErrors = readCounts.errors;
        load = new PacedLoad("outage-load", 2)
                .every(Duration.ofMillis(5), () -> {
                    AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
                    AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
                    try {
                        cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
                        acknowledged.put(key, analysis);
                        readable.add(key);
                    } catch (RuntimeException e) {
                        writeErrors.incrementAndGet();
                    }
                })
                .every(Duration.ofMillis(2), RandomReads.step(readable, cache, readCounts));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> acknowledged.size() >= 100 && TableRows.count(nodes.database.dataSource()) >= 50);

        proxy.cut();
        long cutAt = System.nanoTime();
        long writesAtCut = acknowledged.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> backlog() > 50);
        long earlyBacklog = backlog();
        // Throughout the outage (checked every 250 ms): both members running, every write acknowledged, every read
        // answered from memory.
        await("members up, writes acknowledged and reads answered throughout the outage")
                .during(Duration.ofSeconds(OUTAGE_SECONDS))
                .atMost(Duration.ofSeconds(OUTAGE_SECONDS + 10))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertThat(members)
                            .as("members running")
                            .allMatch(m -> m.getLifecycleService().isRunning());
                    assertThat(writeErrors.get()).as("writes that failed").isZero();
                    assertThat(readErrors.get()).as("reads that failed").isZero();
                    assertThat(readMisses.get()).as("reads that missed").isZero();
                });
        long lateBacklog = backlog();
        assertThat(lateBacklog).as("the backlog grows while PostgreSQL is away").isGreaterThan(earlyBacklog);
        assertThat(nodes.stores.stream()
                        .mapToLong(s -> s.metrics().storeFailures())
                        .sum())
                .isPositive();
        long writesDuringOutage = acknowledged.size() - writesAtCut;
        long readsDuringOutage = reads.get();

        proxy.restore();
        long restoredAt = System.nanoTime();
        load.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog() == 0);
        long drainMillis = (System.nanoTime() - restoredAt) / 1_000_000;

        PostgresAnalysisStore fresh = new PostgresAnalysisStore(nodes.database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = fresh.loadAll(acknowledged.keySet());
        long lost = acknowledged.size() - stored.size();
        assertThat(lost).isZero();
        assertThat(TableRows.count(nodes.database.dataSource())).isEqualTo(acknowledged.size());
        acknowledged.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, stored.get(key).analysis()));
        assertThat(writeErrors.get()).isZero();
        assertThat(readErrors.get()).isZero();
        assertThat(readMisses.get()).isZero();
        System.out.printf(
                "RESULT postgres-outage outage_s=%d acknowledged=%d writes_during_outage=%d reads=%d"
                        + " read_errors=0 backlog_early=%d backlog_peak=%d drain_ms=%d outage_ms=%d lost=%d%n",
                OUTAGE_SECONDS,
                acknowledged.size(),
                writesDuringOutage,
                readsDuringOutage,
                earlyBacklog,
                lateBacklog,
                drainMillis,
                (restoredAt - cutAt) / 1_000_000,
                lost);
    }
}
