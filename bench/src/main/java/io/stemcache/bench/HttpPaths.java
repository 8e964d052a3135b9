package io.stemcache.bench;

import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.json.AnalysisJson;
import io.stemcache.core.ops.ReadVersion;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reads the {@code http} command times, each over the same analyses (operation {@code i} reads analysis
 * {@code i % n}): five over HTTP to the API node, all through one JDK {@link HttpClient} (HTTP/1.1, kept-alive
 * connections, no gzip asked for), and the driver's own client gets they are compared with. Every answer's
 * status is checked; {@link #verify} checks what the answers hold, once per analysis.
 */
final class HttpPaths {

    static final String BINARY = "application/vnd.stemcache.analysis";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper TREES = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;
    private final String authorization;
    private final List<AudioAnalysis> analyses;
    private final List<AnalysisKey> keys;
    private final List<String> features;
    private final IMap<AnalysisKey, CachedAudioAnalysis> nearMap;
    private final IMap<AnalysisKey, CachedAudioAnalysis> plainMap;
    private final String[] binaryTags;
    // Written by every read so that no result goes unused.
    private long sink;

    /**
     * @param token    the bearer token of the user who owns {@code keys}
     * @param nearMap  the map through a client with the API node's near cache
     * @param plainMap the map through a client without a near cache
     */
    HttpPaths(
            URI base,
            String token,
            List<AudioAnalysis> analyses,
            List<AnalysisKey> keys,
            List<String> features,
            IMap<AnalysisKey, CachedAudioAnalysis> nearMap,
            IMap<AnalysisKey, CachedAudioAnalysis> plainMap) {
        this.base = base;
        this.authorization = "Bearer " + token;
        this.analyses = analyses;
        this.keys = keys;
        this.features = features;
        this.nearMap = nearMap;
        this.plainMap = plainMap;
        this.binaryTags = new String[analyses.size()];
    }

    int size() {
        return analyses.size();
    }

    /** Stores analysis {@code i} through the API node, as the product would: its JSON, PUT. */
    void put(int i) throws IOException, InterruptedException {
        AudioAnalysis analysis = analysis(i);
        HttpRequest request = request(analysisUri(i, ""))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(AnalysisJson.toBytes(analysis)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw unexpected(request, response);
        }
    }

    // (a) the product's path today: its tRPC query, the jsonb row as JSON.
    HttpResponse<byte[]> product(int i) throws IOException, InterruptedException {
        return send(request(productUri(i)).GET(), 200);
    }

    // (b) stemcache's JSON, written by the API node from its near cache's decoded entry.
    HttpResponse<byte[]> json(int i) throws IOException, InterruptedException {
        return send(
                request(analysisUri(i, "")).header("Accept", "application/json").GET(), 200);
    }

    // (c) stemcache's stored payload, as it is.
    HttpResponse<byte[]> binary(int i) throws IOException, InterruptedException {
        return send(request(analysisUri(i, "")).header("Accept", BINARY).GET(), 200);
    }

    // (d) only some series, cut from the payload on the member that owns the entry.
    HttpResponse<byte[]> projection(int i) throws IOException, InterruptedException {
        String query = "?features=" + URLEncoder.encode(String.join(",", features), StandardCharsets.UTF_8);
        return send(request(analysisUri(i, query)).header("Accept", BINARY).GET(), 200);
    }

    // (e) revalidation of (c): the caller holds the current version, so 304 without a payload.
    HttpResponse<byte[]> revalidate(int i) throws IOException, InterruptedException {
        String tag = binaryTags[i % binaryTags.length];
        if (tag == null) {
            throw new IllegalStateException("no ETag of analysis " + (i % binaryTags.length) + " yet: verify first");
        }
        return send(
                request(analysisUri(i, ""))
                        .header("Accept", BINARY)
                        .header("If-None-Match", tag)
                        .GET(),
                304);
    }

    /** The floor: an authenticated GET that does nothing on the API node's stack (204). */
    HttpResponse<byte[]> floor(int i) throws IOException, InterruptedException {
        return send(request(base.resolve(NoContentRoute.PATH)).GET(), 204);
    }

    /** The raw client get of (c)'s entry, with the API node's near cache, and the payload read: copied out. */
    byte[] rawNear(int i) {
        return payloadCopy(nearMap.get(key(i)));
    }

    /** The same without a near cache: every get crosses the network. */
    byte[] rawPlain(int i) {
        return payloadCopy(plainMap.get(key(i)));
    }

    /** What (e) asks a member: the version the key holds, by {@link ReadVersion} (it bypasses the near cache). */
    long rawVersion(int i) {
        Long version = nearMap.executeOnKey(key(i), new ReadVersion());
        sink += version;
        return version;
    }

    /**
     * Reads every path once for analysis {@code i}, checks that each answer holds that analysis (the
     * product's values, stemcache's bit-exact, the projection's series and only those, a bodiless 304), keeps
     * (c)'s ETag for (e), and returns the body bytes of (a) to (e).
     */
    long[] verify(int i) throws IOException, InterruptedException {
        AudioAnalysis expected = analysis(i);
        String what = expected.fileMetadataId() + "/" + expected.stemType().code();
        HttpResponse<byte[]> product = product(i);
        checkProduct(what, expected, product.body());
        HttpResponse<byte[]> json = json(i);
        check(
                what + " as JSON",
                RoundTrip.compare(expected, AnalysisJson.read(json.body())).bitExact());
        HttpResponse<byte[]> binary = binary(i);
        check(
                what + " as payload",
                RoundTrip.compare(expected, AnalysisCodec.standard().decode(binary.body()))
                        .bitExact());
        check(
                what + ": raw client payload equals the HTTP one",
                Arrays.equals(rawNear(i), binary.body()) && Arrays.equals(rawPlain(i), binary.body()));
        binaryTags[i % binaryTags.length] = binary.headers()
                .firstValue("ETag")
                .orElseThrow(() -> new IllegalStateException(what + ": the binary answer has no ETag"));
        HttpResponse<byte[]> projection = projection(i);
        Map<String, double[]> cut =
                AnalysisCodec.standard().decode(projection.body()).analysisData();
        check(
                what + " projected on " + features + " (got " + cut.keySet() + ")",
                cut.keySet().equals(new HashSet<>(features))
                        && features.stream()
                                .allMatch(f -> Arrays.equals(
                                        cut.get(f), expected.analysisData().get(f))));
        HttpResponse<byte[]> revalidated = revalidate(i);
        check(what + ": a 304 without a body", revalidated.body().length == 0);
        return new long[] {
            product.body().length,
            json.body().length,
            binary.body().length,
            projection.body().length,
            revalidated.body().length
        };
    }

    /** Checks that (a) selects the caller's own row: another user's token finds none (404), as the product's row security. */
    void requireOwnRowsOnly(String otherUsersToken) throws IOException, InterruptedException {
        for (int i = 0; i < analyses.size(); i++) {
            send(
                    HttpRequest.newBuilder(productUri(i))
                            .timeout(TIMEOUT)
                            .header("Authorization", "Bearer " + otherUsersToken)
                            .GET(),
                    404);
        }
    }

    /** The answer if its status is {@code status}; else a failure naming the request, the status and the body's start. */
    HttpResponse<byte[]> send(HttpRequest.Builder request, int status) throws IOException, InterruptedException {
        HttpRequest built = request.build();
        HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != status) {
            throw unexpected(built, response);
        }
        sink += response.body().length;
        return response;
    }

    private static IllegalStateException unexpected(HttpRequest request, HttpResponse<byte[]> response) {
        byte[] body = response.body();
        String start = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                + (start.isEmpty() ? "" : ": " + start));
    }

    /** Checks that the product's answer holds {@code expected}'s identity, series and waveform points. */
    static void checkProduct(String what, AudioAnalysis expected, byte[] body) {
        JsonNode row = TREES.readTree(body).path("result").path("data");
        boolean same = row.path("fileMetadataId")
                        .asString()
                        .equals(expected.fileMetadataId().toString())
                && row.path("stemType").asString().equals(expected.stemType().code());
        JsonNode series = row.path("analysisData");
        for (Map.Entry<String, double[]> entry : expected.analysisData().entrySet()) {
            same &= sameValues(series.path(entry.getKey()), entry.getValue());
        }
        same &= sameValues(
                row.path("waveformData").path("points"), expected.waveformData().points());
        check(what + " as the product's row", same);
    }

    // The product's jsonb holds decimals: values compare equal (a -0 comes back as 0), not bit for bit.
    private static boolean sameValues(JsonNode values, double[] expected) {
        if (!values.isArray() || values.size() != expected.length) {
            return false;
        }
        for (int k = 0; k < expected.length; k++) {
            if (values.get(k).doubleValue() != expected[k]) {
                return false;
            }
        }
        return true;
    }

    private static void check(String what, boolean ok) {
        if (!ok) {
            throw new IllegalStateException("the http path returned another analysis than was stored: " + what);
        }
    }

    private byte[] payloadCopy(CachedAudioAnalysis entry) {
        byte[] payload = entry.payload();
        byte[] copy = Arrays.copyOf(payload, payload.length);
        sink += copy.length == 0 ? 0 : copy[copy.length - 1];
        return copy;
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", authorization);
    }

    private URI productUri(int i) {
        AudioAnalysis analysis = analysis(i);
        return base.resolve(ProductRoute.PATH + "?fileMetadataId=" + analysis.fileMetadataId() + "&stemType="
                + analysis.stemType().code());
    }

    private URI analysisUri(int i, String query) {
        AudioAnalysis analysis = analysis(i);
        return base.resolve("/api/v1/analyses/" + analysis.fileMetadataId() + "/"
                + analysis.stemType().code() + query);
    }

    private AudioAnalysis analysis(int i) {
        return analyses.get(i % analyses.size());
    }

    private AnalysisKey key(int i) {
        return keys.get(i % keys.size());
    }
}
