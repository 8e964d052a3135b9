package io.stemcache.node.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.jayway.jsonpath.JsonPath;
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
import io.stemcache.node.TableRows;
import io.stemcache.node.TcpProxy;
import io.stemcache.node.TestAnalyses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 5: the backlog bound holds the heap, not an entry count. A member in its own JVM with a
 * 512 MB heap (and the memory cap of its map set to a quarter of it, as a heap that size needs) takes
 * full-size entries (a whole stem, ~3.6 MB stored) while PostgreSQL is cut off. With the old bound (10 000
 * entries) it died of {@code OutOfMemoryError} after ~100 of them; now it refuses writes once its backlog
 * holds its share of the heap, stays up, and stores every write it accepted once PostgreSQL is back.
 *
 * <p>How it showed: this test came first (796e777) and the member died of {@code OutOfMemoryError}. Fixed in
 * ec06ecb: the backlog bound counts bytes too ({@code stemcache.write-behind.max-backlog-mb}, default a quarter of the
 * heap: own entries and backups' copies, evicted values included) beside entries. Since 6f9f750 the peak heap is read
 * from the member's Prometheus scrape: once the management port served health, prometheus and stemcache only, the
 * metrics endpoint it read answered nothing and every reading was 0; a reading without heap pools now fails.
 */
class BacklogHeapIT {

    private static final int HEAP_MB = 512;
    /** Writes offered at most: far more than the heap can hold (200 x 3.6 MB). */
    private static final int MAX_WRITES = 200;

    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FreshDatabase database;
    private TcpProxy proxy;
    private MemberProcess member;
    private HazelcastInstance client;

    @BeforeEach
    void setUp() {
        database = FreshDatabase.createMigrated("backlogheap");
        proxy = TcpProxy.to("127.0.0.1", 5432);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (client != null) {
            client.shutdown();
        }
        if (member != null) {
            member.close();
        }
        proxy.close();
        database.close();
    }

    @Test
    void outageWithFullSizeEntries_512MbHeap_endsInRefusalsNotOutOfMemory_andStoresEveryAcceptedWrite()
            throws Exception {
        String clusterName = "backlogheap-" + UUID.randomUUID();
        int port = MemberProcess.freePortRange(1);
        String proxiedUrl = database.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        member = MemberProcess.start(
                "backlogheap-" + port,
                clusterName,
                port,
                proxiedUrl,
                List.of("-Xmx" + HEAP_MB + "m", "-XX:+ExitOnOutOfMemoryError"),
                Map.of(
                        "hz.map.analyses.map-store.write-delay-seconds",
                        "1",
                        "hz.map.analyses.eviction.size",
                        String.valueOf(HEAP_MB / 4)),
                "--stemcache.create-database=false",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--stemcache.health.database-check-interval=1s",
                // The test reads the health details (the backlog's bytes), shown only to the operator by default.
                "--management.endpoint.health.show-details=always");
        member.awaitReady(Duration.ofSeconds(120));
        int httpPort = httpPort(member);
        ClientConfig config = StemcacheClient.defaultConfig();
        config.setClusterName(clusterName);
        config.getNetworkConfig().setAddresses(List.of("127.0.0.1:" + port));
        config.setProperty("hazelcast.client.invocation.timeout.seconds", "30");
        client = StemcacheClient.connect(config);
        AudioCacheService cache = StemcacheClient.service(client, ClientSettings.defaults());
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis full = Corpus.first();
        Map<AnalysisKey, AudioAnalysis> accepted = new LinkedHashMap<>();

        proxy.cut();
        long storedBytes = 0;
        long peakHeapBytes = 0;
        RuntimeException refused = null;
        for (int i = 0; i < MAX_WRITES && refused == null && member.isAlive(); i++) {
            AudioAnalysis analysis = TestAnalyses.withFile(full, UUID.randomUUID());
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            try {
                storedBytes += cache.setAnalysis(key, analysis, null).size();
                accepted.put(key, analysis);
            } catch (RuntimeException e) {
                refused = e;
            }
            peakHeapBytes = Math.max(peakHeapBytes, heapUsed(httpPort));
        }

        System.out.printf(
                "writes accepted during the outage: %d (%.0f MB), refused: %s, member alive: %s, peak heap used %.0f MB%n",
                accepted.size(), storedBytes / 1048576.0, refused, member.isAlive(), peakHeapBytes / 1048576.0);
        assertThat(member.log()).as("the member's log").doesNotContain("OutOfMemoryError");
        assertThat(member.isAlive()).as("the member is still running").isTrue();
        assertThat(refused).as("a write is refused before the heap runs out").isNotNull();
        assertThat(refused)
                .hasMessageContaining("PostgreSQL is behind")
                .hasMessageContaining("stemcache.write-behind.max-backlog-mb");
        String health = get(httpPort, "/actuator/health");
        assertThat(JsonPath.<Boolean>read(health, "$.components.database.details.writesRefused"))
                .as(health)
                .isTrue();
        long backlogBytes = JsonPath.<Number>read(health, "$.components.database.details.writeBehindBacklogBytes")
                .longValue();
        long limitBytes = JsonPath.<Number>read(health, "$.components.database.details.backlogLimitBytes")
                .longValue();
        assertThat(limitBytes).as("derived from the heap: a quarter of it").isBetween(100L << 20, (long) HEAP_MB << 20);
        // Past the limit by at most the writes in flight between two samples.
        assertThat(backlogBytes).isBetween(limitBytes, limitBytes + (32L << 20));
        for (AnalysisKey key : accepted.keySet()) {
            assertThat(cache.getAnalysis(key))
                    .as("accepted %s is served from memory", key)
                    .isPresent();
        }

        proxy.restore();
        long restoredAt = System.nanoTime();
        AudioAnalysis later = TestAnalyses.withFile(full, UUID.randomUUID());
        AnalysisKey laterKey = TestAnalyses.keyOf(owner, later);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> cache.setAnalysis(laterKey, later, null) != null);
        long acceptingAgainMillis = (System.nanoTime() - restoredAt) / 1_000_000;
        accepted.put(laterKey, later);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> TableRows.count(this.database.dataSource()) == accepted.size());

        PostgresAnalysisStore reader = new PostgresAnalysisStore(this.database.dataSource(), StoreSettings.defaults());
        List<AnalysisKey> keys = new ArrayList<>(accepted.keySet());
        int bitExact = 0;
        for (int from = 0; from < keys.size(); from += 8) {
            List<AnalysisKey> batch = keys.subList(from, Math.min(keys.size(), from + 8));
            Map<AnalysisKey, CachedAudioAnalysis> rows = reader.loadAll(batch);
            assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(batch);
            for (AnalysisKey key : batch) {
                Analyses.assertBitExact(accepted.get(key), rows.get(key).analysis());
                bitExact++;
            }
        }
        System.out.printf(
                "RESULT backlog-heap heap_mb=%d accepted=%d accepted_mb=%.0f limit_mb=%.0f backlog_at_refusal_mb=%.0f"
                        + " peak_heap_used_mb=%.0f accepting_again_ms=%d stored_bit_exact=%d lost=%d%n",
                HEAP_MB,
                accepted.size() - 1,
                storedBytes / 1048576.0,
                limitBytes / 1048576.0,
                backlogBytes / 1048576.0,
                peakHeapBytes / 1048576.0,
                acceptingAgainMillis,
                bitExact,
                accepted.size() - bitExact);
    }

    private static int httpPort(MemberProcess member) {
        Matcher matcher = HTTP_PORT.matcher(member.log());
        if (!matcher.find()) {
            throw new IllegalStateException("no HTTP port in the member's log:\n" + member.log());
        }
        return Integer.parseInt(matcher.group(1));
    }

    private String get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The member's heap in use now, from its Prometheus scrape (the only metrics the management port serves): the
     * sum of {@code jvm_memory_used_bytes} over the heap's pools. A reading that finds none fails the test.
     */
    private long heapUsed(int port) {
        double used = 0;
        int pools = 0;
        for (String line : get(port, "/actuator/prometheus").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                pools++;
            }
        }
        assertThat(pools).as("heap pools in the member's scrape").isPositive();
        return (long) used;
    }
}
