package io.stemcache.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.map.MapStore;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.ops.EntryChecks;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.mapstore.AnalysisStoreException;
import io.stemcache.node.maintenance.PostgresMemberServices;
import java.util.List;

/**
 * What the node adds to the Hazelcast configuration loaded from {@code hazelcast.yaml}; public so that
 * benchmarks and tests build members exactly as the node does.
 */
public final class MemberConfigs {

    /**
     * The node's classes that members send each other with Java serialization, beside core's
     * ({@link StemcacheSerialization#JAVA_SERIALIZED}): the backlog limit (an interceptor, copied to members that join)
     * and the store's exception with the PostgreSQL driver's one it may carry, as an operation's answer.
     */
    static final List<String> JAVA_SERIALIZED = List.of(
            BacklogLimit.class.getName(),
            AnalysisStoreException.class.getName(),
            "org.postgresql.util.PSQLException",
            "org.postgresql.util.ServerErrorMessage");

    private MemberConfigs() {}

    /** As {@link #withStore(Config, String, MapStore, AnalysisCodec)} with the default limit. */
    public static Config withStore(Config config, String mapName, MapStore<AnalysisKey, CachedAudioAnalysis> store) {
        return withStore(config, mapName, store, AnalysisCodec.standard());
    }

    /**
     * Registers stemcache's serializers and Java deserialization filter, plugs {@code store} into the analysis map,
     * which the YAML must declare with map-store enabled and no class of its own, has the member check its writes
     * ({@link EntryChecks}, within {@code codec}'s limit: {@code stemcache.max-analysis-mb}) and version them
     * ({@link EntryVersions}).
     */
    public static Config withStore(
            Config config, String mapName, MapStore<AnalysisKey, CachedAudioAnalysis> store, AnalysisCodec codec) {
        StemcacheSerialization.register(config.getSerializationConfig(), codec);
        StemcacheSerialization.allowJavaSerialized(config.getSerializationConfig(), JAVA_SERIALIZED);
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
        EntryChecks.installOn(config, mapName, codec);
        return EntryVersions.installOn(config, mapName);
    }

    /** As {@link #withStore(Config, String, MapStore, PostgresMemberServices, AnalysisCodec)} with the default limit. */
    public static Config withStore(
            Config config,
            String mapName,
            MapStore<AnalysisKey, CachedAudioAnalysis> store,
            PostgresMemberServices services) {
        return withStore(config, mapName, store, services, AnalysisCodec.standard());
    }

    /**
     * As {@link #withStore(Config, String, MapStore, AnalysisCodec)}, and registers the member's services (access
     * tracking, invalidation, cleanup) that stemcache's operations call; each member needs its own.
     */
    public static Config withStore(
            Config config,
            String mapName,
            MapStore<AnalysisKey, CachedAudioAnalysis> store,
            PostgresMemberServices services,
            AnalysisCodec codec) {
        if (!services.mapName().equals(mapName)) {
            throw new IllegalArgumentException(
                    "the member services are for map '" + services.mapName() + "', not '" + mapName + "'");
        }
        return services.registerIn(withStore(config, mapName, store, codec));
    }
}
