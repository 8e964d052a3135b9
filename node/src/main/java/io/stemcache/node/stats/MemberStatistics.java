package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.node.maintenance.CleanupReport;
import io.stemcache.node.maintenance.PostgresMemberServices;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The statistics a node runs beside its member (see {@code StatsConfiguration}), for a member embedded without the
 * node's Spring application: its counters published for {@link io.stemcache.core.stats.ClusterStats} every
 * {@code publishInterval}, and the {@code cache_statistics} row the oldest member writes every
 * {@code persistInterval}. Close it before the member stops.
 */
public final class MemberStatistics implements AutoCloseable {

    private final MemberStats stats;
    private final StatsRecorder recorder;

    private MemberStatistics(MemberStats stats, StatsRecorder recorder) {
        this.stats = stats;
        this.recorder = recorder;
    }

    /** Starts both for a running member whose store and services are {@code store} and {@code services}. */
    public static MemberStatistics start(
            HazelcastInstance member,
            String mapName,
            PostgresAnalysisStore store,
            PostgresMemberServices services,
            DataSource dataSource,
            Duration publishInterval,
            Duration persistInterval) {
        MemberStats stats = MemberStats.start(
                member, mapName, store.metrics()::storeFailures, lastCompletedCleanup(services), publishInterval);
        try {
            return new MemberStatistics(stats, StatsRecorder.start(member, mapName, dataSource, persistInterval));
        } catch (RuntimeException e) {
            stats.close();
            throw e;
        }
    }

    /** When the member's cleanup last completed; a failed run is not a cleanup, so the completed one before it counts. */
    static Supplier<Instant> lastCompletedCleanup(PostgresMemberServices services) {
        return () -> services.lastCleanup()
                .filter(report -> report.outcome() == CleanupReport.Outcome.COMPLETED)
                .map(CleanupReport::finishedAt)
                .orElse(null);
    }

    @Override
    public void close() {
        try {
            recorder.close();
        } finally {
            stats.close();
        }
    }
}
