package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
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
import org.postgresql.util.ByteStreamWriter;

/**
 * The SQL of one table of entries and how keys and entries bind to it. Users' entries live in the product's
 * {@code audio_analysis_cache} ({@link #USERS}), whose foreign keys need a real user and file; guests' in
 * {@code audio_analysis_guest_cache} ({@link #GUESTS}), a table of the same columns without them. A removed
 * key's version stays in {@value #TOMBSTONES}, whichever table its row was in.
 */
final class AnalysisCacheTable {

    /** Users' rows; its {@code legacy} rows are the product's, and no statement selects them. */
    static final AnalysisCacheTable USERS = new AnalysisCacheTable("audio_analysis_cache", Owner.Kind.USER);
    /** Guests' rows; {@code owner_kind} is always {@code 'guest'} and {@code user_id} null. */
    static final AnalysisCacheTable GUESTS = new AnalysisCacheTable("audio_analysis_guest_cache", Owner.Kind.GUEST);

    static final String TOMBSTONES = "audio_analysis_tombstone";

    /** The columns the store reads or writes in each table; the schema check names the ones missing. */
    static final List<String> COLUMNS = List.of(
            "id",
            "user_id",
            "file_metadata_id",
            "stem_type",
            "analysis_version",
            "sample_rate",
            "duration",
            "buffer_size",
            "features_extracted",
            "analysis_data",
            "waveform_data",
            "analysis_duration",
            "created_at",
            "updated_at",
            "last_accessed",
            "size",
            "compressed",
            "cache_version",
            "owner_kind",
            "owner_id",
            "payload",
            "raw_size",
            "precision",
            "content_hash",
            "access_count",
            "entry_version");

    /** The unique key the upsert's ON CONFLICT names, sorted. */
    static final List<String> KEY_COLUMNS = List.of("file_metadata_id", "owner_id", "owner_kind", "stem_type");

    private static final String KEYS = "unnest(" + KeyColumns.UNNEST + ") AS k(" + KeyColumns.UNNEST_COLUMNS + ")";

    private static final String SAME_KEY = KeyColumns.SAME_KEY;

    /**
     * The stored bytes of a row (of either table, no alias): its size column, else its payload's length; rows the
     * product wrote as JSON count their jsonb size, without detoasting.
     */
    static final String STORED_BYTES = "coalesce(size, octet_length(payload),"
            + " coalesce(pg_column_size(analysis_data), 0) + coalesce(pg_column_size(waveform_data), 0))";

    private static final String KEEP_HIGHEST_TOMBSTONE =
            " ON CONFLICT (owner_kind, owner_id, file_metadata_id, stem_type)"
                    + " DO UPDATE SET entry_version = GREATEST(t.entry_version, EXCLUDED.entry_version), deleted_at = now()";

    final String name;

    /** The one owner kind stemcache manages in this table; {@code owner_kind = '<kind>'} leaves the product's rows. */
    final Owner.Kind ownerKind;

    /**
     * A row is replaced only by a higher version: versions are assigned per key in the cluster, so neither the
     * writers' clocks nor {@code updated_at} (the product's trigger rewrites it on every UPDATE) decide. A replayed
     * or late store of an older or equal version changes nothing, and neither does a store at or below the key's
     * tombstone (it was removed after that version was written). The row keeps its id and created_at; the payload
     * replaces the product's old jsonb columns.
     */
    final String upsert;

    /** Stores a deletion marker: the row goes unless a higher version is stored, and the tombstone keeps its version. */
    final String deleteMarked;

    /** Deletes the rows of a batch of keys, each leaving a tombstone at the version its row had. */
    final String deleteKeys;

    /**
     * Deletes every owner's rows of one file (its id the one parameter; the table's file_metadata_id index), each
     * leaving a tombstone at the version its row had, so a store of an older version still queued behind cannot bring
     * the row back. Needs {@link Transaction#markOwnDeletes} first.
     */
    final String deleteFile;

    /** A batch of keys' rows, or their tombstones where a key has no row or an older one. */
    final String load;

    private AnalysisCacheTable(String name, Owner.Kind ownerKind) {
        this.name = name;
        this.ownerKind = ownerKind;
        this.upsert = """
                WITH v (id, owner_kind, owner_id, user_id, file_metadata_id, stem_type, analysis_version, cache_version,
                        entry_version, sample_rate, duration, buffer_size, features_extracted, analysis_duration, payload,
                        size, raw_size, precision, content_hash, created_at, updated_at) AS (
                    VALUES (?::uuid, ?::varchar, ?::varchar, ?::uuid, ?::uuid, ?::varchar, ?::varchar, ?::integer,
                            ?::bigint, ?::integer, ?::numeric, ?::integer, ?::text[], ?::integer, ?::bytea, ?::integer,
                            ?::bigint, ?::varchar, ?::varchar, ?::timestamptz, ?::timestamptz))
                INSERT INTO %1$s AS c (id, owner_kind, owner_id, user_id, file_metadata_id, stem_type, analysis_version,
                    cache_version, entry_version, sample_rate, duration, buffer_size, features_extracted, analysis_duration,
                    payload, size, raw_size, precision, content_hash, created_at, updated_at, compressed, last_accessed,
                    analysis_data, waveform_data)
                SELECT v.*, true, now(), NULL, NULL FROM v
                WHERE NOT EXISTS (SELECT 1 FROM %2$s t WHERE %3$s AND t.entry_version >= v.entry_version)
                ON CONFLICT (owner_kind, owner_id, file_metadata_id, stem_type) DO UPDATE SET
                    user_id = EXCLUDED.user_id, analysis_version = EXCLUDED.analysis_version,
                    cache_version = EXCLUDED.cache_version, entry_version = EXCLUDED.entry_version,
                    sample_rate = EXCLUDED.sample_rate, duration = EXCLUDED.duration, buffer_size = EXCLUDED.buffer_size,
                    features_extracted = EXCLUDED.features_extracted, analysis_duration = EXCLUDED.analysis_duration,
                    payload = EXCLUDED.payload, size = EXCLUDED.size, raw_size = EXCLUDED.raw_size,
                    precision = EXCLUDED.precision, content_hash = EXCLUDED.content_hash,
                    updated_at = EXCLUDED.updated_at, compressed = true, last_accessed = EXCLUDED.last_accessed,
                    analysis_data = NULL, waveform_data = NULL
                WHERE c.entry_version < EXCLUDED.entry_version""".formatted(name, TOMBSTONES, SAME_KEY.formatted("t", "v"));
        this.deleteMarked = """
                WITH gone AS (DELETE FROM %1$s WHERE owner_kind = ? AND owner_id = ? AND file_metadata_id = ?
                        AND stem_type = ? AND entry_version < ?)
                INSERT INTO %2$s AS t (owner_kind, owner_id, file_metadata_id, stem_type, entry_version)
                VALUES (?, ?, ?, ?, ?)""".formatted(name, TOMBSTONES) + KEEP_HIGHEST_TOMBSTONE;
        this.deleteKeys = deleteLeavingTombstones(
                "DELETE FROM %1$s c USING %2$s WHERE %3$s".formatted(name, KEYS, SAME_KEY.formatted("c", "k")));
        this.deleteFile =
                deleteLeavingTombstones("DELETE FROM %1$s c WHERE c.file_metadata_id = ? AND c.owner_kind = '%2$s'"
                        .formatted(name, ownerKind.code()));
        // The jsonb columns are only read (as text) for rows the product wrote before payloads existed.
        this.load = """
                SELECT k.owner_kind, k.owner_id, k.file_metadata_id, k.stem_type, c.id, c.analysis_version,
                    c.cache_version, c.entry_version, c.precision, c.content_hash, c.created_at, c.updated_at,
                    c.sample_rate, c.duration, c.buffer_size, c.features_extracted, c.analysis_duration, c.raw_size,
                    c.payload,
                    CASE WHEN c.id IS NOT NULL AND c.payload IS NULL THEN c.analysis_data::text END AS analysis_json,
                    CASE WHEN c.id IS NOT NULL AND c.payload IS NULL THEN c.waveform_data::text END AS waveform_json,
                    t.entry_version AS deleted_version
                FROM %1$s LEFT JOIN %2$s c ON %3$s LEFT JOIN %4$s t ON %5$s
                WHERE c.id IS NOT NULL OR t.entry_version IS NOT NULL""".formatted(KEYS, name, SAME_KEY.formatted("c", "k"), TOMBSTONES, SAME_KEY.formatted("t", "k"));
    }

    /** A statement that deletes rows ({@code deleteFrom}, alias {@code c}) and leaves a tombstone of each at its version. */
    private static String deleteLeavingTombstones(String deleteFrom) {
        return """
                WITH gone AS (%1$s
                        RETURNING c.owner_kind, c.owner_id, c.file_metadata_id, c.stem_type, c.entry_version)
                INSERT INTO %2$s AS t (owner_kind, owner_id, file_metadata_id, stem_type, entry_version)
                SELECT * FROM gone""".formatted(deleteFrom, TOMBSTONES) + KEEP_HIGHEST_TOMBSTONE;
    }

    /**
     * {@code template} with {@code %1$s} replaced by the table's name and {@code %2$s} by the one owner kind
     * stemcache manages in it, so that {@code owner_kind = '%2$s'} leaves the product's rows alone.
     */
    String sql(String template) {
        return template.formatted(name, ownerKind.code());
    }

    /** The table an owner's entries live in. */
    static AnalysisCacheTable of(Owner owner) {
        return of(owner.kind());
    }

    /** The table of one kind of owner's entries. */
    static AnalysisCacheTable of(Owner.Kind kind) {
        return kind == Owner.Kind.GUEST ? GUESTS : USERS;
    }

    /** The statement that stores {@code value}: an upsert, or a deletion marker's delete, in its key's table. */
    static String statementOf(AnalysisKey key, CachedAudioAnalysis value) {
        AnalysisCacheTable table = of(key.owner());
        return value.isDeletion() ? table.deleteMarked : table.upsert;
    }

    /** Binds an entry to its {@link #statementOf statement}. */
    static void bind(PreparedStatement statement, AnalysisKey key, CachedAudioAnalysis value) throws SQLException {
        if (value.isDeletion()) {
            bindMarker(statement, key, value);
        } else {
            bindUpsert(statement, key, value);
        }
    }

    /** Binds one entry to {@link #upsert}; the payload is streamed from its array, not copied. */
    static void bindUpsert(PreparedStatement statement, AnalysisKey key, CachedAudioAnalysis value)
            throws SQLException {
        Connection connection = statement.getConnection();
        // The key's id, not the entry's: a writer sends the entry, and one carrying another row's id would fail its
        // insert for ever. An existing row keeps its id (the product's rows have ids of their own).
        statement.setObject(1, key.entryId());
        KeyColumns.bindWithUser(statement, 2, key);
        statement.setString(7, value.analysisVersion());
        statement.setInt(8, value.cacheVersion());
        statement.setLong(9, value.version());
        statement.setInt(10, value.metadata().sampleRate());
        statement.setBigDecimal(11, durationColumn(value.metadata().duration()));
        statement.setInt(12, value.metadata().bufferSize());
        statement.setArray(
                13,
                connection.createArrayOf(
                        "text", value.metadata().featuresExtracted().toArray()));
        Integer analysisMillis = millisColumn(value.metadata().analysisDuration());
        if (analysisMillis == null) {
            statement.setNull(14, Types.INTEGER);
        } else {
            statement.setInt(14, analysisMillis);
        }
        // pgjdbc's setBytes copies the array first; a ByteStreamWriter is written straight to the socket.
        statement.setObject(15, ByteStreamWriter.of(ByteBuffer.wrap(value.payload())));
        statement.setInt(16, value.size());
        statement.setLong(17, value.rawSize());
        statement.setString(18, value.precision().name());
        statement.setString(19, value.contentHash());
        statement.setObject(20, timestamp(value.createdAt()));
        statement.setObject(21, timestamp(value.updatedAt()));
    }

    /** Binds a deletion marker to {@link #deleteMarked}. */
    static void bindMarker(PreparedStatement statement, AnalysisKey key, CachedAudioAnalysis marker)
            throws SQLException {
        for (int first : new int[] {1, 6}) {
            statement.setLong(KeyColumns.bind(statement, first, key), marker.version());
        }
    }

    /** Binds the four key arrays of {@link #deleteKeys} or {@link #load}. */
    static void bindKeys(PreparedStatement statement, List<AnalysisKey> keys) throws SQLException {
        KeyColumns.bindArrays(statement, 1, keys);
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

    /** The readable {@code duration} column holds seconds as decimal(10,3). */
    private static final BigDecimal MAX_DURATION = new BigDecimal("9999999.999");

    @Override
    public String toString() {
        return name;
    }
}
