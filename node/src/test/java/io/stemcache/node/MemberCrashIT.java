package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
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
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real members, each in its own JVM started from the node's executable jar, on loopback ports: random ones
 * are killed with SIGKILL at random times under load and replaced, or all are stopped with SIGTERM.
 */
class MemberCrashIT {

    private static final Logger log = LoggerFactory.getLogger(MemberCrashIT.class);
    private static final int TRIALS = Integer.getInteger("stemcache.crash.trials", 2);
    private static final long SEED = Long.getLong("stemcache.crash.seed", System.nanoTime());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<MemberProcess> members = new ArrayList<>();
    private final String clusterName = "crash-" + UUID.randomUUID();
    private FreshDatabase database;
    private HazelcastInstance client;
    private int basePort;

    @BeforeEach
    void setUp() throws IOException {
        database = FreshDatabase.createMigrated("crash");
        basePort = MemberProcess.freePortRange(3);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (client != null) {
            client.shutdown();
        }
        for (MemberProcess member : members) {
            member.close();
        }
        database.close();
    }

    /** Write delay, and Hazelcast's read-only health check on the member port (as the Helm chart opens it). */
    private static Map<String, String> memberProperties(int writeDelaySeconds) {
        return Map.of(
                "hz.map.analyses.map-store.write-delay-seconds",
                String.valueOf(writeDelaySeconds),
                "hz.network.rest-api.enabled",
                "true",
                "hz.network.rest-api.endpoint-groups.HEALTH_CHECK.enabled",
                "true");
    }

    private void startMembers(int count, int writeDelaySeconds) throws Exception {
        for (int i = 0; i < count; i++) {
            members.add(MemberProcess.start(
                    "crash-" + basePort + "-" + i,
                    clusterName,
                    basePort,
                    database.jdbcUrl(),
                    memberProperties(writeDelaySeconds),
                    "--stemcache.create-database=false"));
        }
        for (MemberProcess member : members) {
            member.awaitReady(Duration.ofSeconds(90));
        }
    }

    private AudioCacheService connect() {
        ClientConfig config = StemcacheClient.defaultConfig();
        config.setClusterName(clusterName);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            addresses.add("127.0.0.1:" + (basePort + i));
        }
        config.getNetworkConfig().setAddresses(addresses);
        client = StemcacheClient.connect(config);
        // One cluster of all of them, not one per process: otherwise a crash test proves nothing.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.getCluster().getMembers().size() == members.size());
        return StemcacheClient.service(client, ClientSettings.defaults());
    }

    private Map<AnalysisKey, AudioAnalysis> write(AudioCacheService cache, int count) {
        Owner owner = Owner.user(UUID.randomUUID());
        Map<AnalysisKey, AudioAnalysis> written = new LinkedHashMap<>();
        for (AudioAnalysis analysis : TestAnalyses.distinctSmall(count, 150)) {
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
            written.put(key, analysis);
        }
        return written;
    }

    private void assertEveryWriteStoredOnce(Map<AnalysisKey, AudioAnalysis> written) {
        assertThat(TableRows.count(database.dataSource())).isEqualTo(written.size());
        PostgresAnalysisStore reader = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> rows = reader.loadAll(written.keySet());
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(written.keySet());
        written.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, rows.get(key).analysis()));
    }

    /** True when every member the client sees answers Hazelcast's health check that the cluster is safe. */
    private boolean clusterSafe() {
        for (Member member : client.getCluster().getMembers()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + member.getAddress().getPort() + "/hazelcast/health/cluster-safe"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) { // 503 while partitions are unsafe or migrating
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * {@code -Dstemcache.crash.trials} times (default 2; RELIABILITY.md runs 10): while a client writes new
     * entries and reads acknowledged ones, a random member gets SIGKILL after a random delay (0 to 7 s, so at
     * any point of its 3 s write-behind cycle), a replacement JVM joins, and the next trial waits until the
     * cluster is safe again (every partition backed up; Hazelcast's health check). Backup count 1 promises
     * survival of one crash at a time, which is what this injects. {@code -Dstemcache.crash.seed} repeats a run.
     */
    @Test
    void sigkillOfRandomMembers_atRandomTimes_underLoad_losesNoAcknowledgedWrite() throws Exception {
        int writeDelaySeconds = 3;
        startMembers(3, writeDelaySeconds);
        AudioCacheService cache = connect();
        Random random = new Random(SEED);
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);
        Map<AnalysisKey, AudioAnalysis> acknowledged = new ConcurrentHashMap<>();
        List<AnalysisKey> readable = Collections.synchronizedList(new ArrayList<>());
        AtomicLong attempted = new AtomicLong();
        AtomicLong writeErrors = new AtomicLong();
        RandomReads readCounts = RandomReads.counts();
        AtomicLong reads = readCounts.reads;
        AtomicLong readMisses = readCounts.misses;
        AtomicLong readErrors = readCounts.errors;
        AtomicLong lastAcknowledgedNanos = new AtomicLong(System.nanoTime());
        AtomicLong longestWriteStallNanos = new AtomicLong();
        PacedLoad load = new PacedLoad("crash-load", 2)
                .every(Duration.ofMillis(10), () -> {
                    AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
                    AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
                    attempted.incrementAndGet();
                    try {
                        cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
                        acknowledged.put(key, analysis);
                        readable.add(key);
                        long now = System.nanoTime();
                        longestWriteStallNanos.accumulateAndGet(now - lastAcknowledgedNanos.getAndSet(now), Math::max);
                    } catch (RuntimeException e) {
                        writeErrors.incrementAndGet();
                    }
                })
                .every(Duration.ofMillis(10), RandomReads.step(readable, cache, readCounts));
        List<String> trials = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int trial = 1; trial <= TRIALS; trial++) {
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(this::clusterSafe);
                int delayMillis = random.nextInt((2 * writeDelaySeconds + 1) * 1000);
                int victim = random.nextInt(members.size());
                // The kill's random moment: meanwhile every member keeps running (a member that died on its own
                // would make the trial's figures meaningless).
                await().during(Duration.ofMillis(Math.max(1, delayMillis)))
                        .atMost(Duration.ofMillis(delayMillis + 30_000L))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> members.stream().allMatch(MemberProcess::isAlive));
                long acknowledgedAtKill = acknowledged.size();
                long rowsAtKill = TableRows.count(database.dataSource());
                long killedAt = System.nanoTime();
                members.get(victim).kill();
                long afterKill = acknowledged.size();
                MemberProcess replacement = MemberProcess.start(
                        "crash-" + basePort + "-t" + trial,
                        clusterName,
                        basePort,
                        database.jdbcUrl(),
                        memberProperties(writeDelaySeconds),
                        "--stemcache.create-database=false");
                members.set(victim, replacement);
                replacement.awaitReady(Duration.ofSeconds(120));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> client.getCluster().getMembers().size() == 3);
                await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() > afterKill);
                long recoveredMillis = (System.nanoTime() - killedAt) / 1_000_000;
                trials.add(String.format(
                        "%d:victim=%d,delay_ms=%d,unstored_at_kill=%d,recovered_ms=%d",
                        trial, victim, delayMillis, acknowledgedAtKill - rowsAtKill, recoveredMillis));
                log.info("crash trial {}", trials.get(trials.size() - 1));
            }
        } finally {
            load.close();
        }

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> TableRows.count(database.dataSource()) >= acknowledged.size());
        long drainedAfterMillis = (System.nanoTime() - started) / 1_000_000;
        PostgresAnalysisStore fresh = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = fresh.loadAll(acknowledged.keySet());
        long lost = acknowledged.size() - stored.size();
        long rows = TableRows.count(database.dataSource());
        long unreadable = acknowledged.keySet().stream()
                .filter(key -> cache.getAnalysis(key).isEmpty())
                .count();
        System.out.printf(
                "RESULT member-crash trials=%d seed=%d write_delay_s=%d attempted=%d acknowledged=%d"
                        + " write_errors=%d longest_write_stall_ms=%d rows=%d reads=%d read_misses=%d read_errors=%d unreadable_after=%d"
                        + " total_ms=%d lost=%d per_trial=[%s]%n",
                TRIALS,
                SEED,
                writeDelaySeconds,
                attempted.get(),
                acknowledged.size(),
                writeErrors.get(),
                longestWriteStallNanos.get() / 1_000_000,
                rows,
                reads.get(),
                readMisses.get(),
                readErrors.get(),
                unreadable,
                drainedAfterMillis,
                lost,
                String.join(" ", trials));
        assertThat(lost).as("acknowledged writes missing from PostgreSQL").isZero();
        // One row per key (the table's unique key); rows beyond the acknowledged ones are writes that failed
        // on the client after reaching a member, never more than were attempted.
        assertThat(rows).isBetween((long) acknowledged.size(), attempted.get());
        acknowledged.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, stored.get(key).analysis()));
        assertThat(unreadable)
                .as("acknowledged writes not served after the crashes")
                .isZero();
        assertThat(readMisses.get())
                .as("reads of acknowledged keys that missed")
                .isZero();
        assertThat(trials).hasSize(TRIALS);
        for (String trial : trials) {
            assertThat(trial)
                    .as("the crash hit writes still queued for PostgreSQL")
                    .doesNotContain("unstored_at_kill=0,");
        }
    }

    @Test
    void sigtermOfEveryMember_flushesTheWriteBehindQueueFirst() throws Exception {
        startMembers(2, 600);
        AudioCacheService cache = connect();
        Map<AnalysisKey, AudioAnalysis> written = write(cache, 20);
        client.shutdown();
        client = null;

        for (MemberProcess member : members) {
            assertThat(member.terminate(Duration.ofSeconds(60))).as("exit code").isIn(0, 143);
        }
        assertEveryWriteStoredOnce(written);
        assertThat(members.get(members.size() - 1).log()).contains("Flushed write-behind queue");
    }
}
