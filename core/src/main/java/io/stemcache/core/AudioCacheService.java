package io.stemcache.core;

import io.stemcache.core.ops.EntryDescription;
import io.stemcache.core.ops.RecordedStats;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The cache as an API node sees it: stems' analyses by owner, file and stem.
 *
 * <p>Every call is scoped by the {@link Owner} in its key, so an owner only ever reaches its own
 * entries. A get that returns empty is a miss: the caller analyses the stem and calls
 * {@link #setAnalysis}. Entries written under an older analysis or cache version are misses too.
 */
public interface AudioCacheService {

    /**
     * The IMap the members hold analyses in unless configured otherwise ({@code stemcache.map-name} on a member,
     * {@code stemcache.client.map-name} on an API node).
     */
    String DEFAULT_MAP_NAME = "analyses";

    /** The cache version members and clients start with ({@code stemcache.cache-version}, {@code stemcache.client.cache-version}). */
    int DEFAULT_CACHE_VERSION = 1;

    /** The entry for {@code key}, or empty on a miss. */
    Optional<CachedAudioAnalysis> getAnalysis(AnalysisKey key);

    /**
     * The entry for {@code key} if it was made from the same audio: an entry stored with a different
     * content hash is a miss and is removed, so the caller's re-analysis replaces it.
     */
    Optional<CachedAudioAnalysis> getAnalysis(AnalysisKey key, String contentHash);

    /** Stores a lossless entry; see {@link #setAnalysis(AnalysisKey, AudioAnalysis, String, Precision)}. */
    default CachedAudioAnalysis setAnalysis(AnalysisKey key, AudioAnalysis analysis, String contentHash) {
        return setAnalysis(key, analysis, contentHash, Precision.FLOAT64);
    }

    /**
     * Stores an analysis under {@code key} (whose file and stem must match the analysis) at the given
     * precision. Returns once the cluster holds it (in memory, with its backup); it reaches PostgreSQL
     * by write-behind shortly after.
     */
    CachedAudioAnalysis setAnalysis(AnalysisKey key, AudioAnalysis analysis, String contentHash, Precision precision);

    /** Removes every stem of one of {@code owner}'s files, everywhere; returns how many entries existed. */
    int invalidateCache(Owner owner, UUID fileMetadataId);

    /**
     * Removes every owner's stems of a file (its audio changed), from memory, near caches and PostgreSQL;
     * returns how many entries were removed.
     */
    int invalidateFile(UUID fileMetadataId);

    /**
     * Moves a guest's entries to the user the guest signed up as, so nothing analysed as a guest is lost;
     * where the user already holds a newer entry for the same stem, the user's stays. Returns how many
     * entries were moved. A guest belongs to the first user who claims it: claims are atomic per guest, another
     * user's claim moves nothing and answers 0 (as for a guest without entries), and repeating a claim is harmless.
     */
    int claimGuest(String guestToken, UUID userId);

    /**
     * What {@code owner} holds of these files' stems, without payloads (a project page's status in one call): each
     * key holding an entry, with its fields; a stem absent from the answer has none. Entries written under an
     * older cache version are described too (a reader misses them: they are stale), so the caller can tell them apart.
     */
    Map<AnalysisKey, EntryDescription> describeFiles(Owner owner, Collection<UUID> fileMetadataIds);

    /** Loads the stems of these files of {@code owner} into the cluster and this node; returns how many were found. */
    int warmProject(Owner owner, Collection<UUID> fileMetadataIds);

    /**
     * Runs the cluster's cleanup of PostgreSQL now (rows past their TTL, rows of older cache versions, size
     * caps) instead of waiting for its schedule; returns how many rows it deleted. Memory expires by itself.
     */
    long clearExpired();

    /** Cluster-wide statistics. */
    CacheStats getCacheStats();

    /**
     * The cluster's statistics over time: its latest {@code limit} rows of {@code cache_statistics} (one per
     * {@code stemcache.stats.persist-interval}), oldest first, read by a member (an API node has no database).
     * Throws IllegalArgumentException unless 1 <= limit <= {@value io.stemcache.core.ops.StatsHistory#MAX_ROWS}.
     */
    List<RecordedStats> statsHistory(int limit);
}
