package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Analyses;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every member of a three-member cluster (real JVMs) is stopped with SIGTERM and replaced in turn while a
 * client writes and reads: the client follows the cluster by itself and no acknowledged write is lost.
 */
class RollingRestartIT {

    private static final int MEMBERS = 3;
    /**
     * Longest the writes may wait for an acknowledgement across the handovers: measured 335-576 ms on a quiet
     * machine, 1.8-3.9 s with other builds on its 2 cores, and once 5.06 s in a clean-clone CI run (a single write
     * that waited, no error; the next runs 458 and 490 ms). A member that leaves without handing over (SIGKILL)
     * stalls them 5.1-5.3 s too, so this bound no longer tells a crash from a handover: it catches writes that hang.
     * Until session 6 the first write (a cold client, from the start of the load) counted as a stall too: it took
     * 2.2 s with other builds running; it is now reported apart ({@code first_write_ms}), and the RESULT line names
     * the step in which the longest stall began, to tell whether the 5 s stalls of CI were handovers at all.
     */
    private static final Duration MAX_WRITE_STALL = Duration.ofSeconds(10);

    private final List<MemberProcess> members = new ArrayList<>();
    private final String clusterName = "rolling-" + UUID.randomUUID();
    private final Map<AnalysisKey, AudioAnalysis> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    /** What the failed writes threw: class and message. */
    private final List<String> writeFailures = Collections.synchronizedList(new ArrayList<>());

    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong readMisses = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong lastAcknowledgedNanos = new AtomicLong();
    private final AtomicLong longestWriteStallNanos = new AtomicLong();
    /** When each step of the restarts began (for the RESULT line: in which step the longest stall began). */
    private final ConcurrentSkipListMap<Long, String> steps = new ConcurrentSkipListMap<>();

    private String longestStallBegan = "none";
    private long firstWriteNanos;
    private PacedLoad load;
    private FreshDatabase database;
    private HazelcastInstance client;
    private int basePort;
    private Path privateJar;
    private final String sharedJar = System.getProperty("stemcache.node.jar", "target/stemcache-node-exec.jar");

    @BeforeEach
    void setUp() throws IOException {
        database = FreshDatabase.createMigrated("rolling");
        basePort = MemberProcess.freePortRange(MEMBERS);
        // Replacements start late in the test: a private copy keeps a concurrent build from swapping the jar under
        // them.
        Path jar = Paths.get(sharedJar);
        privateJar = Files.createTempFile(Paths.get("target"), "rolling-node-", ".jar");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            Files.copy(jar, privateJar, StandardCopyOption.REPLACE_EXISTING);
            try (JarFile copy = new JarFile(privateJar.toFile())) {
                return copy.getManifest().getMainAttributes().getValue("Start-Class") != null;
            }
        });
        System.setProperty("stemcache.node.jar", privateJar.toString());
    }

    @AfterEach
    void tearDown() throws InterruptedException, IOException {
        try {
            if (load != null) {
                load.close();
            }
        } finally {
            if (client != null) {
                client.shutdown();
            }
            for (MemberProcess member : members) {
                member.close();
            }
            database.close();
            System.setProperty("stemcache.node.jar", sharedJar);
            Files.deleteIfExists(privateJar);
        }
    }

    private MemberProcess startMember(String name) throws IOException {
        return MemberProcess.start(
                name,
                clusterName,
                basePort,
                database.jdbcUrl(),
                Map.of("hz.map.analyses.map-store.write-delay-seconds", "2"),
                "--stemcache.create-database=false");
    }

    private AudioCacheService connect() {
        ClientConfig config = StemcacheClient.defaultConfig();
        config.setClusterName(clusterName);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            addresses.add("127.0.0.1:" + (basePort + i));
        }
        config.getNetworkConfig().setAddresses(addresses);
        client = StemcacheClient.connect(config);
        awaitClusterSize();
        return StemcacheClient.service(client, ClientSettings.defaults());
    }

    private void awaitClusterSize() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.getCluster().getMembers().size() == MEMBERS);
    }

    /** One write of the load: the next of 5000 new analyses (once they are all written, nothing). */
    private Runnable writer(AudioCacheService cache) {
        Owner owner = Owner.user(UUID.randomUUID());
        List<AudioAnalysis> analyses = TestAnalyses.distinctSmall(5000, 100);
        AtomicInteger next = new AtomicInteger();
        return () -> {
            int i = next.getAndIncrement();
            if (i >= analyses.size()) {
                return;
            }
            AudioAnalysis analysis = analyses.get(i);
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            attempted.incrementAndGet();
            try {
                cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
                acknowledged.put(key, analysis);
                long now = System.nanoTime();
                long previous = lastAcknowledgedNanos.getAndSet(now);
                synchronized (this) {
                    if (previous == 0) {
                        // The first write (a cold client and codec) is not a stall across a handover.
                        firstWriteNanos = now - steps.firstKey();
                    } else if (now - previous > longestWriteStallNanos.get()) {
                        longestWriteStallNanos.set(now - previous);
                        Map.Entry<Long, String> began = steps.floorEntry(previous);
                        longestStallBegan = began == null
                                ? "before-load"
                                : began.getValue() + "+" + (previous - began.getKey()) / 1_000_000 + "ms";
                    }
                }
            } catch (RuntimeException e) {
                // Not acknowledged: the writer would retry; it may or may not be stored.
                writeErrors.incrementAndGet();
                writeFailures.add(e.getClass().getName() + ": " + e.getMessage());
            }
        };
    }

    private void enter(String step) {
        steps.put(System.nanoTime(), step);
    }

    /** One read of the load: a random acknowledged key. */
    private Runnable reader(AudioCacheService cache) {
        return () -> {
            List<AnalysisKey> keys = new ArrayList<>(acknowledged.keySet());
            if (!keys.isEmpty()) {
                AnalysisKey key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                try {
                    reads.incrementAndGet();
                    if (cache.getAnalysis(key).isEmpty()) {
                        readMisses.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    readErrors.incrementAndGet();
                }
            }
        };
    }

    @Test
    void sigtermAndReplaceEveryMember_underLoad_losesNoAcknowledgedWrite() throws Exception {
        for (int i = 0; i < MEMBERS; i++) {
            members.add(startMember("rolling-" + basePort + "-" + i));
        }
        for (MemberProcess member : members) {
            member.awaitReady(Duration.ofSeconds(90));
        }
        AudioCacheService cache = connect();
        enter("load");
        load = new PacedLoad("rolling-load", 2)
                .every(Duration.ofMillis(20), writer(cache))
                .every(Duration.ofMillis(10), reader(cache));
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 20);

        List<Long> recoveryMillis = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            long stopped = System.nanoTime();
            enter("sigterm-" + i);
            assertThat(members.get(i).terminate(Duration.ofSeconds(60)))
                    .as("exit code")
                    .isIn(0, 143);
            enter("replacement-" + i + "-starting");
            MemberProcess replacement = startMember("rolling-" + basePort + "-" + i + "-replacement");
            members.set(i, replacement);
            replacement.awaitReady(Duration.ofSeconds(90));
            enter("replacement-" + i + "-ready");
            awaitClusterSize();
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() > before + 5);
            recoveryMillis.add((System.nanoTime() - stopped) / 1_000_000);
        }
        load.close();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> TableRows.count(database.dataSource()) >= acknowledged.size());
        long rows = TableRows.count(database.dataSource());
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = store.loadAll(acknowledged.keySet());
        long longestStallMillis = longestWriteStallNanos.get() / 1_000_000;
        String stallBegan;
        long firstWriteMillis;
        synchronized (this) {
            stallBegan = longestStallBegan;
            firstWriteMillis = firstWriteNanos / 1_000_000;
        }
        System.out.printf(
                "RESULT rolling-restart members=%d attempted=%d acknowledged=%d write_errors=%d"
                        + " first_write_ms=%d longest_write_stall_ms=%d longest_write_stall_began=%s reads=%d read_misses=%d read_errors=%d rows=%d"
                        + " sigterm_to_replacement_writing_ms=%s lost=%d write_failures=%s%n",
                MEMBERS,
                attempted.get(),
                acknowledged.size(),
                writeErrors.get(),
                firstWriteMillis,
                longestStallMillis,
                stallBegan,
                reads.get(),
                readMisses.get(),
                readErrors.get(),
                rows,
                recoveryMillis,
                acknowledged.size() - stored.size(),
                writeFailures);
        assertThat(rows)
                .as("rows: every acknowledged write, at most the attempted ones")
                .isBetween((long) acknowledged.size(), attempted.get());
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        acknowledged.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, stored.get(key).analysis()));
        // A graceful handover: the members hand their partitions over before they leave, so no read fails and no
        // write waits for the cluster to notice a dead member (a SIGKILL stalls writes about 5 s: MemberCrashIT).
        // Only a write in flight to a member as it closes its connections fails: Hazelcast's client does not resend
        // a set it cannot know was applied (TargetDisconnectedException, redo-operation off); it is not acknowledged,
        // so not lost; with one writer, at most one per member stopped. Seen in 1 of 7 runs.
        assertThat(writeErrors.get())
                .as("writes that failed (%s)", writeFailures)
                .isLessThanOrEqualTo(MEMBERS);
        assertThat(writeFailures)
                .as("what the failed writes threw")
                .allMatch(failure -> failure.startsWith(TargetDisconnectedException.class.getName() + ":"));
        assertThat(readErrors.get()).as("reads that failed").isZero();
        assertThat(readMisses.get())
                .as("reads of acknowledged keys that missed")
                .isZero();
        assertThat(longestStallMillis)
                .as("longest time without an acknowledged write, ms")
                .isLessThan(MAX_WRITE_STALL.toMillis());
    }
}
