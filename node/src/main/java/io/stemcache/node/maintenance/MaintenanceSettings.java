package io.stemcache.node.maintenance;

import java.time.Duration;

/**
 * What a member's {@link PostgresMemberServices} needs to know: the map, the current cache version, how
 * often reads are written to PostgreSQL, and the cleanup's schedule and limits. The node builds it from
 * its {@code stemcache.*} properties; messages name those properties.
 *
 * @param mapName             the analysis map ({@code stemcache.map-name})
 * @param cacheVersion        current cache/algorithm version; older entries and rows are purged
 * @param accessFlushInterval how often coalesced reads reach {@code last_accessed} and {@code access_count}
 * @param cleanupEnabled      whether this member schedules the cleanup (it still runs it on request)
 * @param cleanupInterval     time between scheduled cleanups
 * @param cleanupInitialDelay time from the member's start to its first scheduled cleanup
 * @param batchSize           rows per cleanup transaction
 * @param userTtl             users' rows not read for this long are deleted
 * @param guestTtl            guests' rows not read for this long are deleted
 * @param maxTotalMb          cap on the stored MB of all users' and guests' rows (guests' go first); 0 for none
 * @param guestQuotaMb        cap on the stored MB of one guest's rows; 0 for none
 * @param tombstoneRetention  tombstones of invalidated rows older than this are deleted; a store queued
 *                            for longer could bring its row back
 */
public record MaintenanceSettings(String mapName, int cacheVersion, Duration accessFlushInterval,
                                  boolean cleanupEnabled, Duration cleanupInterval, Duration cleanupInitialDelay,
                                  int batchSize, Duration userTtl, Duration guestTtl, long maxTotalMb,
                                  long guestQuotaMb, Duration tombstoneRetention) {

    /** Rows per cleanup transaction: short enough to hold row locks for milliseconds. */
    public static final int DEFAULT_BATCH_SIZE = 500;

    /** Upper bound of {@link #batchSize()}. */
    public static final int MAX_BATCH_SIZE = 100_000;

    /** The node's defaults for {@code mapName}. */
    public static MaintenanceSettings defaults(String mapName) {
        return new MaintenanceSettings(mapName, 1, Duration.ofSeconds(10), true, Duration.ofMinutes(5),
                Duration.ofMinutes(1), DEFAULT_BATCH_SIZE, Duration.ofDays(30), Duration.ofHours(24), 0, 64,
                Duration.ofDays(7));
    }

    public MaintenanceSettings withCacheVersion(int version) {
        return new MaintenanceSettings(mapName, version, accessFlushInterval, cleanupEnabled, cleanupInterval,
                cleanupInitialDelay, batchSize, userTtl, guestTtl, maxTotalMb, guestQuotaMb, tombstoneRetention);
    }

    public MaintenanceSettings withAccessFlushInterval(Duration interval) {
        return new MaintenanceSettings(mapName, cacheVersion, interval, cleanupEnabled, cleanupInterval,
                cleanupInitialDelay, batchSize, userTtl, guestTtl, maxTotalMb, guestQuotaMb, tombstoneRetention);
    }

    /** A copy whose scheduled cleanup is on with this schedule, or off when {@code enabled} is false. */
    public MaintenanceSettings withSchedule(boolean enabled, Duration initialDelay, Duration interval) {
        return new MaintenanceSettings(mapName, cacheVersion, accessFlushInterval, enabled, interval, initialDelay,
                batchSize, userTtl, guestTtl, maxTotalMb, guestQuotaMb, tombstoneRetention);
    }

    public MaintenanceSettings withBatchSize(int rows) {
        return new MaintenanceSettings(mapName, cacheVersion, accessFlushInterval, cleanupEnabled, cleanupInterval,
                cleanupInitialDelay, rows, userTtl, guestTtl, maxTotalMb, guestQuotaMb, tombstoneRetention);
    }

    public MaintenanceSettings withTtls(Duration users, Duration guests) {
        return new MaintenanceSettings(mapName, cacheVersion, accessFlushInterval, cleanupEnabled, cleanupInterval,
                cleanupInitialDelay, batchSize, users, guests, maxTotalMb, guestQuotaMb, tombstoneRetention);
    }

    public MaintenanceSettings withCaps(long totalMb, long perGuestMb) {
        return new MaintenanceSettings(mapName, cacheVersion, accessFlushInterval, cleanupEnabled, cleanupInterval,
                cleanupInitialDelay, batchSize, userTtl, guestTtl, totalMb, perGuestMb, tombstoneRetention);
    }

    public MaintenanceSettings withTombstoneRetention(Duration retention) {
        return new MaintenanceSettings(mapName, cacheVersion, accessFlushInterval, cleanupEnabled, cleanupInterval,
                cleanupInitialDelay, batchSize, userTtl, guestTtl, maxTotalMb, guestQuotaMb, retention);
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
        positive("stemcache.cleanup.interval", cleanupInterval);
        if (cleanupInitialDelay == null || cleanupInitialDelay.isNegative()) {
            throw new IllegalArgumentException("stemcache.cleanup.initial-delay must be 0 or a positive duration, got "
                    + cleanupInitialDelay);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("stemcache.cleanup.batch-size must be between 1 and " + MAX_BATCH_SIZE
                    + ", got " + batchSize);
        }
        positive("stemcache.cleanup.user-ttl", userTtl);
        positive("stemcache.cleanup.guest-ttl", guestTtl);
        if (maxTotalMb < 0) {
            throw new IllegalArgumentException("stemcache.cleanup.max-total-mb must be 0 (no cap) or positive, got "
                    + maxTotalMb);
        }
        if (guestQuotaMb < 0) {
            throw new IllegalArgumentException("stemcache.cleanup.guest-quota-mb must be 0 (no quota) or positive, got "
                    + guestQuotaMb);
        }
        positive("stemcache.cleanup.tombstone-retention", tombstoneRetention);
        return this;
    }

    private static void positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, got " + value);
        }
    }
}
