package io.stemcache.api;

import com.hazelcast.map.IMap;
import io.stemcache.api.AnalysisHeaders.Representation;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.json.AnalysisJson;
import io.stemcache.core.ops.ProjectFeatures;
import io.stemcache.core.ops.ProjectedAnalysis;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * {@code GET ...?features=rms,zcr}: only those series of the caller's entry, cut from its payload on the member
 * that owns it ({@link ProjectFeatures}), so only their bytes cross the network. The answer is the product's
 * JSON with those series, or the projected payload; its ETag names the features, so a 304 needs no payload.
 */
final class FeatureProjections {

    /** Most names one request may ask for; an analysis has about 35. */
    static final int MAX_FEATURES = 64;

    private final AudioCacheService cache;
    private final IMap<AnalysisKey, CachedAudioAnalysis> map;
    private final int cacheVersion;
    private final AnalysisController controller;
    private final AnalysisCodec codec;

    /** Decodes projections with {@code codec}: this node's {@code stemcache.client.max-analysis-mb}. */
    FeatureProjections(
            AudioCacheService cache,
            IMap<AnalysisKey, CachedAudioAnalysis> map,
            int cacheVersion,
            AnalysisController controller,
            AnalysisCodec codec) {
        this.codec = codec;
        this.cache = cache;
        this.map = map;
        this.cacheVersion = cacheVersion;
        this.controller = controller;
    }

    /** The names of {@code ?features=}, in the order given, each once; throws 400 naming the problem. */
    static List<String> names(String features) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : features.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        if (names.isEmpty()) {
            throw Problems.badRequest(
                    "query features", "features must name at least one series, e.g. features=rms,zcr");
        }
        if (names.size() > MAX_FEATURES) {
            throw Problems.badRequest(
                    "query features", "features may name at most " + MAX_FEATURES + " series, got " + names.size());
        }
        return List.copyOf(names);
    }

    void get(
            AnalysisKey key,
            List<String> features,
            Representation representation,
            String contentHash,
            String ifNoneMatch,
            HttpServletResponse response)
            throws IOException {
        String code = representation.code + "~" + AnalysisHeaders.hashTag(String.join(",", new TreeSet<>(features)));
        String unchanged = controller.unchangedTag(key, ifNoneMatch, code, contentHash);
        if (unchanged != null) {
            response.setHeader(HttpHeaders.ETAG, unchanged);
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        ProjectedAnalysis projection;
        try {
            projection = map.executeOnKey(key, new ProjectFeatures(features));
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("query features", e.getMessage());
        }
        if (projection != null && contentHash != null && !contentHash.equals(projection.contentHash())) {
            cache.getAnalysis(key, contentHash); // the audio changed: drop the entry, as a full get would
            projection = null;
        }
        if (projection == null || projection.cacheVersion() != cacheVersion) {
            throw Problems.notFound("no analysis of " + key.fileMetadataId() + "/"
                    + key.stemType().code() + " is cached for you: analyse the stem and PUT it to this URL");
        }
        String etag = AnalysisHeaders.etag(
                projection.version(),
                projection.cacheVersion(),
                projection.precision(),
                code,
                projection.contentHash());
        response.setHeader(HttpHeaders.ETAG, etag);
        if (ifNoneMatch != null && AnalysisController.matches(ifNoneMatch, etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        response.setHeader(AnalysisHeaders.PRECISION, projection.precision().name());
        response.setHeader(AnalysisHeaders.STORED_SIZE, Integer.toString(projection.payload().length));
        response.setHeader(AnalysisHeaders.ANALYSIS_VERSION, projection.analysisVersion());
        response.setHeader(AnalysisHeaders.ENTRY_VERSION, Long.toString(projection.version()));
        response.setHeader(AnalysisHeaders.FEATURES, String.join(",", features));
        if (projection.contentHash() != null) {
            response.setHeader(AnalysisHeaders.CONTENT_HASH, projection.contentHash());
        }
        if (representation == Representation.BINARY) {
            response.setContentType(AnalysisController.BINARY.toString());
            response.setContentLength(projection.payload().length);
            response.getOutputStream().write(projection.payload());
            return;
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        OutputStream out = response.getOutputStream();
        if (representation == Representation.JSON_GZIP) {
            response.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
            GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
            AnalysisJson.write(decode(projection), gzip);
            gzip.finish();
        } else {
            AnalysisJson.write(decode(projection), out);
        }
    }

    /** The projection's analysis; a payload beyond this node's limit throws before anything is allocated for it. */
    AudioAnalysis decode(ProjectedAnalysis projection) {
        return codec.decode(projection.payload());
    }
}
