package io.stemcache.node.maintenance;

import io.stemcache.node.StemcacheProperties;
import java.time.Duration;

/**
 * What a member's {@link PostgresMemberServices} needs to know: the map, the current cache version, how
 * often reads are written to PostgreSQL, and the cleanup's schedule and limits. The node derives it from
 * its {@code stemcache.*} properties ({@link StemcacheProperties#maintenanceSettings()}); messages name those
 * properties.
 *
 * @param mapName             the analysis map ({@code stemcache.map-name})
 * @param cacheVersion        current cache/algorithm version; older entries and rows are purged
 * @param accessFlushInterval how often coalesced reads reach {@code last_accessed} and {@code access_count}
 * @param cleanup             the cleanup's schedule and limits ({@code stemcache.cleanup.*})
 */
public record MaintenanceSettings(
        String mapName, int cacheVersion, Duration accessFlushInterval, StemcacheProperties.Cleanup cleanup) {

    /** Rows per cleanup transaction: short enough to hold row locks for milliseconds. */
    public static final int DEFAULT_BATCH_SIZE = 500;

    /** Upper bound of {@link #batchSize()}. */
    public static final int MAX_BATCH_SIZE = 100_000;

    /** The node's defaults ({@link StemcacheProperties#defaults()}) for {@code mapName}. */
    public static MaintenanceSettings defaults(String mapName) {
        StemcacheProperties defaults = StemcacheProperties.defaults();
        return new MaintenanceSettings(
                mapName, defaults.cacheVersion(), defaults.accessFlushInterval(), defaults.cleanup());
    }

    /** Whether this member schedules the cleanup (it still runs it on request). */
    public boolean cleanupEnabled() {
        return cleanup.enabled();
    }

    /** Time between scheduled cleanups. */
    public Duration cleanupInterval() {
        return cleanup.interval();
    }

    /** Time from the member's start to its first scheduled cleanup. */
    public Duration cleanupInitialDelay() {
        return cleanup.initialDelay();
    }

    /** Rows per cleanup transaction. */
    public int batchSize() {
        return cleanup.batchSize();
    }

    /** Users' rows not read for this long are deleted. */
    public Duration userTtl() {
        return cleanup.userTtl();
    }

    /** Guests' rows not read for this long are deleted. */
    public Duration guestTtl() {
        return cleanup.guestTtl();
    }

    /** Cap on the stored MB of all users' and guests' rows (guests' go first); 0 for none. */
    public long maxTotalMb() {
        return cleanup.maxTotalMb();
    }

    /** Cap on the stored MB of one guest's rows; 0 for none. */
    public long guestQuotaMb() {
        return cleanup.guestQuotaMb();
    }

    /** Tombstones of invalidated rows older than this are deleted; a store queued for longer could bring its row back. */
    public Duration tombstoneRetention() {
        return cleanup.tombstoneRetention();
    }

    public MaintenanceSettings withCacheVersion(int version) {
        return new MaintenanceSettings(mapName, version, accessFlushInterval, cleanup);
    }

    public MaintenanceSettings withAccessFlushInterval(Duration interval) {
        return new MaintenanceSettings(mapName, cacheVersion, interval, cleanup);
    }

    /** A copy with other cleanup settings. */
    public MaintenanceSettings withCleanup(StemcacheProperties.Cleanup newCleanup) {
        return new MaintenanceSettings(mapName, cacheVersion, accessFlushInterval, newCleanup);
    }

    /** A copy whose scheduled cleanup is on with this schedule, or off when {@code enabled} is false. */
    public MaintenanceSettings withSchedule(boolean enabled, Duration initialDelay, Duration interval) {
        return withCleanup(cleanup.withSchedule(enabled, initialDelay, interval));
    }

    public MaintenanceSettings withBatchSize(int rows) {
        return withCleanup(cleanup.withBatchSize(rows));
    }

    public MaintenanceSettings withTtls(Duration users, Duration guests) {
        return withCleanup(cleanup.withTtls(users, guests));
    }

    public MaintenanceSettings withCaps(long totalMb, long perGuestMb) {
        return withCleanup(cleanup.withCaps(totalMb, perGuestMb));
    }

    public MaintenanceSettings withTombstoneRetention(Duration retention) {
        return withCleanup(cleanup.withTombstoneRetention(retention));
    }

    /**
     * Checks every setting and returns this.
     *
     * @throws IllegalArgumentException naming the first wrong setting by its property
     */
    public MaintenanceSettings validate() {
        if (mapName == null || mapName.isBlank()) {
            throw new IllegalArgumentException("stemcache.map-name must not be blank");
        }
        if (cacheVersion < 1) {
            throw new IllegalArgumentException("stemcache.cache-version must be 1 or more, got " + cacheVersion);
        }
        positive("stemcache.access-flush-interval", accessFlushInterval);
        if (cleanup == null) {
            throw new IllegalArgumentException("stemcache.cleanup must not be null");
        }
        // Cleanup's constructor has checked its durations; its numbers are bounded by Bean Validation when bound
        int batchSize = cleanup.batchSize();
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException(
                    "stemcache.cleanup.batch-size must be between 1 and " + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        long maxTotalMb = cleanup.maxTotalMb();
        long guestQuotaMb = cleanup.guestQuotaMb();
        if (maxTotalMb < 0) {
            throw new IllegalArgumentException(
                    "stemcache.cleanup.max-total-mb must be 0 (no cap) or positive, got " + maxTotalMb);
        }
        if (guestQuotaMb < 0) {
            throw new IllegalArgumentException(
                    "stemcache.cleanup.guest-quota-mb must be 0 (no quota) or positive, got " + guestQuotaMb);
        }
        return this;
    }

    private static void positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, got " + value);
        }
    }
}
