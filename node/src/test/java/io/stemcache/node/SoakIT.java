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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mixed load for {@code -Dstemcache.soak.seconds} (default 20; RELIABILITY.md runs 300): two members (the
 * node's configuration and services) and a near-cached client; one writer creating and overwriting entries
 * of a fixed pool of keys (all written once first), two readers getting pooled keys. Sampled
 * every 2 s: heap after a full GC, live threads, HikariCP connections, PostgreSQL sessions, write-behind
 * backlog. No call may fail or miss; after the warm-up (the first quarter) heap, threads, connections and
 * sessions may not keep growing; the backlog stays what one write delay leaves (the store keeps up); once the
 * load stops every connection returns to the pool and the newest version of every key written is in PostgreSQL.
 */
class SoakIT {

    private static final long SECONDS = Long.getLong("stemcache.soak.seconds", 20);
    private static final int KEYS = 1_000;

    private NodeMembers nodes;
    private PacedLoad load;

    @BeforeEach
    void start() {
        nodes = new NodeMembers("soak", 1, 50, true);
    }

    @AfterEach
    void stop() throws InterruptedException {
        try {
            if (load != null) {
                load.close();
            }
        } finally {
            nodes.close();
        }
    }

    private record Sample(long seconds, long heapMb, int threads, int hikariTotal, long pgSessions, long backlog) {}

    private Sample sample(long startedNanos, List<HazelcastInstance> members) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        HikariDataSource pool = (HikariDataSource) nodes.database.dataSource();
        int hikari = pool.getHikariPoolMXBean().getTotalConnections();
        long sessions = TableRows.query(
                nodes.database.dataSource(),
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()");
        long backlog = members.stream()
                .mapToLong(m -> m.getMap(NodeMembers.MAP).getLocalMapStats().getDirtyEntryCount())
                .sum();
        return new Sample(
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos),
                heap,
                threads,
                hikari,
                sessions,
                backlog);
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
        List<AnalysisKey> keys = pool.stream()
                .map(analysis -> TestAnalyses.keyOf(owner, analysis))
                .toList();
        Map<AnalysisKey, Instant> lastWritten = new ConcurrentHashMap<>();
        // Every key written and read once first, so memory and near cache are at their ceiling from the start.
        for (int i = 0; i < KEYS; i++) {
            AnalysisKey key = keys.get(i);
            lastWritten.put(
                    key,
                    cache.setAnalysis(key, pool.get(i), "sha256:" + key.fileMetadataId())
                            .updatedAt());
        }
        keys.forEach(cache::getAnalysis);
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        // Every pooled key exists, so a miss would be an entry lost from memory.
        AtomicLong misses = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger version = new AtomicInteger();
        Runnable read = () -> {
            AnalysisKey key = keys.get(ThreadLocalRandom.current().nextInt(KEYS));
            try {
                reads.incrementAndGet();
                if (cache.getAnalysis(key).isEmpty()) {
                    misses.incrementAndGet();
                }
            } catch (RuntimeException e) {
                errors.incrementAndGet();
            }
        };
        long started = System.nanoTime();
        load = new PacedLoad("soak-load", 3)
                .every(Duration.ofMillis(3), () -> {
                    int i = ThreadLocalRandom.current().nextInt(KEYS);
                    AudioAnalysis analysis = pool.get(i);
                    AnalysisKey key = keys.get(i);
                    try {
                        AudioAnalysis next = new AudioAnalysis(
                                analysis.fileMetadataId(),
                                analysis.stemType(),
                                "soak-" + version.getAndIncrement(),
                                base.analysisData(),
                                base.waveformData(),
                                base.metadata());
                        lastWritten.put(
                                key,
                                cache.setAnalysis(key, next, "sha256:" + key.fileMetadataId())
                                        .updatedAt());
                        writes.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                })
                .every(Duration.ofMillis(1), read)
                .every(Duration.ofMillis(1), read);
        // Sampled every 2 s for the soak's length; no error and no miss at any sample.
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        await("no error and no miss throughout the soak")
                .during(Duration.ofSeconds(SECONDS))
                .atMost(Duration.ofSeconds(SECONDS + 30))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    samples.add(sample(started, members));
                    assertThat(errors.get()).as("calls that failed").isZero();
                    assertThat(misses.get())
                            .as("reads that did not find their entry")
                            .isZero();
                });
        load.close();
        long writeRate = writes.get() * 1_000_000_000L / (System.nanoTime() - started);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> members.stream()
                                .mapToLong(m -> m.getMap(NodeMembers.MAP)
                                        .getLocalMapStats()
                                        .getDirtyEntryCount())
                                .sum()
                        == 0);
        HikariDataSource hikari = (HikariDataSource) nodes.database.dataSource();
        // Every connection back in the pool once the writes are stored: none kept by the store or the services.
        await("every HikariCP connection back in the pool")
                .atMost(Duration.ofSeconds(10))
                .until(() -> hikari.getHikariPoolMXBean().getActiveConnections() == 0);

        PostgresAnalysisStore fresh = new PostgresAnalysisStore(nodes.database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = fresh.loadAll(lastWritten.keySet());
        long lost = lastWritten.keySet().stream()
                .filter(key -> !stored.containsKey(key))
                .count();
        long stale = lastWritten.entrySet().stream()
                .filter(e -> stored.containsKey(e.getKey())
                        && !stored.get(e.getKey()).updatedAt().equals(e.getValue()))
                .count();

        List<Sample> steady = samples.subList(Math.max(1, samples.size() / 4), samples.size());
        Sample first = steady.get(0);
        // The end: the lowest of the last three samples (one full GC can run into a burst of allocations).
        Sample last = steady.subList(Math.max(0, steady.size() - 3), steady.size()).stream()
                .min(Comparator.comparingLong(Sample::heapMb))
                .orElseThrow();
        long heapMax = steady.stream().mapToLong(Sample::heapMb).max().orElseThrow();
        int threadsMax = steady.stream().mapToInt(Sample::threads).max().orElseThrow();
        int hikariMax = steady.stream().mapToInt(Sample::hikariTotal).max().orElseThrow();
        long sessionsMax = steady.stream().mapToLong(Sample::pgSessions).max().orElseThrow();
        long backlogMax = samples.stream().mapToLong(Sample::backlog).max().orElseThrow();
        // The backlog at the start and at the end of the steady part: the mean of its first and of its last third.
        int third = Math.max(1, steady.size() / 3);
        double backlogStart = steady.subList(0, third).stream()
                .mapToLong(Sample::backlog)
                .average()
                .orElseThrow();
        double backlogEnd = steady.subList(steady.size() - third, steady.size()).stream()
                .mapToLong(Sample::backlog)
                .average()
                .orElseThrow();
        System.out.printf(
                "RESULT soak seconds=%d keys=%d writes=%d write_rate=%d reads=%d misses=%d errors=%d"
                        + " heap_mb_after_gc=%d..%d(max %d) threads=%d..%d(max %d) hikari=%d..%d(max %d)"
                        + " pg_sessions=%d..%d(max %d) backlog=%.0f..%.0f(max %d) written_keys=%d stale=%d lost=%d"
                        + " samples=%s%n",
                SECONDS,
                KEYS,
                writes.get(),
                writeRate,
                reads.get(),
                misses.get(),
                errors.get(),
                first.heapMb(),
                last.heapMb(),
                heapMax,
                first.threads(),
                last.threads(),
                threadsMax,
                first.hikariTotal(),
                last.hikariTotal(),
                hikariMax,
                first.pgSessions(),
                last.pgSessions(),
                sessionsMax,
                backlogStart,
                backlogEnd,
                backlogMax,
                lastWritten.size(),
                stale,
                lost,
                samples.stream()
                        .map(s -> s.seconds() + "s:" + s.heapMb() + "MB/" + s.threads() + "t/" + s.backlog() + "b")
                        .toList());

        assertThat(errors.get()).isZero();
        assertThat(misses.get()).as("reads that did not find their entry").isZero();
        assertThat(lost).isZero();
        assertThat(stale)
                .as("keys whose row is not the last acknowledged version")
                .isZero();
        // Flat: no growth beyond noise after the warm-up. Keys are a fixed pool, so memory has a ceiling.
        assertThat(last.heapMb()).as("heap after GC, MB, end vs warm-up").isLessThan(first.heapMb() * 3 / 2 + 64);
        assertThat(last.threads()).as("live threads, end vs warm-up").isLessThanOrEqualTo(first.threads() + 8);
        assertThat(last.hikariTotal())
                .as("HikariCP connections, end vs warm-up")
                .isLessThanOrEqualTo(first.hikariTotal() + 2);
        assertThat(last.pgSessions())
                .as("PostgreSQL sessions, end vs warm-up")
                .isLessThanOrEqualTo(first.pgSessions() + 2);
        // The store keeps up: the backlog does not grow. (Coalescing alone keeps it under the key pool, which a
        // stalled store reaches too: ~900 of the 1000 keys are written within 20 s.)
        assertThat(backlogEnd)
                .as("write-behind backlog, end vs start of the steady part")
                .isLessThanOrEqualTo(backlogStart * 3 / 2 + 100);
    }
}
