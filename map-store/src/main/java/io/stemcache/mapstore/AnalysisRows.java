package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's maintenance of stemcache's rows, beside the {@link PostgresAnalysisStore}'s reads and writes: reads
 * recorded, a file's rows deleted, an owner's keys listed, and the cleanup ({@link #tryStartCleanup}). Users' rows
 * are in {@code audio_analysis_cache}, guests' in {@code audio_analysis_guest_cache}; failures are
 * {@link AnalysisStoreException}s whose message names what failed and why.
 */
public final class AnalysisRows {

    private static final Logger log = LoggerFactory.getLogger(AnalysisRows.class);

    /** The session advisory lock key of the cleanup, which every member shares. */
    public static final long CLEANUP_LOCK_KEY = CleanupLock.KEY;

    private final DataSource dataSource;

    public AnalysisRows(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The table that holds the rows of {@code kind}'s owners, for messages. */
    public static String tableOf(Owner.Kind kind) {
        return AnalysisCacheTable.of(kind).name;
    }

    /**
     * Adds {@code reads.get(i)} to the {@code access_count} of {@code keys.get(i)}'s row and sets its
     * {@code last_accessed} to now, in one statement; the keys are all of one kind of owner. Returns the rows
     * updated (a key whose row is not written yet updates nothing).
     */
    public int recordReads(List<AnalysisKey> keys, List<Long> reads) {
        if (keys.isEmpty()) {
            return 0;
        }
        AnalysisCacheTable table = AnalysisCacheTable.of(keys.get(0).owner());
        for (AnalysisKey key : keys) {
            if (AnalysisCacheTable.of(key.owner()) != table) {
                throw new IllegalArgumentException("recordReads takes the keys of one table, got keys of " + table
                        + " and " + AnalysisCacheTable.of(key.owner()));
            }
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(table.sql(MaintenanceSql.TOUCH))) {
            int next = KeyColumns.bindArrays(update, 1, keys);
            update.setArray(next, connection.createArrayOf("bigint", reads.toArray(new Long[0])));
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new AnalysisStoreException(
                    "recording the reads of " + keys.size() + " entries in " + table + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes every owner's rows of a file from both tables in one transaction, each leaving a tombstone at its
     * {@code entry_version} (the same statement as the store's deletes): the file's entries just removed from memory
     * may still have stores of older versions queued behind, and the store refuses those a tombstone outdates.
     * Returns the rows deleted.
     */
    public int deleteRowsOfFile(UUID fileMetadataId) {
        Objects.requireNonNull(fileMetadataId, "fileMetadataId");
        try {
            return Transaction.run(dataSource, connection -> {
                Transaction.markOwnDeletes(connection);
                int rows = 0;
                for (AnalysisCacheTable table : List.of(AnalysisCacheTable.USERS, AnalysisCacheTable.GUESTS)) {
                    try (PreparedStatement delete = connection.prepareStatement(table.deleteFile)) {
                        delete.setObject(1, fileMetadataId);
                        rows += delete.executeUpdate();
                    }
                }
                return rows;
            });
        } catch (SQLException e) {
            throw new AnalysisStoreException(
                    "deleting the rows of file " + fileMetadataId + " failed: " + e.getMessage(), e);
        }
    }

    /** At most {@code limit} keys of the owner's rows, in file and stem order (the unique key's index). */
    public List<AnalysisKey> keysOf(Owner owner, int limit) {
        List<AnalysisKey> keys = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(AnalysisCacheTable.of(owner).sql(MaintenanceSql.OWNER_KEYS))) {
            select.setString(1, owner.kind().code());
            select.setString(2, owner.id());
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String stem = rows.getString(2);
                    try {
                        keys.add(new AnalysisKey(owner, rows.getObject(1, UUID.class), StemType.fromCode(stem)));
                    } catch (IllegalArgumentException e) {
                        // A row the product wrote for a stem stemcache does not know: no key can reach it.
                        log.debug("Skipping a row of {} with stem type '{}': {}", owner, stem, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw new AnalysisStoreException("listing the keys of " + owner + " failed: " + e.getMessage(), e);
        }
        return keys;
    }

    /**
     * Starts a cleanup run holding the cleanup's lock, or empty if another session (another member's run) holds
     * it; never waits. Close the run to release the lock.
     */
    public Optional<CleanupRun> tryStartCleanup() {
        return CleanupRun.tryStart(dataSource);
    }
}
