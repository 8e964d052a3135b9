package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every member of a three-member cluster (real JVMs) is stopped with SIGTERM and replaced in turn while a
 * client writes and reads: the client follows the cluster by itself and no acknowledged write is lost.
 */
class RollingRestartIT {

    private static final Logger log = LoggerFactory.getLogger(RollingRestartIT.class);
    private static final int MEMBERS = 3;

    private final List<MemberProcess> members = new ArrayList<>();
    private final String clusterName = "rolling-" + UUID.randomUUID();
    private final Map<AnalysisKey, AudioAnalysis> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong readMisses = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong lastAcknowledgedNanos = new AtomicLong();
    private final AtomicLong longestWriteStallNanos = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private FreshDatabase database;
    private HazelcastInstance client;
    private int basePort;
    private Path privateJar;
    private final String sharedJar = System.getProperty("stemcache.node.jar", "target/stemcache-node-exec.jar");

    @BeforeEach
    void setUp() throws IOException {
        database = FreshDatabase.createMigrated("rolling");
        basePort = MemberProcess.freePortRange(MEMBERS);
        // Replacements start late in the test: a private copy keeps a concurrent build from swapping the jar under them.
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
        running.set(false);
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

    private MemberProcess startMember(String name) throws IOException {
        return MemberProcess.start(name, clusterName, basePort, database.jdbcUrl(),
                Map.of("hz.map.analyses.map-store.write-delay-seconds", "2"), "--stemcache.create-database=false");
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
        await().atMost(Duration.ofSeconds(60)).until(() -> client.getCluster().getMembers().size() == MEMBERS);
    }

    private Thread writer(AudioCacheService cache) {
        Owner owner = Owner.user(UUID.randomUUID());
        List<AudioAnalysis> analyses = TestAnalyses.distinctSmall(5000, 100);
        return new Thread(() -> {
            for (AudioAnalysis analysis : analyses) {
                if (!running.get()) {
                    return;
                }
                AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
                attempted.incrementAndGet();
                try {
                    cache.setAnalysis(key, analysis, "sha256:" + key.fileMetadataId());
                    acknowledged.put(key, analysis);
                    long now = System.nanoTime();
                    long previous = lastAcknowledgedNanos.getAndSet(now);
                    longestWriteStallNanos.accumulateAndGet(now - previous, Math::max);
                } catch (RuntimeException e) {
                    // Not acknowledged: the writer would retry; it may or may not be stored.
                    writeErrors.incrementAndGet();
                }
                pause(20);
            }
        }, "rolling-writer");
    }

    private Thread reader(AudioCacheService cache) {
        return new Thread(() -> {
            while (running.get()) {
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
                pause(10);
            }
        }, "rolling-reader");
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
        Thread writer = writer(cache);
        Thread reader = reader(cache);
        lastAcknowledgedNanos.set(System.nanoTime());
        writer.start();
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 20);

        for (int i = 0; i < MEMBERS; i++) {
            long stopped = System.nanoTime();
            assertThat(members.get(i).terminate(Duration.ofSeconds(60))).as("exit code").isIn(0, 143);
            MemberProcess replacement = startMember("rolling-" + basePort + "-" + i + "-replacement");
            members.set(i, replacement);
            replacement.awaitReady(Duration.ofSeconds(90));
            awaitClusterSize();
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() > before + 5);
            log.info("member {} replaced, cluster whole again and writing after {} ms", i, (System.nanoTime() - stopped) / 1_000_000);
        }
        running.set(false);
        writer.join(30_000);
        reader.join(30_000);

        log.info("rolling restart: attempted {}, acknowledged {}, write errors {}, longest write stall {} ms, reads {}, misses {}, read errors {}",
                attempted.get(), acknowledged.size(), writeErrors.get(), longestWriteStallNanos.get() / 1_000_000,
                reads.get(), readMisses.get(), readErrors.get());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> TableRows.count(database.dataSource()) >= acknowledged.size());
        long rows = TableRows.count(database.dataSource());
        assertThat(rows).as("rows: every acknowledged write, at most the attempted ones").isBetween((long) acknowledged.size(), attempted.get());
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> stored = store.loadAll(acknowledged.keySet());
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        acknowledged.forEach((key, analysis) -> Analyses.assertBitExact(analysis, stored.get(key).analysis()));
        assertThat(readMisses.get()).as("reads of acknowledged keys that missed").isZero();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
