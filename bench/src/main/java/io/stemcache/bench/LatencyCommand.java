package io.stemcache.bench;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nearcache.NearCacheStats;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.json.AnalysisJson;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Get and set latency of one analysis on each path, in one run on the same payloads: (a) the product's
 * jsonb row, (b) Redis with gzip JSON, (c) a Hazelcast client without near cache, (d) stemcache's client
 * with its near cache, (e) a cold miss loaded from PostgreSQL. Three members on loopback by default.
 *
 * <pre>{@code java -jar bench/target/stemcache-bench.jar latency --corpus ../shared/corpus [--files 5]
 *     [--frames 0] [--seconds 6] [--warmup-seconds 1.5] [--min-ops 5] [--max-ops 1000000] [--members 3]
 *     [--redis 127.0.0.1:6379]}</pre>
 */
final class LatencyCommand {

    static final Set<String> OPTIONS =
            Set.of("corpus", "files", "frames", "members", "seconds", "warmup-seconds", "min-ops", "max-ops", "redis");

    private LatencyCommand() {}

    static ResultLine run(Options options, PrintStream out) throws Exception {
        Path corpus = CorpusFiles.dir(options);
        int fileCount = options.integer("files", 5, 1, 100);
        int frames = options.integer("frames", 0, 0, 10_000_000);
        int members = options.integer("members", 3, 1, 9);
        TimedLoop.Budget budget = new TimedLoop.Budget(
                options.number("warmup-seconds", 1.5, 0, 3600),
                options.number("seconds", 6, 0, 3600),
                options.integer("min-ops", 5, 1, 1_000_000),
                options.integer("max-ops", 1_000_000, 1, 100_000_000));

        List<AudioAnalysis> analyses = new ArrayList<>();
        Random random = new Random(42);
        for (AudioAnalysis source : CorpusFiles.analyses(CorpusFiles.first(corpus, fileCount))) {
            analyses.add(frames == 0 ? source : AnalysisSlices.distinct(List.of(source), 0, frames, random));
        }
        UUID user = UUID.randomUUID();
        Owner owner = Owner.user(user);
        List<AnalysisKey> keys = analyses.stream()
                .map(a -> new AnalysisKey(owner, a.fileMetadataId(), a.stemType()))
                .toList();
        out.print(payloads(analyses).render());

        try (BenchDatabase database = BenchDatabase.create("latency");
                Connection jdbc = database.dataSource().getConnection();
                BenchRedis redis = BenchRedis.connect(options.text("redis", BenchRedis.DEFAULT_ADDRESS));
                BenchCluster cluster = BenchCluster.start(members, database.dataSource(), map -> {})) {
            LegacyRows.createTable(jdbc);
            HazelcastInstance plainClient = cluster.client(false);
            HazelcastInstance stemcacheClient = cluster.client(true);
            IMap<AnalysisKey, CachedAudioAnalysis> plainMap = plainClient.getMap(BenchCluster.MAP);
            AudioCacheService stemcache = StemcacheClient.service(stemcacheClient, ClientSettings.defaults());
            LatencyPaths paths = new LatencyPaths(analyses, keys, user, jdbc, redis, plainMap, stemcache);

            Table sets = new Table(
                    "set latency, one thread, " + analyses.size() + " analyses in turn, " + members
                            + " members (µs; ops/s = 1 / mean latency)",
                    "path",
                    "n",
                    "p50",
                    "p99",
                    "p99.9",
                    "ops/s",
                    "p99 vs jsonb");
            Latencies jsonbSet = TimedLoop.measure(budget, paths::jsonbSet);
            Latencies redisSet = TimedLoop.measure(budget, paths::redisSet);
            Latencies clusterSet = TimedLoop.measure(budget, paths::clusterSet);
            Latencies clusterRawSet = TimedLoop.measure(budget, paths::clusterRawSet);
            Latencies stemcacheSet = TimedLoop.measure(budget, paths::stemcacheSet);
            row(sets, "(a) jsonb row (product)", jsonbSet, jsonbSet);
            row(sets, "(b) Redis gzip JSON", redisSet, jsonbSet);
            row(sets, "(c) Hazelcast client", clusterSet, jsonbSet);
            row(sets, "    (c) raw, pre-encoded", clusterRawSet, jsonbSet);
            row(sets, "(d) stemcache service", stemcacheSet, jsonbSet);
            sets.note("(a) write both JSON columns, upsert the row, commit   (b) write JSON, gzip-6, SET");
            sets.note("(c) encode, client set (returns with the synchronous backup; PostgreSQL by write-behind)");
            sets.note(
                    "    raw: client set of an entry encoded beforehand   (d) AudioCacheService.setAnalysis: encode, set");
            out.print(sets.render());
            paths.flushWriteBehind();

            verify(paths);
            Table gets = new Table(
                    "get latency, one thread, " + analyses.size() + " analyses in turn, " + members
                            + " members (µs; ops/s = 1 / mean latency)",
                    "path",
                    "n",
                    "p50",
                    "p99",
                    "p99.9",
                    "ops/s",
                    "p99 vs jsonb",
                    "p99 vs Redis");
            Latencies jsonbGet = TimedLoop.measure(budget, paths::jsonbGet);
            Latencies redisGet = TimedLoop.measure(budget, paths::redisGet);
            Latencies clusterRawGet = TimedLoop.measure(budget, paths::clusterRawGet);
            Latencies clusterGet = TimedLoop.measure(budget, paths::clusterGet);
            NearCacheStats near = plainNearStats(stemcacheClient);
            long nearHitsBefore = near.getHits();
            Latencies nearGet = TimedLoop.measure(budget, paths::stemcacheGet);
            long nearHits = plainNearStats(stemcacheClient).getHits() - nearHitsBefore;
            long loadsBefore = cluster.loads();
            Latencies coldGet = TimedLoop.measure(budget, paths::evict, paths::clusterGet);
            long coldLoads = cluster.loads() - loadsBefore;
            row(gets, "(a) jsonb row (product)", jsonbGet, jsonbGet, redisGet);
            row(gets, "(b) Redis gzip JSON", redisGet, jsonbGet, redisGet);
            row(gets, "(c) Hazelcast client", clusterGet, jsonbGet, redisGet);
            row(gets, "    (c) raw, not decoded", clusterRawGet, jsonbGet, redisGet);
            row(gets, "(d) stemcache near hit", nearGet, jsonbGet, redisGet);
            row(gets, "(e) cold miss", coldGet, jsonbGet, redisGet);
            gets.note("(a) SELECT the row (jsonb sent as text), parse both columns   (b) GET, gunzip, parse the JSON");
            gets.note("(c) client get (network, Compact), decode the payload   raw: the client get alone");
            gets.note("(d) AudioCacheService.getAnalysis from the near cache (" + nearHits + " near-cache hits)");
            gets.note("(e) evicted first (untimed); get: the owner loads and verifies the row (" + coldLoads
                    + " loads), client get, decode");
            gets.note("vs X = p99 of X / p99 of the path (how many times faster)");
            out.print(gets.render());

            return new ResultLine()
                    .put("near_p99_us", nearGet.p99(), 1)
                    .put("cluster_p99_us", clusterGet.p99(), 1)
                    .put("cold_p99_us", coldGet.p99(), 1)
                    .put("jsonb_p99_us", jsonbGet.p99(), 1)
                    .put("redis_p99_us", redisGet.p99(), 1)
                    .put("speedup_near_vs_jsonb", jsonbGet.p99() / nearGet.p99(), 1)
                    .put("speedup_cluster_vs_redis", redisGet.p99() / clusterGet.p99(), 2);
        }
    }

    private static Table payloads(List<AudioAnalysis> analyses) {
        AnalysisCodec codec = AnalysisCodec.standard();
        Table table = new Table("payloads (MB = 10^6 bytes)", "stem", "frames", "JSON", "gzip-6 JSON", "stemcache");
        for (AudioAnalysis analysis : analyses) {
            byte[] json = AnalysisJson.toBytes(analysis);
            table.row(
                    analysis.fileMetadataId().toString().substring(0, 8) + "/"
                            + analysis.stemType().code(),
                    AnalysisSlices.frames(analysis),
                    json.length / 1e6,
                    Gzip.compress(json).length / 1e6,
                    codec.encode(analysis, Precision.FLOAT64).length / 1e6);
        }
        return table;
    }

    /** Every path must return the analysis that was set before its speed means anything. */
    private static void verify(LatencyPaths paths) throws Exception {
        for (int i = 0; i < paths.size(); i++) {
            AudioAnalysis expected = paths.analysis(i);
            AudioAnalysis jsonb = paths.jsonbGet(i);
            // The product's row keeps duration to milliseconds in a column: compare what the columns hold exactly.
            AudioAnalysis expectedRow = new AudioAnalysis(
                    expected.fileMetadataId(),
                    expected.stemType(),
                    expected.analysisVersion(),
                    expected.analysisData(),
                    expected.waveformData(),
                    jsonb.metadata());
            check("jsonb", RoundTrip.compare(expectedRow, jsonb));
            check("Redis", RoundTrip.compare(expected, paths.redisGet(i)));
            check("Hazelcast client", RoundTrip.compare(expected, paths.clusterGet(i)));
            check("stemcache", RoundTrip.compare(expected, paths.stemcacheGet(i)));
        }
    }

    private static void check(String path, RoundTrip roundTrip) {
        if (!roundTrip.bitExact()) {
            throw new IllegalStateException("the " + path + " path returned another analysis than was set ("
                    + "max error " + roundTrip.maxAbsError() + ")");
        }
    }

    private static NearCacheStats plainNearStats(HazelcastInstance client) {
        return client.getMap(BenchCluster.MAP).getLocalMapStats().getNearCacheStats();
    }

    private static void row(Table table, String path, Latencies latencies, Latencies... peers) {
        List<Object> cells = new ArrayList<>(List.of(
                path, latencies.count(), latencies.p50(), latencies.p99(), latencies.p999(), latencies.opsPerSecond()));
        for (Latencies peer : peers) {
            cells.add(peer.p99() / latencies.p99());
        }
        table.row(cells.toArray());
    }
}
