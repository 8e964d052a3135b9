package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.StemType;
import io.stemcache.core.json.AnalysisJson;
import io.stemcache.core.testing.Corpus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pages over HTTP (served without a token under their Content-Security-Policy, nothing else opened by them) and
 * the management page's admin calls: the statistics history from cache_statistics (read by a member) and warming a
 * user's project, each with its refusals. Two real members with the PostgreSQL store and the API node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesAndAdminIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiCluster cluster;
    private String base;

    @BeforeAll
    void start() throws IOException {
        cluster = ApiCluster.start("pages_admin", Map.of());
        base = cluster.base();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    // ---- the pages ----

    @Test
    void pages_areServedWithoutAToken_underTheContentSecurityPolicy() throws Exception {
        for (String page : List.of("/", "/index.html", "/admin.html")) {
            HttpResponse<String> html = send(HttpRequest.newBuilder(URI.create(base + page)));
            assertThat(html.statusCode()).as(page).isEqualTo(200);
            assertThat(html.headers().firstValue("Content-Type"))
                    .as(page)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertThat(html.headers().firstValue("Content-Security-Policy"))
                    .as(page)
                    .hasValue(SecurityConfiguration.PAGE_POLICY);
            assertThat(html.headers().firstValue("Cache-Control")).as(page).hasValue("no-cache");
            assertThat(html.body()).as("no inline script").doesNotContainPattern("<script(?![^>]*\\ssrc=)");
        }
        for (String module : List.of(
                "/app/project.js", "/app/admin.js", "/app/analyser-worker.js", "/js/index.js", "/js/worker.js")) {
            HttpResponse<String> script = send(HttpRequest.newBuilder(URI.create(base + module)));
            assertThat(script.statusCode()).as(module).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).as(module).hasValue("text/javascript");
            assertThat(script.headers().firstValue("Content-Security-Policy"))
                    .as(module)
                    .isPresent();
        }
        HttpResponse<String> css = send(HttpRequest.newBuilder(URI.create(base + "/app/style.css")));
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    @Test
    void pages_openNothingElse_onlyGetsWithoutAToken_andTheApiKeepsItsHeaders() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(base + "/app/nothing-here.js")));
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(post.statusCode()).as("only GET is open").isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stats")))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/other.html")))
                        .statusCode())
                .as("a path outside the pages needs a token")
                .isEqualTo(401);
        HttpResponse<String> stats = send(get(base + "/api/v1/stats", cluster.userToken(UUID.randomUUID())));
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.headers().firstValue("Content-Security-Policy"))
                .as("API answers are not pages")
                .isEmpty();
    }

    // ---- the statistics history ----

    @Test
    void statsHistory_adminOnly_theClustersLatestRowsOldestFirst_limitChecked() throws Exception {
        String name = cluster.members().get(0).getConfig().getClusterName();
        insertRow(name, "now() - interval '3 minutes'", 1, 1, 1);
        insertRow(name, "now() - interval '2 minutes'", 2, 3, 1);
        insertRow(name, "now() - interval '1 minute'", 3, 9, 1);
        insertRow("another-cluster", "now()", 99, 0, 0);
        String url = base + "/api/v1/admin/stats/history";

        assertThat(send(get(url, cluster.userToken(UUID.randomUUID()))).statusCode())
                .isEqualTo(403);
        String admin = cluster.adminToken(UUID.randomUUID());
        HttpResponse<String> all = send(get(url, admin));
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        JsonNode rows = JSON.readTree(all.body()).get("rows");
        assertThat(rows.size()).isEqualTo(3);
        assertThat(rows.get(0).get("entries").asLong()).isEqualTo(1);
        assertThat(rows.get(2).get("entries").asLong()).isEqualTo(3);
        assertThat(rows.get(2).get("hitRate").asDouble()).isEqualTo(0.9);
        assertThat(rows.get(2).get("recordedAt").asString()).endsWith("Z");
        assertThat(rows.get(2).get("lastCleanup").isNull()).isTrue();

        JsonNode latestTwo =
                JSON.readTree(send(get(url + "?limit=2", admin)).body()).get("rows");
        assertThat(latestTwo.size()).isEqualTo(2);
        assertThat(latestTwo.get(0).get("entries").asLong()).isEqualTo(2);
        assertThat(latestTwo.get(1).get("entries").asLong()).isEqualTo(3);

        for (String bad : List.of("0", "10081", "-1")) {
            HttpResponse<String> refused = send(get(url + "?limit=" + bad, admin));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body())
                    .contains("limit must be 1 to 10080 rows, got " + bad)
                    .contains("\"part\":\"query limit\"");
        }
        HttpResponse<String> notANumber = send(get(url + "?limit=many", admin));
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    // ---- warming a user's project ----

    @Test
    void adminWarm_loadsAUsersStemsFromPostgres_afterARestart_intoMemory() throws Exception {
        UUID user = UUID.randomUUID();
        UUID file = UUID.randomUUID();
        AudioAnalysis small = Corpus.small(100);
        for (StemType stem : List.of(StemType.MASTER, StemType.DRUMS)) {
            AudioAnalysis analysis = new AudioAnalysis(
                    file, stem, small.analysisVersion(), small.analysisData(), small.waveformData(), small.metadata());
            HttpResponse<String> put =
                    send(HttpRequest.newBuilder(URI.create(base + "/api/v1/analyses/" + file + "/" + stem.code()))
                            .header("Authorization", "Bearer " + cluster.userToken(user))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(AnalysisJson.toBytes(analysis))));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        }
        cluster.shutdownMembers();
        cluster.startMembers();
        awaitServes();
        assertThat(inMemory())
                .as("after the restart the stems are in PostgreSQL only")
                .isZero();
        String url = base + "/api/v1/admin/files/warm";
        String body = "{\"userId\":\"" + user + "\",\"ids\":[\"" + file + "\"]}";

        assertThat(send(post(url, cluster.userToken(user), body)).statusCode())
                .as("a user is not an admin")
                .isEqualTo(403);
        HttpResponse<String> warmed = send(post(url, cluster.adminToken(UUID.randomUUID()), body));

        assertThat(warmed.statusCode()).as(warmed.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(warmed.body());
        assertThat(answer.get("files").asInt()).isEqualTo(1);
        assertThat(answer.get("stems").asInt()).isEqualTo(2);
        assertThat(inMemory()).as("both stems are in the members' memory").isEqualTo(2);
        HttpResponse<String> otherUser = send(post(
                url,
                cluster.adminToken(UUID.randomUUID()),
                "{\"userId\":\"" + UUID.randomUUID() + "\",\"ids\":[\"" + file + "\"]}"));
        assertThat(JSON.readTree(otherUser.body()).get("stems").asInt())
                .as("another user's project")
                .isZero();
    }

    @Test
    void adminWarm_badBodies_400NamingThePart() throws Exception {
        String url = base + "/api/v1/admin/files/warm";
        String admin = cluster.adminToken(UUID.randomUUID());
        UUID file = UUID.randomUUID();
        Map<String, String> cases = Map.of(
                "",
                "$.userId must name the user (a UUID) whose project to warm",
                "{\"ids\":[\"" + file + "\"]}",
                "$.userId must name the user (a UUID) whose project to warm",
                "{\"userId\":\"anon-abc\",\"ids\":[\"" + file + "\"]}",
                "$.userId must be a canonical UUID",
                "{\"userId\":\"" + UUID.randomUUID() + "\"}",
                "$.ids must name at least one file (UUIDs)",
                "{\"userId\":\"" + UUID.randomUUID() + "\",\"ids\":[\"" + file + "\",\"nope\"]}",
                "$.ids[1] must be a canonical UUID");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            HttpResponse<String> refused = send(post(url, admin, bad.getKey()));
            assertThat(refused.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).as(bad.getKey()).contains(bad.getValue().replace("\"", "\\\""));
        }
    }

    /** Entries the members own in memory (a count that loads nothing from PostgreSQL). */
    private long inMemory() {
        return cluster.members().stream()
                .mapToLong(member ->
                        member.getMap(ApiCluster.MAP).getLocalMapStats().getOwnedEntryCount())
                .sum();
    }

    /** Waits until the API node's client serves calls on the new members. */
    private void awaitServes() {
        String token = cluster.userToken(UUID.randomUUID());
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> send(get(base + "/api/v1/files/status?ids=" + UUID.randomUUID(), token))
                                .statusCode()
                        == 200);
    }

    private void insertRow(String clusterName, String recordedAt, long entries, long hits, long misses)
            throws SQLException {
        try (Connection connection = cluster.database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO cache_statistics (recorded_at, cluster_name, entries, stored_bytes,"
                    + " raw_bytes, hits, misses, puts, removals, evictions, expirations, write_behind_backlog,"
                    + " store_failures) VALUES (" + recordedAt + ", '" + clusterName + "', " + entries + ", 0, 0, "
                    + hits + ", " + misses + ", 0, 0, 0, 0, 0, 0)");
        }
    }

    private HttpRequest.Builder get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .GET();
    }

    private HttpRequest.Builder post(String url, String token, String json) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
