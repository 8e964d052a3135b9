package io.stemcache.node.issues;

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
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.MemberProcess;
import io.stemcache.node.PacedLoad;
import io.stemcache.node.TableRows;
import io.stemcache.node.TcpProxy;
import io.stemcache.node.TestAnalyses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 6: a scale to 0 while PostgreSQL is down. Three members in their own JVMs take writes;
 * PostgreSQL is cut off; all three get SIGTERM at once while the writes go on. Before, each member waited
 * out its flush, left, and the last ones dropped their write-behind queues (Hazelcast: "Map store flush
 * operation can not be done for N entries"), or hung retrying them until killed. Now what the last members
 * still hold is written to their spill directory; once PostgreSQL is back, a member started on that
 * directory stores it before it joins, and every acknowledged write is in PostgreSQL.
 *
 * <p>How it showed: before the fix the members' shutdown hung past 2 min retrying, and entries were dropped. Fixed
 * in 44defcf: a member stopping while PostgreSQL is down spills what Hazelcast still holds at its last flush to
 * {@code stemcache.write-behind.spill-dir}, forced to disk under a file lock, and a starting member stores the spill
 * files of its map and database before it joins.
 */
class ShutdownSpillIT {

    private static final Pattern SPILLED = Pattern.compile("spilled (\\d+) entries");
    private static final Pattern REPLAYED = Pattern.compile("replayed (\\d+) entries");

    private final List<MemberProcess> members = new ArrayList<>();
    private final String clusterName = "spill-" + UUID.randomUUID();
    private FreshDatabase database;
    private TcpProxy proxy;
    private HazelcastInstance client;
    private Path spillDir;
    private int basePort;

    @BeforeEach
    void setUp() throws IOException {
        database = FreshDatabase.createMigrated("spill");
        proxy = TcpProxy.to("127.0.0.1", 5432);
        basePort = MemberProcess.freePortRange(3);
        spillDir = Paths.get("target", "spill", clusterName).toAbsolutePath();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (client != null) {
            client.getLifecycleService().terminate();
        }
        for (MemberProcess member : members) {
            member.close();
        }
        proxy.close();
        database.close();
    }

    private MemberProcess start(String name) throws IOException {
        String proxiedUrl = database.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        MemberProcess member = MemberProcess.start(
                name,
                clusterName,
                basePort,
                proxiedUrl,
                Map.of("hz.map.analyses.map-store.write-delay-seconds", "2"),
                "--stemcache.create-database=false",
                "--stemcache.flush-timeout=5s",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--stemcache.write-behind.spill-dir=" + spillDir);
        members.add(member);
        return member;
    }

    @Test
    void sigtermOfEveryMemberAtOnce_postgresDown_underLoad_everyAcknowledgedWriteStoredAfterTheRestore()
            throws Exception {
        for (int i = 0; i < 3; i++) {
            start("spill-" + basePort + "-" + i);
        }
        for (MemberProcess member : members) {
            member.awaitReady(Duration.ofSeconds(120));
        }
        ClientConfig config = StemcacheClient.defaultConfig();
        config.setClusterName(clusterName);
        config.getNetworkConfig()
                .setAddresses(
                        List.of("127.0.0.1:" + basePort, "127.0.0.1:" + (basePort + 1), "127.0.0.1:" + (basePort + 2)));
        config.setProperty("hazelcast.client.invocation.timeout.seconds", "10");
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);
        client = StemcacheClient.connect(config);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.getCluster().getMembers().size() == 3);
        AudioCacheService cache = StemcacheClient.service(client, ClientSettings.defaults());

        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis base = Corpus.small(100);
        Map<AnalysisKey, AudioAnalysis> acknowledged = new ConcurrentHashMap<>();
        AtomicLong attempted = new AtomicLong();
        AtomicLong duringOutage = new AtomicLong();
        AtomicLong writeErrors = new AtomicLong();
        AtomicBoolean outage = new AtomicBoolean();
        PacedLoad writer = new PacedLoad("spill-writer", 1).every(Duration.ofMillis(5), () -> {
            AudioAnalysis analysis = TestAnalyses.withFile(base, UUID.randomUUID());
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            attempted.incrementAndGet();
            try {
                cache.setAnalysis(key, analysis, null);
                acknowledged.put(key, analysis);
                if (outage.get()) {
                    duringOutage.incrementAndGet();
                }
            } catch (RuntimeException e) {
                writeErrors.incrementAndGet();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 200);
            proxy.cut();
            outage.set(true);
            long cutAt = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= cutAt + 300);

            long stopping = System.nanoTime();
            List<CompletableFuture<Integer>> exits = new ArrayList<>();
            for (MemberProcess member : members) {
                exits.add(CompletableFuture.supplyAsync(() -> terminate(member)));
            }
            for (CompletableFuture<Integer> exit : exits) {
                assertThat(exit.join()).as("exit code").isIn(0, 143);
            }
            long stoppedMillis = (System.nanoTime() - stopping) / 1_000_000;
            writer.close();

            long spilled = 0;
            for (MemberProcess member : members) {
                Matcher matcher = SPILLED.matcher(member.log());
                while (matcher.find()) {
                    spilled += Long.parseLong(matcher.group(1));
                }
            }
            long rowsBeforeRestore = TableRows.count(database.dataSource());
            assertThat(rowsBeforeRestore)
                    .as("PostgreSQL was cut off: acknowledged writes were not all stored")
                    .isLessThan(acknowledged.size());

            proxy.restore();
            client.getLifecycleService().terminate();
            client = null;
            MemberProcess next = start("spill-" + basePort + "-after");
            long starting = System.nanoTime();
            next.awaitReady(Duration.ofSeconds(120));
            long readyMillis = (System.nanoTime() - starting) / 1_000_000;
            Matcher replayedMatcher = REPLAYED.matcher(next.log());
            long replayed = replayedMatcher.find() ? Long.parseLong(replayedMatcher.group(1)) : 0;

            PostgresAnalysisStore reader = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
            Map<AnalysisKey, CachedAudioAnalysis> stored = reader.loadAll(acknowledged.keySet());
            long lost = acknowledged.size() - stored.size();
            long rows = TableRows.count(database.dataSource());
            try (Stream<Path> left = Files.list(spillDir)) {
                System.out.printf(
                        "RESULT shutdown-spill members=3 acknowledged=%d during_outage=%d attempted=%d"
                                + " write_errors=%d rows_before_restore=%d spilled=%d sigterm_to_all_exited_ms=%d"
                                + " replayed=%d restart_ready_ms=%d rows=%d spill_files_left=%d lost=%d%n",
                        acknowledged.size(),
                        duringOutage.get(),
                        attempted.get(),
                        writeErrors.get(),
                        rowsBeforeRestore,
                        spilled,
                        stoppedMillis,
                        replayed,
                        readyMillis,
                        rows,
                        left.count(),
                        lost);
            }
            assertThat(lost).as("acknowledged writes missing from PostgreSQL").isZero();
            assertThat(spilled).as("entries written to the spill directory").isPositive();
            assertThat(rows).isBetween((long) acknowledged.size(), attempted.get());
            acknowledged.forEach((key, analysis) ->
                    Analyses.assertBitExact(analysis, stored.get(key).analysis()));
            try (Stream<Path> left = Files.list(spillDir)) {
                assertThat(left.filter(file -> file.toString().endsWith(".spill")))
                        .as("replayed spill files are removed")
                        .isEmpty();
            }
        } finally {
            writer.close();
        }
    }

    private static int terminate(MemberProcess member) {
        try {
            return member.terminate(Duration.ofSeconds(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
