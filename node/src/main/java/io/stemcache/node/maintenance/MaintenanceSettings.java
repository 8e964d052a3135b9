package io.stemcache.node.maintenance;

import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;

/**
 * What a member's {@link PostgresMemberServices} needs to know: the map, the current cache version, how
 * often reads are written to PostgreSQL, and the cleanup's schedule and limits. The node derives it from
 * its {@code stemcache.*} properties ({@code StemcacheProperties.maintenanceSettings()}), which bind
 * {@code stemcache.cleanup.*} to {@link Cleanup}; messages name those properties. Nothing here depends on the
 * node's package: the properties depend on this one.
 *
 * @param mapName             the analysis map ({@code stemcache.map-name})
 * @param cacheVersion        current cache/algorithm version; older entries and rows are purged
 * @param accessFlushInterval how often coalesced reads reach {@code last_accessed} and {@code access_count}
 * @param cleanup             the cleanup's schedule and limits ({@code stemcache.cleanup.*})
 */
public record MaintenanceSettings(String mapName, int cacheVersion, Duration accessFlushInterval, Cleanup cleanup) {

    /** Rows per cleanup transaction: short enough to hold row locks for milliseconds. */
    public static final int DEFAULT_BATCH_SIZE = 500;

    /** Upper bound of {@link #batchSize()}. */
    public static final int MAX_BATCH_SIZE = 100_000;

    /** The default of {@code stemcache.access-flush-interval}. */
    public static final String DEFAULT_ACCESS_FLUSH_INTERVAL = "10s";

    private static final String BATCH_SIZE_RANGE =
            "stemcache.cleanup.batch-size must be between 1 and " + MaintenanceSettings.MAX_BATCH_SIZE;

    /**
     * The node's defaults (those {@code StemcacheProperties.defaults()} binds) for {@code mapName}: the same
     * constants and {@code @DefaultValue}s, bound the same way.
     */
    public static MaintenanceSettings defaults(String mapName) {
        return new MaintenanceSettings(
                mapName,
                AudioCacheService.DEFAULT_CACHE_VERSION,
                DurationStyle.detectAndParse(DEFAULT_ACCESS_FLUSH_INTERVAL),
                new Binder().bindOrCreate("stemcache.cleanup", Cleanup.class));
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
    public MaintenanceSettings withCleanup(Cleanup newCleanup) {
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

    /**
     * The cleanup of PostgreSQL ({@code stemcache.cleanup.*}), run by one member at a time.
     *
     * @param enabled whether members schedule it (operators can still run it through the actuator)
     * @param interval time between runs
     * @param initialDelay time from a member's start to its first run
     * @param batchSize rows deleted per transaction
     * @param userTtl users' rows not read for this long are deleted (like the map's 30-day TTL)
     * @param guestTtl guests' rows not read for this long are deleted
     * @param maxTotalMb cap on the stored MB of users' and guests' rows, least recently read go first
     *                   (guests' rows before users'); 0: none
     * @param guestQuotaMb cap on the stored MB of each guest's rows, oldest go first; 0: none
     * @param tombstoneRetention how long the tombstone of an invalidated row is kept; a store queued for
     *                           longer than this could bring the row back
     */
    public record Cleanup(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5m") Duration interval,
            @DefaultValue("1m") Duration initialDelay,

            @DefaultValue("" + MaintenanceSettings.DEFAULT_BATCH_SIZE)
            @Positive(message = BATCH_SIZE_RANGE)
            @Max(value = MaintenanceSettings.MAX_BATCH_SIZE, message = BATCH_SIZE_RANGE)
            int batchSize,

            @DefaultValue("30d") Duration userTtl,

            @DefaultValue(Owner.DEFAULT_GUEST_TTL_HOURS + "h")
            Duration guestTtl,

            @DefaultValue("0")
            @PositiveOrZero(message = "stemcache.cleanup.max-total-mb must be 0 (no cap) or positive")
            long maxTotalMb,

            @DefaultValue("" + Owner.DEFAULT_GUEST_QUOTA_MB)
            @PositiveOrZero(message = "stemcache.cleanup.guest-quota-mb must be 0 (no quota) or positive")
            long guestQuotaMb,

            @DefaultValue("7d") Duration tombstoneRetention) {

        public Cleanup {
            positive("stemcache.cleanup.interval", interval);
            if (initialDelay == null || initialDelay.isNegative()) {
                throw new IllegalArgumentException(
                        "stemcache.cleanup.initial-delay must be 0 or a positive duration, got " + initialDelay);
            }
            positive("stemcache.cleanup.user-ttl", userTtl);
            positive("stemcache.cleanup.guest-ttl", guestTtl);
            positive("stemcache.cleanup.tombstone-retention", tombstoneRetention);
        }

        /** A copy whose scheduled cleanup is on with this schedule, or off when {@code on} is false. */
        public Cleanup withSchedule(boolean on, Duration delay, Duration every) {
            return new Cleanup(
                    on, every, delay, batchSize, userTtl, guestTtl, maxTotalMb, guestQuotaMb, tombstoneRetention);
        }

        public Cleanup withBatchSize(int rows) {
            return new Cleanup(
                    enabled,
                    interval,
                    initialDelay,
                    rows,
                    userTtl,
                    guestTtl,
                    maxTotalMb,
                    guestQuotaMb,
                    tombstoneRetention);
        }

        public Cleanup withTtls(Duration users, Duration guests) {
            return new Cleanup(
                    enabled,
                    interval,
                    initialDelay,
                    batchSize,
                    users,
                    guests,
                    maxTotalMb,
                    guestQuotaMb,
                    tombstoneRetention);
        }

        public Cleanup withCaps(long totalMb, long perGuestMb) {
            return new Cleanup(
                    enabled,
                    interval,
                    initialDelay,
                    batchSize,
                    userTtl,
                    guestTtl,
                    totalMb,
                    perGuestMb,
                    tombstoneRetention);
        }

        public Cleanup withTombstoneRetention(Duration retention) {
            return new Cleanup(
                    enabled, interval, initialDelay, batchSize, userTtl, guestTtl, maxTotalMb, guestQuotaMb, retention);
        }
    }

    private static void positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, got " + value);
        }
    }
}
