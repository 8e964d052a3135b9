package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import io.stemcache.core.codec.PayloadSummary;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Turns a row of {@link AnalysisCacheTable#load} into an entry. Payloads are verified (header, checksum and
 * envelope against the row); rows the product wrote as JSON are parsed and encoded. Whatever is wrong with a row's
 * content throws a {@link RuntimeException}; only database failures throw {@link SQLException}.
 */
final class EntryRowReader {

    private final AnalysisCodec codec;

    EntryRowReader(AnalysisCodec codec) {
        this.codec = codec;
    }

    /** The key a row belongs to; throws IllegalArgumentException for a row no key can name. */
    static AnalysisKey key(ResultSet row) throws SQLException {
        Owner owner = Owner.of(Owner.Kind.fromCode(row.getString("owner_kind")), row.getString("owner_id"));
        return new AnalysisKey(
                owner, row.getObject("file_metadata_id", UUID.class), StemType.fromCode(row.getString("stem_type")));
    }

    /**
     * The row's entry, or the key's deletion marker where its tombstone is at least as new as the row (or it has
     * none): the marker carries the removed version on, so the key's next write continues above it.
     */
    CachedAudioAnalysis entry(AnalysisKey key, ResultSet row) throws SQLException {
        long deleted = row.getLong("deleted_version");
        boolean tombstoned = !row.wasNull();
        boolean hasRow = row.getObject("id") != null;
        if (tombstoned && (!hasRow || row.getLong("entry_version") <= deleted)) {
            return CachedAudioAnalysis.deletion(key, deleted, Instant.now());
        }
        byte[] payload = row.getBytes("payload");
        return payload == null ? fromJson(key, row) : fromPayload(key, row, payload);
    }

    private CachedAudioAnalysis fromPayload(AnalysisKey key, ResultSet row, byte[] payload) throws SQLException {
        String precisionColumn = row.getString("precision");
        Precision precision = precision(precisionColumn);
        // The checksum catches damage anywhere in the body, which would otherwise fail in every client that
        // reads the entry; it costs about a millisecond per full stem, a decode several.
        PayloadSummary summary = codec.verify(payload);
        if (summary.header().precision() != precision) {
            throw new CorruptPayloadException(
                    "payload header says " + summary.header().precision() + " but the row says " + precisionColumn);
        }
        if (!summary.fileMetadataId().equals(key.fileMetadataId()) || summary.stemType() != key.stemType()) {
            throw new CorruptPayloadException("payload holds " + summary.fileMetadataId() + "/"
                    + summary.stemType().code() + " but the row is " + key.fileMetadataId() + "/"
                    + key.stemType().code());
        }
        return new CachedAudioAnalysis(
                row.getObject("id", UUID.class),
                key.fileMetadataId(),
                key.stemType(),
                summary.analysisVersion(),
                row.getInt("cache_version"),
                row.getString("content_hash"),
                precision,
                createdAt(row),
                updatedAt(row),
                summary.metadata(),
                summary.header().rawSize(),
                payload,
                row.getLong("entry_version"),
                false);
    }

    /**
     * A row the product wrote before payloads: series and waveform from its jsonb columns, everything
     * else from the readable columns, so duration is the decimal(10,3) value and analysis duration whole
     * milliseconds. Encoded losslessly.
     */
    private CachedAudioAnalysis fromJson(AnalysisKey key, ResultSet row) throws SQLException {
        AnalysisMetadata metadata = metadata(row);
        AudioAnalysis analysis = LegacyJsonRow.analysis(
                key,
                row.getString("analysis_version"),
                row.getString("analysis_json"),
                row.getString("waveform_json"),
                metadata);
        return new CachedAudioAnalysis(
                row.getObject("id", UUID.class),
                key.fileMetadataId(),
                key.stemType(),
                analysis.analysisVersion(),
                row.getInt("cache_version"),
                row.getString("content_hash"),
                Precision.FLOAT64,
                createdAt(row),
                updatedAt(row),
                metadata,
                codec.rawSize(analysis),
                codec.encode(analysis, Precision.FLOAT64),
                row.getLong("entry_version"),
                false);
    }

    /** The readable columns of a row the product wrote: duration rounded to ms, analysis duration to whole ms. */
    private static AnalysisMetadata metadata(ResultSet row) throws SQLException {
        int sampleRate = row.getInt("sample_rate");
        BigDecimal duration = row.getBigDecimal("duration");
        int bufferSize = row.getInt("buffer_size");
        Array features = row.getArray("features_extracted");
        List<String> names = features == null ? List.of() : List.of((String[]) features.getArray());
        int analysisMillis = row.getInt("analysis_duration");
        double analysisDuration = row.wasNull() ? Double.NaN : analysisMillis;
        return new AnalysisMetadata(
                sampleRate,
                duration == null ? Double.NaN : duration.doubleValue(),
                bufferSize,
                names,
                analysisDuration);
    }

    private static Precision precision(String column) {
        if (column == null) {
            throw new CorruptPayloadException("the row has a payload but no precision");
        }
        try {
            return Precision.valueOf(column);
        } catch (IllegalArgumentException e) {
            throw new CorruptPayloadException(
                    "the row's precision '" + column + "' is not one of FLOAT64, FLOAT32, Q16", e);
        }
    }

    // Old rows may lack times; an unknown update time reads as the oldest possible, so any write wins.
    private static Instant updatedAt(ResultSet row) throws SQLException {
        Instant updated = instant(row, "updated_at");
        if (updated != null) {
            return updated;
        }
        Instant created = instant(row, "created_at");
        return created != null ? created : Instant.EPOCH;
    }

    private static Instant createdAt(ResultSet row) throws SQLException {
        Instant created = instant(row, "created_at");
        return created != null ? created : updatedAt(row);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
