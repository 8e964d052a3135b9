package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.CacheStats;
import io.stemcache.core.stats.ClusterStats;
import io.stemcache.mapstore.StatisticsRows;
import java.time.Clock;
import java.time.Duration;
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
 * and the next oldest takes over when the oldest leaves. The row's SQL is map-store's {@link StatisticsRows}.
 */
final class StatsRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatsRecorder.class);

    private final HazelcastInstance member;
    private final String mapName;
    private final StatisticsRows rows;
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
        this.rows = new StatisticsRows(dataSource);
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
        } catch (RuntimeException e) {
            log.warn("Could not record cache statistics in cache_statistics: {}", e.toString());
        }
    }

    private void record(CacheStats stats) {
        rows.record(clock.instant(), member.getConfig().getClusterName(), stats);
        rowsWritten.increment();
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
