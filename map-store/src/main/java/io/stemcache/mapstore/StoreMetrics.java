package io.stemcache.mapstore;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link PostgresAnalysisStore} since it was made: write batches, rows written or
 * skipped, deletes, loads and rows that could not be read. Thread-safe; read them any time.
 */
public final class StoreMetrics {

    /** How many recent batch sizes {@link #batchSizes()} keeps. */
    public static final int BATCH_SIZE_HISTORY = 64;

    private final LongAdder storeBatches = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();
    private final LongAdder rowsStored = new LongAdder();
    private final LongAdder rowsSkippedAsOlder = new LongAdder();
    private final LongAdder entriesRejected = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder quarantined = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadQueries = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final AtomicInteger lastBatchSize = new AtomicInteger();
    private final AtomicInteger maxBatchSize = new AtomicInteger();
    private final ArrayDeque<Integer> recentBatchSizes = new ArrayDeque<>(BATCH_SIZE_HISTORY);

    StoreMetrics() {}

    /** {@code storeAll} calls that committed. */
    public long storeBatches() {
        return storeBatches.sum();
    }

    /** {@code storeAll} calls that threw (Hazelcast retries them). */
    public long storeFailures() {
        return storeFailures.sum();
    }

    /**
     * Rows inserted or updated. With pgjdbc's {@code reWriteBatchedInserts} on, the driver folds rows into
     * multi-row statements and reports no per-row counts for a statement that wrote anything: its skipped
     * rows then count here, not in {@link #rowsSkippedAsOlder()}.
     */
    public long rowsStored() {
        return rowsStored.sum();
    }

    /** Rows left alone because the table already held a newer value (a late or replayed write). */
    public long rowsSkippedAsOlder() {
        return rowsSkippedAsOlder.sum();
    }

    /** Entries not written because the value belongs to another file or stem than its key. */
    public long entriesRejected() {
        return entriesRejected.sum();
    }

    /** Entries PostgreSQL refused for good, set aside in {@code audio_analysis_dead_letter} instead of stored. */
    public long deadLettered() {
        return deadLettered.sum();
    }

    /** Rows deleted. */
    /** Unreadable rows a load moved to the dead-letter table for inspection. */
    public long quarantined() {
        return quarantined.sum();
    }

    public long deletes() {
        return deletes.sum();
    }

    /** Entries loaded and handed to Hazelcast. */
    public long loads() {
        return loads.sum();
    }

    /** Queries that loaded entries: one per chunk of keys, however many keys it asked for. */
    public long loadQueries() {
        return loadQueries.sum();
    }

    /** Rows found but not readable (corrupt payload or JSON); they are left in the table and read as misses. */
    public long loadFailures() {
        return loadFailures.sum();
    }

    /** Entries in the most recent committed {@code storeAll}. */
    public int lastBatchSize() {
        return lastBatchSize.get();
    }

    /** Entries in the largest committed {@code storeAll}. */
    public int maxBatchSize() {
        return maxBatchSize.get();
    }

    /** Sizes of the last {@value #BATCH_SIZE_HISTORY} committed batches, oldest first. */
    public List<Integer> batchSizes() {
        synchronized (recentBatchSizes) {
            return List.copyOf(recentBatchSizes);
        }
    }

    void batchStored(int size, int stored, int skipped, int rejected) {
        storeBatches.increment();
        rowsStored.add(stored);
        rowsSkippedAsOlder.add(skipped);
        entriesRejected.add(rejected);
        lastBatchSize.set(size);
        maxBatchSize.accumulateAndGet(size, Math::max);
        synchronized (recentBatchSizes) {
            if (recentBatchSizes.size() == BATCH_SIZE_HISTORY) {
                recentBatchSizes.removeFirst();
            }
            recentBatchSizes.addLast(size);
        }
    }

    void quarantined(int rows) {
        quarantined.add(rows);
    }

    void deadLettered(int entries) {
        deadLettered.add(entries);
    }

    void storeFailed() {
        storeFailures.increment();
    }

    void deleted(long rows) {
        deletes.add(rows);
    }

    void loaded(int entries, int failures) {
        loadQueries.increment();
        loads.add(entries);
        loadFailures.add(failures);
    }

    @Override
    public String toString() {
        return "StoreMetrics[storeBatches=" + storeBatches() + ", storeFailures=" + storeFailures()
                + ", rowsStored=" + rowsStored() + ", rowsSkippedAsOlder=" + rowsSkippedAsOlder()
                + ", entriesRejected=" + entriesRejected() + ", deadLettered=" + deadLettered() + ", deletes="
                + deletes() + ", loads=" + loads()
                + ", loadFailures=" + loadFailures() + ", lastBatchSize=" + lastBatchSize()
                + ", maxBatchSize=" + maxBatchSize() + "]";
    }
}
