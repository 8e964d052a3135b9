package io.stemcache.api;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.api.AnalysisHeaders.Representation;
import io.stemcache.api.AnalysisHeaders.Tag;
import io.stemcache.client.AnalysisLeases;
import io.stemcache.client.CurrentVersion;
import io.stemcache.client.StemcacheClientProperties;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.json.AnalysisJson;
import io.stemcache.core.ops.DescribeEntry;
import io.stemcache.core.ops.ReadVersion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own analyses: read (JSON or the stored payload, conditionally), store, invalidate. */
@RestController
@RequestMapping("/api/v1/analyses")
final class AnalysisController {

    static final MediaType BINARY = MediaType.parseMediaType("application/vnd.stemcache.analysis");
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisController.class);
    private static final String CACHE_CONTROL = "private, no-cache";

    private final AudioCacheService cache;
    private final IMap<AnalysisKey, CachedAudioAnalysis> map;
    private final int cacheVersion;
    private final long maxBodyBytes;
    private final FeatureProjections projections;
    private final AnalysisLeases leases;
    private final CurrentVersion versions;

    AnalysisController(
            AudioCacheService cache,
            @Qualifier("stemcacheHazelcastClient") HazelcastInstance hazelcast,
            StemcacheClientProperties client,
            AnalysisLeases leases) {
        this.cache = cache;
        this.leases = leases;
        this.map = hazelcast.getMap(client.mapName());
        this.versions = new CurrentVersion(map);
        this.cacheVersion = client.cacheVersion();
        this.maxBodyBytes = (long) client.maxAnalysisMb() << 20;
        this.projections = new FeatureProjections(cache, map, cacheVersion, this, client.codec());
    }

    @GetMapping("/{fileId}/{stem}")
    void get(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String fileId,
            @PathVariable String stem,
            @RequestParam(required = false) String contentHash,
            @RequestParam(required = false) String features,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        AnalysisKey key = key(Callers.owner(jwt), fileId, stem);
        Representation representation = negotiate(request);
        response.setHeader(HttpHeaders.VARY, "Accept, Accept-Encoding");
        response.setHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (features != null) {
            projections.get(
                    key, FeatureProjections.names(features), representation, contentHash, ifNoneMatch, response);
            return;
        }
        String unchanged = unchangedTag(key, ifNoneMatch, representation.code, contentHash);
        if (unchanged != null) {
            response.setHeader(HttpHeaders.ETAG, unchanged);
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        Optional<CachedAudioAnalysis> found =
                contentHash == null ? cache.getAnalysis(key) : cache.getAnalysis(key, contentHash);
        CachedAudioAnalysis entry = found.orElseThrow(() -> Problems.notFound("no analysis of " + key.fileMetadataId()
                + "/" + key.stemType().code() + " is cached for you"
                + (contentHash == null ? "" : " for this contentHash")
                + ": analyse the stem and PUT it to this URL"));
        String etag = AnalysisHeaders.etag(entry, representation);
        response.setHeader(HttpHeaders.ETAG, etag);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        response.setHeader(AnalysisHeaders.PRECISION, entry.precision().name());
        response.setHeader(AnalysisHeaders.RAW_SIZE, Long.toString(entry.rawSize()));
        response.setHeader(AnalysisHeaders.STORED_SIZE, Integer.toString(entry.size()));
        response.setHeader(AnalysisHeaders.ANALYSIS_VERSION, entry.analysisVersion());
        response.setHeader(AnalysisHeaders.ENTRY_VERSION, Long.toString(entry.version()));
        if (entry.contentHash() != null) {
            response.setHeader(AnalysisHeaders.CONTENT_HASH, entry.contentHash());
        }
        if (representation == Representation.BINARY) {
            response.setContentType(BINARY.toString());
            response.setContentLength(entry.size());
            response.getOutputStream().write(entry.payload());
            return;
        }
        AudioAnalysis analysis = entry.sharedAnalysis(); // only read: no copy of the near-cached arrays
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        OutputStream out = response.getOutputStream();
        if (representation == Representation.JSON_GZIP) {
            response.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
            GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
            AnalysisJson.write(analysis, gzip);
            gzip.finish();
        } else {
            AnalysisJson.write(analysis, out);
        }
    }

    /**
     * The tag to answer 304 with when the caller holds the current version, else null: the version from this
     * node's near cache when it holds the key (no network), else from its member with {@link ReadVersion} (no payload
     * leaves the member); see {@link CurrentVersion}. Version 0 is never trusted: it is also the answer for an
     * absent key.
     */
    String unchangedTag(AnalysisKey key, String ifNoneMatch, String representation, String contentHash) {
        if (ifNoneMatch == null) {
            return null;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            Tag tag = AnalysisHeaders.parse(candidate);
            if (tag != null
                    && tag.version() > 0
                    && tag.cacheVersion() == cacheVersion
                    && tag.representation().equals(representation)
                    && (contentHash == null || tag.hashTag().equals(AnalysisHeaders.hashTag(contentHash)))) {
                return versions.of(key) == tag.version() ? candidate.trim() : null;
            }
        }
        return null;
    }

    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String trimmed = candidate.trim();
            if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static Representation negotiate(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        MediaType chosen = MediaType.APPLICATION_JSON;
        if (accept != null && !accept.isBlank()) {
            List<MediaType> types;
            try {
                types = MediaType.parseMediaTypes(accept);
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest("header Accept", "Accept is malformed: " + e.getMessage());
            }
            org.springframework.util.MimeTypeUtils.sortBySpecificity(types);
            chosen = null;
            for (MediaType type : types) {
                if (type.getQualityValue() == 0) {
                    continue;
                }
                if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                    chosen = MediaType.APPLICATION_JSON;
                    break;
                }
                if (type.isCompatibleWith(BINARY)) {
                    chosen = BINARY;
                    break;
                }
            }
            if (chosen == null) {
                throw Problems.of(
                        HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Accept must allow application/json or " + BINARY);
            }
        }
        if (chosen.equals(BINARY)) {
            return Representation.BINARY;
        }
        return acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING))
                ? Representation.JSON_GZIP
                : Representation.JSON;
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                return !(parts.length > 1 && parts[1].trim().replace(" ", "").matches("q=0(\\.0*)?"));
            }
        }
        return false;
    }

    @PutMapping("/{fileId}/{stem}")
    ResponseEntity<Map<String, Object>> put(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String fileId,
            @PathVariable String stem,
            @RequestParam(defaultValue = "FLOAT64") String precision,
            HttpServletRequest request)
            throws IOException {
        AnalysisKey key = key(Callers.owner(jwt), fileId, stem);
        Precision chosen = precision(precision);
        String contentHash = request.getHeader(AnalysisHeaders.CONTENT_HASH);
        if (contentHash != null
                && (contentHash.isBlank() || contentHash.length() > CachedAudioAnalysis.MAX_CONTENT_HASH_LENGTH)) {
            throw Problems.badRequest(
                    "header " + AnalysisHeaders.CONTENT_HASH,
                    AnalysisHeaders.CONTENT_HASH + " must be 1 to " + CachedAudioAnalysis.MAX_CONTENT_HASH_LENGTH
                            + " characters");
        }
        long length = request.getContentLengthLong();
        if (length > maxBodyBytes) {
            throw Problems.tooLarge(maxBodyBytes);
        }
        AudioAnalysis analysis = read(request);
        if (!analysis.fileMetadataId().equals(key.fileMetadataId())) {
            throw Problems.badRequest(
                    "$.fileMetadataId",
                    "$.fileMetadataId " + analysis.fileMetadataId() + " does not match the path's file "
                            + key.fileMetadataId());
        }
        if (analysis.stemType() != key.stemType()) {
            throw Problems.badRequest(
                    "$.stemType",
                    "$.stemType '" + analysis.stemType().code() + "' does not match the path's stem '"
                            + key.stemType().code() + "'");
        }
        // Not ReadVersion: a removed key holds a deletion marker with a version of its own. A guest's key never
        // enters the near cache (its preloader writes keys to disk): the member describes the entry instead.
        boolean replaced;
        if (key.owner().isGuest()) {
            replaced = map.executeOnKey(key, new DescribeEntry()) != null;
        } else {
            CachedAudioAnalysis previous = map.get(key);
            replaced = previous != null && !previous.isDeletion();
        }
        CachedAudioAnalysis stored = cache.setAnalysis(key, analysis, contentHash, chosen);
        // Written: nobody needs to analyse the stem now, whoever held its lease (waiters already see the entry).
        leases.end(key);
        LOG.debug(
                "Stored {}/{} at version {}",
                key.fileMetadataId(),
                key.stemType().code(),
                stored.version());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fileMetadataId", key.fileMetadataId().toString());
        body.put("stemType", key.stemType().code());
        body.put("version", stored.version());
        body.put("precision", stored.precision().name());
        body.put("storedSize", stored.size());
        body.put("rawSize", stored.rawSize());
        return ResponseEntity.status(replaced ? HttpStatus.OK : HttpStatus.CREATED)
                .eTag(AnalysisHeaders.etag(stored, Representation.JSON))
                .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL)
                .body(body);
    }

    private AudioAnalysis read(HttpServletRequest request) throws IOException {
        try {
            return AnalysisJson.read(new BoundedInputStream(request.getInputStream(), maxBodyBytes));
        } catch (UncheckedIOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BoundedInputStream.LimitExceeded) {
                    throw Problems.tooLarge(maxBodyBytes);
                }
            }
            throw e;
        } catch (IllegalArgumentException e) {
            // The reader names the JSON path, line and column.
            throw Problems.badRequest("body", e.getMessage());
        }
    }

    @DeleteMapping("/{fileId}")
    ResponseEntity<Void> invalidate(@AuthenticationPrincipal Jwt jwt, @PathVariable String fileId) {
        Owner owner = Callers.owner(jwt);
        UUID file = fileId(fileId);
        int removed = cache.invalidateCache(owner, file);
        LOG.debug("Invalidated {} entries of file {}", removed, file);
        return ResponseEntity.noContent().build();
    }

    static UUID fileId(String text) {
        return fileId(text, "path fileId", "fileId");
    }

    /** A file id in canonical UUID text; else a 400 naming {@code part} ({@code name} in the detail). */
    static UUID fileId(String text, String part, String name) {
        try {
            UUID uuid = UUID.fromString(text);
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException("not canonical");
            }
            return uuid;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw Problems.badRequest(part, name + " must be a canonical UUID");
        }
    }

    static AnalysisKey key(Owner owner, String fileId, String stem) {
        UUID file = fileId(fileId);
        try {
            return AnalysisKey.of(owner, file.toString(), stem);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("path stem", "stem: " + e.getMessage());
        }
    }

    private static Precision precision(String text) {
        try {
            return Precision.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("query precision", "precision must be one of FLOAT64, FLOAT32, Q16");
        }
    }
}
