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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The node's Prometheus scrape on its management port: HTTP server meters by route and this node's near-cache
 * meters, moved by real requests; and what else each port shows (nothing of actuator on the callers' port).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiMetricsIT {

    private static final String ROUTE = "/api/v1/analyses/{fileId}/{stem}";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = ApiCluster.start("apimetrics", Map.of());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void getServedTwice_scrapeShowsTheRouteAndANearCacheHit() throws Exception {
        AudioAnalysis small = Corpus.small(40);
        AudioAnalysis analysis = new AudioAnalysis(
                UUID.randomUUID(),
                small.stemType(),
                small.analysisVersion(),
                small.analysisData(),
                small.waveformData(),
                small.metadata());
        String token = cluster.userToken(UUID.randomUUID());
        String url = cluster.base() + "/api/v1/analyses/" + analysis.fileMetadataId() + "/"
                + analysis.stemType().code();
        double hitsBefore = value(scrape(), "stemcache_nearcache_hits_total");

        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(AnalysisJson.toBytes(analysis)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> get =
                    send(cluster.base(), url.substring(cluster.base().length()), token);
            assertThat(get.statusCode()).isEqualTo(200);
        }

        // The server meter is recorded as the response completes: the scrape may come a moment before it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(value(
                            scrape,
                            "http_server_requests_seconds_count",
                            "method=\"GET\"",
                            "status=\"200\"",
                            "uri=\"" + ROUTE + "\""))
                    .isGreaterThanOrEqualTo(2);
            assertThat(value(
                            scrape,
                            "http_server_requests_seconds_count",
                            "method=\"PUT\"",
                            "status=\"201\"",
                            "uri=\"" + ROUTE + "\""))
                    .isGreaterThanOrEqualTo(1);
        });
        String scrape = scrape();
        double hits = value(scrape, "stemcache_nearcache_hits_total", "map=\"analyses\"", "scope=\"api-node\"");
        System.out.printf(
                "RESULT nearcache hits_before=%.0f hits_after=%.0f misses=%.0f entries=%.0f memory_bytes=%.0f%n",
                hitsBefore,
                hits,
                value(scrape, "stemcache_nearcache_misses_total"),
                value(scrape, "stemcache_nearcache_entries"),
                value(scrape, "stemcache_nearcache_memory_cost_bytes"));
        assertThat(hits - hitsBefore).as("near-cache hits of the second GET").isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "stemcache_nearcache_misses_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "stemcache_nearcache_entries")).isGreaterThanOrEqualTo(1);
        for (String meter : List.of(
                "stemcache_nearcache_evictions_total",
                "stemcache_nearcache_expirations_total",
                "stemcache_nearcache_invalidations_total",
                "stemcache_nearcache_memory_cost_bytes")) {
            assertThat(scrape).contains(meter + "{");
        }
    }

    @Test
    void managementPort_healthAndPrometheusOnly_callersPortShowsNoActuator() throws Exception {
        String management = cluster.management();
        assertThat(send(management, "/actuator/health/readiness", null).statusCode())
                .isEqualTo(200);
        assertThat(send(management, "/actuator/health/liveness", null).statusCode())
                .isEqualTo(200);
        for (String endpoint : List.of(
                "/actuator/env",
                "/actuator/beans",
                "/actuator/metrics",
                "/actuator/heapdump",
                "/actuator/configprops",
                "/actuator/loggers")) {
            assertThat(send(management, endpoint, null).statusCode())
                    .as(endpoint)
                    .isIn(401, 404);
        }
        String user = cluster.userToken(UUID.randomUUID());
        HttpResponse<String> onCallersPort = send(cluster.base(), "/actuator/prometheus", null);
        assertThat(onCallersPort.statusCode()).isIn(401, 404);
        assertThat(onCallersPort.body()).doesNotContain("jvm_");
        assertThat(send(cluster.base(), "/actuator/prometheus", user).statusCode())
                .isIn(403, 404);
        assertThat(send(cluster.base(), "/actuator/health", null).statusCode()).isEqualTo(404);
        // Probe paths on the callers' port, for a load balancer.
        assertThat(send(cluster.base(), "/readyz", null).statusCode()).isEqualTo(200);
        assertThat(send(cluster.base(), "/livez", null).statusCode()).isEqualTo(200);
    }

    /** Management on the callers' port (an operator's choice): the scrape is then the admin role's alone. */
    @Test
    void managementOnTheCallersPort_prometheusNeedsTheAdminRole() throws Exception {
        String port = Integer.toString(ApiCluster.freePort());
        try (ConfigurableApplicationContext shared =
                cluster.startExtraApi(Map.of("server.port", port, "management.server.port", port))) {
            assertThat(shared.isActive()).as("the extra API node is running").isTrue();
            String base = "http://127.0.0.1:" + port;
            assertThat(send(base, "/actuator/health/readiness", null).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> anonymous = send(base, "/actuator/prometheus", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("jvm_");
            assertThat(send(base, "/actuator/prometheus", cluster.userToken(UUID.randomUUID()))
                            .statusCode())
                    .isEqualTo(403);
            HttpResponse<String> admin = send(base, "/actuator/prometheus", cluster.adminToken(UUID.randomUUID()));
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(admin.body()).contains("stemcache_nearcache_hits_total{");
        }
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = send(cluster.management(), "/actuator/prometheus", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return response.body();
    }

    /** The sum of the samples of {@code name} whose labels (values may hold braces) contain all of {@code labels}. */
    private static double value(String scrape, String name, String... labels) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{((?:\"[^\"]*\"|[^\"}])*)\\} (\\S+)$")
                .matcher(scrape);
        double sum = 0;
        boolean found = false;
        while (sample.find()) {
            String sampleLabels = sample.group(1);
            if (List.of(labels).stream().allMatch(sampleLabels::contains)) {
                sum += Double.parseDouble(sample.group(2));
                found = true;
            }
        }
        assertThat(found).as("%s%s in the scrape", name, List.of(labels)).isTrue();
        return sum;
    }

    private HttpResponse<String> send(String base, String path, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
