package io.stemcache.mapstore;

/**
 * The maintenance statements on stemcache's two tables ({@link AnalysisCacheTable}) and its tombstones: reads
 * recorded, an owner's keys, and the cleanup's deletes (a file's rows are deleted by
 * {@link AnalysisCacheTable#deleteFile}). A statement that acts on either table is written once here as a template
 * and formatted for a table by {@link AnalysisCacheTable#sql}; {@code %1$s} is the table, {@code owner_kind = '%2$s'}
 * keeps the product's {@code legacy} rows out of every statement. Every delete takes its rows with {@code FOR UPDATE
 * SKIP LOCKED} in batches, so it neither waits for nor holds up a write for longer than one short transaction; reads
 * never wait (MVCC).
 */
final class MaintenanceSql {

    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?)";
    static final String UNLOCK = "SELECT pg_advisory_unlock(?)";

    /** Template: coalesced reads of one table's keys ({@link KeyColumns#bindArrays}), then each key's reads. */
    static final String TOUCH = """
            UPDATE %1$s c SET last_accessed = now(), access_count = c.access_count + k.reads
            FROM unnest({keys}, ?::bigint[]) AS k({columns}, reads)
            WHERE c.owner_kind = '%2$s' AND {sameKey}""".replace("{keys}", KeyColumns.UNNEST)
            .replace("{columns}", KeyColumns.UNNEST_COLUMNS)
            .replace("{sameKey}", KeyColumns.SAME_KEY.formatted("c", "k"));

    /** Template, served by the unique key, which leads with (owner_kind, owner_id). */
    static final String OWNER_KEYS = """
            SELECT file_metadata_id, stem_type FROM %1$s
            WHERE owner_kind = ? AND owner_id = ? ORDER BY file_metadata_id, stem_type LIMIT ?""";

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

    private static final String TABLE_BYTES =
            "SELECT coalesce(sum(" + AnalysisCacheTable.STORED_BYTES + "), 0) FROM %1$s WHERE owner_kind = '%2$s'";

    /** Stored bytes of users' and guests' rows, in one snapshot. */
    static final String TOTAL_BYTES = "SELECT (" + AnalysisCacheTable.USERS.sql(TABLE_BYTES) + ") + ("
            + AnalysisCacheTable.GUESTS.sql(TABLE_BYTES) + ")";

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
            RETURNING n.bytes""".replace("{bytes}", AnalysisCacheTable.STORED_BYTES);

    /**
     * One batch of guests' rows beyond the quota (first parameter, in bytes): per guest, newest first,
     * the rows from the one that crosses the quota on.
     */
    static final String DELETE_OVER_GUEST_QUOTA =
            AnalysisCacheTable.GUESTS.sql("""
            WITH ranked AS (
                SELECT id, sum({bytes}) OVER (PARTITION BY owner_id ORDER BY last_accessed DESC NULLS LAST, id
                                              ROWS UNBOUNDED PRECEDING) AS kept_bytes
                FROM %1$s WHERE owner_kind = '%2$s'
            ), over_quota AS (
                SELECT c.id FROM %1$s c JOIN ranked r ON r.id = c.id
                WHERE r.kept_bytes > ? LIMIT ? FOR UPDATE OF c SKIP LOCKED
            )
            DELETE FROM %1$s c USING over_quota o WHERE c.id = o.id""".replace("{bytes}", AnalysisCacheTable.STORED_BYTES));

    /**
     * One batch of tombstones older than the given seconds. A store queued for longer than that could
     * bring its deleted row back: the retention bounds how long the write-behind queue may lag.
     */
    static final String DELETE_OLD_TOMBSTONES = """
            DELETE FROM %1$s WHERE (owner_kind, owner_id, file_metadata_id, stem_type) IN (
                SELECT owner_kind, owner_id, file_metadata_id, stem_type FROM %1$s
                WHERE deleted_at < now() - make_interval(secs => ?)
                LIMIT ? FOR UPDATE SKIP LOCKED)""".formatted(AnalysisCacheTable.TOMBSTONES);

    private MaintenanceSql() {}
}
