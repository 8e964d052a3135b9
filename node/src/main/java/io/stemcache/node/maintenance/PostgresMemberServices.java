package io.stemcache.node.maintenance;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.core.ops.MemberServices;
import io.stemcache.core.ops.RecordedStats;
import io.stemcache.core.ops.StatsHistory;
import io.stemcache.mapstore.AnalysisRows;
import io.stemcache.mapstore.AnalysisStoreException;
import io.stemcache.mapstore.StatisticsRows;
import io.stemcache.node.maintenance.CleanupReport.Outcome;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MemberServices} of a stemcache member, over its PostgreSQL tables (users' rows in
 * {@code audio_analysis_cache}, guests' in {@code audio_analysis_guest_cache}): reads are coalesced and
 * written in batches, a file's rows and an owner's keys are found by index, and the cleanup runs on a
 * schedule and on request. One instance per member: {@link #registerIn} puts it in the member's
 * configuration, and the member starts and stops it.
 *
 * <p>A failure of PostgreSQL arrives from map-store as its one exception type, {@link AnalysisStoreException}, and
 * leaves these services as an IllegalStateException with the same message ({@link #forOperations}): the services
 * are called by operations whose failures travel to clients and to other members, and Hazelcast's client protocol
 * keeps the plain message only of the JDK's and its own exceptions (a client reads any other as "Class name:
 * io.stemcache.mapstore.AnalysisStoreException, Message: ..."), while the Java deserialization filter admits the
 * JDK's.
 */
public final class PostgresMemberServices implements MemberServices, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresMemberServices.class);

    /** Most keys {@link #keysOf} returns in one call. */
    public static final int MAX_KEYS = 100_000;

    private final MaintenanceSettings settings;
    private final AccessTracker access;
    private final AnalysisRows rows;
    private final StatisticsRows statisticsRows;
    private final RowCleanup cleanup;
    private final MaintenanceSchedule schedule;
    private final CleanupHistory history = new CleanupHistory();
    private final AtomicReference<HazelcastInstance> member = new AtomicReference<>();

    /** Services over {@code dataSource}; throws IllegalArgumentException naming a wrong setting. */
    public PostgresMemberServices(DataSource dataSource, MaintenanceSettings settings) {
        Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings").validate();
        this.rows = new AnalysisRows(dataSource);
        this.access = new AccessTracker(rows);
        this.statisticsRows = new StatisticsRows(dataSource);
        this.schedule = new MaintenanceSchedule(settings, access, this::scheduledCleanup);
        this.cleanup = new RowCleanup(rows, settings, member::get, schedule::stopping);
    }

    /**
     * Registers these services in a member's configuration: in its user context, where operations find
     * them, and as a lifecycle listener that starts the schedule with the member and, when it shuts down,
     * stops it and writes the reads still pending.
     */
    public Config registerIn(Config config) {
        Object previous = config.getUserContext().putIfAbsent(USER_CONTEXT_KEY, this);
        if (previous != null && previous != this) {
            throw new IllegalStateException("this Hazelcast config already has MemberServices under " + USER_CONTEXT_KEY
                    + "; every member needs its own PostgresMemberServices");
        }
        if (previous == null) {
            config.addListenerConfig(new ListenerConfig(new Lifecycle()));
        }
        return config;
    }

    public MaintenanceSettings settings() {
        return settings;
    }

    @Override
    public String mapName() {
        return settings.mapName();
    }

    @Override
    public void touched(Collection<AnalysisKey> keys) {
        access.touched(keys);
    }

    /**
     * Deletes the file's rows from both tables, leaving tombstones; returns the rows deleted. Throws
     * IllegalStateException naming the file when PostgreSQL fails.
     */
    @Override
    public int deleteRowsOfFile(UUID fileMetadataId) {
        Objects.requireNonNull(fileMetadataId, "fileMetadataId");
        try {
            int deleted = rows.deleteRowsOfFile(fileMetadataId);
            log.debug("Deleted the {} rows of file {} (every owner)", deleted, fileMetadataId);
            return deleted;
        } catch (AnalysisStoreException e) {
            throw forOperations(e);
        }
    }

    /** The file's keys whose writes wait in this member's write-behind queues (see {@link QueuedKeys}). */
    @Override
    public Set<AnalysisKey> queuedKeysOfFile(UUID fileMetadataId) {
        HazelcastInstance instance = member.get();
        if (instance == null) {
            throw new IllegalStateException("these member services are not attached to a running member");
        }
        return QueuedKeys.ofFile(instance, settings.mapName(), fileMetadataId);
    }

    /**
     * Keys in file and stem order, from the guest table for a guest and the main table for a user; throws
     * IllegalArgumentException unless 1 <= limit <= {@value #MAX_KEYS}.
     */
    @Override
    public List<AnalysisKey> keysOf(Owner owner, int limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1 || limit > MAX_KEYS) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_KEYS + ", got " + limit);
        }
        try {
            return rows.keysOf(owner, limit);
        } catch (AnalysisStoreException e) {
            throw forOperations(e);
        }
    }

    /** Runs the cleanup now; 0 if another member's run holds the lock. */
    @Override
    public long cleanupNow() {
        CleanupReport report = runCleanup();
        if (report.outcome() == Outcome.FAILED) {
            throw new IllegalStateException("cleanup failed: " + report.failure());
        }
        return report.deletedRows();
    }

    /**
     * The latest rows of this member's cluster (its {@code cluster_name}) in {@code cache_statistics}, oldest first;
     * throws IllegalArgumentException unless 1 <= limit <= {@value StatsHistory#MAX_ROWS}.
     */
    @Override
    public List<RecordedStats> statsHistory(int limit) {
        if (limit < 1 || limit > StatsHistory.MAX_ROWS) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + StatsHistory.MAX_ROWS + " rows, got " + limit);
        }
        HazelcastInstance instance = member.get();
        if (instance == null) {
            throw new IllegalStateException("these member services are not attached to a running member");
        }
        try {
            return statisticsRows.latest(instance.getConfig().getClusterName(), limit);
        } catch (AnalysisStoreException e) {
            throw forOperations(e);
        }
    }

    /**
     * A map-store failure as the operations' callers receive it: an IllegalStateException with its message (which
     * names the file, the owner or the table) and the failure as its cause.
     */
    private static IllegalStateException forOperations(AnalysisStoreException failure) {
        return new IllegalStateException(failure.getMessage(), failure);
    }

    /** Runs the cleanup now and reports what it did; a failure is in the report (and logged), not thrown. */
    public CleanupReport runCleanup() {
        return history.record(cleanup.run());
    }

    /** The last cleanup this member ran (completed or failed); empty before its first. */
    public Optional<CleanupReport> lastCleanup() {
        return history.last();
    }

    /** How this member's cleanup attempts ended. */
    public CleanupRuns cleanupRuns() {
        return history.runs();
    }

    /** Writes the reads recorded so far now; returns the rows updated. */
    public long flushAccesses() {
        return access.flush();
    }

    AccessTracker access() {
        return access;
    }

    // Every member schedules the cleanup; only the oldest member (first in the member list, the same on
    // all of them) runs it, so it runs once per interval, not once per member. The lock covers the moments
    // when two members each think they are the oldest, and runs requested by operators.
    private void scheduledCleanup() {
        HazelcastInstance instance = member.get();
        if (instance == null || !instance.getLifecycleService().isRunning()) {
            return;
        }
        Iterator<Member> members = instance.getCluster().getMembers().iterator();
        if (members.hasNext() && members.next().localMember()) {
            runCleanup();
        }
    }

    /** Stops the schedule and writes the pending reads; the member calls it when it shuts down. */
    @Override
    public void close() {
        schedule.stop();
    }

    /** Starts and stops the services with the member; the member injects itself. */
    private final class Lifecycle implements LifecycleListener, HazelcastInstanceAware {

        @Override
        public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
            if (!member.compareAndSet(null, hazelcastInstance) && member.get() != hazelcastInstance) {
                throw new IllegalStateException("PostgresMemberServices is already attached to another member");
            }
        }

        @Override
        public void stateChanged(LifecycleEvent event) {
            switch (event.getState()) {
                case STARTED -> schedule.start();
                case SHUTTING_DOWN -> close();
                default -> {
                    // nothing to do
                }
            }
        }
    }
}
