package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow PostgreSQL: another connection holds {@code LOCK TABLE audio_analysis_cache IN ACCESS EXCLUSIVE MODE}
 * for {@code -Dstemcache.slowdb.lock.seconds} (default 15; RELIABILITY.md also runs 90, past Hazelcast's 60 s
 * heartbeat and call timeouts) while a client (no near cache, so every call reaches a member) reads in-memory
 * entries and writes new ones. Every statement on the table waits for the lock, so write-behind stores hang
 * in PostgreSQL; the members must keep answering (MapStore calls are offloaded from partition threads),
 * keep each other (no membership change), and store everything once the lock goes. One read of an entry not
 * in memory waits for the lock meanwhile, until the load timeout fails it; a probe measures what that does to
 * the other calls of its partition (they wait behind the load, so for the timeout, not for the lock).
 */
class SlowPostgresIT {

    private static final long LOCK_SECONDS = Long.getLong("stemcache.slowdb.lock.seconds", 15);

    /** Statements of the store's load (the only query with that column) waiting for a lock. */
    private static final String WAITING_LOADS =
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE '%AS analysis_json%'";

    private NodeMembers nodes;
    private PacedLoad load;
    /** Lets the table lock go; counted down after the test too, so that a failed test does not leave it held. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        nodes = new NodeMembers("slowdb", 1, 50, true);
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        try {
            if (load != null) {
                load.close();
            }
        } finally {
            nodes.close();
        }
    }

    private long backlog(List<HazelcastInstance> members) {
        return members.stream()
                .mapToLong(m -> m.getMap(NodeMembers.MAP).getLocalMapStats().getDirtyEntryCount())
                .sum();
    }

    /** Latencies (ns) of one kind of call, by phase: 0 before the lock, 1 while it is held, 2 after. */
    private static final class Latencies {
        final List<List<Long>> phases = List.of(
                Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));

        void add(int phase, long nanos) {
            phases.get(phase).add(nanos);
        }

        String describe(int phase) {
            List<Long> sorted;
            synchronized (phases.get(phase)) {
                sorted = new ArrayList<>(phases.get(phase));
            }
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return "n=0";
            }
            return String.format(
                    "n=%d,p50_ms=%.2f,p99_ms=%.2f,max_ms=%.1f",
                    sorted.size(),
                    sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get((int) (sorted.size() * 0.99)) / 1e6,
                    sorted.get(sorted.size() - 1) / 1e6);
        }

        long maxMillis(int phase) {
            synchronized (phases.get(phase)) {
                return phases.get(phase).stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElse(0)
                        / 1_000_000;
            }
        }
    }

    private static int partitionOf(HazelcastInstance client, AnalysisKey key) {
        return client.getPartitionService().getPartition(key).getPartitionId();
    }

    /** A new analysis whose key falls in {@code partition}. */
    private static AudioAnalysis analysisIn(HazelcastInstance client, AudioAnalysis base, Owner owner, int partition) {
        while (true) {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            if (partitionOf(client, TestAnalyses.keyOf(owner, analysis)) == partition) {
                return analysis;
            }
        }
    }

    /** A new analysis whose key falls outside {@code partition}. */
    private static AudioAnalysis analysisOutside(
            HazelcastInstance client, AudioAnalysis base, Owner owner, int partition) {
        while (true) {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            if (partitionOf(client, TestAnalyses.keyOf(owner, analysis)) != partition) {
                return analysis;
            }
        }
    }

    @Test
    void tableLockedForLong_membersKeepServingAndTogether_andStoreEverythingAfterwards() throws Exception {
        HazelcastInstance a = nodes.member();
        HazelcastInstance b = nodes.member();
        List<HazelcastInstance> members = List.of(a, b);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> a.getCluster().getMembers().size() == 2);
        AtomicInteger membershipEvents = new AtomicInteger();
        for (HazelcastInstance member : members) {
            member.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    membershipEvents.incrementAndGet();
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    membershipEvents.incrementAndGet();
                }
            });
        }
        ClientConfig config = StemcacheClient.defaultConfig();
        config.getNearCacheConfigMap().clear();
        HazelcastInstance client = nodes.factory.newHazelcastClient(config);
        AudioCacheService cache = StemcacheClient.service(client, ClientSettings.defaults());
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);
        Map<AnalysisKey, AudioAnalysis> acknowledged = new ConcurrentHashMap<>();
        List<AnalysisKey> readable = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 200; i++) {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
            acknowledged.put(key, analysis);
            readable.add(key);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> TableRows.count(nodes.database.dataSource()) == 200);
        // One stored entry leaves memory (evict keeps the row): reading it during the lock must load it.
        AnalysisKey cold = readable.remove(0);
        a.getMap(NodeMembers.MAP).evict(cold);
        int coldPartition = partitionOf(client, cold);
        // Hazelcast runs the operations of one map partition in order: while the load of the cold entry waits
        // for PostgreSQL (offloaded, on another thread), later calls on its partition wait behind it. The
        // steady load keeps off that partition; a probe measures it apart, with an entry held in memory there.
        readable.removeIf(key -> partitionOf(client, key) == coldPartition);
        AudioAnalysis neighbourAnalysis = analysisIn(client, base, owner, coldPartition);
        AnalysisKey coldNeighbour = TestAnalyses.keyOf(owner, neighbourAnalysis);
        cache.setAnalysis(coldNeighbour, neighbourAnalysis, "sha256:" + coldNeighbour.fileMetadataId());
        acknowledged.put(coldNeighbour, neighbourAnalysis);

        AtomicInteger phase = new AtomicInteger();
        AtomicLong writeErrors = new AtomicLong();
        AtomicLong readErrors = new AtomicLong();
        AtomicLong readMisses = new AtomicLong();
        Latencies writes = new Latencies();
        Latencies reads = new Latencies();
        load = new PacedLoad("slowdb-load", 2)
                .every(Duration.ofMillis(5), () -> {
                    AudioAnalysis analysis = analysisOutside(client, base, owner, coldPartition);
                    AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
                    int at = phase.get();
                    long started = System.nanoTime();
                    try {
                        cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
                        writes.add(at, System.nanoTime() - started);
                        acknowledged.put(key, analysis);
                        readable.add(key);
                    } catch (RuntimeException e) {
                        writeErrors.incrementAndGet();
                    }
                })
                .every(Duration.ofMillis(2), () -> {
                    AnalysisKey key;
                    synchronized (readable) {
                        key = readable.get(ThreadLocalRandom.current().nextInt(readable.size()));
                    }
                    int at = phase.get();
                    long started = System.nanoTime();
                    try {
                        if (cache.getAnalysis(key).isEmpty()) {
                            readMisses.incrementAndGet();
                        }
                        reads.add(at, System.nanoTime() - started);
                    } catch (RuntimeException e) {
                        readErrors.incrementAndGet();
                    }
                });
        // The backlog of normal operation (writes within the 1 s write delay), to know when it is back to it:
        // sampled until the load's writes have gone through a few write-behind runs (200 of them stored).
        AtomicLong normalBacklog = new AtomicLong();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    normalBacklog.accumulateAndGet(backlog(members), Math::max);
                    return TableRows.count(nodes.database.dataSource()) >= 200 + 200;
                });

        CountDownLatch locked = new CountDownLatch(1);
        Thread locker = new Thread(
                () -> {
                    try (Connection connection = DriverManager.getConnection(
                                    nodes.database.jdbcUrl(), nodes.database.user(), nodes.database.password());
                            Statement statement = connection.createStatement()) {
                        connection.setAutoCommit(false);
                        statement.execute("LOCK TABLE audio_analysis_cache IN ACCESS EXCLUSIVE MODE");
                        locked.countDown();
                        release.await();
                        connection.commit();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "slowdb-locker");
        locker.start();
        assertThat(locked.await(30, TimeUnit.SECONDS)).as("table locked").isTrue();
        long lockedAt = System.nanoTime();
        phase.set(1);
        AtomicLong coldReadMillis = new AtomicLong(-1);
        List<String> coldReadOutcome = Collections.synchronizedList(new ArrayList<>());
        Thread coldReader = new Thread(
                () -> {
                    long started = System.nanoTime();
                    try {
                        coldReadOutcome.add(cache.getAnalysis(cold).isPresent() ? "hit" : "miss");
                    } catch (RuntimeException e) {
                        coldReadOutcome.add(e.getClass().getSimpleName());
                    }
                    coldReadMillis.set((System.nanoTime() - started) / 1_000_000);
                },
                "slowdb-cold-reader");
        coldReader.start();
        // Once the cold entry's load waits for the lock in PostgreSQL (it holds its partition meanwhile), two probes
        // call that partition at once.
        await("the cold entry's load waiting for the lock")
                .atMost(StoreSettings.DEFAULT_LOAD_TIMEOUT.minusSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> TableRows.query(nodes.database.dataSource(), WAITING_LOADS) > 0);
        List<String> probe = Collections.synchronizedList(new ArrayList<>());
        Thread probeSet = new Thread(
                () -> {
                    AudioAnalysis analysis = analysisIn(client, base, owner, coldPartition);
                    AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
                    long started = System.nanoTime();
                    cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
                    acknowledged.put(key, analysis);
                    probe.add("set_ms=" + (System.nanoTime() - started) / 1_000_000);
                },
                "slowdb-probe-set");
        Thread probeGet = new Thread(
                () -> {
                    long started = System.nanoTime();
                    boolean found = cache.getAnalysis(coldNeighbour).isPresent();
                    probe.add(
                            "get_in_memory_ms=" + (System.nanoTime() - started) / 1_000_000 + (found ? "" : ",MISSED"));
                },
                "slowdb-probe-get");
        probeSet.start();
        probeGet.start();

        // Until the lock goes (checked every 250 ms): both members see both, no call failed or missed.
        AtomicLong waitingStatementsSeen = new AtomicLong();
        long lockLeft = Math.max(1_000_000, lockedAt + TimeUnit.SECONDS.toNanos(LOCK_SECONDS) - System.nanoTime());
        await("both members together, no failed call, no miss, while the table is locked")
                .during(Duration.ofNanos(lockLeft))
                .atMost(Duration.ofNanos(lockLeft).plusSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    // pg_locks is a view of the lock manager, not of the table: it answers while the table is locked.
                    waitingStatementsSeen.accumulateAndGet(
                            TableRows.query(
                                    nodes.database.dataSource(),
                                    "SELECT count(*) FROM pg_locks WHERE NOT granted"
                                            + " AND relation = 'audio_analysis_cache'::regclass"),
                            Math::max);
                    assertThat(members)
                            .as("members that see both")
                            .allMatch(m -> m.getCluster().getMembers().size() == 2);
                    assertThat(writeErrors.get()).as("writes that failed").isZero();
                    assertThat(readErrors.get()).as("reads that failed").isZero();
                    assertThat(readMisses.get()).as("reads that missed").isZero();
                });
        long backlogAtRelease = backlog(members);
        release.countDown();
        locker.join();
        long releasedAt = System.nanoTime();
        phase.set(2);
        coldReader.join(TimeUnit.SECONDS.toMillis(60));
        probeSet.join(TimeUnit.SECONDS.toMillis(60));
        probeGet.join(TimeUnit.SECONDS.toMillis(60));
        // Writes go on: the backlog returns to its normal size, not to 0.
        long backToNormal = 2 * normalBacklog.get() + 50;
        await().atMost(Duration.ofSeconds(120)).until(() -> backlog(members) <= backToNormal);
        long drainMillis = (System.nanoTime() - releasedAt) / 1_000_000;
        load.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog(members) == 0);

        PostgresAnalysisStore fresh = new PostgresAnalysisStore(nodes.database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = fresh.loadAll(acknowledged.keySet());
        long lost = acknowledged.size() - stored.size();
        long rows = TableRows.count(nodes.database.dataSource());
        System.out.printf(
                "RESULT slow-postgres lock_s=%d lock_ms=%d acknowledged=%d writes_during_lock=%d"
                        + " write_errors=%d read_errors=%d read_misses=%d waiting_statements=%d backlog_normal=%d backlog_at_release=%d"
                        + " membership_events=%d cold_read=%s cold_read_ms=%d drain_ms=%d rows=%d lost=%d"
                        + " set_before=[%s] set_during=[%s] set_after=[%s] get_before=[%s] get_during=[%s] get_after=[%s]"
                        + " cold_partition_probe=%s%n",
                LOCK_SECONDS,
                (releasedAt - lockedAt) / 1_000_000,
                acknowledged.size(),
                writes.phases.get(1).size(),
                writeErrors.get(),
                readErrors.get(),
                readMisses.get(),
                waitingStatementsSeen.get(),
                normalBacklog.get(),
                backlogAtRelease,
                membershipEvents.get(),
                coldReadOutcome,
                coldReadMillis.get(),
                drainMillis,
                rows,
                lost,
                writes.describe(0),
                writes.describe(1),
                writes.describe(2),
                reads.describe(0),
                reads.describe(1),
                reads.describe(2),
                probe);

        assertThat(waitingStatementsSeen.get())
                .as("statements of the members waited for the lock")
                .isPositive();
        assertThat(backlogAtRelease).as("writes queued behind the lock").isGreaterThan(normalBacklog.get());
        assertThat(writes.phases.get(1)).as("writes served during the lock").isNotEmpty();
        assertThat(reads.phases.get(1)).as("reads served during the lock").isNotEmpty();
        assertThat(writes.phases.get(2)).as("writes served after the lock").isNotEmpty();
        // Bounded: far below the lock's length, i.e. not waiting for PostgreSQL (generous for a busy machine).
        long bound = TimeUnit.SECONDS.toMillis(LOCK_SECONDS) / 3;
        assertThat(writes.maxMillis(1)).as("slowest set during the lock, ms").isLessThan(bound);
        assertThat(reads.maxMillis(1)).as("slowest get during the lock, ms").isLessThan(bound);
        assertThat(writeErrors.get()).isZero();
        assertThat(readErrors.get()).isZero();
        assertThat(readMisses.get()).isZero();
        assertThat(membershipEvents.get())
                .as("members suspected, removed or added")
                .isZero();
        // A read of an entry not in memory waits for PostgreSQL, but only for the load timeout (the store's
        // statement_timeout, 5 s): it fails while the lock is still held, and so frees its partition; the calls
        // queued behind it on that partition are answered then, not when the lock goes.
        long lockMillis = TimeUnit.SECONDS.toMillis(LOCK_SECONDS);
        long loadTimeoutMillis = StoreSettings.DEFAULT_LOAD_TIMEOUT.toMillis();
        assertThat(coldReadOutcome)
                .as("the read of the evicted entry during the lock")
                .hasSize(1)
                .doesNotContain("hit");
        assertThat(coldReadMillis.get())
                .as("the read of the evicted entry returned before the lock went, ms")
                .isGreaterThanOrEqualTo(loadTimeoutMillis - 500)
                .isLessThan(lockMillis);
        assertThat(cache.getAnalysis(cold))
                .as("the evicted entry, read back after the lock")
                .isPresent();
        assertThat(probe)
                .as("the calls on the loading entry's partition were answered, the entry found")
                .hasSize(2)
                .noneMatch(outcome -> outcome.contains("MISSED"))
                .allSatisfy(outcome -> assertThat(Long.parseLong(outcome.replaceAll("\\D+", "")))
                        .as(outcome + ": answered before the lock went, ms")
                        .isLessThan(lockMillis - 1_000));
        assertThat(lost).isZero();
        assertThat(rows).isEqualTo(acknowledged.size());
        acknowledged.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, stored.get(key).analysis()));
    }
}
