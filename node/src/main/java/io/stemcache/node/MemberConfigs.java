package io.stemcache.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.map.MapStore;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.node.maintenance.PostgresMemberServices;

/**
 * What the node adds to the Hazelcast configuration loaded from {@code hazelcast.yaml}; public so that
 * benchmarks and tests build members exactly as the node does.
 */
public final class MemberConfigs {

    private MemberConfigs() {
    }

    /**
     * Registers stemcache's serializers, plugs {@code store} into the analysis map, which the YAML must
     * declare with map-store enabled and no class of its own, and has the member version its writes
     * ({@link EntryVersions}).
     */
    public static Config withStore(Config config, String mapName, MapStore<AnalysisKey, CachedAudioAnalysis> store) {
        StemcacheSerialization.register(config.getSerializationConfig());
        MapConfig map = config.getMapConfigOrNull(mapName);
        if (map == null || !map.getMapStoreConfig().isEnabled()) {
            throw new IllegalStateException("hazelcast.yaml must configure map '" + mapName
                    + "' (stemcache.map-name) with map-store enabled; see the README's configuration section");
        }
        MapStoreConfig mapStore = map.getMapStoreConfig();
        if (mapStore.getClassName() != null || mapStore.getFactoryClassName() != null) {
            throw new IllegalStateException("hazelcast.yaml map '" + mapName
                    + "' names a map-store class; leave it out: the node supplies the PostgreSQL store");
        }
        mapStore.setImplementation(store);
        return EntryVersions.installOn(config, mapName);
    }

    /**
     * As {@link #withStore(Config, String, MapStore)}, and registers the member's services (access
     * tracking, invalidation, cleanup) that stemcache's operations call; each member needs its own.
     */
    public static Config withStore(Config config, String mapName, MapStore<AnalysisKey, CachedAudioAnalysis> store,
                                   PostgresMemberServices services) {
        if (!services.mapName().equals(mapName)) {
            throw new IllegalArgumentException("the member services are for map '" + services.mapName()
                    + "', not '" + mapName + "'");
        }
        return services.registerIn(withStore(config, mapName, store));
    }
}
