package io.stemcache.node.maintenance;

/**
 * The maintenance statements on {@code audio_analysis_cache}. Every statement leaves the product's
 * {@code legacy} rows alone, and every delete takes its rows with {@code FOR UPDATE SKIP LOCKED} in
 * batches, so it neither waits for nor holds up a write for longer than one short transaction; reads
 * never wait (MVCC).
 */
final class CacheTableSql {

    /** Session advisory lock key of the cleanup: "stemclea" in ASCII, shared by every member. */
    static final long CLEANUP_LOCK_KEY = 0x7374656d636c6561L;

    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?)";
    static final String UNLOCK = "SELECT pg_advisory_unlock(?)";

    /** Coalesced reads: one statement per batch of keys, each key with its number of reads. */
    static final String TOUCH = """
            UPDATE audio_analysis_cache c SET last_accessed = now(), access_count = c.access_count + k.reads
            FROM unnest(?::varchar[], ?::varchar[], ?::uuid[], ?::varchar[], ?::bigint[])
                AS k(owner_kind, owner_id, file_metadata_id, stem_type, reads)
            WHERE c.owner_kind = k.owner_kind AND c.owner_id = k.owner_id
              AND c.file_metadata_id = k.file_metadata_id AND c.stem_type = k.stem_type""";

    /** Served by idx_audio_analysis_cache_file. */
    static final String DELETE_FILE = """
            DELETE FROM audio_analysis_cache WHERE file_metadata_id = ? AND owner_kind IN ('user', 'guest')""";

    /** Served by the unique key, which leads with (owner_kind, owner_id). */
    static final String OWNER_KEYS = """
            SELECT file_metadata_id, stem_type FROM audio_analysis_cache
            WHERE owner_kind = ? AND owner_id = ? ORDER BY file_metadata_id, stem_type LIMIT ?""";

    /** Stored bytes of a row; rows the product wrote as JSON count their jsonb size (without detoasting). */
    private static final String BYTES = "coalesce(size, octet_length(payload),"
            + " coalesce(pg_column_size(analysis_data), 0) + coalesce(pg_column_size(waveform_data), 0))";

    /** One batch of an owner kind's rows not read for the given seconds (idx_audio_analysis_cache_last_accessed). */
    static final String DELETE_EXPIRED = """
            DELETE FROM audio_analysis_cache WHERE id IN (
                SELECT id FROM audio_analysis_cache
                WHERE owner_kind = ? AND last_accessed < now() - make_interval(secs => ?)
                LIMIT ? FOR UPDATE SKIP LOCKED)""";

    /** One batch of rows of older cache versions (idx_audio_analysis_cache_cache_version). */
    static final String DELETE_OLD_VERSIONS = """
            DELETE FROM audio_analysis_cache WHERE id IN (
                SELECT id FROM audio_analysis_cache
                WHERE cache_version < ? AND owner_kind IN ('user', 'guest')
                LIMIT ? FOR UPDATE SKIP LOCKED)""";

    static final String TOTAL_BYTES = "SELECT coalesce(sum(" + BYTES + "), 0) FROM audio_analysis_cache"
            + " WHERE owner_kind IN ('user', 'guest')";

    /**
     * One batch of the least recently read rows, only as many as bring the excess (second parameter, in
     * bytes) to zero: a row goes when the rows read before it do not yet cover the excess.
     */
    static final String DELETE_LEAST_RECENT = """
            WITH candidate AS (
                SELECT id, last_accessed, %s AS bytes FROM audio_analysis_cache
                WHERE owner_kind IN ('user', 'guest')
                ORDER BY last_accessed LIMIT ? FOR UPDATE SKIP LOCKED
            ), needed AS (
                SELECT id, bytes,
                    sum(bytes) OVER (ORDER BY last_accessed, id ROWS UNBOUNDED PRECEDING) - bytes AS covered_before
                FROM candidate
            )
            DELETE FROM audio_analysis_cache c USING needed n
            WHERE c.id = n.id AND n.covered_before < ?
            RETURNING n.bytes""".formatted(BYTES);

    /**
     * One batch of guests' rows beyond the quota (second parameter, in bytes): per guest, newest first,
     * the rows from the one that crosses the quota on.
     */
    static final String DELETE_OVER_GUEST_QUOTA = """
            WITH ranked AS (
                SELECT id, sum(%s) OVER (PARTITION BY owner_id ORDER BY last_accessed DESC NULLS LAST, id
                                         ROWS UNBOUNDED PRECEDING) AS kept_bytes
                FROM audio_analysis_cache WHERE owner_kind = 'guest'
            ), over_quota AS (
                SELECT c.id FROM audio_analysis_cache c JOIN ranked r ON r.id = c.id
                WHERE r.kept_bytes > ? LIMIT ? FOR UPDATE OF c SKIP LOCKED
            )
            DELETE FROM audio_analysis_cache c USING over_quota o WHERE c.id = o.id""".formatted(BYTES);

    private CacheTableSql() {
    }
}
