package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.testing.Corpus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The project and management pages in a real browser (Debian's headless Chromium through Selenium) against a real
 * API node on two real members with the PostgreSQL store, one story in order: a guest analyses a generated WAV once
 * and a refresh shows it from the browser's copy (304); the cluster restarts and the numbers come back from
 * PostgreSQL; a member is killed and the page still shows it; two tabs at once analyse once; the guest signs in
 * and the entries are the user's alone; the management page's figures move and invalidating the file there makes
 * the project page show it missing; and a track of the corpus, five stems as the product's analyser made them, is
 * decoded bit-exact in the page's worker. Each test leaves a screenshot in target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesBrowserIT {

    private static final Duration PAGE = Duration.ofSeconds(90);
    private static final String ANALYSIS_URI = "/api/v1/analyses/{fileId}/{stem}";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();
    private final UUID admin = UUID.randomUUID();
    private ApiCluster cluster;
    private JsonNode atStart;
    private Browser browser;
    private String base;
    private Path wav;
    private String fileId;
    private Map<String, Object> analysed;
    private String projectTab;
    private String secondFileId;

    @BeforeAll
    void start(@TempDir Path audio) throws Exception {
        cluster = ApiCluster.create("pages")
                .recordStatistics(Duration.ofSeconds(1))
                .startMembers();
        cluster.startApi(Map.of());
        base = cluster.base();
        atStart = adminStats();
        browser = Browser.start("pages");
        wav = Wav.write(audio.resolve("four-seconds.wav"), 4, 1);
        projectTab = browser.tab();
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    // ---- 1 ----

    @Test
    @Order(1)
    void guestPicksAudio_analysedOnce_refresh_fromCacheWithoutAnalysing_thenAnswered304() throws Exception {
        browser.open(base + "/");
        Map<String, Object> empty = awaitReady(report -> true);
        assertThat(empty.get("session")).isEqualTo("guest");
        assertThat(reads(empty)).isEmpty();
        long puts = puts();

        browser.pick("audio-file", wav);
        Map<String, Object> report = awaitReady(r -> read(r, "master") != null);

        analysed = read(report, "master");
        assertThat(report.get("analysesRun")).isEqualTo(1L);
        assertThat(analysed.get("source")).isEqualTo("analysed");
        fileId = (String) analysed.get("fileId");
        byte[] audio = Files.readAllBytes(wav);
        assertThat(fileId).as("the file id is made from the audio's SHA-256").isEqualTo(fileIdOf(audio));
        assertThat(analysed.get("frames"))
                .as("1024-sample frames every 512 of 4 s at 44.1 kHz")
                .isEqualTo((long) ((4 * Wav.SAMPLE_RATE - 1024) / 512 + 1));
        assertThat((Long) analysed.get("markers"))
                .as("a burst every half second")
                .isBetween(6L, 9L);
        assertThat(puts()).as("one analysis stored").isEqualTo(puts + 1);
        assertThat(stemText("master")).contains("✓ cached").contains("analysed in");

        // What the page stored, as the API gives it back: the product's shape and framing, the audio's hash.
        HttpResponse<String> stored = send(get(base + "/api/v1/analyses/" + fileId + "/master", guestToken()));
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(stored.headers().firstValue(AnalysisHeaders.CONTENT_HASH))
                .hasValue("sha256:"
                        + HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(audio)));
        JsonNode json = JSON.readTree(stored.body());
        assertThat(json.get("analysisVersion").asString()).isEqualTo("browser-1");
        assertThat(json.get("metadata").get("bufferSize").asInt()).isEqualTo(512);
        assertThat(json.get("metadata").get("sampleRate").asInt()).isEqualTo(44_100);
        assertThat(json.get("metadata").get("duration").asDouble()).isEqualTo(4.0);
        for (String feature : List.of("rms", "energy", "zcr", "spectralCentroid")) {
            JsonNode series = json.get("analysisData").get(feature);
            assertThat(series.size()).as(feature).isEqualTo(((Long) analysed.get("frames")).intValue());
            double min = 1;
            double max = 0;
            for (JsonNode value : series) {
                min = Math.min(min, value.asDouble());
                max = Math.max(max, value.asDouble());
            }
            assertThat(min).as("%s normalised to [0, 1]", feature).isEqualTo(0.0);
            assertThat(max).as("%s normalised to [0, 1]", feature).isEqualTo(1.0);
        }
        assertThat(json.get("waveformData").get("points").size()).isEqualTo(2000);

        // Refresh: the cluster's entry, nothing analysed (the browser has no copy yet: the page wrote it by PUT).
        browser.refresh();
        Map<String, Object> first = awaitReady(r -> read(r, "master") != null);
        assertThat(first.get("analysesRun")).isEqualTo(0L);
        assertThat(read(first, "master").get("source")).isEqualTo("network");
        assertThat(read(first, "master").get("fingerprint")).isEqualTo(analysed.get("fingerprint"));

        // Refresh again: the browser revalidates its copy; the API node answers 304 and no body moves.
        long answered304 = requests("GET", "304");
        long answered200 = requests("GET", "200");
        browser.refresh();
        Map<String, Object> second = awaitReady(r -> read(r, "master") != null);
        Map<String, Object> read = read(second, "master");
        assertThat(second.get("analysesRun")).isEqualTo(0L);
        assertThat(read.get("source")).isIn("revalidated", "browser-cache");
        assertThat(read.get("fingerprint")).as("identical numbers").isEqualTo(analysed.get("fingerprint"));
        assertThat((Long) read.get("transferSize"))
                .as("headers only crossed the network")
                .isLessThan((Long) read.get("encodedBodySize"));
        assertThat(requests("GET", "304"))
                .as("the API node's count of 304 answers")
                .isEqualTo(answered304 + 1);
        assertThat(requests("GET", "200")).as("no analysis body was sent").isEqualTo(answered200);
        assertThat(stemText("master")).contains("revalidated (304)");
        assertThat(adminStats().get("hits").asLong())
                .isGreaterThan(atStart.get("hits").asLong());
        browser.screenshot("1-guest-refresh");
    }

    // ---- 2 ----

    @Test
    @Order(2)
    void fullClusterRestart_refresh_shownWithIdenticalNumbers_fromPostgres() throws Exception {
        long version = (Long) analysed.get("version");
        cluster.shutdownMembers();
        assertThat(rowVersion("audio_analysis_guest_cache", fileId))
                .as("the graceful stop stored it")
                .isEqualTo(version);
        cluster.startMembers();
        awaitClusterServes();

        long answered304 = requests("GET", "304");
        browser.refresh();
        Map<String, Object> revalidated = awaitReady(r -> read(r, "master") != null);
        assertThat(revalidated.get("analysesRun")).isEqualTo(0L);
        assertThat(read(revalidated, "master").get("source"))
                .as(
                        "the browser's copy is still current: %s, 304s %s -> %s",
                        revalidated, answered304, requests("GET", "304"))
                .isIn("revalidated", "browser-cache");
        assertThat(read(revalidated, "master").get("version")).isEqualTo(version);

        // Without the browser's copy: the body itself, loaded from PostgreSQL by the new members.
        browser.cdp("Network.enable", Map.of());
        browser.cdp("Network.setCacheDisabled", Map.of("cacheDisabled", true));
        try {
            browser.refresh();
            Map<String, Object> fromPostgres = awaitReady(r -> read(r, "master") != null);
            Map<String, Object> read = read(fromPostgres, "master");
            assertThat(read.get("source")).isEqualTo("network");
            assertThat(read.get("version")).isEqualTo(version);
            assertThat(read.get("fingerprint"))
                    .as("identical numbers from PostgreSQL")
                    .isEqualTo(analysed.get("fingerprint"));
            assertThat(read.get("storedBytes")).isEqualTo(analysed.get("storedBytes"));
            assertThat(fromPostgres.get("analysesRun")).isEqualTo(0L);
        } finally {
            browser.cdp("Network.setCacheDisabled", Map.of("cacheDisabled", false));
        }
        browser.screenshot("2-after-cluster-restart");
    }

    // ---- 3 ----

    @Test
    @Order(3)
    void oneMemberKilled_refresh_stillShown() throws Exception {
        cluster.terminateMember(0);

        browser.refresh();
        Map<String, Object> report = awaitReady(r -> read(r, "master") != null);

        assertThat(report.get("errors"))
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .isEmpty();
        assertThat(report.get("analysesRun")).isEqualTo(0L);
        assertThat(read(report, "master").get("fingerprint")).isEqualTo(analysed.get("fingerprint"));
        browser.screenshot("3-after-member-killed");
        cluster.startMembers();
        awaitClusterServes();
    }

    // ---- 4 ----

    @Test
    @Order(4)
    void twoTabsAtOnce_onAMissingStem_oneAnalysis_theOtherTabShowsIt(@TempDir Path audio) throws Exception {
        Path longer = Wav.write(audio.resolve("thirty-seconds.wav"), 30, 2);
        secondFileId = fileIdOf(Files.readAllBytes(longer));
        browser.switchTo(projectTab);
        browser.refresh();
        awaitReady(r -> read(r, "master") != null);
        String other = browser.newTab();
        browser.open(base + "/");
        awaitReady(r -> read(r, "master") != null);
        long puts = puts();

        browser.switchTo(projectTab);
        browser.pick("audio-file", longer);
        browser.switchTo(other);
        browser.pick("audio-file", longer);

        Predicate<Map<String, Object>> shown =
                r -> reads(r).stream().anyMatch(read -> secondFileId.equals(read.get("fileId")));
        Map<String, Object> inOther = awaitReady(shown);
        browser.switchTo(projectTab);
        Map<String, Object> inFirst = awaitReady(shown);

        assertThat((Long) inFirst.get("analysesRun") + (Long) inOther.get("analysesRun"))
                .as("analyses in both tabs")
                .isEqualTo(1L);
        assertThat(puts()).as("one analysis stored").isEqualTo(puts + 1);
        Map<String, Object> analysing = (Long) inFirst.get("analysesRun") == 1 ? inFirst : inOther;
        Map<String, Object> waiting = analysing == inFirst ? inOther : inFirst;
        assertThat(readOf(analysing, secondFileId).get("source")).isEqualTo("analysed");
        assertThat(readOf(waiting, secondFileId).get("source")).isNotEqualTo("analysed");
        assertThat(readOf(waiting, secondFileId).get("fingerprint"))
                .isEqualTo(readOf(analysing, secondFileId).get("fingerprint"));
        String stem = "/api/v1/analyses/" + secondFileId + "/master";
        assertThat(requestsOf(waiting))
                .as("the other tab missed too, then waited on the lease for the entry")
                .anyMatch(r -> r.get("method").equals("GET")
                        && r.get("path").equals(stem)
                        && Long.valueOf(404).equals(r.get("status")))
                .anyMatch(r -> r.get("method").equals("POST")
                        && r.get("path").equals(stem + "/lease")
                        && Long.valueOf(200).equals(r.get("status")));
        browser.switchTo(other);
        browser.screenshot("4-second-tab");
        browser.closeTabsBut(projectTab);
    }

    // ---- 5 ----

    @Test
    @Order(5)
    void guestSignsIn_theEntriesAreTheUsers_anotherUserSeesNone() throws Exception {
        String guest = guestToken();
        browser.refresh();
        awaitReady(r -> reads(r).size() == 2);

        // Refused sign-ins leave the guest as it was, saying why.
        signIn("not-a-token");
        awaitReady(r -> !((List<?>) r.get("errors")).isEmpty());
        assertThat(browser.text("[role=alert]"))
                .isEqualTo("signing in: not a JWT: a token has three dot-separated parts");
        signIn(forgedUserToken(alice));
        awaitReady(r -> ((List<?>) r.get("errors")).size() == 2);
        assertThat(browser.text("[role=alert]"))
                .isEqualTo("signing in: stemcache API 401: the bearer token is invalid or expired");
        signIn(guest);
        awaitReady(r -> ((List<?>) r.get("errors")).size() == 3);
        assertThat(browser.text("[role=alert]")).contains("that is a guest token");
        assertThat(browser.global("stemcacheReport").get("session")).isEqualTo("guest");
        assertThat(guestToken()).isEqualTo(guest);

        signIn(cluster.userToken(alice));
        Map<String, Object> asAlice = awaitReady(r -> "user".equals(r.get("session")) && reads(r).size() == 2);
        assertThat(asAlice.get("claimed")).as("both files' master stems moved").isEqualTo(2L);
        assertThat(states(asAlice, fileId)).containsEntry("master", "cached");
        assertThat(states(asAlice, secondFileId)).containsEntry("master", "cached");
        assertThat(browser.text("#session-state")).contains("Signed in as user " + alice);

        String url = base + "/api/v1/analyses/" + fileId + "/master";
        assertThat(send(get(url, cluster.userToken(alice))).statusCode()).isEqualTo(200);
        assertThat(send(get(url, guest)).statusCode())
                .as("the guest's entry moved")
                .isEqualTo(404);
        assertThat(send(get(url, cluster.userToken(bob))).statusCode())
                .as("another user's")
                .isEqualTo(404);

        browser.element("sign-out").click();
        awaitReady(r -> "guest".equals(r.get("session")));
        signIn(cluster.userToken(bob));
        Map<String, Object> asBob = awaitReady(r -> "user".equals(r.get("session")));
        assertThat(asBob.get("claimed")).isEqualTo(0L);
        assertThat(reads(asBob)).as("bob is shown nothing").isEmpty();
        assertThat(states(asBob, fileId)).containsEntry("master", "missing");
        assertThat(states(asBob, secondFileId)).containsEntry("master", "missing");
        browser.screenshot("5-another-user");

        browser.element("sign-out").click();
        awaitReady(r -> "guest".equals(r.get("session")));
        signIn(cluster.userToken(alice));
        awaitReady(r -> "user".equals(r.get("session")) && reads(r).size() == 2);
    }

    // ---- 6 ----

    @Test
    @Order(6)
    void managementPage_figuresMove_andInvalidatingTheFileThere_makesTheProjectShowItMissing() throws Exception {
        String adminTab = browser.newTab();
        browser.open(base + "/admin.html");
        browser.element("admin-token").sendKeys(cluster.userToken(alice));
        browser.submit("token-form");
        awaitAdmin(r -> !((List<?>) r.get("errors")).isEmpty());
        assertThat(browser.text("#live-state[role=alert]")).contains("figures: this operation needs the admin role");
        assertThat(browser.text("#token-state")).contains("Set a token with the admin role");
        browser.element("admin-token").sendKeys(cluster.adminToken(admin));
        browser.submit("token-form");
        Map<String, Object> first = awaitAdmin(r -> r.get("latest") != null && (Long) r.get("historyRows") > 0);
        Map<String, Object> figures = latest(first);
        assertThat((Long) figures.get("entries"))
                .as("entries before the story: %s, now", atStart.get("entries"))
                .isGreaterThan(atStart.get("entries").asLong());
        assertThat((Long) figures.get("hits"))
                .as("hits before the story: %s, now", atStart.get("hits"))
                .isGreaterThan(atStart.get("hits").asLong());
        assertThat(((Number) figures.get("hitRate")).doubleValue()).isGreaterThan(0);
        long gets = (Long) figures.get("hits") + (Long) figures.get("misses");
        assertThat(browser.element("f-hit-rate").getText())
                .isEqualTo(String.format(Locale.ROOT, "%.1f%%", 100.0 * (Long) figures.get("hits") / gets));
        assertThat(browser.element("f-entries").getText())
                .isEqualTo(figures.get("entries").toString());
        assertThat(browser.element("f-members").getText()).isEqualTo("2");
        assertThat(browser.element("history").getAttribute("aria-label")).startsWith("History of ");
        long stored = (Long) figures.get("storedBytes");

        browser.element("invalidate-id").sendKeys(fileId);
        browser.submit("invalidate-form");
        awaitAdmin(r -> !((List<?>) r.get("actions")).isEmpty());
        assertThat(browser.element("action-state").getText()).contains("Invalidated file " + fileId);
        // The live figures follow: the page's next polls show the file's payload gone from memory.
        awaitAdmin(r -> (Long) latest(r).get("storedBytes") < stored);
        browser.screenshot("6-management");

        browser.switchTo(projectTab);
        browser.refresh();
        Map<String, Object> report = awaitReady(r -> reads(r).size() == 1);
        assertThat(states(report, fileId)).containsEntry("master", "missing");
        assertThat(states(report, secondFileId)).containsEntry("master", "cached");
        assertThat(stemText(fileId, "master")).contains("○ missing");
        browser.screenshot("6-project-after-invalidation");
    }

    // ---- 7: a track of the corpus, as the product's analyser made it ----

    @Test
    @Order(7)
    void aTrackOfFiveCorpusStems_readAsPayloads_decodedInTheWorker_bitExact_thenRevalidated() throws Exception {
        String prefix = Corpus.files().get(0).getFileName().toString().replaceAll("\\..*", "") + ".";
        List<Path> stems = Corpus.files().stream()
                .filter(f -> f.getFileName().toString().startsWith(prefix))
                .toList();
        assertThat(stems).hasSize(5);
        String track = Corpus.load(stems.get(0)).fileMetadataId().toString();
        String alicesToken = cluster.userToken(alice);
        Map<String, String> expected = new HashMap<>();
        for (Path stem : stems) {
            AudioAnalysis analysis = Corpus.load(stem);
            HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/analyses/" + track + "/"
                            + analysis.stemType().code()))
                    .header("Authorization", "Bearer " + alicesToken)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(Corpus.json(stem))));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            expected.put(analysis.stemType().code(), fingerprint(analysis));
        }
        browser.switchTo(projectTab);
        browser.open(base + "/?files=" + track + "," + secondFileId);

        Map<String, Object> first = awaitReady(r -> reads(r).size() == 6);
        for (Map.Entry<String, String> stem : expected.entrySet()) {
            Map<String, Object> read = readOf(first, track, stem.getKey());
            assertThat(read.get("fingerprint"))
                    .as("%s decoded bit-exact", stem.getKey())
                    .isEqualTo(stem.getValue());
            assertThat(read.get("source")).isEqualTo("network");
            assertThat((Long) read.get("storedBytes")).isGreaterThan(1_000_000L);
            assertThat(read.get("decodeMs")).isNotNull();
        }
        assertThat(first.get("analysesRun")).isEqualTo(0L);

        browser.refresh();
        Map<String, Object> again = awaitReady(r -> reads(r).size() == 6);
        for (Map.Entry<String, String> stem : expected.entrySet()) {
            Map<String, Object> read = readOf(again, track, stem.getKey());
            assertThat(read.get("source")).as(stem.getKey()).isIn("revalidated", "browser-cache");
            assertThat(read.get("fingerprint")).isEqualTo(stem.getValue());
        }
        assertThat(stemText(track, "master")).contains("revalidated (304)").contains("MB");
        browser.screenshot("7-project-of-a-track");
        browser.screenshotOf("7-track-stems", "[data-file-id='" + track + "']", 0.75);
    }

    // ---- 8: audio Web Audio cannot decode ----

    @Test
    @Order(8)
    void audioThatCannotBeDecoded_failsNamingIt_andGivesTheLeaseBack(@TempDir Path dir) throws Exception {
        Path noise = dir.resolve("not-audio.wav");
        Files.writeString(noise, "RIFF, but not a wave: these are words, not samples.\n".repeat(200));
        String noiseId = fileIdOf(Files.readAllBytes(noise));
        browser.switchTo(projectTab);
        browser.open(base + "/");
        awaitReady(r -> true);

        browser.pick("audio-file", noise);
        Map<String, Object> report = awaitReady(r ->
                ((List<?>) r.get("errors")).stream().anyMatch(e -> e.toString().startsWith("analysing not-audio.wav")));

        assertThat(stemText(noiseId, "master")).contains("✗ failed");
        String stem = "/api/v1/analyses/" + noiseId + "/master";
        assertThat(requestsOf(report))
                .as("the lease was given back")
                .anyMatch(r -> r.get("method").equals("DELETE")
                        && r.get("path").equals(stem + "/lease")
                        && Long.valueOf(204).equals(r.get("status")));
        HttpResponse<String> status = send(get(base + "/api/v1/files/status?ids=" + noiseId, cluster.userToken(alice)));
        JsonNode master =
                JSON.readTree(status.body()).get("files").get(0).get("stems").get("master");
        assertThat(master.get("state").asString()).isEqualTo("missing");
        assertThat(master.get("analysing").asBoolean())
                .as("nobody holds the lease")
                .isFalse();
        browser.screenshot("8-undecodable-audio");
    }

    /** The project page's fingerprint of an analysis (FNV-1a over names and the doubles' 32-bit words). */
    private static String fingerprint(AudioAnalysis analysis) {
        int h = 0x811c9dc5;
        for (Map.Entry<String, double[]> series : analysis.analysisData().entrySet()) {
            for (char c : series.getKey().toCharArray()) {
                h = (h ^ c) * 16777619;
            }
            h = mix(h, series.getValue());
        }
        h = mix(h, analysis.waveformData().points());
        h = mix(
                h,
                analysis.waveformData().markers().stream()
                        .mapToDouble(m -> m.time())
                        .toArray());
        return String.format("%08x", h);
    }

    private static int mix(int h, double[] values) {
        for (double value : values) {
            long bits = Double.doubleToRawLongBits(value);
            h = (h ^ (int) bits) * 16777619;
            h = (h ^ (int) (bits >>> 32)) * 16777619;
        }
        return h;
    }

    // ---- the pages ----

    /** The project page's report once it is ready and {@code condition} holds; fails with the page's console. */
    private Map<String, Object> awaitReady(Predicate<Map<String, Object>> condition) {
        return awaitGlobal("stemcacheReport", r -> Boolean.TRUE.equals(r.get("ready")) && condition.test(r));
    }

    private Map<String, Object> awaitAdmin(Predicate<Map<String, Object>> condition) {
        return awaitGlobal("stemcacheAdminReport", condition);
    }

    private Map<String, Object> awaitGlobal(String name, Predicate<Map<String, Object>> condition) {
        try {
            return await().atMost(PAGE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.global(name), report -> report != null && condition.test(report));
        } catch (ConditionTimeoutException e) {
            String state = browser.all("#action-state").isEmpty()
                    ? ""
                    : "\naction-state: "
                            + browser.script("return document.getElementById('action-state').textContent + ' | id='"
                                    + " + document.getElementById('invalidate-id').value");
            browser.screenshot("failed-" + name);
            throw new AssertionError(
                    "the page did not get there: window." + name + " = " + browser.global(name) + state + "\nconsole:\n"
                            + browser.console(),
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> reads(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("reads");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> requestsOf(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("requests");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> latest(Map<String, Object> adminReport) {
        return (Map<String, Object>) adminReport.get("latest");
    }

    /** The read of this stem of the first file (the one test 1 added), or null. */
    private Map<String, Object> read(Map<String, Object> report, String stem) {
        return reads(report).stream()
                .filter(r -> stem.equals(r.get("stem")) && (fileId == null || fileId.equals(r.get("fileId"))))
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Object> readOf(Map<String, Object> report, String file) {
        return reads(report).stream()
                .filter(r -> file.equals(r.get("fileId")))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> readOf(Map<String, Object> report, String file, String stem) {
        return reads(report).stream()
                .filter(r -> file.equals(r.get("fileId")) && stem.equals(r.get("stem")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no read of " + file + "/" + stem + " in " + report));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> states(Map<String, Object> report, String file) {
        return (Map<String, Object>) ((Map<String, Object>) report.get("status")).get(file);
    }

    private String stemText(String stem) {
        return stemText(fileId, stem);
    }

    private String stemText(String file, String stem) {
        return browser.driver()
                .findElement(By.cssSelector("[data-file-id='" + file + "'] [data-stem='" + stem + "']"))
                .getText();
    }

    private void signIn(String token) {
        WebElement input = browser.element("user-token");
        input.clear();
        input.sendKeys(token);
        browser.submit("sign-in");
    }

    /** A user's token in every way but its signature: another secret signed it. */
    private static String forgedUserToken(UUID user) {
        Instant expires = Instant.now().plusSeconds(300);
        return ApiCluster.hs256("a-secret-that-is-not-the-api-nodes-one!!")
                .encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(),
                        JwtClaimsSet.builder()
                                .subject(user.toString())
                                .issuer(ApiCluster.ISSUER)
                                .audience(List.of(ApiCluster.AUDIENCE))
                                .issuedAt(expires.minusSeconds(600))
                                .expiresAt(expires)
                                .build()))
                .getTokenValue();
    }

    private String guestToken() {
        return (String) browser.script("return JSON.parse(localStorage.getItem('stemcache.guest')).token");
    }

    /** The page's deterministic file id: the audio's SHA-256, first 16 bytes, as an RFC 9562 version 8 UUID. */
    private static String fileIdOf(byte[] audio) throws Exception {
        byte[] id = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(audio), 16);
        id[6] = (byte) ((id[6] & 0x0f) | 0x80);
        id[8] = (byte) ((id[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(id);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    // ---- the API node ----

    /** Requests the API node answered on the analysis URL with this method and status (its Micrometer timer). */
    private long requests(String method, String status) {
        Timer timer = cluster.api()
                .getBean(MeterRegistry.class)
                .find("http.server.requests")
                .tag("uri", ANALYSIS_URI)
                .tag("method", method)
                .tag("status", status)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    /** Analyses stored through the API node: PUTs answered 201 (new) or 200 (replaced). */
    private long puts() {
        return requests("PUT", "201") + requests("PUT", "200");
    }

    private JsonNode adminStats() throws Exception {
        HttpResponse<String> stats = send(get(base + "/api/v1/admin/stats", cluster.adminToken(admin)));
        assertThat(stats.statusCode()).isEqualTo(200);
        return JSON.readTree(stats.body());
    }

    /** Waits until the API node serves a status call again (its client reconnected to the new members). */
    private void awaitClusterServes() {
        String token = cluster.userToken(admin);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> send(get(base + "/api/v1/files/status?ids=" + UUID.randomUUID(), token))
                                .statusCode()
                        == 200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> cluster.members().stream()
                        .allMatch(member -> member.getPartitionService().isClusterSafe()));
    }

    private long rowVersion(String table, String file) throws SQLException {
        try (Connection connection = cluster.database().dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT entry_version FROM " + table
                        + " WHERE file_metadata_id = ? AND stem_type = 'master'")) {
            select.setObject(1, UUID.fromString(file));
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("a row of %s in %s", file, table).isTrue();
                return row.getLong(1);
            }
        }
    }

    private HttpRequest.Builder get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .GET();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
