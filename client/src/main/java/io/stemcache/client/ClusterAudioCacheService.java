package io.stemcache.client;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.nearcache.NearCacheStats;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CacheStats;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.ops.RemoveEntry;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/** {@link AudioCacheService} over the cluster's analysis map, read through this node's near cache. */
final class ClusterAudioCacheService implements AudioCacheService {

    private final IMap<AnalysisKey, CachedAudioAnalysis> map;
    private final ClientSettings settings;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();

    ClusterAudioCacheService(HazelcastInstance hazelcast, ClientSettings settings) {
        this.map = hazelcast.getMap(settings.mapName());
        this.settings = settings;
    }

    @Override
    public Optional<CachedAudioAnalysis> getAnalysis(AnalysisKey key) {
        Objects.requireNonNull(key, "key");
        CachedAudioAnalysis entry = map.get(key);
        if (entry == null || entry.cacheVersion() != settings.cacheVersion()) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry);
    }

    @Override
    public Optional<CachedAudioAnalysis> getAnalysis(AnalysisKey key, String contentHash) {
        Optional<CachedAudioAnalysis> entry = getAnalysis(key);
        if (entry.isPresent() && contentHash != null && !contentHash.equals(entry.get().contentHash())) {
            // The audio changed since this analysis was made: drop it so the re-analysis replaces it.
            hits.decrement();
            misses.increment();
            map.delete(key);
            removals.increment();
            return Optional.empty();
        }
        return entry;
    }

    @Override
    public CachedAudioAnalysis setAnalysis(AnalysisKey key, AudioAnalysis analysis, String contentHash,
                                           Precision precision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(precision, "precision");
        CachedAudioAnalysis entry = CachedAudioAnalysis.of(key, analysis, contentHash, settings.cacheVersion(),
                precision, settings.codec(), settings.clock().instant());
        map.set(key, entry);
        puts.increment();
        return entry;
    }

    @Override
    public int invalidateCache(Owner owner, UUID fileMetadataId) {
        Map<AnalysisKey, Boolean> removed = map.executeOnKeys(stemsOf(owner, Set.of(fileMetadataId)), RemoveEntry.INSTANCE);
        int count = (int) removed.values().stream().filter(Boolean.TRUE::equals).count();
        removals.add(count);
        return count;
    }

    @Override
    public int warmProject(Owner owner, Collection<UUID> fileMetadataIds) {
        // getAll loads what memory lacks from PostgreSQL in batches and fills this node's near cache.
        Map<AnalysisKey, CachedAudioAnalysis> found = map.getAll(stemsOf(owner, fileMetadataIds));
        return (int) found.values().stream().filter(e -> e.cacheVersion() == settings.cacheVersion()).count();
    }

    @Override
    public long clearExpired() {
        // Time-to-live and max-idle expiry run on the members by themselves; what a caller can clear is
        // what no longer counts: entries of other cache versions.
        long before = map.aggregate(Aggregators.count());
        map.removeAll(com.hazelcast.query.Predicates.notEqual("cacheVersion", settings.cacheVersion()));
        long removed = Math.max(0, before - map.aggregate(Aggregators.count()));
        removals.add(removed);
        return removed;
    }

    @Override
    public CacheStats getCacheStats() {
        long entries = map.aggregate(Aggregators.count());
        Long stored = map.aggregate(Aggregators.longSum("size"));
        Long raw = map.aggregate(Aggregators.longSum("rawSize"));
        LocalMapStats local = map.getLocalMapStats();
        NearCacheStats near = local == null ? null : local.getNearCacheStats();
        long nearHits = near == null ? 0 : near.getHits();
        return new CacheStats(entries, stored == null ? 0 : stored, raw == null ? 0 : raw, hits.sum(), misses.sum(),
                nearHits, puts.sum(), removals.sum(), 0, 0, 0);
    }

    private static Set<AnalysisKey> stemsOf(Owner owner, Collection<UUID> fileMetadataIds) {
        Objects.requireNonNull(owner, "owner");
        Set<AnalysisKey> keys = new LinkedHashSet<>();
        for (UUID file : fileMetadataIds) {
            for (StemType stem : StemType.values()) {
                keys.add(new AnalysisKey(owner, file, stem));
            }
        }
        return keys;
    }
}
