package io.stemcache.client;

import io.stemcache.core.codec.AnalysisCodec;
import java.time.Clock;

/**
 * What the service needs beyond the Hazelcast client: the map, the current cache version, the codec
 * (with its size limit) and a clock.
 *
 * @param mapName the IMap the members hold analyses in
 * @param cacheVersion the current cache (algorithm) version; entries of other versions are misses
 * @param codec encodes analyses on this node before they travel to the cluster
 * @param clock stamps entries; a store never lets an older stamp overwrite a newer row
 */
public record ClientSettings(String mapName, int cacheVersion, AnalysisCodec codec, Clock clock) {

    public static final String DEFAULT_MAP_NAME = "analyses";
    public static final int DEFAULT_CACHE_VERSION = 1;

    public ClientSettings {
        if (mapName == null || mapName.isBlank()) {
            throw new IllegalArgumentException("stemcache.client.map-name must not be blank");
        }
        if (cacheVersion < 1) {
            throw new IllegalArgumentException("stemcache.client.cache-version must be at least 1, got " + cacheVersion);
        }
        if (codec == null || clock == null) {
            throw new IllegalArgumentException("codec and clock must not be null");
        }
    }

    public static ClientSettings defaults() {
        return new ClientSettings(DEFAULT_MAP_NAME, DEFAULT_CACHE_VERSION, AnalysisCodec.standard(), Clock.systemUTC());
    }

    public ClientSettings withMapName(String name) {
        return new ClientSettings(name, cacheVersion, codec, clock);
    }

    public ClientSettings withCacheVersion(int version) {
        return new ClientSettings(mapName, version, codec, clock);
    }

    public ClientSettings withClock(Clock newClock) {
        return new ClientSettings(mapName, cacheVersion, codec, newClock);
    }
}
