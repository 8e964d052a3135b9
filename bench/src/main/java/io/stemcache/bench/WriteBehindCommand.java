package io.stemcache.bench;

import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Sustained sets through a client into the cluster with write-behind to PostgreSQL, and the time until
 * every row is durable, against synchronous one-row-per-transaction upserts of the same entries.
 *
 * <pre>{@code java -jar bench/target/stemcache-bench.jar writebehind --corpus ../shared/corpus [--count 2000]
 *     [--frames 500] [--sources 3] [--members 3] [--write-delay 1] [--batch-size 50] [--warmup 200]
 *     [--timeout 300] [--seed 42]}</pre>
 */
final class WriteBehindCommand {

    static final Set<String> OPTIONS = Set.of(
            "corpus",
            "count",
            "frames",
            "sources",
            "members",
            "write-delay",
            "batch-size",
            "warmup",
            "timeout",
            "seed");

    private WriteBehindCommand() {}

    static ResultLine run(Options options, PrintStream out) throws Exception {
        Path corpus = CorpusFiles.dir(options);
        int count = options.integer("count", 2_000, 1, 10_000_000);
        int frames = options.integer("frames", 500, 0, 10_000_000);
        int sourceCount = options.integer("sources", 3, 1, 100);
        int members = options.integer("members", 3, 1, 9);
        int writeDelay = options.integer("write-delay", 1, 1, 3600);
        int warmup = options.integer("warmup", 200, 0, 1_000_000);
        double timeoutSeconds = options.number("timeout", 300, 1, 86_400);
        Random random = new Random(options.integer("seed", 42, Integer.MIN_VALUE, Integer.MAX_VALUE));

        List<AudioAnalysis> sources = CorpusFiles.analyses(CorpusFiles.first(corpus, sourceCount));
        Workload measured = Workload.of(sources, count, frames, random);
        Workload warm = Workload.of(sources, warmup, frames, random);

        try (BenchDatabase database = BenchDatabase.create("writebehind");
                BenchCluster cluster = BenchCluster.start(members, database.dataSource(), map -> {
                    map.getMapStoreConfig().setWriteDelaySeconds(writeDelay);
                    if (options.has("batch-size")) {
                        map.getMapStoreConfig().setWriteBatchSize(options.integer("batch-size", 50, 1, 100_000));
                    }
                })) {
            IMap<AnalysisKey, CachedAudioAnalysis> map = cluster.client(true).getMap(BenchCluster.MAP);
            PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
            int batchSize = cluster.members()
                    .get(0)
                    .getConfig()
                    .getMapConfig(BenchCluster.MAP)
                    .getMapStoreConfig()
                    .getWriteBatchSize();

            // Warm-up, not recorded: both paths' code compiled, pools and connections open.
            writeBehind(warm, map, database, timeoutSeconds);
            synchronous(warm, store, 1);
            synchronous(warm, store, batchSize);

            Run behind = writeBehind(measured, map, database, timeoutSeconds);
            Run sync = synchronous(measured, store, 1);
            Run batched = synchronous(measured, store, batchSize);
            long batches = cluster.stores().stream()
                    .mapToLong(s -> s.metrics().storeBatches())
                    .sum();
            int largest = cluster.stores().stream()
                    .mapToInt(s -> s.metrics().maxBatchSize())
                    .max()
                    .orElse(0);

            double wbOps = count / behind.acknowledgedSeconds;
            double syncOps = count / sync.acknowledgedSeconds;
            Table table = new Table(
                    "writes of " + count + " entries of " + frames + " frames (" + mb(measured.storedBytes)
                            + " MB stored), one thread, " + members + " members, write-behind delay " + writeDelay
                            + " s, batch size " + batchSize,
                    "path",
                    "n",
                    "p50 µs",
                    "p99 µs",
                    "ops/s",
                    "durable after s",
                    "durable ops/s",
                    "ops/s vs sync");
            table.row(
                    "write-behind (client set)",
                    count,
                    behind.latencies.p50(),
                    behind.latencies.p99(),
                    wbOps,
                    behind.durableSeconds,
                    count / behind.durableSeconds,
                    wbOps / syncOps);
            table.row(
                    "sync upsert (store, 1 row/tx)",
                    count,
                    sync.latencies.p50(),
                    sync.latencies.p99(),
                    syncOps,
                    sync.durableSeconds,
                    count / sync.durableSeconds,
                    1.0);
            table.row(
                    "  batched upsert (storeAll, " + batchSize + "/tx)",
                    batched.latencies.count(),
                    batched.latencies.p50(),
                    batched.latencies.p99(),
                    count / batched.acknowledgedSeconds,
                    batched.durableSeconds,
                    count / batched.durableSeconds,
                    count / batched.acknowledgedSeconds / syncOps);
            table.note(
                    "write-behind: IMap.set through a client of entries encoded beforehand; returns once the owner and");
            table.note(
                    "  its synchronous backup hold it. durable = every row counted in PostgreSQL, from the first set.");
            table.note(
                    "  " + batches + " storeAll batches in all (warm-up included), largest " + largest + " entries.");
            table.note(
                    "sync: PostgresAnalysisStore.store of the same entries, one upsert and commit each, one connection.");
            table.note("batched: storeAll of " + batchSize
                    + " entries per transaction, as write-behind stores them (latency"
                    + " per batch): the database's side of write-behind alone.");
            out.print(table.render());

            return new ResultLine()
                    .put("wb_ops_s", wbOps, 1)
                    .put("sync_ops_s", syncOps, 1)
                    .put("ratio", wbOps / syncOps, 2);
        }
    }

    private static Run writeBehind(
            Workload workload,
            IMap<AnalysisKey, CachedAudioAnalysis> map,
            BenchDatabase database,
            double timeoutSeconds)
            throws Exception {
        Owner owner = Owner.user(UUID.randomUUID());
        List<AnalysisKey> keys = workload.keysOf(owner);
        long[] nanos = new long[workload.size()];
        long start = System.nanoTime();
        for (int i = 0; i < workload.size(); i++) {
            long t = System.nanoTime();
            map.set(keys.get(i), Entries.rekeyed(workload.entries.get(i), keys.get(i)));
            nanos[i] = System.nanoTime() - t;
        }
        long acknowledged = System.nanoTime();
        long deadline = acknowledged + (long) (timeoutSeconds * 1e9);
        while (database.rowsOf(owner.id()) < workload.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("write-behind did not store " + workload.size() + " rows within "
                        + timeoutSeconds + " s (--timeout); " + database.rowsOf(owner.id()) + " stored");
            }
            Thread.sleep(10);
        }
        long durable = System.nanoTime();
        return new Run(latencies(nanos), (acknowledged - start) / 1e9, (durable - start) / 1e9);
    }

    /** Upserts the entries straight through the store, {@code perTransaction} rows per storeAll. */
    private static Run synchronous(Workload workload, PostgresAnalysisStore store, int perTransaction) {
        Owner owner = Owner.user(UUID.randomUUID());
        List<AnalysisKey> keys = workload.keysOf(owner);
        long[] nanos = new long[(workload.size() + perTransaction - 1) / perTransaction];
        long start = System.nanoTime();
        for (int from = 0, batch = 0; from < workload.size(); from += perTransaction, batch++) {
            Map<AnalysisKey, CachedAudioAnalysis> rows = new LinkedHashMap<>();
            for (int i = from; i < Math.min(workload.size(), from + perTransaction); i++) {
                rows.put(keys.get(i), Entries.rekeyed(workload.entries.get(i), keys.get(i)));
            }
            long t = System.nanoTime();
            if (perTransaction == 1) {
                rows.forEach(store::store);
            } else {
                store.storeAll(rows);
            }
            nanos[batch] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(latencies(nanos), seconds, seconds);
    }

    private static Latencies latencies(long[] nanos) {
        return nanos.length == 0 ? new Latencies(new long[] {0}, 1) : new Latencies(nanos, nanos.length);
    }

    private static String mb(long bytes) {
        return Table.format(bytes / 1e6);
    }

    private record Run(Latencies latencies, double acknowledgedSeconds, double durableSeconds) {}

    /** Distinct analyses, encoded once; each run files them under a fresh owner. */
    private record Workload(List<CachedAudioAnalysis> entries, long storedBytes) {

        static Workload of(List<AudioAnalysis> sources, int count, int frames, Random random) {
            Owner encoder = Owner.user(UUID.randomUUID());
            List<CachedAudioAnalysis> entries = new ArrayList<>(count);
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                AudioAnalysis analysis = AnalysisSlices.distinct(sources, i, frames, random);
                CachedAudioAnalysis entry = Entries.encoded(
                        new AnalysisKey(encoder, analysis.fileMetadataId(), analysis.stemType()), analysis);
                entries.add(entry);
                bytes += entry.size();
            }
            return new Workload(entries, bytes);
        }

        int size() {
            return entries.size();
        }

        List<AnalysisKey> keysOf(Owner owner) {
            return entries.stream()
                    .map(e -> new AnalysisKey(owner, e.fileMetadataId(), e.stemType()))
                    .toList();
        }
    }
}
