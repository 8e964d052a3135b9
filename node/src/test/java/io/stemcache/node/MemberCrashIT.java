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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real members, each in its own JVM started from the node's executable jar, on loopback ports: one is
 * killed with SIGKILL before its write-behind delay passes, or all are stopped with SIGTERM.
 */
class MemberCrashIT {

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

    private void startMembers(int count, int writeDelaySeconds) throws Exception {
        for (int i = 0; i < count; i++) {
            members.add(MemberProcess.start("crash-" + basePort + "-" + i, clusterName, basePort, database.jdbcUrl(), Map.of("hz.map.analyses.map-store.write-delay-seconds",
                            String.valueOf(writeDelaySeconds)),
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
        await().atMost(Duration.ofSeconds(60)).until(() -> client.getCluster().getMembers().size() == members.size());
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
        written.forEach((key, analysis) -> Analyses.assertBitExact(analysis, rows.get(key).analysis()));
    }

    @Test
    void sigkillOfOneMember_beforeItsWriteDelay_losesNoAcknowledgedWrite() throws Exception {
        int writeDelaySeconds = 15;
        startMembers(3, writeDelaySeconds);
        AudioCacheService cache = connect();
        long started = System.nanoTime();
        Map<AnalysisKey, AudioAnalysis> written = write(cache, 60);
        long rowsAtKill = TableRows.count(database.dataSource());
        members.get(1).kill();
        if (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(writeDelaySeconds - 2)) {
            assertThat(rowsAtKill).as("nothing stored before the delay passed").isZero();
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> TableRows.count(database.dataSource()) >= written.size());
        assertEveryWriteStoredOnce(written);
        written.keySet().forEach(key -> assertThat(cache.getAnalysis(key)).as("served after the crash").isPresent());
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
