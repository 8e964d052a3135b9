package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.CacheStats;
import io.stemcache.core.stats.ClusterStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the cluster's statistics to {@code cache_statistics} every interval. Every member schedules it;
 * only the oldest member writes, so the cluster writes one row per interval however many members it has,
 * and the next oldest takes over when the oldest leaves.
 */
final class StatsRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatsRecorder.class);

    private static final String INSERT = "INSERT INTO cache_statistics (recorded_at, cluster_name, entries,"
            + " stored_bytes, raw_bytes, hits, misses, puts, removals, evictions, expirations, write_behind_backlog,"
            + " store_failures, last_cleanup) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final HazelcastInstance member;
    private final String mapName;
    private final DataSource dataSource;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final LongAdder rowsWritten = new LongAdder();

    private StatsRecorder(
            HazelcastInstance member, String mapName, DataSource dataSource, Duration interval, Clock clock) {
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "stemcache.stats.persist-interval must be at least 1ms, got " + interval);
        }
        this.member = member;
        this.mapName = mapName;
        this.dataSource = dataSource;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stemcache-stats-recorder");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::recordIfOldest, millis, millis, TimeUnit.MILLISECONDS);
    }

    static StatsRecorder start(HazelcastInstance member, String mapName, DataSource dataSource, Duration interval) {
        return new StatsRecorder(member, mapName, dataSource, interval, Clock.systemUTC());
    }

    /** Writes a row if this member is the oldest in the cluster; failures are logged, the next interval retries. */
    void recordIfOldest() {
        try {
            if (member.getLifecycleService().isRunning()
                    && member.getCluster().getMembers().iterator().next().localMember()) {
                record(ClusterStats.read(member, mapName));
            }
        } catch (RuntimeException | SQLException e) {
            log.warn("Could not record cache statistics in cache_statistics: {}", e.toString());
        }
    }

    private void record(CacheStats stats) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            insert.setString(2, member.getConfig().getClusterName());
            insert.setLong(3, stats.entries());
            insert.setLong(4, stats.storedBytes());
            insert.setLong(5, stats.rawBytes());
            insert.setLong(6, stats.hits());
            insert.setLong(7, stats.misses());
            insert.setLong(8, stats.puts());
            insert.setLong(9, stats.removals());
            insert.setLong(10, stats.evictions());
            insert.setLong(11, stats.expirations());
            insert.setLong(12, stats.writeBehindBacklog());
            insert.setLong(13, stats.storeFailures());
            Instant lastCleanup = stats.lastCleanup();
            if (lastCleanup == null) {
                insert.setNull(14, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                insert.setObject(14, OffsetDateTime.ofInstant(lastCleanup, ZoneOffset.UTC));
            }
            insert.executeUpdate();
            rowsWritten.increment();
        }
    }

    /** Rows this member wrote. */
    long rowsWritten() {
        return rowsWritten.sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
