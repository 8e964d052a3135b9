package io.stemcache.node.maintenance;

/**
 * The maintenance statements on stemcache's two tables ({@link CacheTable}) and its tombstones. A
 * statement that acts on either table is written once here as a template and formatted for a table by
 * {@link CacheTable#sql}; {@code %1$s} is the table, {@code owner_kind = '%2$s'} keeps the product's
 * {@code legacy} rows out of every statement. Every delete takes its rows with {@code FOR UPDATE SKIP
 * LOCKED} in batches, so it neither waits for nor holds up a write for longer than one short
 * transaction; reads never wait (MVCC).
 */
final class CacheTableSql {

    /** Session advisory lock key of the cleanup: "stemclea" in ASCII, shared by every member. */
    static final long CLEANUP_LOCK_KEY = 0x7374656d636c6561L;

    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?)";
    static final String UNLOCK = "SELECT pg_advisory_unlock(?)";

    /** Template: coalesced reads of one table's keys, each key with its number of reads. */
    static final String TOUCH = """
            UPDATE %1$s c SET last_accessed = now(), access_count = c.access_count + k.reads
            FROM unnest(?::varchar[], ?::uuid[], ?::varchar[], ?::bigint[])
                AS k(owner_id, file_metadata_id, stem_type, reads)
            WHERE c.owner_kind = '%2$s' AND c.owner_id = k.owner_id
              AND c.file_metadata_id = k.file_metadata_id AND c.stem_type = k.stem_type""";

    /** Template, served by the unique key, which leads with (owner_kind, owner_id). */
    static final String OWNER_KEYS = """
            SELECT file_metadata_id, stem_type FROM %1$s
            WHERE owner_kind = ? AND owner_id = ? ORDER BY file_metadata_id, stem_type LIMIT ?""";

    /** Template of one table's part of {@link #DELETE_FILE}, served by the table's file_metadata_id index. */
    private static final String FILE_ROWS_GONE = """
            gone_%2$s AS (
                DELETE FROM %1$s WHERE file_metadata_id = ? AND owner_kind = '%2$s'
                RETURNING owner_kind, owner_id, file_metadata_id, stem_type, entry_version
            )""";

    /**
     * Needs {@link #OWN_DELETE} first, in the same transaction. Deletes a file's rows from both tables
     * (the file's id twice) and leaves a tombstone of each at the version it had, so a store of an older
     * version still queued behind cannot bring the row back; its update count is the rows deleted.
     */
    static final String DELETE_FILE = """
            WITH %s, %s, gone AS (
                SELECT * FROM gone_user UNION ALL SELECT * FROM gone_guest
            )
            INSERT INTO audio_analysis_tombstone (owner_kind, owner_id, file_metadata_id, stem_type, entry_version)
            SELECT owner_kind, owner_id, file_metadata_id, stem_type, entry_version FROM gone
            ON CONFLICT (owner_kind, owner_id, file_metadata_id, stem_type) DO UPDATE
            SET entry_version = GREATEST(audio_analysis_tombstone.entry_version, EXCLUDED.entry_version),
                deleted_at = now()""".formatted(CacheTable.USERS.sql(FILE_ROWS_GONE),
            CacheTable.GUESTS.sql(FILE_ROWS_GONE));

    /**
     * Marks the transaction's deletes as stemcache's own, which the row-deletion log of
     * audio_analysis_cache ({@code audio_analysis_deleted_row}) skips; a schema without that trigger
     * ignores the setting.
     */
    static final String OWN_DELETE = "SET LOCAL stemcache.own_delete = 'on'";

    /** Stored bytes of a row; rows the product wrote as JSON count their jsonb size (without detoasting). */
    private static final String BYTES = "coalesce(size, octet_length(payload),"
            + " coalesce(pg_column_size(analysis_data), 0) + coalesce(pg_column_size(waveform_data), 0))";

    /** Template: one batch of rows not read for the given seconds (the table's last_accessed index). */
    static final String DELETE_EXPIRED = """
            DELETE FROM %1$s WHERE id IN (
                SELECT id FROM %1$s
                WHERE owner_kind = '%2$s' AND last_accessed < now() - make_interval(secs => ?)
                LIMIT ? FOR UPDATE SKIP LOCKED)""";

    /** Template: one batch of rows of older cache versions (the table's cache_version index). */
    static final String DELETE_OLD_VERSIONS = """
            DELETE FROM %1$s WHERE id IN (
                SELECT id FROM %1$s
                WHERE cache_version < ? AND owner_kind = '%2$s'
                LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private static final String TABLE_BYTES = "SELECT coalesce(sum(" + BYTES + "), 0) FROM %1$s"
            + " WHERE owner_kind = '%2$s'";

    /** Stored bytes of users' and guests' rows, in one snapshot. */
    static final String TOTAL_BYTES = "SELECT (" + CacheTable.USERS.sql(TABLE_BYTES) + ") + ("
            + CacheTable.GUESTS.sql(TABLE_BYTES) + ")";

    /**
     * Template: one batch of the least recently read rows, only as many as bring the excess (second
     * parameter, in bytes) to zero: a row goes when the rows read before it do not yet cover the excess.
     */
    static final String DELETE_LEAST_RECENT = """
            WITH candidate AS (
                SELECT id, last_accessed, {bytes} AS bytes FROM %1$s
                WHERE owner_kind = '%2$s'
                ORDER BY last_accessed LIMIT ? FOR UPDATE SKIP LOCKED
            ), needed AS (
                SELECT id, bytes,
                    sum(bytes) OVER (ORDER BY last_accessed, id ROWS UNBOUNDED PRECEDING) - bytes AS covered_before
                FROM candidate
            )
            DELETE FROM %1$s c USING needed n
            WHERE c.id = n.id AND n.covered_before < ?
            RETURNING n.bytes""".replace("{bytes}", BYTES);

    /**
     * One batch of guests' rows beyond the quota (second parameter, in bytes): per guest, newest first,
     * the rows from the one that crosses the quota on.
     */
    static final String DELETE_OVER_GUEST_QUOTA = CacheTable.GUESTS.sql("""
            WITH ranked AS (
                SELECT id, sum({bytes}) OVER (PARTITION BY owner_id ORDER BY last_accessed DESC NULLS LAST, id
                                              ROWS UNBOUNDED PRECEDING) AS kept_bytes
                FROM %1$s WHERE owner_kind = '%2$s'
            ), over_quota AS (
                SELECT c.id FROM %1$s c JOIN ranked r ON r.id = c.id
                WHERE r.kept_bytes > ? LIMIT ? FOR UPDATE OF c SKIP LOCKED
            )
            DELETE FROM %1$s c USING over_quota o WHERE c.id = o.id""".replace("{bytes}", BYTES));

    /**
     * One batch of tombstones older than the given seconds. A store queued for longer than that could
     * bring its deleted row back: the retention bounds how long the write-behind queue may lag.
     */
    static final String DELETE_OLD_TOMBSTONES = """
            DELETE FROM audio_analysis_tombstone WHERE (owner_kind, owner_id, file_metadata_id, stem_type) IN (
                SELECT owner_kind, owner_id, file_metadata_id, stem_type FROM audio_analysis_tombstone
                WHERE deleted_at < now() - make_interval(secs => ?)
                LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private CacheTableSql() {
    }
}
