package io.stemcache.bench;

import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.json.AnalysisJson;
import java.io.InputStream;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The read and write paths the latency benchmark compares, each over the same analyses (operation
 * {@code i} works on analysis {@code i % n}). Every get ends at a usable {@link AudioAnalysis}, except the
 * one named raw.
 */
final class LatencyPaths {

    private final List<AudioAnalysis> analyses;
    private final List<AnalysisKey> keys;
    private final List<CachedAudioAnalysis> encoded;
    private final UUID user;
    private final Connection jdbc;
    private final BenchRedis redis;
    private final IMap<AnalysisKey, CachedAudioAnalysis> plainMap;
    private final AudioCacheService stemcache;
    private final AnalysisCodec codec = AnalysisCodec.standard();
    // Written by every get so that no result goes unused.
    private long sink;

    LatencyPaths(
            List<AudioAnalysis> analyses,
            List<AnalysisKey> keys,
            UUID user,
            Connection jdbc,
            BenchRedis redis,
            IMap<AnalysisKey, CachedAudioAnalysis> plainMap,
            AudioCacheService stemcache) {
        this.analyses = analyses;
        this.keys = keys;
        this.user = user;
        this.jdbc = jdbc;
        this.redis = redis;
        this.plainMap = plainMap;
        this.stemcache = stemcache;
        this.encoded = IntStream.range(0, keys.size())
                .mapToObj(i -> entry(keys.get(i), analyses.get(i)))
                .toList();
    }

    int size() {
        return analyses.size();
    }

    AudioAnalysis analysis(int i) {
        return analyses.get(i % analyses.size());
    }

    AnalysisKey key(int i) {
        return keys.get(i % keys.size());
    }

    // (a) the product's old path: JSON text into two jsonb columns of one row, and back.
    void jsonbSet(int i) throws Exception {
        LegacyRows.upsert(jdbc, user, analysis(i));
    }

    AudioAnalysis jsonbGet(int i) throws Exception {
        AudioAnalysis analysis = analysis(i);
        return use(LegacyRows.read(jdbc, user, analysis.fileMetadataId(), analysis.stemType()));
    }

    // (b) Redis: the document as gzip-6 JSON under one key.
    void redisSet(int i) {
        redis.set(key(i).toString(), Gzip.compress(AnalysisJson.toBytes(analysis(i))));
    }

    AudioAnalysis redisGet(int i) throws Exception {
        try (InputStream json = Gzip.decompressing(redis.get(key(i).toString()))) {
            return use(AnalysisJson.read(json));
        }
    }

    // (c) a plain Hazelcast client without a near cache: every get crosses the network and decodes.
    void clusterSet(int i) {
        plainMap.set(key(i), entry(key(i), analysis(i)));
    }

    void clusterRawSet(int i) {
        plainMap.set(key(i), encoded.get(i % encoded.size()));
    }

    AudioAnalysis clusterGet(int i) {
        return use(plainMap.get(key(i)).sharedAnalysis());
    }

    CachedAudioAnalysis clusterRawGet(int i) {
        CachedAudioAnalysis entry = plainMap.get(key(i));
        sink += entry.size();
        return entry;
    }

    // (d) stemcache's service over the shipped client configuration: near cache of decoded entries.
    void stemcacheSet(int i) {
        stemcache.setAnalysis(key(i), analysis(i), null);
    }

    AudioAnalysis stemcacheGet(int i) {
        return use(stemcache.getAnalysis(key(i)).orElseThrow().sharedAnalysis());
    }

    // (e) a cold miss: the entry left memory (evict keeps its row), so the owner loads it from PostgreSQL.
    void evict(int i) {
        plainMap.evict(key(i));
    }

    void flushWriteBehind() {
        plainMap.flush();
    }

    private CachedAudioAnalysis entry(AnalysisKey key, AudioAnalysis analysis) {
        return CachedAudioAnalysis.of(key, analysis, null, 1, Precision.FLOAT64, codec, Instant.now());
    }

    private AudioAnalysis use(AudioAnalysis analysis) {
        sink += analysis.analysisData().size();
        return analysis;
    }
}
