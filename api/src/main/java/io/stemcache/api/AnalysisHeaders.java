package io.stemcache.api;

import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The {@code Stemcache-*} headers and the strong ETag of an analysis representation:
 * {@code "<entry version>.<cache version>.<precision>.<representation>.<hash tag>"}. An entry version names
 * one write of its key, so it fixes precision and content hash; the cache version and hash tag let a
 * conditional GET be answered from the version alone ({@code ReadVersion}) without reading the payload.
 */
final class AnalysisHeaders {

    static final String PRECISION = "Stemcache-Precision";
    static final String RAW_SIZE = "Stemcache-Raw-Size";
    static final String STORED_SIZE = "Stemcache-Stored-Size";
    static final String CONTENT_HASH = "Stemcache-Content-Hash";
    static final String ANALYSIS_VERSION = "Stemcache-Analysis-Version";
    static final String ENTRY_VERSION = "Stemcache-Entry-Version";
    static final String FEATURES = "Stemcache-Features";
    /** The holder token of a stem's lease ({@link LeaseController}). */
    static final String LEASE = "Stemcache-Lease";

    private AnalysisHeaders() {}

    /** How the entry is sent: JSON, gzipped JSON (a different representation, RFC 9110 8.8.3), or the payload. */
    enum Representation {
        JSON("json"),
        JSON_GZIP("json-gz"),
        BINARY("bin");

        final String code;

        Representation(String code) {
            this.code = code;
        }
    }

    /** A parsed ETag of ours. */
    record Tag(long version, int cacheVersion, String representation, String hashTag) {}

    static String etag(CachedAudioAnalysis entry, Representation representation) {
        return etag(entry.version(), entry.cacheVersion(), entry.precision(), representation.code, entry.contentHash());
    }

    /** The tag of one representation of one write; a projection's representation code names its features. */
    static String etag(long version, int cacheVersion, Precision precision, String representation, String contentHash) {
        return "\"" + version + "." + cacheVersion + "." + precision.name().toLowerCase(Locale.ROOT) + "."
                + representation + "." + hashTag(contentHash) + "\"";
    }

    /** Our tag, or null for anything else (a weak tag, *, another server's). */
    static Tag parse(String etag) {
        String value = etag.trim();
        if (!value.startsWith("\"") || !value.endsWith("\"") || value.length() < 3) {
            return null;
        }
        String[] parts = value.substring(1, value.length() - 1).split("\\.");
        if (parts.length != 5) {
            return null;
        }
        try {
            return new Tag(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), parts[3], parts[4]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** 48 bits of the SHA-256 of the content hash ("none" without one). */
    static String hashTag(String contentHash) {
        if (contentHash == null) {
            return "none";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(contentHash.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
