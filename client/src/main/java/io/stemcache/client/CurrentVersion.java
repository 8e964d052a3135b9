package io.stemcache.client;

import com.hazelcast.client.map.impl.nearcache.NearCachedClientMapProxy;
import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.ReadVersion;

/**
 * The version a key holds now, for a conditional request ({@code If-None-Match}): from this node's near cache when it
 * holds the key, with no network at all, else from the key's member ({@link ReadVersion}, no payload moves). A
 * near-cache answer is as fresh as a near-cache read (invalidations arrive within the batch delay, the TTL bounds a
 * lost one), so a 304 is never staler than the 200 this node would serve instead.
 */
public final class CurrentVersion {

    private final IMap<AnalysisKey, CachedAudioAnalysis> map;
    private final NearCache<Object, Object> nearCache;

    /** Over a client's map; a map without a near cache (or a member's) always asks the member. */
    public CurrentVersion(IMap<AnalysisKey, CachedAudioAnalysis> map) {
        this.map = map;
        // Hazelcast's client proxy of a map with a near cache; its near cache is not public API, so only read here.
        this.nearCache = map instanceof NearCachedClientMapProxy<?, ?> proxy ? proxy.getNearCache() : null;
    }

    /** The key's version: 0 for nothing; a deletion marker's version for a removed key. */
    public long of(AnalysisKey key) {
        if (nearCache != null && nearCache.get(key) instanceof CachedAudioAnalysis entry) {
            return entry.version();
        }
        Long version = map.executeOnKey(key, new ReadVersion());
        return version == null ? 0 : version;
    }
}
