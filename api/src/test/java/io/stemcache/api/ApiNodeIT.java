package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.json.AnalysisJson;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The API node as it runs: two real members on loopback ports of their own with the PostgreSQL store, the API
 * node's Hazelcast client connected to them over sockets, and the JDK's HTTP client against its random port.
 * The last test stops the cluster. The members and the node are {@link ApiCluster}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiNodeIT {

    private static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!";
    private static final String ISSUER = "https://project.supabase.co/auth/v1";
    private static final String AUDIENCE = "authenticated";
    private static final String ORIGIN = "https://app.example.com";
    private static final String MAP = "analyses";
    private static final int MAX_MB = 16;
    /** Short, so a holder that never writes is taken over within the test; long enough for a holder's PUT. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(5);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JwtEncoder signer = encoder(SECRET);
    private ApiCluster cluster;
    private List<HazelcastInstance> members;
    private FreshDatabase database;
    private ConfigurableApplicationContext api;
    private String base;

    @BeforeAll
    void start() throws IOException {
        cluster = ApiCluster.start(
                "api",
                Map.of(
                        "stemcache.client.max-analysis-mb", Integer.toString(MAX_MB),
                        "stemcache.client.lease-ttl", LEASE_TTL.toSeconds() + "s",
                        "stemcache.api.jwt.secret", SECRET,
                        "stemcache.api.jwt.issuer", ISSUER,
                        "stemcache.api.jwt.audience", AUDIENCE,
                        "stemcache.api.cors.allowed-origins", ORIGIN));
        database = cluster.database();
        members = cluster.members();
        api = cluster.api();
        base = cluster.base();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    // ---- reads and writes ----

    @Test
    @Order(1)
    void putThenGet_fullCorpusStem_jsonByteEqualGzipAndBinaryBitExact() throws Exception {
        Path file = Corpus.files().get(0);
        byte[] json = Corpus.json(file);
        AudioAnalysis analysis = Corpus.load(file);
        String user = userToken(UUID.randomUUID());
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());

        HttpResponse<String> created = send(put(url, user, json).header(AnalysisHeaders.CONTENT_HASH, "sha256:abc"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).isPresent();
        HttpResponse<String> replaced = send(put(url, user, json).header(AnalysisHeaders.CONTENT_HASH, "sha256:abc"));
        assertThat(replaced.statusCode()).isEqualTo(200);

        byte[] expected = AnalysisJson.toBytes(analysis);
        HttpResponse<byte[]> plain = sendBytes(get(url, user));
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
        assertThat(plain.body()).isEqualTo(expected);

        HttpResponse<byte[]> gzipped = sendBytes(get(url, user).header("Accept-Encoding", "gzip"));
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
        assertThat(gzipped.headers().firstValue("ETag"))
                .isNotEqualTo(plain.headers().firstValue("ETag"));

        HttpResponse<byte[]> binary = sendBytes(get(url, user).header("Accept", "application/vnd.stemcache.analysis"));
        assertThat(binary.statusCode()).isEqualTo(200);
        CachedAudioAnalysis stored =
                map().get(new AnalysisKey(Callers.owner(jwtOf(user)), analysis.fileMetadataId(), analysis.stemType()));
        assertThat(binary.body()).isEqualTo(stored.payload());
        assertThat(AnalysisCodec.standard().decode(binary.body())).isEqualTo(analysis);
        assertThat(binary.headers().firstValue(AnalysisHeaders.PRECISION)).hasValue("FLOAT64");
        assertThat(binary.headers().firstValue(AnalysisHeaders.CONTENT_HASH)).hasValue("sha256:abc");
        assertThat(binary.headers().firstValue(AnalysisHeaders.RAW_SIZE)).hasValue(Long.toString(stored.rawSize()));

        // Another hash is a miss, and removes the entry.
        HttpResponse<String> otherAudio = send(get(url + "?contentHash=sha256:other", user));
        assertThat(otherAudio.statusCode()).isEqualTo(404);
        assertThat(send(get(url, user)).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void features_fourSeriesCutOnTheMember_binaryAndJson_aFractionOfTheBytes_304_andUnknownNames400() throws Exception {
        Path file = Corpus.files().get(1);
        AudioAnalysis analysis = Corpus.load(file);
        String user = userToken(UUID.randomUUID());
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());
        assertThat(send(put(url, user, Corpus.json(file))).statusCode()).isEqualTo(201);
        List<String> four = List.of("rms", "spectralCentroid", "zcr", "energy");
        String projected = url + "?features=" + String.join(",", four);

        HttpResponse<byte[]> full = sendBytes(get(url, user).header("Accept", "application/vnd.stemcache.analysis"));
        HttpResponse<byte[]> binary =
                sendBytes(get(projected, user).header("Accept", "application/vnd.stemcache.analysis"));
        assertThat(binary.statusCode()).isEqualTo(200);
        AudioAnalysis cut = AnalysisCodec.standard().decode(binary.body());
        assertThat(cut.analysisData().keySet()).containsExactlyInAnyOrderElementsOf(four);
        four.forEach(name -> assertThat(cut.analysisData().get(name))
                .isEqualTo(analysis.analysisData().get(name)));
        double share = (double) binary.body().length / full.body().length;
        System.out.printf(
                "RESULT projection features=4 of=%d bytes=%d full_bytes=%d share=%.4f%n",
                analysis.analysisData().size(), binary.body().length, full.body().length, share);
        assertThat(share).as("4 features' share of the full payload").isLessThanOrEqualTo(0.15);

        HttpResponse<byte[]> json = sendBytes(get(projected, user));
        assertThat(json.statusCode()).isEqualTo(200);
        AudioAnalysis fromJson = AnalysisJson.read(json.body());
        four.forEach(name -> assertThat(fromJson.analysisData().get(name))
                .isEqualTo(analysis.analysisData().get(name)));
        assertThat(json.headers().firstValue(AnalysisHeaders.FEATURES)).hasValue(String.join(",", four));

        String etag = json.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isNotEqualTo(full.headers().firstValue("ETag").orElseThrow());
        long gets = memberGets();
        HttpResponse<byte[]> again = sendBytes(get(projected, user).header("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(memberGets()).isEqualTo(gets);

        HttpResponse<String> unknown = send(get(url + "?features=rms,noSuchFeature", user));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(unknown.body()).contains("noSuchFeature");
        assertThat(send(get(url + "?features=,", user)).statusCode()).isEqualTo(400);
        assertThat(send(get(url(UUID.randomUUID(), "bass") + "?features=rms", user))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(2)
    void ifNoneMatch_currentVersion_304WithoutAGetOnAnyMember() throws Exception {
        AudioAnalysis analysis = fresh(200);
        String user = userToken(UUID.randomUUID());
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());
        assertThat(send(put(url, user, AnalysisJson.toBytes(analysis))).statusCode())
                .isEqualTo(201);
        HttpResponse<String> first = send(get(url, user));
        String etag = first.headers().firstValue("ETag").orElseThrow();

        long gets = memberGets();
        com.hazelcast.nearcache.NearCacheStats nearCache = api.getBean(
                        "stemcacheHazelcastClient", HazelcastInstance.class)
                .getMap(MAP)
                .getLocalMapStats()
                .getNearCacheStats();
        long nearCacheHits = nearCache.getHits();
        HttpResponse<byte[]> again = sendBytes(get(url, user).header("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(memberGets()).isEqualTo(gets);
        // The version came from this node's near cache (the GET filled it): nothing crossed the network.
        assertThat(nearCache.getHits()).isEqualTo(nearCacheHits + 1);

        // A binary tag does not match the JSON representation; a new write changes the tag.
        assertThat(send(put(url, user, AnalysisJson.toBytes(analysis))).statusCode())
                .isEqualTo(200);
        HttpResponse<String> changed = send(get(url, user).header("If-None-Match", etag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
    }

    @Test
    @Order(3)
    void get_miss_404ProblemSayingToPut() throws Exception {
        HttpResponse<String> miss = send(get(url(UUID.randomUUID(), "bass"), userToken(UUID.randomUUID())));
        assertThat(miss.statusCode()).isEqualTo(404);
        assertThat(miss.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(miss.body()).contains("PUT");
    }

    @Test
    @Order(4)
    void put_errors_400And413_storeNothing() throws Exception {
        AudioAnalysis analysis = fresh(50);
        String user = userToken(UUID.randomUUID());
        UUID file = analysis.fileMetadataId();
        String stem = analysis.stemType().code();

        HttpResponse<String> otherFile = send(put(url(UUID.randomUUID(), stem), user, AnalysisJson.toBytes(analysis)));
        assertThat(otherFile.statusCode()).isEqualTo(400);
        assertThat(otherFile.body()).contains("$.fileMetadataId");
        String otherStem = "bass".equals(stem) ? "drums" : "bass";
        HttpResponse<String> wrongStem = send(put(url(file, otherStem), user, AnalysisJson.toBytes(analysis)));
        assertThat(wrongStem.statusCode()).isEqualTo(400);
        assertThat(wrongStem.body()).contains("$.stemType");

        byte[] malformed = new String(AnalysisJson.toBytes(analysis), StandardCharsets.UTF_8)
                .replaceFirst("\"analysisVersion\"", "\"analysisVersoin\"")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> bad = send(put(url(file, stem), user, malformed));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(bad.body()).contains("invalid analysis JSON at $").contains("line 1");

        HttpResponse<String> badPrecision =
                send(put(url(file, stem) + "?precision=FLOAT16", user, AnalysisJson.toBytes(analysis)));
        assertThat(badPrecision.statusCode()).isEqualTo(400);
        assertThat(badPrecision.body()).contains("precision");

        // Content-Length over the limit: refused before the body is read.
        assertThat(rawPutStatus("/api/v1/analyses/" + file + "/" + stem, user, (MAX_MB + 1L) << 20))
                .isEqualTo(413);
        // No Content-Length (chunked): the stream is bounded.
        byte[] huge = new byte[(MAX_MB << 20) + (1 << 20)];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(URI.create(url(file, stem)))
                .header("Authorization", "Bearer " + user)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))));
        assertThat(chunked.statusCode()).isEqualTo(413);

        members.forEach(m -> m.getMap(MAP).flush());
        assertThat(map().keySet().stream().filter(k -> k.fileMetadataId().equals(file)))
                .isEmpty();
        assertThat(rows(file)).isZero();
    }

    // ---- who is calling ----

    @Test
    @Order(5)
    void tokens_missingExpiredForgedWrongAudienceOrIssuer_401() throws Exception {
        String url = url(UUID.randomUUID(), "bass");
        UUID sub = UUID.randomUUID();
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(url)).GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send(get(
                                url,
                                token(
                                        signer,
                                        sub.toString(),
                                        ISSUER,
                                        AUDIENCE,
                                        false,
                                        Instant.now().minusSeconds(300))))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get(
                                url,
                                token(
                                        encoder("another-secret-that-is-32-bytes-or-more"),
                                        sub.toString(),
                                        ISSUER,
                                        AUDIENCE,
                                        false,
                                        Instant.now().plusSeconds(300))))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get(
                                url,
                                token(
                                        signer,
                                        sub.toString(),
                                        ISSUER,
                                        "anon",
                                        false,
                                        Instant.now().plusSeconds(300))))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get(
                                url,
                                token(
                                        signer,
                                        sub.toString(),
                                        "https://evil.example",
                                        AUDIENCE,
                                        false,
                                        Instant.now().plusSeconds(300))))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get(url, "not.a.jwt")).statusCode()).isEqualTo(401);
        // The caller is valid: a plain miss.
        assertThat(send(get(url, userToken(sub))).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void owners_anotherUsersEntryIs404_guestSessionsWorkAndForgedOnesDoNot() throws Exception {
        AudioAnalysis analysis = fresh(30);
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());
        String alice = userToken(UUID.randomUUID());
        assertThat(send(put(url, alice, AnalysisJson.toBytes(analysis))).statusCode())
                .isEqualTo(201);
        assertThat(send(get(url, userToken(UUID.randomUUID()))).statusCode()).isEqualTo(404);

        HttpResponse<String> session = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/guest-sessions"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(session.statusCode()).isEqualTo(201);
        String guest = session.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
        assertThat(send(get(url, guest)).statusCode()).isEqualTo(404);
        assertThat(send(put(url, guest, AnalysisJson.toBytes(analysis))).statusCode())
                .isEqualTo(201);
        assertThat(send(get(url, guest)).statusCode()).isEqualTo(200);
        assertThat(map().containsKey(new AnalysisKey(
                        Callers.owner(jwtOf(guest)), analysis.fileMetadataId(), analysis.stemType())))
                .isTrue();

        // A Supabase anonymous sign-in: owner "anon-" + sub without dashes.
        UUID anonymous = UUID.randomUUID();
        String supabaseGuest = token(
                signer,
                anonymous.toString(),
                ISSUER,
                AUDIENCE,
                true,
                Instant.now().plusSeconds(300));
        assertThat(Callers.owner(jwtOf(supabaseGuest)))
                .isEqualTo(Owner.guest("anon-" + anonymous.toString().replace("-", "")));
        assertThat(send(get(url, supabaseGuest)).statusCode()).isEqualTo(404);

        String forged = token(
                encoder("a-key-that-is-not-the-api-nodes-secret!!"),
                jwtOf(guest).getSubject(),
                "stemcache-api",
                GuestSessions.AUDIENCE,
                true,
                Instant.now().plusSeconds(300));
        assertThat(send(get(url, forged)).statusCode()).isEqualTo(401);

        // DELETE removes the caller's own stems only.
        assertThat(send(delete(base + "/api/v1/analyses/" + analysis.fileMetadataId(), guest))
                        .statusCode())
                .isEqualTo(204);
        assertThat(send(get(url, guest)).statusCode()).isEqualTo(404);
        assertThat(send(get(url, alice)).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void admin_nonAdmin403_admin200And204() throws Exception {
        AudioAnalysis analysis = fresh(20);
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());
        String user = userToken(UUID.randomUUID());
        assertThat(send(put(url, user, AnalysisJson.toBytes(analysis))).statusCode())
                .isEqualTo(201);
        String admin = token(
                signer,
                UUID.randomUUID().toString(),
                ISSUER,
                AUDIENCE,
                false,
                Instant.now().plusSeconds(300),
                Map.of("app_metadata", Map.of("role", "stemcache-admin")));
        String adminFiles = base + "/api/v1/admin/files/" + analysis.fileMetadataId();

        HttpResponse<String> forbidden = send(delete(adminFiles, user));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send(get(base + "/api/v1/admin/stats", user)).statusCode()).isEqualTo(403);
        assertThat(send(get(base + "/api/v1/stats", user)).statusCode()).isEqualTo(200);

        HttpResponse<String> stats = send(get(base + "/api/v1/admin/stats", admin));
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).contains("\"entries\"");
        assertThat(send(delete(adminFiles, admin)).statusCode()).isEqualTo(204);
        assertThat(send(get(url, user)).statusCode()).isEqualTo(404);
    }

    // ---- operability ----

    @Test
    @Order(8)
    void cors_configuredOriginGetsHeaders_otherOriginDoesNot() throws Exception {
        String url = url(UUID.randomUUID(), "bass");
        HttpResponse<String> allowed = send(preflight(url, ORIGIN));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        HttpResponse<String> denied = send(preflight(url, "https://evil.example"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> actual =
                send(get(url, userToken(UUID.randomUUID())).header("Origin", ORIGIN));
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValueSatisfying(h -> assertThat(h).contains("ETag").contains(AnalysisHeaders.PRECISION));
    }

    @Test
    @Order(9)
    void readiness_upWhileConnected() throws Exception {
        HttpResponse<String> ready =
                send(HttpRequest.newBuilder(URI.create(cluster.management() + "/actuator/health/readiness"))
                        .GET());
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    // ---- one analysis per stem, project status, claims, cleanup ----

    @Test
    @Order(10)
    void leases_20CallersMissTheSameStem_oneHoldsTheLease_19WaitAndGetTheEntryOnceItsHolderPuts() throws Exception {
        AudioAnalysis analysis = fresh(40);
        String user = userToken(UUID.randomUUID());
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> claims = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            claims.add(http.sendAsync(
                    post(url + "/lease?wait=30", user, null)
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // The holder is answered at once; the others wait.
        HttpResponse<String> granted = firstOf(claims).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        assertThat(granted.body()).contains("\"state\":\"granted\"").contains("\"tookOver\":false");
        String lease = field(granted.body(), "lease");
        HttpResponse<String> status = send(get(base + "/api/v1/files/status?ids=" + analysis.fileMetadataId(), user));
        assertThat(stemOf(status.body(), analysis.stemType().code()))
                .contains("\"state\":\"analysing\"")
                .contains("\"analysing\":true");

        HttpResponse<String> put =
                send(put(url, user, AnalysisJson.toBytes(analysis)).header(AnalysisHeaders.LEASE, lease));
        assertThat(put.statusCode()).isEqualTo(201);

        int holders = 0;
        int cached = 0;
        for (var claim : claims) {
            HttpResponse<String> answer = claim.get(30, java.util.concurrent.TimeUnit.SECONDS);
            if (answer.statusCode() == 201) {
                holders++;
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains("\"state\":\"cached\"");
                cached++;
                HttpResponse<byte[]> entry = sendBytes(get(url, user));
                assertThat(entry.statusCode()).isEqualTo(200);
                assertThat(entry.body()).isEqualTo(AnalysisJson.toBytes(analysis));
            }
        }
        assertThat(holders).isEqualTo(1);
        assertThat(cached).isEqualTo(19);
        // The PUT ended the lease; a claim now says the entry is there.
        assertThat(send(post(url + "/lease", user, null)).body()).contains("\"state\":\"cached\"");
        assertThat(send(delete(url + "/lease", user).header(AnalysisHeaders.LEASE, lease))
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    @Order(11)
    void leases_aHolderThatNeverPuts_expires_andExactlyOneWaiterTakesOver() throws Exception {
        UUID file = UUID.randomUUID();
        String user = userToken(UUID.randomUUID());
        String url = url(file, "drums");
        HttpResponse<String> first = send(post(url + "/lease", user, null));
        assertThat(first.statusCode()).isEqualTo(201);
        String deadLease = field(first.body(), "lease");

        HttpResponse<String> taken = send(post(url + "/lease", user, null));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(taken.headers().firstValue("Retry-After")).isPresent();
        assertThat(taken.body()).contains("lease-taken").contains("\"expiresInMs\":");
        // Another user's claim on the same file and stem is its own lease: owners never share one.
        assertThat(send(post(url + "/lease", userToken(UUID.randomUUID()), null))
                        .statusCode())
                .isEqualTo(201);

        long started = System.nanoTime();
        var b = http.sendAsync(
                post(url + "/lease?wait=30", user, null)
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        var c = http.sendAsync(
                post(url + "/lease?wait=30", user, null)
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> over = firstOf(List.of(b, c)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(over.statusCode()).as(over.body()).isEqualTo(201);
        assertThat(over.body()).contains("\"tookOver\":true");
        assertThat(waited).isGreaterThan(Duration.ofSeconds(2));
        AudioAnalysis analysis = fresh(20, file, io.stemcache.core.StemType.DRUMS);
        assertThat(send(put(url, user, AnalysisJson.toBytes(analysis))
                                .header(AnalysisHeaders.LEASE, field(over.body(), "lease")))
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> other =
                (b.isDone() && b.get() == over ? c : b).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(other.body()).contains("\"state\":\"cached\"");
        // The dead holder comes back: its lease is gone.
        HttpResponse<String> late = send(delete(url + "/lease", user).header(AnalysisHeaders.LEASE, deadLease));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("lease-not-held");
    }

    @Test
    @Order(12)
    void leases_errors_badWait400_releaseWithoutOrWithAWrongLease_anAbandonedLeaseIsFreeAtOnce_noToken401()
            throws Exception {
        String user = userToken(UUID.randomUUID());
        String url = url(UUID.randomUUID(), "bass");
        HttpResponse<String> badWait = send(post(url + "/lease?wait=61", user, null));
        assertThat(badWait.statusCode()).isEqualTo(400);
        assertThat(badWait.body()).contains("query wait").contains("0 to 60");
        assertThat(send(post(url(UUID.randomUUID(), "tuba") + "/lease", user, null))
                        .statusCode())
                .isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(URI.create(url + "/lease")).POST(HttpRequest.BodyPublishers.noBody()))
                        .statusCode())
                .isEqualTo(401);

        String lease = field(send(post(url + "/lease", user, null)).body(), "lease");
        HttpResponse<String> noHeader = send(delete(url + "/lease", user));
        assertThat(noHeader.statusCode()).isEqualTo(400);
        assertThat(noHeader.body()).contains("header Stemcache-Lease");
        assertThat(send(delete(url + "/lease", user).header(AnalysisHeaders.LEASE, "not-the-lease"))
                        .statusCode())
                .isEqualTo(409);
        assertThat(send(post(url + "/lease", user, null)).statusCode()).isEqualTo(409);
        // The holder's analysis failed: it gives the lease back, and the next caller gets it without waiting.
        assertThat(send(delete(url + "/lease", user).header(AnalysisHeaders.LEASE, lease))
                        .statusCode())
                .isEqualTo(204);
        assertThat(send(post(url + "/lease", user, null)).statusCode()).isEqualTo(201);
    }

    @Test
    @Order(13)
    void filesStatus_perStemCachedAnalysingStaleMissing_noPayload_ownerScoped_andWarm() throws Exception {
        AudioAnalysis analysis = fresh(30);
        UUID file = analysis.fileMetadataId();
        UUID empty = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        String user = userToken(userId);
        List<String> others = java.util.Arrays.stream(io.stemcache.core.StemType.values())
                .map(io.stemcache.core.StemType::code)
                .filter(code -> !code.equals(analysis.stemType().code()))
                .toList();
        String leased = others.get(0);
        String stale = others.get(1);
        String missing = others.get(2);
        assertThat(send(put(url(file, analysis.stemType().code()), user, AnalysisJson.toBytes(analysis))
                                .header(AnalysisHeaders.CONTENT_HASH, "sha256:st"))
                        .statusCode())
                .isEqualTo(201);
        assertThat(send(post(url(file, leased) + "/lease", user, null)).statusCode())
                .isEqualTo(201);
        // An entry written under an older cache version: a miss to readers, shown as stale.
        AnalysisKey staleKey = new AnalysisKey(Owner.user(userId), file, io.stemcache.core.StemType.fromCode(stale));
        map().set(
                        staleKey,
                        CachedAudioAnalysis.of(
                                staleKey,
                                fresh(10, file, io.stemcache.core.StemType.fromCode(stale)),
                                null,
                                0,
                                io.stemcache.core.Precision.FLOAT64,
                                AnalysisCodec.standard(),
                                Instant.now()));

        HttpResponse<String> status = send(get(base + "/api/v1/files/status?ids=" + file + "," + empty, user));
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        CachedAudioAnalysis stored = map().get(new AnalysisKey(Owner.user(userId), file, analysis.stemType()));
        assertThat(stemOf(status.body(), analysis.stemType().code()))
                .contains("\"state\":\"cached\"")
                .contains("\"storedSize\":" + stored.size())
                .contains("\"precision\":\"FLOAT64\"")
                .contains("\"version\":" + stored.version())
                .contains("\"contentHash\":\"sha256:st\"")
                .contains("\"analysing\":false");
        assertThat(stemOf(status.body(), leased)).contains("\"state\":\"analysing\"");
        assertThat(stemOf(status.body(), stale)).contains("\"state\":\"stale\"").contains("\"cacheVersion\":0");
        assertThat(stemOf(status.body(), missing)).isEqualTo("{\"state\":\"missing\",\"analysing\":false}");
        assertThat(status.body()).contains("\"fileMetadataId\":\"" + empty + "\"");
        assertThat(status.body().length()).isLessThan(4000);
        // Another owner learns nothing of them.
        String stranger = send(get(base + "/api/v1/files/status?ids=" + file, userToken(UUID.randomUUID())))
                .body();
        assertThat(stranger).doesNotContain("cached").doesNotContain("stale").doesNotContain("analysing\":true");

        HttpResponse<String> warm =
                send(post(base + "/api/v1/files/warm", user, "{\"ids\":[\"" + file + "\",\"" + empty + "\"]}"));
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
        assertThat(warm.body()).contains("\"stems\":1").contains("\"files\":2");

        HttpResponse<String> none = send(get(base + "/api/v1/files/status", user));
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("query ids");
        HttpResponse<String> bad = send(get(base + "/api/v1/files/status?ids=" + file + ",nope", user));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("query ids[1]");
        String many = String.join(
                ",",
                java.util.stream.Stream.generate(() -> UUID.randomUUID().toString())
                        .limit(101)
                        .toList());
        assertThat(send(get(base + "/api/v1/files/status?ids=" + many, user)).body())
                .contains("at most 100");
        HttpResponse<String> badWarm = send(post(base + "/api/v1/files/warm", user, "{\"ids\":[]}"));
        assertThat(badWarm.statusCode()).isEqualTo(400);
        assertThat(badWarm.body()).contains("$.ids");
        assertThat(send(post(base + "/api/v1/files/warm", user, "{\"ids\":")).statusCode())
                .isEqualTo(400);
    }

    @Test
    @Order(14)
    void claim_aUserTakesAGuestsEntries_withBothVerifiedTokens_elseRefused() throws Exception {
        AudioAnalysis analysis = fresh(25);
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());
        String guest = field(
                send(HttpRequest.newBuilder(URI.create(base + "/api/v1/guest-sessions"))
                                .POST(HttpRequest.BodyPublishers.noBody()))
                        .body(),
                "token");
        assertThat(send(put(url, guest, AnalysisJson.toBytes(analysis))).statusCode())
                .isEqualTo(201);
        String user = userToken(UUID.randomUUID());
        String claimUrl = base + "/api/v1/guest-sessions/claim";

        HttpResponse<String> byGuest = send(post(claimUrl, guest, "{\"guestToken\":\"" + guest + "\"}"));
        assertThat(byGuest.statusCode()).isEqualTo(403);
        String forged = token(
                encoder("a-key-that-is-not-the-api-nodes-secret!!"),
                jwtOf(guest).getSubject(),
                "stemcache-api",
                GuestSessions.AUDIENCE,
                true,
                Instant.now().plusSeconds(300));
        for (String body : List.of(
                "{\"guestToken\":\"" + forged + "\"}",
                "{\"guestToken\":\"" + user + "\"}",
                "{}",
                "{\"guestToken\":\"x\"}")) {
            HttpResponse<String> refused = send(post(claimUrl, user, body));
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(refused.body())
                    .contains("$.guestToken")
                    .doesNotContain(forged)
                    .doesNotContain(user);
        }
        assertThat(send(get(url, guest)).statusCode()).isEqualTo(200);

        HttpResponse<String> claimed = send(post(claimUrl, user, "{\"guestToken\":\"" + guest + "\"}"));
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
        assertThat(claimed.body()).contains("\"moved\":1");
        assertThat(send(get(url, user)).statusCode()).isEqualTo(200);
        assertThat(send(get(url, guest)).statusCode()).isEqualTo(404);

        // Issue 13: a guest is the first claimant's; the same claim again, or another user's, moves nothing.
        HttpResponse<String> again = send(post(claimUrl, user, "{\"guestToken\":\"" + guest + "\"}"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).contains("\"moved\":0");
        String other = userToken(UUID.randomUUID());
        HttpResponse<String> byOther = send(post(claimUrl, other, "{\"guestToken\":\"" + guest + "\"}"));
        assertThat(byOther.statusCode()).as(byOther.body()).isEqualTo(200);
        assertThat(byOther.body()).contains("\"moved\":0");
        assertThat(send(get(url, other)).statusCode()).isEqualTo(404);
        assertThat(send(get(url, user)).statusCode()).isEqualTo(200);
    }

    /** Issue 13: a guest's sub is the credential to its entries; a guessable one is refused like a bad token. */
    @Test
    @Order(14)
    void tokenWhoseSubNamesNoOwner_isA401_guessableGuestSubsIncluded() throws Exception {
        AudioAnalysis analysis = fresh(26);
        String url = url(analysis.fileMetadataId(), analysis.stemType().code());
        for (String sub : List.of("a".repeat(22), "guest-token-0001")) {
            String weak =
                    token(signer, sub, ISSUER, AUDIENCE, true, Instant.now().plusSeconds(300));
            HttpResponse<String> refused = send(get(url, weak));
            assertThat(refused.statusCode()).as(sub).isEqualTo(401);
            assertThat(refused.body()).doesNotContain(sub);
        }
        // A user's sub that is no UUID names no owner either (it was a 500: the converter's exception was no 401).
        assertThat(send(get(
                                url,
                                token(
                                        signer,
                                        "not-a-uuid",
                                        ISSUER,
                                        AUDIENCE,
                                        false,
                                        Instant.now().plusSeconds(300))))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    @Order(15)
    void adminCleanup_nonAdmin403_adminRunsIt() throws Exception {
        String admin = token(
                signer,
                UUID.randomUUID().toString(),
                ISSUER,
                AUDIENCE,
                false,
                Instant.now().plusSeconds(300),
                Map.of("app_metadata", Map.of("role", "stemcache-admin")));
        assertThat(send(post(base + "/api/v1/admin/cleanup", userToken(UUID.randomUUID()), null))
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> ran = send(post(base + "/api/v1/admin/cleanup", admin, null));
        assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
        assertThat(ran.body()).matches("\\{\"deleted\":\\d+}");
    }

    @Test
    @Order(100)
    void clusterStopped_503WithRetryAfterWithinTenSeconds() throws Exception {
        members.forEach(m -> m.getLifecycleService().terminate());
        String user = userToken(UUID.randomUUID());
        long started = System.nanoTime();
        HttpResponse<String> down = send(get(url(UUID.randomUUID(), "vocals"), user));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
        assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        HttpResponse<String> ready =
                send(HttpRequest.newBuilder(URI.create(cluster.management() + "/actuator/health/readiness"))
                        .GET());
        assertThat(ready.statusCode()).isEqualTo(503);
    }

    // ---- helpers ----

    /** The first corpus stem cut to {@code frames} frames, under a file of its own. */
    private static AudioAnalysis fresh(int frames) {
        AudioAnalysis small = Corpus.small(frames);
        return new AudioAnalysis(
                UUID.randomUUID(),
                small.stemType(),
                small.analysisVersion(),
                small.analysisData(),
                small.waveformData(),
                small.metadata());
    }

    /** Corpus data cut to {@code frames} frames, as the analysis of {@code file}'s {@code stem}. */
    private static AudioAnalysis fresh(int frames, UUID file, io.stemcache.core.StemType stem) {
        AudioAnalysis small = Corpus.small(frames);
        return new AudioAnalysis(
                file, stem, small.analysisVersion(), small.analysisData(), small.waveformData(), small.metadata());
    }

    /** A string field of a flat JSON answer. */
    private static String field(String json, String name) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    /** One stem's object in a files/status answer. */
    private static String stemOf(String status, String stem) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"" + stem + "\":(\\{[^}]*})").matcher(status);
        assertThat(m.find()).as(stem + " in " + status).isTrue();
        return m.group(1);
    }

    private IMap<AnalysisKey, CachedAudioAnalysis> map() {
        return members.get(0).getMap(MAP);
    }

    private long memberGets() {
        return members.stream()
                .mapToLong(m -> m.getMap(MAP).getLocalMapStats().getGetOperationCount())
                .sum();
    }

    private long rows(UUID file) throws SQLException {
        long count = 0;
        try (Connection connection = database.dataSource().getConnection()) {
            for (String table : List.of("audio_analysis_cache", "audio_analysis_guest_cache")) {
                try (PreparedStatement select =
                        connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE file_metadata_id = ?")) {
                    select.setObject(1, file);
                    try (ResultSet rs = select.executeQuery()) {
                        rs.next();
                        count += rs.getLong(1);
                    }
                }
            }
        }
        return count;
    }

    /** A PUT over a plain socket that declares a body it never sends: only the Content-Length check can answer. */
    private int rawPutStatus(String path, String token, long contentLength) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private String url(UUID file, String stem) {
        return base + "/api/v1/analyses/" + file + "/" + stem;
    }

    private HttpRequest.Builder get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .GET();
    }

    private HttpRequest.Builder delete(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .DELETE();
    }

    private HttpRequest.Builder put(String url, String token, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpRequest.Builder post(String url, String token, String json) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder preflight(String url, String origin) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,if-none-match")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String userToken(UUID user) {
        return token(
                signer, user.toString(), ISSUER, AUDIENCE, false, Instant.now().plusSeconds(300));
    }

    private static String token(
            JwtEncoder encoder, String sub, String issuer, String audience, boolean anonymous, Instant expires) {
        return token(encoder, sub, issuer, audience, anonymous, expires, Map.of());
    }

    private static String token(
            JwtEncoder encoder,
            String sub,
            String issuer,
            String audience,
            boolean anonymous,
            Instant expires,
            Map<String, Object> extra) {
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .subject(sub)
                .issuer(issuer)
                .audience(List.of(audience))
                .issuedAt(expires.minusSeconds(600))
                .expiresAt(expires)
                .claim("is_anonymous", anonymous);
        extra.forEach(claims::claim);
        return encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
                .getTokenValue();
    }

    private org.springframework.security.oauth2.jwt.Jwt jwtOf(String token) {
        return api.getBean(org.springframework.security.oauth2.jwt.JwtDecoder.class)
                .decode(token);
    }

    private static JwtEncoder encoder(String secret) {
        return NimbusJwtEncoder.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .algorithm(MacAlgorithm.HS256)
                .build();
    }

    /** The first of {@code answers} to complete, typed (CompletableFuture.anyOf answers Object). */
    private static <T> java.util.concurrent.CompletableFuture<T> firstOf(
            List<java.util.concurrent.CompletableFuture<T>> answers) {
        java.util.concurrent.CompletableFuture<T> first = new java.util.concurrent.CompletableFuture<>();
        for (java.util.concurrent.CompletableFuture<T> answer : answers) {
            answer.whenComplete((value, failure) -> {
                if (failure != null) {
                    first.completeExceptionally(failure);
                } else {
                    first.complete(value);
                }
            });
        }
        return first;
    }
}
