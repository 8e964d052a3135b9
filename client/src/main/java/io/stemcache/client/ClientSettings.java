package io.stemcache.client;

import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import java.time.Clock;
import java.time.Duration;

/**
 * What the service needs beyond the Hazelcast client. {@link #defaults()} gives the documented defaults;
 * the {@code with*} methods change one setting.
 *
 * @param mapName the IMap the members hold analyses in
 * @param cacheVersion the current cache (algorithm) version; entries of older versions are misses and removed
 * @param codec encodes analyses on this node before they travel to the cluster
 * @param clock stamps entries; a store never lets an older stamp overwrite a newer row
 * @param guestTtl time to live of a guest's entries in memory (users' entries follow the map's TTL)
 * @param guestQuotaBytes stored bytes one guest may hold in memory; its oldest entries make room for new ones
 * @param touchInterval how often this node tells members which entries it read, so entries read only from
 *     this node's near cache stay alive on their members (max-idle, LRU) and in PostgreSQL ({@code last_accessed})
 */
public record ClientSettings(
        String mapName,
        int cacheVersion,
        AnalysisCodec codec,
        Clock clock,
        Duration guestTtl,
        long guestQuotaBytes,
        Duration touchInterval) {

    public static final String DEFAULT_MAP_NAME = AudioCacheService.DEFAULT_MAP_NAME;
    public static final int DEFAULT_CACHE_VERSION = AudioCacheService.DEFAULT_CACHE_VERSION;
    /** The members' cleanup keeps guests' rows as long by default ({@link Owner#DEFAULT_GUEST_TTL_HOURS}). */
    public static final Duration DEFAULT_GUEST_TTL = Duration.ofHours(Owner.DEFAULT_GUEST_TTL_HOURS);
    /** The members' cleanup allows a guest as much by default ({@link Owner#DEFAULT_GUEST_QUOTA_MB}). */
    public static final long DEFAULT_GUEST_QUOTA_BYTES = (long) Owner.DEFAULT_GUEST_QUOTA_MB << 20;
    /** {@link #DEFAULT_TOUCH_INTERVAL} in seconds. */
    public static final int DEFAULT_TOUCH_INTERVAL_SECONDS = 30;

    public static final Duration DEFAULT_TOUCH_INTERVAL = Duration.ofSeconds(DEFAULT_TOUCH_INTERVAL_SECONDS);

    public ClientSettings {
        check(mapName, cacheVersion, guestTtl, guestQuotaBytes, touchInterval);
        if (codec == null || clock == null) {
            throw new IllegalArgumentException("codec and clock must not be null");
        }
    }

    /**
     * Throws IllegalArgumentException naming the {@code stemcache.client.*} property that is wrong; the client
     * properties run it when they bind, so a bad value stops the API node at start-up.
     */
    static void check(
            String mapName, int cacheVersion, Duration guestTtl, long guestQuotaBytes, Duration touchInterval) {
        if (mapName == null || mapName.isBlank()) {
            throw new IllegalArgumentException("stemcache.client.map-name must not be blank");
        }
        if (cacheVersion < 1) {
            throw new IllegalArgumentException(
                    "stemcache.client.cache-version must be at least 1, got " + cacheVersion);
        }
        if (guestTtl == null || guestTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("stemcache.client.guest-ttl must be at least 1s, got " + guestTtl);
        }
        if (guestQuotaBytes < 1) {
            throw new IllegalArgumentException(
                    "stemcache.client.guest-quota-mb must be positive, got " + guestQuotaBytes + " bytes");
        }
        if (touchInterval == null || touchInterval.toMillis() < 10) {
            throw new IllegalArgumentException(
                    "stemcache.client.touch-interval must be at least 10ms, got " + touchInterval);
        }
    }

    public static ClientSettings defaults() {
        return new ClientSettings(
                DEFAULT_MAP_NAME,
                DEFAULT_CACHE_VERSION,
                AnalysisCodec.standard(),
                Clock.systemUTC(),
                DEFAULT_GUEST_TTL,
                DEFAULT_GUEST_QUOTA_BYTES,
                DEFAULT_TOUCH_INTERVAL);
    }

    public ClientSettings withMapName(String name) {
        return new ClientSettings(name, cacheVersion, codec, clock, guestTtl, guestQuotaBytes, touchInterval);
    }

    public ClientSettings withCacheVersion(int version) {
        return new ClientSettings(mapName, version, codec, clock, guestTtl, guestQuotaBytes, touchInterval);
    }

    public ClientSettings withCodec(AnalysisCodec newCodec) {
        return new ClientSettings(mapName, cacheVersion, newCodec, clock, guestTtl, guestQuotaBytes, touchInterval);
    }

    public ClientSettings withClock(Clock newClock) {
        return new ClientSettings(mapName, cacheVersion, codec, newClock, guestTtl, guestQuotaBytes, touchInterval);
    }

    public ClientSettings withGuestTtl(Duration ttl) {
        return new ClientSettings(mapName, cacheVersion, codec, clock, ttl, guestQuotaBytes, touchInterval);
    }

    public ClientSettings withGuestQuotaBytes(long bytes) {
        return new ClientSettings(mapName, cacheVersion, codec, clock, guestTtl, bytes, touchInterval);
    }

    public ClientSettings withTouchInterval(Duration interval) {
        return new ClientSettings(mapName, cacheVersion, codec, clock, guestTtl, guestQuotaBytes, interval);
    }
}
