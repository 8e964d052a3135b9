package io.stemcache.core.stats;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CacheStats;
import io.stemcache.core.CachedAudioAnalysis;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the cluster-wide {@link CacheStats} from a member or a client.
 *
 * <p>Counters are the sum of every snapshot in {@value #MAP_NAME}, one per process that ever published,
 * so a member or API node that leaves keeps its share of the totals and a new one (a new UUID) starts its
 * own: nothing is lost or counted twice. Gauges are never summed from snapshots: entries and bytes are
 * aggregated from the analysis map at read time (Compact lets the members read just the {@code size} and
 * {@code rawSize} fields), and the write-behind backlog only counts members that are in the cluster now.
 */
public final class ClusterStats {

    /** The map holding every process's latest {@link StatsSnapshot}, keyed by {@code kind:uuid}. */
    public static final String MAP_NAME = "stemcache-stats";

    static final String MEMBER = "member:";
    static final String SERVICE = "service:";
    static final String NEAR_CACHE = "nearcache:";

    private ClusterStats() {}

    /** The statistics of the cluster {@code hazelcast} belongs to, for the analysis map {@code mapName}. */
    public static CacheStats read(HazelcastInstance hazelcast, String mapName) {
        Objects.requireNonNull(hazelcast, "hazelcast");
        Objects.requireNonNull(mapName, "mapName");
        IMap<AnalysisKey, CachedAudioAnalysis> analyses = hazelcast.getMap(mapName);
        long entries = analyses.size();
        long storedBytes = orZero(analyses.aggregate(Aggregators.longSum("size")));
        long rawBytes = orZero(analyses.aggregate(Aggregators.longSum("rawSize")));

        Set<String> liveMembers = new HashSet<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            liveMembers.add(MEMBER + member.getUuid());
        }
        long hits = 0, misses = 0, nearHits = 0, nearMisses = 0, puts = 0, removals = 0, evictions = 0;
        long expirations = 0, loads = 0, storeFailures = 0, backlog = 0;
        Instant lastCleanup = null;
        for (Map.Entry<String, StatsSnapshot> published : snapshots(hazelcast).entrySet()) {
            StatsSnapshot s = published.getValue();
            hits += s.hits();
            misses += s.misses();
            nearHits += s.nearCacheHits();
            nearMisses += s.nearCacheMisses();
            puts += s.puts();
            removals += s.removals();
            evictions += s.evictions();
            expirations += s.expirations();
            loads += s.loads();
            storeFailures += s.storeFailures();
            if (liveMembers.contains(published.getKey())) {
                backlog += s.writeBehindBacklog();
            }
            if (s.lastCleanup() != null
                    && (lastCleanup == null || s.lastCleanup().isAfter(lastCleanup))) {
                lastCleanup = s.lastCleanup();
            }
        }
        return new CacheStats(
                entries,
                storedBytes,
                rawBytes,
                hits,
                misses,
                nearHits,
                puts,
                removals,
                evictions,
                expirations,
                backlog,
                nearMisses,
                loads,
                storeFailures,
                lastCleanup,
                liveMembers.size());
    }

    static IMap<String, StatsSnapshot> snapshots(HazelcastInstance hazelcast) {
        return hazelcast.getMap(MAP_NAME);
    }

    static String memberKey(UUID member) {
        return MEMBER + member;
    }

    private static long orZero(Long sum) {
        return sum == null ? 0 : sum;
    }
}
