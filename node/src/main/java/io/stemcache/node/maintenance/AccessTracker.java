package io.stemcache.node.maintenance;

import io.stemcache.core.AnalysisKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts reads per key in memory and writes them to {@code last_accessed} and {@code access_count} in a
 * few batched statements, never one write per read. Recording a read is a map merge on the caller's
 * thread (a partition thread, for {@code TouchEntry}); only {@link #flush()} touches the database.
 */
final class AccessTracker {

    private static final Logger log = LoggerFactory.getLogger(AccessTracker.class);

    /** Keys per UPDATE: one statement, one short transaction. */
    static final int KEYS_PER_STATEMENT = 1_000;

    /** Beyond this many distinct pending keys (a long database outage) new reads are dropped, not queued. */
    static final int MAX_PENDING_KEYS = 200_000;

    private final DataSource dataSource;
    private final Map<AnalysisKey, Long> pending = new ConcurrentHashMap<>();
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong rowsUpdated = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    AccessTracker(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void touched(Collection<AnalysisKey> keys) {
        for (AnalysisKey key : keys) {
            add(key, 1);
        }
    }

    private void add(AnalysisKey key, long reads) {
        if (pending.size() >= MAX_PENDING_KEYS && !pending.containsKey(key)) {
            dropped.addAndGet(reads);
            return;
        }
        pending.merge(key, reads, Long::sum);
    }

    int pendingKeys() {
        return pending.size();
    }

    /**
     * Writes what was read since the last flush. Each key is taken out atomically, so reads recorded
     * meanwhile wait for the next flush; a batch that fails goes back to be retried then. Returns the
     * rows updated (keys whose row is not written yet update nothing).
     */
    long flush() {
        List<AnalysisKey> keys = new ArrayList<>(KEYS_PER_STATEMENT);
        List<Long> reads = new ArrayList<>(KEYS_PER_STATEMENT);
        long updated = 0;
        for (AnalysisKey key : pending.keySet()) {
            Long count = pending.remove(key);
            if (count == null) {
                continue;
            }
            keys.add(key);
            reads.add(count);
            if (keys.size() == KEYS_PER_STATEMENT) {
                updated += write(keys, reads);
                keys.clear();
                reads.clear();
            }
        }
        if (!keys.isEmpty()) {
            updated += write(keys, reads);
        }
        return updated;
    }

    private long write(List<AnalysisKey> keys, List<Long> reads) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(CacheTableSql.TOUCH)) {
            bind(connection, update, keys, reads);
            int rows = update.executeUpdate();
            statements.incrementAndGet();
            rowsUpdated.addAndGet(rows);
            return rows;
        } catch (SQLException | RuntimeException e) {
            failures.incrementAndGet();
            for (int i = 0; i < keys.size(); i++) {
                add(keys.get(i), reads.get(i));
            }
            log.warn("Could not record the reads of {} entries in PostgreSQL (kept for the next flush): {}",
                    keys.size(), e.getMessage());
            return 0;
        }
    }

    private static void bind(Connection connection, PreparedStatement update, List<AnalysisKey> keys,
                             List<Long> reads) throws SQLException {
        int size = keys.size();
        String[] kinds = new String[size];
        String[] owners = new String[size];
        UUID[] files = new UUID[size];
        String[] stems = new String[size];
        Long[] counts = reads.toArray(new Long[0]);
        for (int i = 0; i < size; i++) {
            AnalysisKey key = keys.get(i);
            kinds[i] = key.owner().kind().code();
            owners[i] = key.owner().id();
            files[i] = key.fileMetadataId();
            stems[i] = key.stemType().code();
        }
        update.setArray(1, connection.createArrayOf("varchar", kinds));
        update.setArray(2, connection.createArrayOf("varchar", owners));
        update.setArray(3, connection.createArrayOf("uuid", files));
        update.setArray(4, connection.createArrayOf("varchar", stems));
        update.setArray(5, connection.createArrayOf("bigint", counts));
    }

    /** UPDATE statements executed (successfully) since the member started. */
    long statements() {
        return statements.get();
    }

    long rowsUpdated() {
        return rowsUpdated.get();
    }

    long failures() {
        return failures.get();
    }

    /** Reads not recorded because too many keys were pending. */
    long dropped() {
        return dropped.get();
    }
}
