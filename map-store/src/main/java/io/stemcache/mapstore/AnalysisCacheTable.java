package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.postgresql.util.ByteStreamWriter;

/** The SQL of the {@code audio_analysis_cache} table and how keys and entries bind to it. */
final class AnalysisCacheTable {

    static final String NAME = "audio_analysis_cache";

    /** The columns the store reads or writes; the schema check names the ones missing. */
    static final List<String> COLUMNS = List.of("id", "user_id", "file_metadata_id", "stem_type", "analysis_version",
            "sample_rate", "duration", "buffer_size", "features_extracted", "analysis_data", "waveform_data",
            "analysis_duration", "created_at", "updated_at", "last_accessed", "size", "compressed", "cache_version",
            "owner_kind", "owner_id", "payload", "raw_size", "precision", "content_hash", "access_count");

    /** The unique key the upsert's ON CONFLICT names, sorted. */
    static final List<String> KEY_COLUMNS = List.of("file_metadata_id", "owner_id", "owner_kind", "stem_type");

    // A row is replaced only by a value at least as new: write-behind is at-least-once, so a replayed
    // or late batch must not undo a newer write. Equal times rewrite the same value (idempotent). The
    // row keeps its id and created_at; the payload replaces the product's old jsonb columns.
    static final String UPSERT = """
            INSERT INTO audio_analysis_cache (id, owner_kind, owner_id, user_id, file_metadata_id, stem_type,
                analysis_version, cache_version, sample_rate, duration, buffer_size, features_extracted,
                analysis_duration, payload, size, raw_size, precision, content_hash, created_at, updated_at,
                compressed, last_accessed, analysis_data, waveform_data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, now(), NULL, NULL)
            ON CONFLICT (owner_kind, owner_id, file_metadata_id, stem_type) DO UPDATE SET
                user_id = EXCLUDED.user_id, analysis_version = EXCLUDED.analysis_version,
                cache_version = EXCLUDED.cache_version, sample_rate = EXCLUDED.sample_rate,
                duration = EXCLUDED.duration, buffer_size = EXCLUDED.buffer_size,
                features_extracted = EXCLUDED.features_extracted, analysis_duration = EXCLUDED.analysis_duration,
                payload = EXCLUDED.payload, size = EXCLUDED.size, raw_size = EXCLUDED.raw_size,
                precision = EXCLUDED.precision, content_hash = EXCLUDED.content_hash,
                updated_at = EXCLUDED.updated_at, compressed = true, last_accessed = EXCLUDED.last_accessed,
                analysis_data = NULL, waveform_data = NULL
            WHERE audio_analysis_cache.updated_at IS NULL OR audio_analysis_cache.updated_at <= EXCLUDED.updated_at""";

    private static final String KEYS = "unnest(?::varchar[], ?::varchar[], ?::uuid[], ?::varchar[])"
            + " AS k(owner_kind, owner_id, file_metadata_id, stem_type)";

    static final String DELETE = "DELETE FROM audio_analysis_cache c USING " + KEYS
            + " WHERE c.owner_kind = k.owner_kind AND c.owner_id = k.owner_id"
            + " AND c.file_metadata_id = k.file_metadata_id AND c.stem_type = k.stem_type";

    // The jsonb columns are only read (as text) for rows the product wrote before payloads existed.
    static final String LOAD = """
            SELECT c.owner_kind, c.owner_id, c.file_metadata_id, c.stem_type, c.id, c.analysis_version,
                c.cache_version, c.precision, c.content_hash, c.created_at, c.updated_at, c.sample_rate, c.duration,
                c.buffer_size, c.features_extracted, c.analysis_duration, c.raw_size, c.payload,
                CASE WHEN c.payload IS NULL THEN c.analysis_data::text END AS analysis_json,
                CASE WHEN c.payload IS NULL THEN c.waveform_data::text END AS waveform_json
            FROM audio_analysis_cache c JOIN %s USING (owner_kind, owner_id, file_metadata_id, stem_type)
            WHERE c.owner_kind IN ('user', 'guest')""".formatted(KEYS);

    // Newest first, cut by count (LIMIT) and by a running sum of stored bytes; rows of the product's
    // old format count their jsonb size. ROWS framing keeps ties from being summed ahead of time.
    // Most frequently read first (access_count grows once per access flush in which a key was read), then
    // most recently; stored size from the size column, so the window never detoasts a payload.
    static final String RECENT_KEYS = """
            SELECT owner_kind, owner_id, file_metadata_id, stem_type FROM (
                SELECT owner_kind, owner_id, file_metadata_id, stem_type, access_count, last_accessed, id,
                    sum(coalesce(size, octet_length(payload),
                                 coalesce(pg_column_size(analysis_data), 0) + coalesce(pg_column_size(waveform_data), 0)))
                        OVER (ORDER BY access_count DESC, last_accessed DESC, id ROWS UNBOUNDED PRECEDING) AS running_bytes
                FROM audio_analysis_cache
                WHERE owner_kind IN ('user', 'guest') AND last_accessed IS NOT NULL
                ORDER BY access_count DESC, last_accessed DESC, id
                LIMIT ?) hot
            WHERE running_bytes <= ?
            ORDER BY access_count DESC, last_accessed DESC, id""";

    static final String TABLE_COLUMNS = "SELECT attname FROM pg_attribute"
            + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped";

    static final String UNIQUE_KEYS = """
            SELECT array_agg(a.attname::text ORDER BY a.attname::text) AS columns
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = ?::regclass AND i.indisunique
            GROUP BY i.indexrelid""";

    /** The readable {@code duration} column holds seconds as decimal(10,3). */
    private static final BigDecimal MAX_DURATION = new BigDecimal("9999999.999");

    private AnalysisCacheTable() {
    }

    /** Binds one entry to {@link #UPSERT}; the payload is streamed from its array, not copied. */
    static void bindUpsert(PreparedStatement statement, AnalysisKey key, CachedAudioAnalysis value)
            throws SQLException {
        Connection connection = statement.getConnection();
        statement.setObject(1, value.id());
        statement.setString(2, key.owner().kind().code());
        statement.setString(3, key.owner().id());
        statement.setObject(4, key.owner().isGuest() ? null : UUID.fromString(key.owner().id()), Types.OTHER);
        statement.setObject(5, key.fileMetadataId());
        statement.setString(6, key.stemType().code());
        statement.setString(7, value.analysisVersion());
        statement.setInt(8, value.cacheVersion());
        statement.setInt(9, value.metadata().sampleRate());
        statement.setBigDecimal(10, durationColumn(value.metadata().duration()));
        statement.setInt(11, value.metadata().bufferSize());
        statement.setArray(12, connection.createArrayOf("text", value.metadata().featuresExtracted().toArray()));
        Integer analysisMillis = millisColumn(value.metadata().analysisDuration());
        if (analysisMillis == null) {
            statement.setNull(13, Types.INTEGER);
        } else {
            statement.setInt(13, analysisMillis);
        }
        // pgjdbc's setBytes copies the array first; a ByteStreamWriter is written straight to the socket.
        statement.setObject(14, ByteStreamWriter.of(ByteBuffer.wrap(value.payload())));
        statement.setInt(15, value.size());
        statement.setLong(16, value.rawSize());
        statement.setString(17, value.precision().name());
        statement.setString(18, value.contentHash());
        statement.setObject(19, timestamp(value.createdAt()));
        statement.setObject(20, timestamp(value.updatedAt()));
    }

    /** Binds the four key arrays of {@link #DELETE} or {@link #LOAD}. */
    static void bindKeys(PreparedStatement statement, List<AnalysisKey> keys) throws SQLException {
        Connection connection = statement.getConnection();
        String[] kinds = new String[keys.size()];
        String[] owners = new String[keys.size()];
        UUID[] files = new UUID[keys.size()];
        String[] stems = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            AnalysisKey key = keys.get(i);
            kinds[i] = key.owner().kind().code();
            owners[i] = key.owner().id();
            files[i] = key.fileMetadataId();
            stems[i] = key.stemType().code();
        }
        statement.setArray(1, connection.createArrayOf("varchar", kinds));
        statement.setArray(2, connection.createArrayOf("varchar", owners));
        statement.setArray(3, connection.createArrayOf("uuid", files));
        statement.setArray(4, connection.createArrayOf("varchar", stems));
    }

    /**
     * The duration in the column's form, rounded half up to milliseconds; null if it does not fit. The
     * readable columns are for people and queries, the payload holds the exact value, and a value that
     * can never be written would block Hazelcast's write-behind queue forever.
     */
    static BigDecimal durationColumn(double seconds) {
        if (!Double.isFinite(seconds)) {
            return null;
        }
        BigDecimal rounded = BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP);
        return rounded.abs().compareTo(MAX_DURATION) > 0 ? null : rounded;
    }

    /** Milliseconds rounded half up to a whole number, as the int column holds them; null if they do not fit. */
    static Integer millisColumn(double millis) {
        if (!Double.isFinite(millis) || Math.abs(millis) > Integer.MAX_VALUE) {
            return null;
        }
        return (int) Math.round(millis);
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
