package io.stemcache.bench;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nearcache.NearCacheStats;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Hit rate under Zipf-distributed repeated access to many analyses, all already in PostgreSQL, with the
 * members' memory cap binding: a hit is a get served without loading from PostgreSQL (from the client's
 * near cache or a member's memory). Exact LRU, the most popular keys and an uncapped cache of the same
 * sequence are the peers.
 *
 * <pre>{@code java -jar bench/target/stemcache-bench.jar hitrate --corpus ../shared/corpus [--keys 2000]
 *     [--frames 300] [--sources 3] [--members 3] [--zipf 1.0] [--fit 0.4 | --cap-mb MB] [--gets 20000]
 *     [--warmup-gets 6000] [--seed 42]}</pre>
 */
final class HitRateCommand {

    static final Set<String> OPTIONS = Set.of(
            "corpus", "keys", "frames", "sources", "members", "zipf", "fit", "cap-mb", "gets", "warmup-gets", "seed");

    private static final int ROWS_PER_BATCH = 100;
    private static final double MIB = 1 << 20;

    private HitRateCommand() {}

    static ResultLine run(Options options, PrintStream out) throws Exception {
        Path corpus = CorpusFiles.dir(options);
        int keyCount = options.integer("keys", 2_000, 1, 10_000_000);
        int frames = options.integer("frames", 300, 0, 10_000_000);
        int sourceCount = options.integer("sources", 3, 1, 100);
        int members = options.integer("members", 3, 1, 9);
        double exponent = options.number("zipf", 1.0, 0, 10);
        double fit = options.number("fit", 0.4, 0.001, 10);
        int gets = options.integer("gets", 20_000, 1, 100_000_000);
        int warmupGets = options.integer("warmup-gets", 6_000, 0, 100_000_000);
        Random random = new Random(options.integer("seed", 42, Integer.MIN_VALUE, Integer.MAX_VALUE));
        List<AudioAnalysis> sources = CorpusFiles.analyses(CorpusFiles.first(corpus, sourceCount));

        try (BenchDatabase database = BenchDatabase.create("hitrate")) {
            Owner owner = Owner.user(UUID.randomUUID());
            List<AnalysisKey> keys = new ArrayList<>(keyCount);
            long stored = writeRows(database, sources, owner, keyCount, frames, random, keys);
            // The cap counts the primaries only, and entries loaded by a get have no backup (measured; see the
            // report's last line), so the stored bytes spread over the members is what fills it.
            int capMb = options.has("cap-mb")
                    ? options.integer("cap-mb", 1, 1, 1_000_000)
                    : (int) Math.max(1, Math.round(fit * stored / members / MIB));

            try (BenchCluster cluster = BenchCluster.start(
                    members,
                    database.dataSource(),
                    map -> map.getEvictionConfig().setSize(capMb))) {
                HazelcastInstance client = cluster.client(true);
                AudioCacheService service = StemcacheClient.service(client, ClientSettings.defaults());
                Zipf zipf = new Zipf(keyCount, exponent, random);
                int[] warmup = zipf.next(warmupGets);
                int[] measured = zipf.next(gets);

                read(service, cluster, keys, warmup, new BitSet());
                BitSet seen = new BitSet();
                Arrays.stream(warmup).forEach(seen::set);
                long nearHitsBefore = nearStats(client).getHits();
                long start = System.nanoTime();
                Reads reads = read(service, cluster, keys, measured, seen);
                double seconds = (System.nanoTime() - start) / 1e9;
                long nearHits = nearStats(client).getHits() - nearHitsBefore;
                long inMemory = cluster.entriesInMemory();
                double hitRate = 1 - (double) reads.loads / gets;

                int capacity = (int) Math.max(1, inMemory);
                int nearCapacity = StemcacheClient.defaultConfig()
                        .getNearCacheConfig(BenchCluster.MAP)
                        .getEvictionConfig()
                        .getSize();
                Table peers = new Table(
                        "hit rate over " + gets + " gets after " + warmupGets + " warm-up gets, Zipf s="
                                + exponent + " over " + keyCount + " keys of " + frames + " frames ("
                                + Table.format(stored / 1e6)
                                + " MB stored); cap " + capMb + " MiB per member x " + members + " members, who hold "
                                + inMemory + " entries (" + Table.format(100.0 * inMemory / keyCount)
                                + "% of the keys)",
                        "cache",
                        "entries held",
                        "hit rate",
                        "on keys read before",
                        "vs stemcache");
                peers.row(
                        "stemcache (near cache + members, LRU at the cap)",
                        inMemory + " + " + nearCapacity + " near",
                        hitRate,
                        reads.repeatHitRate(),
                        1.0);
                double lru = CacheSimulations.lru(warmup, measured, capacity);
                double popular = CacheSimulations.mostPopular(measured, capacity, zipf);
                double unbounded = CacheSimulations.unbounded(warmup, measured);
                peers.row("exact LRU, same entries (simulated)", capacity, lru, "", lru / hitRate);
                peers.row("most popular keys, same entries (best possible)", capacity, popular, "", popular / hitRate);
                peers.row("no cap (every key once read stays)", keyCount, unbounded, 1.0, unbounded / hitRate);
                peers.note("hit = a get served without loading from PostgreSQL; the peers replay the same sequence.");
                peers.note("on keys read before: hits among gets of keys already read (a first read must load).");
                peers.note(CacheSimulations.capacityFor(0.99, warmup, measured, keyCount));
                out.print(peers.render());

                Table served = new Table(
                        "where the " + gets + " gets were served (" + Table.format(gets / seconds)
                                + " gets/s, one thread, decode included)",
                        "source",
                        "gets",
                        "share");
                served.row("client near cache", nearHits, (double) nearHits / gets);
                served.row(
                        "member memory",
                        gets - nearHits - reads.loads,
                        (double) (gets - nearHits - reads.loads) / gets);
                served.row("PostgreSQL (loaded, then held)", reads.loads, (double) reads.loads / gets);
                served.row("nowhere (a true miss: re-analysis)", reads.missing, (double) reads.missing / gets);
                served.note("members' memory by Hazelcast's accounting: primaries "
                        + Table.format(cluster.ownedCost() / MIB)
                        + " MiB (what the cap limits), " + cluster.backupEntries() + " backup entries "
                        + Table.format(cluster.backupCost() / MIB) + " MiB");
                out.print(served.render());
                return new ResultLine().put("hit_rate", hitRate, 4);
            }
        }
    }

    /** Writes {@code count} distinct entries straight to PostgreSQL, in batches; returns their stored bytes. */
    private static long writeRows(
            BenchDatabase database,
            List<AudioAnalysis> sources,
            Owner owner,
            int count,
            int frames,
            Random random,
            List<AnalysisKey> keys) {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> batch = new HashMap<>();
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            AudioAnalysis analysis = AnalysisSlices.distinct(sources, i, frames, random);
            AnalysisKey key = new AnalysisKey(owner, analysis.fileMetadataId(), analysis.stemType());
            CachedAudioAnalysis entry = Entries.encoded(key, analysis);
            keys.add(key);
            bytes += entry.size();
            batch.put(key, entry);
            if (batch.size() == ROWS_PER_BATCH || i == count - 1) {
                store.storeAll(batch);
                batch.clear();
            }
        }
        return bytes;
    }

    /**
     * Gets every key of the sequence through the service, decoding each, and counts the loads from
     * PostgreSQL each get caused (this thread is the only reader, so the stores' counters tell).
     */
    private static Reads read(
            AudioCacheService service, BenchCluster cluster, List<AnalysisKey> keys, int[] sequence, BitSet seen) {
        Reads reads = new Reads();
        for (int key : sequence) {
            long loadsBefore = cluster.loads();
            Optional<CachedAudioAnalysis> entry = service.getAnalysis(keys.get(key));
            if (entry.isEmpty() || entry.get().sharedAnalysis().analysisData().isEmpty()) {
                reads.missing++;
            }
            boolean loaded = cluster.loads() != loadsBefore;
            reads.loads += loaded ? 1 : 0;
            if (seen.get(key)) {
                reads.repeats++;
                reads.repeatHits += loaded ? 0 : 1;
            }
            seen.set(key);
        }
        return reads;
    }

    /** What a sequence of gets did. */
    private static final class Reads {
        long loads;
        long missing;
        long repeats;
        long repeatHits;

        double repeatHitRate() {
            return repeats == 0 ? 1 : (double) repeatHits / repeats;
        }
    }

    private static NearCacheStats nearStats(HazelcastInstance client) {
        return client.getMap(BenchCluster.MAP).getLocalMapStats().getNearCacheStats();
    }
}
