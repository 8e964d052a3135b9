package io.stemcache.node;

import io.stemcache.core.AudioCacheService;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.stats.StatsPublisher;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.deletions.DeletionSettings;
import io.stemcache.node.deletions.RowDeletionMode;
import io.stemcache.node.maintenance.MaintenanceSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * stemcache's own settings for a member ({@code stemcache.*}); Hazelcast's settings (write-behind,
 * eviction, backups, TTL, the join and partition groups) stay Hazelcast's: {@code hazelcast.yaml}, or single keys
 * as {@code HZ_*} environment variables.
 *
 * @param mapName the IMap holding analyses; {@code hazelcast.yaml} must configure it with a map-store
 * @param maxAnalysisMb largest analysis (raw float64 MB) the codec encodes or decodes; larger is refused
 * @param createDatabase create the database named in {@code spring.datasource.url} if it is missing
 * @param flushTimeout how long shutdown waits for the write-behind queue to reach PostgreSQL
 * @param loadBatchSize keys per query when the map loads entries from PostgreSQL
 * @param initialLoadMaxEntries most frequently read rows (then most recent) loaded when the map starts (0: none)
 * @param initialLoadMaxMb stored MB the initial load may bring into memory
 * @param loadTimeout longest a load from PostgreSQL may wait (for a lock, say) before it fails; 0: no limit
 * @param cacheVersion the current cache/algorithm version; older entries and rows are purged by the cleanup
 *                     (clients have their own {@code stemcache.client.cache-version}: raise theirs first)
 * @param accessFlushInterval how often the reads a member saw are written to {@code last_accessed}
 * @param cleanup the scheduled cleanup of PostgreSQL ({@code stemcache.cleanup.*}; its record is the maintenance
 *                package's, which needs nothing of this one)
 * @param stats how often statistics are published and recorded ({@code stemcache.stats.*})
 * @param writeBehind the bound on the write-behind backlog ({@code stemcache.write-behind.*})
 * @param health how the member checks what its health endpoint reports ({@code stemcache.health.*})
 * @param rowDeletions how the product's own deletes of cache rows reach memory ({@code stemcache.row-deletions.*})
 */
@Validated
@ConfigurationProperties("stemcache")
public record StemcacheProperties(
        @DefaultValue(MAP_NAME) @NotBlank(message = "stemcache.map-name must not be blank")
        String mapName,

        @DefaultValue("" + AnalysisCodec.DEFAULT_MAX_ANALYSIS_MB)
        @Positive(message = MAX_ANALYSIS_MB_RANGE)
        @Max(value = AnalysisCodec.MAX_ANALYSIS_MB, message = MAX_ANALYSIS_MB_RANGE)
        int maxAnalysisMb,

        @DefaultValue("true") boolean createDatabase,
        @DefaultValue("60s") Duration flushTimeout,

        @DefaultValue("" + StoreSettings.DEFAULT_LOAD_BATCH_SIZE)
        int loadBatchSize,

        @DefaultValue("1000") int initialLoadMaxEntries,

        @DefaultValue("" + (StoreSettings.DEFAULT_INITIAL_LOAD_MAX_BYTES >> 20))
        int initialLoadMaxMb,

        @DefaultValue(StoreSettings.DEFAULT_LOAD_TIMEOUT_SECONDS + "s")
        Duration loadTimeout,

        @DefaultValue("" + AudioCacheService.DEFAULT_CACHE_VERSION)
        @Positive(message = "stemcache.cache-version must be at least 1")
        int cacheVersion,

        @DefaultValue(MaintenanceSettings.DEFAULT_ACCESS_FLUSH_INTERVAL)
        Duration accessFlushInterval,

        @DefaultValue @Valid MaintenanceSettings.Cleanup cleanup,
        @DefaultValue Stats stats,
        @DefaultValue @Valid WriteBehind writeBehind,
        @DefaultValue Health health,
        @DefaultValue RowDeletions rowDeletions) {

    private static final String MAX_ANALYSIS_MB_RANGE =
            "stemcache.max-analysis-mb must be 1 to " + AnalysisCodec.MAX_ANALYSIS_MB;

    /** The default map name, shared with clients. */
    public static final String MAP_NAME = AudioCacheService.DEFAULT_MAP_NAME;

    public StemcacheProperties {
        if (flushTimeout == null || flushTimeout.isNegative() || flushTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "stemcache.flush-timeout must be a positive duration, got " + flushTimeout);
        }
        positive("stemcache.access-flush-interval", accessFlushInterval);
        if (loadBatchSize < 1 || loadBatchSize > StoreSettings.MAX_LOAD_BATCH_SIZE) {
            throw new IllegalArgumentException("stemcache.load-batch-size must be between 1 and "
                    + StoreSettings.MAX_LOAD_BATCH_SIZE + ", got " + loadBatchSize);
        }
        if (initialLoadMaxEntries < 0) {
            throw new IllegalArgumentException("stemcache.initial-load-max-entries must be 0 (no initial load) or "
                    + "positive, got " + initialLoadMaxEntries);
        }
        if (initialLoadMaxMb < 1) {
            throw new IllegalArgumentException("stemcache.initial-load-max-mb must be at least 1 (to turn the initial "
                    + "load off, set stemcache.initial-load-max-entries=0), got " + initialLoadMaxMb);
        }
        if (loadTimeout == null || loadTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "stemcache.load-timeout must be 0 (no limit) or a positive duration, got " + loadTimeout);
        }
    }

    /** The defaults: what a member binds when no {@code stemcache.*} property is set. */
    public static StemcacheProperties defaults() {
        return new Binder().bindOrCreate("stemcache", StemcacheProperties.class);
    }

    /** The member's codec: {@link #maxAnalysisMb} bounds what it encodes and decodes. */
    public AnalysisCodec codec() {
        return AnalysisCodec.withMaxAnalysisMb(maxAnalysisMb);
    }

    /** The settings of the member's {@code PostgresAnalysisStore}, decoding with {@code codec}. */
    public StoreSettings storeSettings(AnalysisCodec codec) {
        return StoreSettings.defaults()
                .withCodec(codec)
                .withLoadBatchSize(loadBatchSize)
                .withInitialLoad(initialLoadMaxEntries, (long) initialLoadMaxMb << 20)
                .withLoadTimeout(loadTimeout)
                .validate();
    }

    /** The settings of the member's maintenance: access tracking and the cleanup. */
    public MaintenanceSettings maintenanceSettings() {
        return new MaintenanceSettings(mapName, cacheVersion, accessFlushInterval, cleanup);
    }

    /** The settings of the member's {@code ProductDeletes}. */
    public DeletionSettings deletionSettings() {
        return rowDeletions.settings(mapName);
    }

    /**
     * Cache statistics ({@code stemcache.stats.*}).
     *
     * @param publishInterval how often this member publishes its counters to the cluster's statistics
     * @param persistInterval how often the oldest member writes a row to {@code cache_statistics}
     */
    public record Stats(
            @DefaultValue(StatsPublisher.DEFAULT_INTERVAL_SECONDS + "s")
            Duration publishInterval,

            @DefaultValue("1m") Duration persistInterval) {

        public Stats {
            if (publishInterval == null || publishInterval.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "stemcache.stats.publish-interval must be at least 1ms, got " + publishInterval);
            }
            if (persistInterval == null || persistInterval.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "stemcache.stats.persist-interval must be at least 1ms, got " + persistInterval);
            }
        }
    }

    /**
     * The bound on the write-behind backlog ({@code stemcache.write-behind.*}): while PostgreSQL is down
     * the entries not yet stored stay in the member's heap, so the member refuses new writes once they
     * hold {@code max-backlog-mb} of it (by default {@code max-backlog-heap-percent} of the JVM's maximum
     * heap) or once {@code max-backlog-entries} of its own entries wait.
     *
     * @param maxBacklogEntries a member refuses new writes while this many entries it owns wait for PostgreSQL
     * @param maxBacklogMb a member refuses new writes while the backlog holds this many MB of its heap (its own
     *                     entries and its backups' copies); 0: {@code maxBacklogHeapPercent} of the maximum heap
     * @param maxBacklogHeapPercent the default of {@code maxBacklogMb}, as a share of the maximum heap
     * @param sampleInterval how often the member reads its backlog
     * @param spillDir where a member that stops while PostgreSQL is unreachable writes the entries it still
     *                 holds, and where a starting member finds such files and stores them
     *                 (empty: {@code stemcache-spill} in the JVM's temporary directory)
     */
    public record WriteBehind(
            @DefaultValue("10000") long maxBacklogEntries,
            @DefaultValue("0") long maxBacklogMb,
            @DefaultValue("25") int maxBacklogHeapPercent,
            @DefaultValue("250ms") Duration sampleInterval,
            @DefaultValue("") String spillDir) {

        public WriteBehind {
            if (maxBacklogEntries < 1) {
                throw new IllegalArgumentException(
                        "stemcache.write-behind.max-backlog-entries must be at least 1, got " + maxBacklogEntries);
            }
            if (maxBacklogMb < 0) {
                throw new IllegalArgumentException("stemcache.write-behind.max-backlog-mb must be 0 (a share of the "
                        + "heap) or a positive number of MB, got " + maxBacklogMb);
            }
            if (maxBacklogHeapPercent < 1 || maxBacklogHeapPercent > 90) {
                throw new IllegalArgumentException(
                        "stemcache.write-behind.max-backlog-heap-percent must be 1 to 90, got "
                                + maxBacklogHeapPercent);
            }
            positive("stemcache.write-behind.sample-interval", sampleInterval);
            spillDir = spillDir == null ? "" : spillDir.strip();
        }

        /** The spill directory: {@code spillDir}, or {@code stemcache-spill} in {@code java.io.tmpdir}. */
        public java.nio.file.Path spillDirectory() {
            return spillDir.isEmpty()
                    ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "stemcache-spill")
                    : java.nio.file.Path.of(spillDir);
        }

        /** The limits for a JVM whose maximum heap is {@code maxHeapBytes}. */
        public BacklogLimit.Limits limits(long maxHeapBytes) {
            if (maxBacklogMb > 0) {
                return BacklogLimit.Limits.of(maxBacklogEntries, maxBacklogMb);
            }
            long bytes = maxHeapBytes * maxBacklogHeapPercent / 100;
            return new BacklogLimit.Limits(
                    maxBacklogEntries,
                    bytes,
                    BacklogLimit.BYTES_SETTING + " (" + (bytes >> 20)
                            + " MB: stemcache.write-behind.max-backlog-heap-percent=" + maxBacklogHeapPercent
                            + " of the "
                            + (maxHeapBytes >> 20) + " MB heap)");
        }
    }

    private static void positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, got " + value);
        }
    }

    /**
     * What the health endpoint checks ({@code stemcache.health.*}).
     *
     * @param databaseCheckInterval how often the member checks that it can reach PostgreSQL; the
     *                              {@code database} health component reports the last check
     */
    public record Health(@DefaultValue("10s") Duration databaseCheckInterval) {

        public Health {
            positive("stemcache.health.database-check-interval", databaseCheckInterval);
        }
    }

    /**
     * How the product's own deletes of {@code audio_analysis_cache} rows (a deleted file or user, a direct
     * {@code DELETE}) reach the members' memory ({@code stemcache.row-deletions.*}).
     *
     * @param mode {@code auto} (on when the table has foreign keys, i.e. it is the product's), {@code on} or {@code off}
     * @param pollInterval how often the listening member reads the log without a wake-up, and how often the
     *                     others try to take over from it
     * @param batchSize logged deletes applied per transaction
     */
    public record RowDeletions(
            @DefaultValue("auto") RowDeletionMode mode,

            @DefaultValue(DeletionSettings.DEFAULT_POLL_INTERVAL_MILLIS + "ms")
            Duration pollInterval,

            @DefaultValue("" + DeletionSettings.DEFAULT_BATCH_SIZE)
            int batchSize) {

        public RowDeletions {
            DeletionSettings.check(mode, pollInterval, batchSize);
        }

        /** These settings for the member's map. */
        public DeletionSettings settings(String mapName) {
            return new DeletionSettings(mapName, mode, pollInterval, batchSize);
        }
    }
}
