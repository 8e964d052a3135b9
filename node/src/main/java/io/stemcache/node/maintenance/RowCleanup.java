package io.stemcache.node.maintenance;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.RemoveEntry;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cleanup run of PostgreSQL, under {@link CleanupLock} so that one member at a time runs it: expired
 * rows (users' in {@code audio_analysis_cache}, then guests' in {@code audio_analysis_guest_cache}),
 * entries and rows of older cache versions (both tables), guests over their quota, then the least
 * recently read rows over the total cap (guests' first, then users'), and last the tombstones past their
 * retention. Each step deletes in batches of its own short transaction.
 *
 * <p>Only the version step touches memory. The others delete rows whose entries may still be in memory,
 * which is harmless: such an entry is stored again only if it is written again, and Hazelcast's own TTL,
 * max-idle and eviction bound what memory holds (eviction never deletes rows). So every batch is marked
 * as stemcache's own delete, which keeps it out of the row-deletion log: that log is for the product's
 * deletes, which members apply to memory, and a purge would flood it.
 */
final class RowCleanup {

    private static final Logger log = LoggerFactory.getLogger(RowCleanup.class);

    private final DataSource dataSource;
    private final MaintenanceSettings settings;
    private final Supplier<HazelcastInstance> member;
    private final BooleanSupplier stopping;

    RowCleanup(DataSource dataSource, MaintenanceSettings settings, Supplier<HazelcastInstance> member,
               BooleanSupplier stopping) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.member = member;
        this.stopping = stopping;
    }

    /** Runs every step once, or nothing if another session holds the lock; never throws. */
    CleanupReport run() {
        Tally tally = new Tally(Instant.now());
        try (Connection connection = dataSource.getConnection()) {
            if (!CleanupLock.tryAcquire(connection)) {
                return tally.report(Outcome.SKIPPED, null);
            }
            try {
                connection.setAutoCommit(false);
                steps(connection, tally);
            } finally {
                CleanupLock.release(dataSource, connection);
            }
            return tally.report(Outcome.COMPLETED, null);
        } catch (SQLException | RuntimeException e) {
            return tally.report(Outcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void steps(Connection connection, Tally tally) throws SQLException {
        long batch = settings.batchSize();
        inBatches(connection, CacheTable.USERS.sql(CacheTableSql.DELETE_EXPIRED), n -> tally.expiredUserRows += n,
                seconds(settings.userTtl()), batch);
        inBatches(connection, CacheTable.GUESTS.sql(CacheTableSql.DELETE_EXPIRED), n -> tally.expiredGuestRows += n,
                seconds(settings.guestTtl()), batch);
        tally.oldVersionEntries = removeOldVersionsFromMemory();
        for (CacheTable table : CacheTable.values()) {
            inBatches(connection, table.sql(CacheTableSql.DELETE_OLD_VERSIONS), n -> tally.oldVersionRows += n,
                    settings.cacheVersion(), batch);
        }
        if (settings.guestQuotaMb() > 0) {
            inBatches(connection, CacheTableSql.DELETE_OVER_GUEST_QUOTA, n -> tally.overGuestQuotaRows += n,
                    settings.guestQuotaMb() << 20, batch);
        }
        if (settings.maxTotalMb() > 0) {
            underTotalCap(connection, tally);
        }
        inBatches(connection, CacheTableSql.DELETE_OLD_TOMBSTONES, n -> tally.oldTombstones += n,
                seconds(settings.tombstoneRetention()), batch);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Runs a batched delete until a batch comes back short (or the member stops); commits each batch. */
    private void inBatches(Connection connection, String sql, LongConsumer deleted, Object... parameters)
            throws SQLException {
        try (Statement own = connection.createStatement(); PreparedStatement delete = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                delete.setObject(i + 1, parameters[i]);
            }
            int rows;
            do {
                own.execute(CacheTableSql.OWN_DELETE);
                rows = delete.executeUpdate();
                connection.commit();
                deleted.accept(rows);
            } while (rows >= settings.batchSize() && !stopping.getAsBoolean());
        }
    }

    // Guests' rows go first: guests' sessions are short-lived (a day's TTL against users' thirty), so their
    // rows are the likelier never to be read again.
    private void underTotalCap(Connection connection, Tally tally) throws SQLException {
        long excess;
        try (PreparedStatement total = connection.prepareStatement(CacheTableSql.TOTAL_BYTES);
             ResultSet result = total.executeQuery()) {
            result.next();
            excess = result.getLong(1) - (settings.maxTotalMb() << 20);
        }
        connection.commit();
        for (CacheTable table : List.of(CacheTable.GUESTS, CacheTable.USERS)) {
            excess = leastRecentUntilCovered(connection, table, excess, tally);
        }
    }

    /** Deletes the table's least recently read rows until they cover {@code excess}; returns what is left of it. */
    private long leastRecentUntilCovered(Connection connection, CacheTable table, long excess, Tally tally)
            throws SQLException {
        try (Statement own = connection.createStatement();
             PreparedStatement delete = connection.prepareStatement(table.sql(CacheTableSql.DELETE_LEAST_RECENT))) {
            while (excess > 0 && !stopping.getAsBoolean()) {
                own.execute(CacheTableSql.OWN_DELETE);
                delete.setInt(1, settings.batchSize());
                delete.setLong(2, excess);
                long rows = 0;
                try (ResultSet deleted = delete.executeQuery()) {
                    while (deleted.next()) {
                        rows++;
                        excess -= deleted.getLong(1);
                    }
                }
                connection.commit();
                tally.overTotalCapRows += rows;
                if (rows == 0) {
                    break;   // the table is empty, or what is left is locked by writers right now
                }
            }
        }
        return excess;
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
            return new CleanupReport(started, Instant.now(), outcome, expiredUserRows, expiredGuestRows,
                    oldVersionRows, oldVersionEntries, overTotalCapRows, overGuestQuotaRows, oldTombstones, failure);
        }
    }
}
