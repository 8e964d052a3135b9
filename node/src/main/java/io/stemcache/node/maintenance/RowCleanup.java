package io.stemcache.node.maintenance;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.ops.RemoveEntry;
import io.stemcache.mapstore.AnalysisRows;
import io.stemcache.mapstore.CleanupRun;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cleanup run of PostgreSQL, under the cleanup's lock ({@link CleanupRun}) so that one member at a time runs it: expired
 * rows (users' in {@code audio_analysis_cache}, then guests' in {@code audio_analysis_guest_cache}),
 * entries and rows of older cache versions (both tables), guests over their quota, then the least
 * recently read rows over the total cap (guests' first, then users'), and last the tombstones past their
 * retention. Each step deletes in batches of its own short transaction; the statements are map-store's, the steps
 * and when to stop are here.
 *
 * <p>Only the version step touches memory. The others delete rows whose entries may still be in memory,
 * which is harmless: such an entry is stored again only if it is written again, and Hazelcast's own TTL,
 * max-idle and eviction bound what memory holds (eviction never deletes rows). So every batch is marked
 * as stemcache's own delete, which keeps it out of the row-deletion log: that log is for the product's
 * deletes, which members apply to memory, and a purge would flood it.
 */
final class RowCleanup {

    private static final Logger log = LoggerFactory.getLogger(RowCleanup.class);

    private final AnalysisRows rows;
    private final MaintenanceSettings settings;
    private final Supplier<HazelcastInstance> member;
    private final BooleanSupplier stopping;

    RowCleanup(
            AnalysisRows rows,
            MaintenanceSettings settings,
            Supplier<HazelcastInstance> member,
            BooleanSupplier stopping) {
        this.rows = rows;
        this.settings = settings;
        this.member = member;
        this.stopping = stopping;
    }

    /** Runs every step once, or nothing if another session holds the lock; never throws. */
    CleanupReport run() {
        Tally tally = new Tally(Instant.now());
        try {
            Optional<CleanupRun> started = rows.tryStartCleanup();
            if (started.isEmpty()) {
                return tally.report(Outcome.SKIPPED, null);
            }
            try (CleanupRun run = started.get()) {
                steps(run, tally);
            }
            return tally.report(Outcome.COMPLETED, null);
        } catch (RuntimeException e) {
            return tally.report(Outcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void steps(CleanupRun run, Tally tally) {
        int batch = settings.batchSize();
        inBatches(n -> tally.expiredUserRows += n, () -> run.deleteExpired(Owner.Kind.USER, settings.userTtl(), batch));
        inBatches(
                n -> tally.expiredGuestRows += n,
                () -> run.deleteExpired(Owner.Kind.GUEST, settings.guestTtl(), batch));
        tally.oldVersionEntries = removeOldVersionsFromMemory();
        for (Owner.Kind kind : List.of(Owner.Kind.USER, Owner.Kind.GUEST)) {
            inBatches(
                    n -> tally.oldVersionRows += n, () -> run.deleteOldVersions(kind, settings.cacheVersion(), batch));
        }
        if (settings.guestQuotaMb() > 0) {
            inBatches(
                    n -> tally.overGuestQuotaRows += n,
                    () -> run.deleteOverGuestQuota(settings.guestQuotaMb() << 20, batch));
        }
        if (settings.maxTotalMb() > 0) {
            underTotalCap(run, tally);
        }
        inBatches(n -> tally.oldTombstones += n, () -> run.deleteOldTombstones(settings.tombstoneRetention(), batch));
    }

    /** Runs a batched delete until a batch comes back short (or the member stops). */
    private void inBatches(LongConsumer deleted, IntSupplier oneBatch) {
        int rows;
        do {
            rows = oneBatch.getAsInt();
            deleted.accept(rows);
        } while (rows >= settings.batchSize() && !stopping.getAsBoolean());
    }

    // Guests' rows go first: guests' sessions are short-lived (a day's TTL against users' thirty), so their
    // rows are the likelier never to be read again.
    private void underTotalCap(CleanupRun run, Tally tally) {
        long excess = run.totalBytes() - (settings.maxTotalMb() << 20);
        for (Owner.Kind kind : List.of(Owner.Kind.GUEST, Owner.Kind.USER)) {
            while (excess > 0 && !stopping.getAsBoolean()) {
                CleanupRun.Deleted deleted = run.deleteLeastRecent(kind, settings.batchSize(), excess);
                excess -= deleted.bytes();
                tally.overTotalCapRows += deleted.rows();
                if (deleted.rows() == 0) {
                    break; // the table is empty, or what is left is locked by writers right now
                }
            }
        }
    }

    /**
     * Removes entries of older versions from every member's memory; their rows are deleted with them.
     * Skipped while partitions migrate (a member joining or leaving): the next run does it.
     */
    private long removeOldVersionsFromMemory() {
        HazelcastInstance instance = member.get();
        if (instance == null || !instance.getLifecycleService().isRunning()) {
            return 0;
        }
        if (!instance.getPartitionService().isClusterSafe()) {
            log.info("Cleanup leaves old-version entries in memory to the next run: partitions are migrating");
            return 0;
        }
        IMap<AnalysisKey, CachedAudioAnalysis> map = instance.getMap(settings.mapName());
        return RemoveEntry.fromEach(map, map.keySet(Predicates.lessThan("cacheVersion", settings.cacheVersion())));
    }

    /** The counts of a run in progress. */
    private static final class Tally {
        private final Instant started;
        long expiredUserRows;
        long expiredGuestRows;
        long oldVersionRows;
        long oldVersionEntries;
        long overTotalCapRows;
        long overGuestQuotaRows;
        long oldTombstones;

        Tally(Instant started) {
            this.started = started;
        }

        CleanupReport report(Outcome outcome, String failure) {
            return new CleanupReport(
                    started,
                    Instant.now(),
                    outcome,
                    expiredUserRows,
                    expiredGuestRows,
                    oldVersionRows,
                    oldVersionEntries,
                    overTotalCapRows,
                    overGuestQuotaRows,
                    oldTombstones,
                    failure);
        }
    }
}
