package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.json.AnalysisJson;
import io.stemcache.core.testing.Corpus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The node without its cluster, with real members on loopback ports: started before any member is up it starts
 * anyway, is not ready and answers 503 with {@code Retry-After}, then serves once members come; when every member
 * stops under it, calls are 503 within a bounded time and readiness goes DOWN, and UP again when they are back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOutageIT {

    /** Generous: the gate answers at once, a silent cluster within the 5 s invocation timeout. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiCluster cluster;
    private String token;
    private AudioAnalysis stored;

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    // A node that waits for its cluster would block here forever: fail instead.
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void startedWithoutMembers_startsNotReady_503WithRetryAfter_thenServesWhenMembersCome() throws Exception {
        cluster = ApiCluster.create("outage");
        long started = System.nanoTime();
        cluster.startApi(Map.of());
        Duration startup = since(started);
        assertThat(startup).as("start without a cluster").isLessThan(Duration.ofSeconds(60));
        token = cluster.userToken(UUID.randomUUID());
        stored = fresh();

        assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(management("/actuator/health/liveness").statusCode())
                .as("alive, only not ready")
                .isEqualTo(200);
        long get = System.nanoTime();
        assertUnavailable(send(get(url(stored), token)));
        Duration getTook = since(get);
        assertUnavailable(send(put(url(stored), token, stored)));
        assertThat(send(HttpRequest.newBuilder(URI.create(url(stored))).GET()).statusCode())
                .as("no token: still a 401 first")
                .isEqualTo(401);
        // The document needs the controllers, which cannot be built yet: the same 503, not a 500.
        assertUnavailable(send(HttpRequest.newBuilder(URI.create(cluster.base() + "/v3/api-docs"))
                .GET()));
        HttpResponse<String> scrape = management("/actuator/prometheus");
        assertThat(scrape.statusCode()).as("metrics without the cluster").isEqualTo(200);
        assertThat(scrape.body()).contains("stemcache_nearcache_hits_total{");

        long membersStarted = System.nanoTime();
        cluster.startMembers();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                management("/actuator/health/readiness").statusCode())
                        .isEqualTo(200));
        Duration toReady = since(membersStarted);
        HttpResponse<String> created = send(put(url(stored), token, stored));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(send(get(url(stored), token)).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(cluster.base() + "/v3/api-docs"))
                                .GET())
                        .statusCode())
                .isEqualTo(200);
        System.out.printf(
                "RESULT outage start_without_cluster_ms=%d gate_503_ms=%d members_to_ready_ms=%d%n",
                startup.toMillis(), getTook.toMillis(), toReady.toMillis());
    }

    @Test
    @Order(2)
    @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void clusterStopsUnderTheNode_getAndPut503WithinBound_readinessDownThenUpWhenBack() throws Exception {
        cluster.members().forEach(member -> member.getMap(ApiCluster.MAP).flush());
        cluster.stopMembers();

        // A key this node's near cache does not hold: the call has to reach for the cluster.
        long get = System.nanoTime();
        assertUnavailable(send(get(url(fresh()), token)));
        Duration getTook = since(get);
        assertThat(getTook).as("GET while the cluster is gone").isLessThan(BOUND);
        AudioAnalysis another = fresh();
        long put = System.nanoTime();
        assertUnavailable(send(put(url(another), token, another)));
        Duration putTook = since(put);
        assertThat(putTook).as("PUT while the cluster is gone").isLessThan(BOUND);
        await().atMost(BOUND)
                .untilAsserted(() -> assertThat(
                                management("/actuator/health/readiness").statusCode())
                        .isEqualTo(503));

        long restarted = System.nanoTime();
        cluster.startMembers();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                management("/actuator/health/readiness").statusCode())
                        .isEqualTo(200));
        Duration toReady = since(restarted);
        HttpResponse<String> back = send(get(url(stored), token));
        assertThat(back.statusCode())
                .as("the entry, loaded back from PostgreSQL: " + back.body())
                .isEqualTo(200);
        assertThat(send(put(url(another), token, another)).statusCode()).isEqualTo(201);
        System.out.printf(
                "RESULT outage lost_get_503_ms=%d lost_put_503_ms=%d members_back_to_ready_ms=%d%n",
                getTook.toMillis(), putTook.toMillis(), toReady.toMillis());
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("cluster-unavailable").contains("retry later");
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static AudioAnalysis fresh() {
        AudioAnalysis small = Corpus.small(20);
        return new AudioAnalysis(
                UUID.randomUUID(),
                small.stemType(),
                small.analysisVersion(),
                small.analysisData(),
                small.waveformData(),
                small.metadata());
    }

    private String url(AudioAnalysis analysis) {
        return cluster.base() + "/api/v1/analyses/" + analysis.fileMetadataId() + "/"
                + analysis.stemType().code();
    }

    private HttpResponse<String> management(String path) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(cluster.management() + path)).GET());
    }

    private static HttpRequest.Builder get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .GET();
    }

    private static HttpRequest.Builder put(String url, String token, AudioAnalysis analysis) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(AnalysisJson.toBytes(analysis)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
