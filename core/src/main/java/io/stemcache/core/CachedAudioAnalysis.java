package io.stemcache.core;

import io.stemcache.core.codec.AnalysisCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One cache entry: the compressed payload of an {@link AudioAnalysis} beside readable metadata (which
 * file and stem, which analysis and cache version, the source audio's content hash, sizes, times).
 *
 * <p>This is the value held in the cluster and written to PostgreSQL. It decodes the payload once and keeps
 * the result, so an entry served again from a near cache costs no decoding; {@link #analysis()} hands each
 * caller a copy of it, {@link #sharedAnalysis()} the kept one.
 * The payload array is shared, not copied: treat it as read-only.
 *
 * <p>{@link #version()} orders the writes of one key: the member that owns the key assigns it
 * ({@code io.stemcache.core.ops.EntryVersions}: above the key's version in memory and the member's clock), and
 * PostgreSQL's upsert,
 * the split-brain merge and replays keep the higher one. A {@link #deletion deletion marker} is the value a
 * removed key holds for a while, so the removal's version is stored as a tombstone; readers treat it as absent.
 */
public final class CachedAudioAnalysis {

    /** Longest content hash accepted; matches the {@code content_hash} column. */
    public static final int MAX_CONTENT_HASH_LENGTH = 128;

    private final UUID id;
    private final UUID fileMetadataId;
    private final StemType stemType;
    private final String analysisVersion;
    private final int cacheVersion;
    private final String contentHash;
    private final Precision precision;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final AnalysisMetadata metadata;
    private final long rawSize;
    private final byte[] payload;
    private final long version;
    private final boolean deletion;
    private volatile AudioAnalysis decoded;
    /** Decodes the payload: the codec of the node that made or read this entry, so its configured limit holds. */
    private AnalysisCodec codec = AnalysisCodec.standard();

    /** An entry not yet written to the cluster (version 0); {@link #of} is the usual way to make one. */
    public CachedAudioAnalysis(
            UUID id,
            UUID fileMetadataId,
            StemType stemType,
            String analysisVersion,
            int cacheVersion,
            String contentHash,
            Precision precision,
            Instant createdAt,
            Instant updatedAt,
            AnalysisMetadata metadata,
            long rawSize,
            byte[] payload) {
        this(
                id,
                fileMetadataId,
                stemType,
                analysisVersion,
                cacheVersion,
                contentHash,
                precision,
                createdAt,
                updatedAt,
                metadata,
                rawSize,
                payload,
                0,
                false);
    }

    /** Builds an entry from all its parts, as serializers and the store read it back. */
    public CachedAudioAnalysis(
            UUID id,
            UUID fileMetadataId,
            StemType stemType,
            String analysisVersion,
            int cacheVersion,
            String contentHash,
            Precision precision,
            Instant createdAt,
            Instant updatedAt,
            AnalysisMetadata metadata,
            long rawSize,
            byte[] payload,
            long version,
            boolean deletion) {
        if (version < 0) {
            throw new IllegalArgumentException("entry version must not be negative, got " + version);
        }
        this.id = Objects.requireNonNull(id, "id");
        this.fileMetadataId = Objects.requireNonNull(fileMetadataId, "fileMetadataId");
        this.stemType = Objects.requireNonNull(stemType, "stemType");
        this.analysisVersion = Objects.requireNonNull(analysisVersion, "analysisVersion");
        this.cacheVersion = cacheVersion;
        this.contentHash = contentHash;
        this.precision = Objects.requireNonNull(precision, "precision");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.rawSize = rawSize;
        this.payload = Objects.requireNonNull(payload, "payload");
        this.version = version;
        this.deletion = deletion;
    }

    /**
     * The marker a removed key holds at {@code version} (one more than the removed entry's): no payload, no
     * analysis. Stored, it deletes the row and leaves a tombstone that refuses older stores of the key.
     */
    public static CachedAudioAnalysis deletion(AnalysisKey key, long version, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        return new CachedAudioAnalysis(
                key.entryId(),
                key.fileMetadataId(),
                key.stemType(),
                "",
                0,
                null,
                Precision.FLOAT64,
                at,
                at,
                NO_METADATA,
                0,
                NO_PAYLOAD,
                version,
                true);
    }

    private static final byte[] NO_PAYLOAD = new byte[0];
    private static final AnalysisMetadata NO_METADATA = new AnalysisMetadata(0, 0, 0, List.of(), 0);

    /** This entry as written at {@code version}, sharing payload and decoded analysis. */
    public CachedAudioAnalysis withVersion(long version) {
        CachedAudioAnalysis stamped = new CachedAudioAnalysis(
                id,
                fileMetadataId,
                stemType,
                analysisVersion,
                cacheVersion,
                contentHash,
                precision,
                createdAt,
                updatedAt,
                metadata,
                rawSize,
                payload,
                version,
                deletion);
        stamped.decoded = decoded;
        stamped.codec = codec;
        return stamped;
    }

    /**
     * This entry decoding with {@code codec}, sharing payload and any decoded analysis: what a serializer or a store
     * hands out, so {@link #analysis()} holds to the limit the node is configured with
     * ({@code stemcache.client.max-analysis-mb} on API nodes, {@code stemcache.max-analysis-mb} on members), not the
     * default.
     */
    public CachedAudioAnalysis decodingWith(AnalysisCodec codec) {
        CachedAudioAnalysis copy = withVersion(version);
        copy.codec = Objects.requireNonNull(codec, "codec");
        return copy;
    }

    /**
     * Encodes an analysis into a new entry for {@code key}, stamped {@code now}.
     *
     * @param contentHash a hash of the source audio (any stable text up to 128 characters), or null
     */
    public static CachedAudioAnalysis of(
            AnalysisKey key,
            AudioAnalysis analysis,
            String contentHash,
            int cacheVersion,
            Precision precision,
            AnalysisCodec codec,
            Instant now) {
        if (!key.fileMetadataId().equals(analysis.fileMetadataId()) || key.stemType() != analysis.stemType()) {
            throw new IllegalArgumentException("key " + key + " does not match the analysis of "
                    + analysis.fileMetadataId() + "/" + analysis.stemType().code());
        }
        if (contentHash != null && (contentHash.isBlank() || contentHash.length() > MAX_CONTENT_HASH_LENGTH)) {
            throw new IllegalArgumentException(
                    "contentHash must be 1 to " + MAX_CONTENT_HASH_LENGTH + " characters or null");
        }
        byte[] payload = codec.encode(analysis, precision);
        // PostgreSQL keeps microseconds: stamp at that precision so memory and rows compare equal.
        now = now.truncatedTo(ChronoUnit.MICROS);
        CachedAudioAnalysis entry = new CachedAudioAnalysis(
                key.entryId(),
                analysis.fileMetadataId(),
                analysis.stemType(),
                analysis.analysisVersion(),
                cacheVersion,
                contentHash,
                precision,
                now,
                now,
                analysis.metadata(),
                codec.rawSize(analysis),
                payload);
        entry.codec = codec;
        if (precision == Precision.FLOAT64) {
            entry.decoded = analysis;
        }
        return entry;
    }

    /** The same entry under another key (a guest's entry claimed by a user): same payload and times, the key's id. */
    public CachedAudioAnalysis movedTo(AnalysisKey key) {
        if (!key.fileMetadataId().equals(fileMetadataId) || key.stemType() != stemType) {
            throw new IllegalArgumentException("key " + key + " is not of " + fileMetadataId + "/" + stemType.code());
        }
        if (deletion) {
            throw new IllegalStateException(
                    "a deletion marker of " + fileMetadataId + "/" + stemType.code() + " cannot be moved");
        }
        // Version 0: the key it moves to has versions of its own, which the cluster continues on write.
        CachedAudioAnalysis moved = new CachedAudioAnalysis(
                key.entryId(),
                fileMetadataId,
                stemType,
                analysisVersion,
                cacheVersion,
                contentHash,
                precision,
                createdAt,
                updatedAt,
                metadata,
                rawSize,
                payload);
        moved.decoded = decoded;
        moved.codec = codec;
        return moved;
    }

    /**
     * The decoded analysis, with arrays of its own: the caller may change them. The entry decodes once, with the
     * codec of the node that made or read it ({@link #decodingWith}: a payload beyond that codec's limit throws
     * {@link io.stemcache.core.codec.CorruptPayloadException} naming the limit, before allocating), and keeps the
     * result; each call copies it (~1 ms for a whole stem), because an API node's near cache hands this same entry to
     * every caller. Read-only consumers that must not pay the copy (a
     * serializer writing the response) use {@link #sharedAnalysis()}.
     */
    public AudioAnalysis analysis() {
        return sharedAnalysis().copy();
    }

    /**
     * The decoded analysis this entry keeps, shared with every other reader of the entry (near-cache hits
     * return the same entry to every caller): no copy, but its arrays must not be modified, or every later
     * reader on this node sees the change.
     */
    public AudioAnalysis sharedAnalysis() {
        if (deletion) {
            throw new IllegalStateException(
                    "a deletion marker of " + fileMetadataId + "/" + stemType.code() + " has no analysis");
        }
        AudioAnalysis result = decoded;
        if (result == null) {
            result = codec.decode(payload);
            decoded = result;
        }
        return result;
    }

    public UUID id() {
        return id;
    }

    public UUID fileMetadataId() {
        return fileMetadataId;
    }

    public StemType stemType() {
        return stemType;
    }

    public String analysisVersion() {
        return analysisVersion;
    }

    /** The write's place in its key's order (0 before the cluster assigned one, and for rows the product wrote). */
    public long version() {
        return version;
    }

    /** True for the marker a removed key holds: readers treat the key as absent. */
    public boolean isDeletion() {
        return deletion;
    }

    /** The cache (algorithm) version the entry was written under; older versions read as misses. */
    public int cacheVersion() {
        return cacheVersion;
    }

    /** The source audio's content hash given when the entry was stored, or null. */
    public String contentHash() {
        return contentHash;
    }

    public Precision precision() {
        return precision;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When this value was written; stores never let an older value replace a newer row. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** How the stem was analysed, readable without decoding the payload. */
    public AnalysisMetadata metadata() {
        return metadata;
    }

    /** Bytes stored: the compressed payload. */
    public int size() {
        return payload.length;
    }

    /** Bytes of the analysis as raw values (8 per float64), for the compression ratio. */
    public long rawSize() {
        return rawSize;
    }

    /** Always true for entries made by this cache; the story's column keeps the flag for old rows. */
    public boolean compressed() {
        return true;
    }

    /** The codec payload (read-only). */
    public byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        if (deletion) {
            return "CachedAudioAnalysis[" + fileMetadataId + "/" + stemType.code() + " deleted at #" + version + "]";
        }
        return "CachedAudioAnalysis[" + fileMetadataId + "/" + stemType.code() + " #" + version + " v" + analysisVersion
                + " cache v" + cacheVersion + ", " + precision + ", " + payload.length + " bytes]";
    }
}
