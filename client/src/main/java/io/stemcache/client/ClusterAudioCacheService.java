package io.stemcache.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CacheStats;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.ops.CleanupNow;
import io.stemcache.core.ops.DescribeEntry;
import io.stemcache.core.ops.EntryDescription;
import io.stemcache.core.ops.InvalidateFile;
import io.stemcache.core.ops.MemberServices;
import io.stemcache.core.ops.Operations;
import io.stemcache.core.ops.OwnerKeys;
import io.stemcache.core.ops.ReadEntry;
import io.stemcache.core.ops.ReadVersion;
import io.stemcache.core.ops.RecordedStats;
import io.stemcache.core.ops.RemoveEntry;
import io.stemcache.core.ops.StatsHistory;
import io.stemcache.core.stats.ClusterStats;
import io.stemcache.core.stats.StatsPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AudioCacheService} over the cluster's analysis map, read through this node's near cache. Reads are
 * reported to the members in batches ({@link Touches}), so entries hot in near caches stay alive there.
 */
final class ClusterAudioCacheService implements AudioCacheService, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterAudioCacheService.class);

    /** Most keys of one owner that a claim moves; a guest session holds a few projects. */
    static final int MAX_CLAIMED_KEYS = 10_000;

    private final HazelcastInstance hazelcast;
    private final IMap<AnalysisKey, CachedAudioAnalysis> map;
    private final ClientSettings settings;
    private final Touches touches;
    private final GuestClaims claims;
    private final StatsPublisher stats;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    ClusterAudioCacheService(HazelcastInstance hazelcast, ClientSettings settings) {
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(settings.mapName());
        this.settings = settings;
        this.touches = new Touches(map, settings.touchInterval());
        this.claims = new GuestClaims(hazelcast, settings.guestTtl());
        this.stats = StatsPublisher.apiNode(
                hazelcast,
                settings.mapName(),
                hits::sum,
                misses::sum,
                StatsPublisher.DEFAULT_INTERVAL,
                settings.clock());
    }

    @Override
    public Optional<CachedAudioAnalysis> getAnalysis(AnalysisKey key) {
        Objects.requireNonNull(key, "key");
        CachedAudioAnalysis entry = read(key);
        if (entry == null || entry.isDeletion()) {
            misses.increment();
            return Optional.empty();
        }
        if (!key.fileMetadataId().equals(entry.fileMetadataId()) || key.stemType() != entry.stemType()) {
            // Another stem's analysis under this key: a client's plain put (members' checks see values, not keys).
            // Never served; removed so that the stem's own analysis replaces it.
            log.warn(
                    "{} holds the analysis of {} {}: not served, removed",
                    key,
                    entry.fileMetadataId(),
                    entry.stemType().code());
            misses.increment();
            map.executeOnKey(key, RemoveEntry.atMost(entry.version()));
            return Optional.empty();
        }
        if (entry.cacheVersion() != settings.cacheVersion()) {
            misses.increment();
            if (entry.cacheVersion() < settings.cacheVersion()) {
                // Made by an older analysis algorithm: it will never be a hit again (a newer write stays).
                map.executeOnKey(key, RemoveEntry.atMost(entry.version()));
            }
            return Optional.empty();
        }
        hits.increment();
        touches.add(key);
        return Optional.of(entry);
    }

    @Override
    public Optional<CachedAudioAnalysis> getAnalysis(AnalysisKey key, String contentHash) {
        Optional<CachedAudioAnalysis> entry = getAnalysis(key);
        if (entry.isPresent()
                && contentHash != null
                && !contentHash.equals(entry.get().contentHash())) {
            // The audio changed since this analysis was made: drop it so the re-analysis replaces it.
            hits.decrement();
            misses.increment();
            map.executeOnKey(key, RemoveEntry.atMost(entry.get().version()));
            return Optional.empty();
        }
        return entry;
    }

    @Override
    public CachedAudioAnalysis setAnalysis(
            AnalysisKey key, AudioAnalysis analysis, String contentHash, Precision precision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(precision, "precision");
        CachedAudioAnalysis entry = CachedAudioAnalysis.of(
                key,
                analysis,
                contentHash,
                settings.cacheVersion(),
                precision,
                settings.codec(),
                settings.clock().instant());
        if (key.owner().isGuest()) {
            // Written first: a write the member refuses (PostgreSQL behind) must not cost the guest older entries.
            map.set(key, entry, settings.guestTtl().toSeconds(), TimeUnit.SECONDS);
            makeRoomForGuest(key);
        } else {
            map.set(key, entry);
        }
        // The member that owns the key gave the write its version (EntryVersions); this node's clock only stamps
        // updatedAt. A write of the key right after this one may already have replaced it.
        return entry.withVersion(map.executeOnKey(key, new ReadVersion()));
    }

    /**
     * Keeps a guest within its quota after a write of {@code key} by removing its oldest other entries (a cache
     * makes room, it does not refuse). Reads only four small fields of the guest's entries, never their payloads.
     * The write is stored either way: a failure here is logged, and the cleanup's per-guest cap
     * ({@code stemcache.cleanup.guest-quota-mb}) still bounds the guest's rows.
     */
    private void makeRoomForGuest(AnalysisKey key) {
        try {
            removeOldestBeyondQuota(key);
        } catch (RuntimeException e) {
            log.warn(
                    "a guest's write of {}/{} is stored, but making room within the guest's quota failed",
                    key.fileMetadataId(),
                    key.stemType().code(),
                    e);
        }
    }

    private void removeOldestBeyondQuota(AnalysisKey key) {
        Collection<Object[]> held = map.project(
                Projections.multiAttribute("fileMetadataId", "stemType", "size", "updatedAtMicros"),
                ownedBy(key.owner()));
        long total = 0;
        for (Object[] entry : held) {
            total += ((Number) entry[2]).longValue();
        }
        if (total <= settings.guestQuotaBytes()) {
            return;
        }
        List<Object[]> oldestFirst = new ArrayList<>(held);
        oldestFirst.sort(Comparator.comparingLong(entry -> ((Number) entry[3]).longValue()));
        for (Object[] entry : oldestFirst) {
            if (total <= settings.guestQuotaBytes()) {
                break;
            }
            AnalysisKey old = new AnalysisKey(
                    key.owner(), UUID.fromString((String) entry[0]), StemType.fromCode((String) entry[1]));
            if (!old.equals(key)) {
                map.executeOnKey(old, RemoveEntry.any());
                total -= ((Number) entry[2]).longValue();
            }
        }
    }

    @Override
    public int invalidateCache(Owner owner, UUID fileMetadataId) {
        return RemoveEntry.fromEach(map, stemsOf(owner, Set.of(fileMetadataId)));
    }

    @Override
    public int invalidateFile(UUID fileMetadataId) {
        Objects.requireNonNull(fileMetadataId, "fileMetadataId");
        // Every member removes what it owns (memory and write-behind queues), then deletes the file's rows.
        return InvalidateFile.onEveryMember(executor(), fileMetadataId, OPERATION_TIMEOUT);
    }

    /**
     * {@inheritDoc} Claims of one guest run one at a time and the first user to claim it keeps it
     * ({@link GuestClaims}): another user's claim moves nothing and answers 0, as for a guest without entries, and
     * a repeated claim answers 0 once everything moved.
     */
    @Override
    public int claimGuest(String guestToken, UUID userId) {
        Owner guest = Owner.guest(guestToken);
        Owner user = Owner.user(userId);
        return claims.claim(guest, userId, () -> moveEntries(guest, user));
    }

    private int moveEntries(Owner guest, Owner user) {
        Set<AnalysisKey> keys = new LinkedHashSet<>(map.keySet(ownedBy(guest)));
        keys.addAll(await(executor().submit(new OwnerKeys(guest, MAX_CLAIMED_KEYS)), "list the guest's rows"));
        int moved = 0;
        for (AnalysisKey guestKey : keys) {
            CachedAudioAnalysis entry = read(guestKey);
            if (entry == null || entry.isDeletion()) {
                continue;
            }
            AnalysisKey userKey = new AnalysisKey(user, guestKey.fileMetadataId(), guestKey.stemType());
            CachedAudioAnalysis existing = map.get(userKey);
            // Two keys' versions do not compare; of two owners' copies, the later analysis (by time) stays.
            if (existing == null
                    || existing.isDeletion()
                    || existing.updatedAt().isBefore(entry.updatedAt())) {
                // Written before the guest's copy goes: a failure in between leaves both, never neither.
                map.set(userKey, entry.movedTo(userKey));
                moved++;
            }
            map.executeOnKey(guestKey, RemoveEntry.atMost(entry.version()));
        }
        return moved;
    }

    @Override
    public Map<AnalysisKey, EntryDescription> describeFiles(Owner owner, Collection<UUID> fileMetadataIds) {
        // One operation per partition holding some of the keys; only the descriptions come back.
        Map<AnalysisKey, EntryDescription> found =
                new HashMap<>(map.executeOnKeys(stemsOf(owner, fileMetadataIds), new DescribeEntry()));
        found.values().removeIf(Objects::isNull);
        return found;
    }

    @Override
    public int warmProject(Owner owner, Collection<UUID> fileMetadataIds) {
        if (owner.isGuest()) {
            // Loaded into the members' memory only (see read): descriptions come back, no payloads.
            int current = 0;
            for (Map.Entry<AnalysisKey, EntryDescription> found : map.executeOnKeys(
                            stemsOf(owner, fileMetadataIds), new DescribeEntry())
                    .entrySet()) {
                if (found.getValue() != null && found.getValue().cacheVersion() == settings.cacheVersion()) {
                    current++;
                    touches.add(found.getKey());
                }
            }
            return current;
        }
        // getAll loads what memory lacks from PostgreSQL in batches and fills this node's near cache.
        Map<AnalysisKey, CachedAudioAnalysis> found = map.getAll(stemsOf(owner, fileMetadataIds));
        int current = 0;
        for (Map.Entry<AnalysisKey, CachedAudioAnalysis> entry : found.entrySet()) {
            if (!entry.getValue().isDeletion() && entry.getValue().cacheVersion() == settings.cacheVersion()) {
                current++;
                touches.add(entry.getKey());
            }
        }
        return current;
    }

    @Override
    public long clearExpired() {
        return await(executor().submit(CleanupNow.INSTANCE), "clean up PostgreSQL");
    }

    @Override
    public List<RecordedStats> statsHistory(int limit) {
        StatsHistory task = new StatsHistory(limit);
        return List.copyOf(await(executor().submit(task), "read the statistics history"));
    }

    /**
     * A key's entry: through this node's near cache for users, past it for guests. A guest's key holds the guest's
     * token, and the near cache's preloader writes the keys it holds to disk; a guest's reads cost a member round
     * trip instead (its revalidations stay cheap: {@link CurrentVersion} asks the member for the version only).
     */
    private CachedAudioAnalysis read(AnalysisKey key) {
        return key.owner().isGuest() ? map.executeOnKey(key, new ReadEntry()) : map.get(key);
    }

    @Override
    public void close() {
        touches.close();
        stats.close();
    }

    private IExecutorService executor() {
        return hazelcast.getExecutorService(EXECUTOR);
    }

    /** The executor members run management operations on. */
    static final String EXECUTOR = MemberServices.EXECUTOR;

    private static <T> T await(Future<T> future, String what) {
        return Operations.await(future, what, OPERATION_TIMEOUT);
    }

    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(120);

    private static Predicate<AnalysisKey, CachedAudioAnalysis> ownedBy(Owner owner) {
        return Predicates.and(
                Predicates.equal("__key.ownerId", owner.id()),
                Predicates.equal("__key.ownerKind", owner.kind().code()));
    }

    @Override
    public CacheStats getCacheStats() {
        // This node's own counters are current; other processes' are at most one publish interval old.
        stats.publishNow();
        return ClusterStats.read(hazelcast, settings.mapName());
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
