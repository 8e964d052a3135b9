package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Corpus;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mixed load for {@code -Dstemcache.soak.seconds} (default 20; RELIABILITY.md runs 300): two members (the
 * node's configuration and services) and a near-cached client; one writer creating and overwriting entries
 * of a fixed pool of keys (all written once first), two readers getting pooled keys. Sampled
 * every 2 s: heap after a full GC, live threads, HikariCP connections, PostgreSQL sessions, write-behind
 * backlog. After the warm-up (the first quarter) none of them may keep growing; afterwards the newest version
 * of every key written is in PostgreSQL.
 */
class SoakIT {

    private static final long SECONDS = Long.getLong("stemcache.soak.seconds", 20);
    private static final int KEYS = 1_000;

    private NodeMembers nodes;

    @BeforeEach
    void start() {
        nodes = new NodeMembers("soak", 1, 50, true);
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    private record Sample(long seconds, long heapMb, int threads, int hikariTotal, long pgSessions, long backlog) {
    }

    private Sample sample(long startedNanos, List<HazelcastInstance> members) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        HikariDataSource pool = (HikariDataSource) nodes.database.dataSource();
        int hikari = pool.getHikariPoolMXBean().getTotalConnections();
        long sessions = TableRows.query(nodes.database.dataSource(),
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()");
        long backlog = members.stream()
                .mapToLong(m -> m.getMap(NodeMembers.MAP).getLocalMapStats().getDirtyEntryCount()).sum();
        return new Sample(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos), heap, threads, hikari,
                sessions, backlog);
    }

    @Test
    void mixedLoad_leavesHeapThreadsConnectionsAndBacklogFlat() throws Exception {
        HazelcastInstance a = nodes.member();
        HazelcastInstance b = nodes.member();
        List<HazelcastInstance> members = List.of(a, b);
        AudioCacheService cache = StemcacheClient.service(nodes.client(), ClientSettings.defaults());
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);
        List<AudioAnalysis> pool = TestAnalyses.distinctSmall(KEYS, 100);
        List<AnalysisKey> keys = pool.stream().map(analysis -> TestAnalyses.keyOf(owner, analysis)).toList();
        Map<AnalysisKey, Instant> lastWritten = new ConcurrentHashMap<>();
        // Every key written and read once first, so memory and near cache are at their ceiling from the start.
        for (int i = 0; i < KEYS; i++) {
            AnalysisKey key = keys.get(i);
            lastWritten.put(key, cache.setAnalysis(key, pool.get(i), "sha256:" + key.fileMetadataId()).updatedAt());
        }
        keys.forEach(cache::getAnalysis);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicLong hits = new AtomicLong();
        // Readers count hits; every pooled key exists, so a miss would be an entry lost from memory.
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> {
            int version = 0;
            while (running.get()) {
                int i = ThreadLocalRandom.current().nextInt(KEYS);
                AudioAnalysis analysis = pool.get(i);
                AnalysisKey key = keys.get(i);
                try {
                    AudioAnalysis next = new AudioAnalysis(analysis.fileMetadataId(), analysis.stemType(),
                            "soak-" + version++, base.analysisData(), base.waveformData(), base.metadata());
                    lastWritten.put(key, cache.setAnalysis(key, next, "sha256:" + key.fileMetadataId()).updatedAt());
                    writes.incrementAndGet();
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                }
                PostgresOutageIT.pause(3);
            }
        }, "soak-writer"));
        for (int r = 0; r < 2; r++) {
            threads.add(new Thread(() -> {
                while (running.get()) {
                    AnalysisKey key = keys.get(ThreadLocalRandom.current().nextInt(KEYS));
                    try {
                        reads.incrementAndGet();
                        if (cache.getAnalysis(key).isPresent()) {
                            hits.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                    PostgresOutageIT.pause(1);
                }
            }, "soak-reader-" + r));
        }
        long started = System.nanoTime();
        threads.forEach(Thread::start);
        List<Sample> samples = new ArrayList<>();
        long end = started + TimeUnit.SECONDS.toNanos(SECONDS);
        while (System.nanoTime() < end) {
            PostgresOutageIT.pause(2_000);
            samples.add(sample(started, members));
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> members.stream()
                .mapToLong(m -> m.getMap(NodeMembers.MAP).getLocalMapStats().getDirtyEntryCount()).sum() == 0);

        PostgresAnalysisStore fresh = new PostgresAnalysisStore(nodes.database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = fresh.loadAll(lastWritten.keySet());
        long lost = lastWritten.keySet().stream().filter(key -> !stored.containsKey(key)).count();
        long stale = lastWritten.entrySet().stream().filter(e -> stored.containsKey(e.getKey())
                && !stored.get(e.getKey()).updatedAt().equals(e.getValue())).count();

        List<Sample> steady = samples.subList(Math.max(1, samples.size() / 4), samples.size());
        Sample first = steady.get(0);
        // The end: the lowest of the last three samples (one full GC can run into a burst of allocations).
        Sample last = steady.subList(Math.max(0, steady.size() - 3), steady.size()).stream()
                .min(Comparator.comparingLong(Sample::heapMb)).orElseThrow();
        long heapMax = steady.stream().mapToLong(Sample::heapMb).max().orElseThrow();
        int threadsMax = steady.stream().mapToInt(Sample::threads).max().orElseThrow();
        int hikariMax = steady.stream().mapToInt(Sample::hikariTotal).max().orElseThrow();
        long sessionsMax = steady.stream().mapToLong(Sample::pgSessions).max().orElseThrow();
        long backlogMax = samples.stream().mapToLong(Sample::backlog).max().orElseThrow();
        System.out.printf("RESULT soak seconds=%d keys=%d writes=%d reads=%d hits=%d errors=%d"
                        + " heap_mb_after_gc=%d..%d(max %d) threads=%d..%d(max %d) hikari=%d..%d(max %d)"
                        + " pg_sessions=%d..%d(max %d) backlog_max=%d written_keys=%d stale=%d lost=%d samples=%s%n",
                SECONDS, KEYS, writes.get(), reads.get(), hits.get(), errors.get(), first.heapMb(), last.heapMb(), heapMax,
                first.threads(), last.threads(), threadsMax, first.hikariTotal(), last.hikariTotal(), hikariMax,
                first.pgSessions(), last.pgSessions(), sessionsMax, backlogMax, lastWritten.size(), stale, lost,
                samples.stream().map(s -> s.seconds() + "s:" + s.heapMb() + "MB/" + s.threads() + "t/" + s.backlog() + "b")
                        .toList());

        assertThat(errors.get()).isZero();
        assertThat(hits.get()).as("reads that found their entry").isEqualTo(reads.get());
        assertThat(lost).isZero();
        assertThat(stale).as("keys whose row is not the last acknowledged version").isZero();
        // Flat: no growth beyond noise after the warm-up. Keys are a fixed pool, so memory has a ceiling.
        assertThat(last.heapMb()).as("heap after GC, MB, end vs warm-up").isLessThan(first.heapMb() * 3 / 2 + 64);
        assertThat(last.threads()).as("live threads, end vs warm-up").isLessThanOrEqualTo(first.threads() + 8);
        assertThat(hikariMax).as("HikariCP connections")
                .isLessThanOrEqualTo(((HikariDataSource) nodes.database.dataSource()).getMaximumPoolSize());
        assertThat(last.pgSessions()).as("PostgreSQL sessions, end vs warm-up").isLessThanOrEqualTo(first.pgSessions() + 2);
        // Coalescing keeps one queued store per key: the backlog cannot pass the key pool.
        assertThat(backlogMax).as("write-behind backlog").isLessThanOrEqualTo(KEYS);
    }
}
