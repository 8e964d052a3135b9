package io.stemcache.node.maintenance;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.mapstore.AnalysisRows;
import io.stemcache.mapstore.AnalysisStoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts reads per key in memory and writes them to {@code last_accessed} and {@code access_count} in a
 * few batched statements, never one write per read; guests' keys go apart from users', as guests' rows
 * are in a table of their own. Recording a read is a map merge on the caller's thread (a partition
 * thread, for {@code TouchEntry}); only {@link #flush()} touches the database, through {@link AnalysisRows}.
 */
final class AccessTracker {

    private static final Logger log = LoggerFactory.getLogger(AccessTracker.class);

    /** Keys per UPDATE: one statement, one short transaction. */
    static final int KEYS_PER_STATEMENT = 1_000;

    /** Beyond this many distinct pending keys (a long database outage) new reads are dropped, not queued. */
    static final int MAX_PENDING_KEYS = 200_000;

    private final AnalysisRows rows;
    private final Map<AnalysisKey, Long> pending = new ConcurrentHashMap<>();
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong rowsUpdated = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    AccessTracker(AnalysisRows rows) {
        this.rows = rows;
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
     * Writes what was read since the last flush: guests' keys to the guest table, users' to the main
     * one, each in statements of up to {@value #KEYS_PER_STATEMENT} keys. Each key is taken out
     * atomically, so reads recorded meanwhile wait for the next flush; a batch that fails goes back to be
     * retried then. Returns the rows updated (keys whose row is not written yet update nothing).
     */
    long flush() {
        Map<Owner.Kind, Batch> batches = new EnumMap<>(Owner.Kind.class);
        long updated = 0;
        for (AnalysisKey key : pending.keySet()) {
            Long count = pending.remove(key);
            if (count == null) {
                continue;
            }
            Batch batch = batches.computeIfAbsent(key.owner().kind(), Batch::new);
            batch.add(key, count);
            if (batch.keys.size() == KEYS_PER_STATEMENT) {
                updated += write(batch);
                batch.clear();
            }
        }
        for (Batch batch : batches.values()) {
            if (!batch.keys.isEmpty()) {
                updated += write(batch);
            }
        }
        return updated;
    }

    private long write(Batch batch) {
        try {
            int updated = rows.recordReads(batch.keys, batch.reads);
            statements.incrementAndGet();
            rowsUpdated.addAndGet(updated);
            return updated;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            for (int i = 0; i < batch.keys.size(); i++) {
                add(batch.keys.get(i), batch.reads.get(i));
            }
            log.warn(
                    "Could not record the reads of {} entries in {} (kept for the next flush): {}",
                    batch.keys.size(),
                    AnalysisRows.tableOf(batch.kind),
                    e instanceof AnalysisStoreException && e.getCause() != null
                            ? e.getCause().getMessage()
                            : e.getMessage());
            return 0;
        }
    }

    /** Keys of one table (one kind of owner) and their reads, written by one UPDATE. */
    private static final class Batch {
        final Owner.Kind kind;
        final List<AnalysisKey> keys = new ArrayList<>();
        final List<Long> reads = new ArrayList<>();

        Batch(Owner.Kind kind) {
            this.kind = kind;
        }

        void add(AnalysisKey key, long count) {
            keys.add(key);
            reads.add(count);
        }

        void clear() {
            keys.clear();
            reads.clear();
        }
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
