package io.stemcache.bench;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Owner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * One analysis read by a browser's way, over HTTP, in one run on the same corpus stems: (a) the product's path
 * today (its tRPC query's jsonb row as JSON, {@link ProductRoute}), and stemcache's API node answering
 * (b) JSON, (c) the binary payload, (d) the payload of a few features and (e) a 304 revalidation; beside
 * them the raw client get of the same entry in this JVM. Members and the API node run in JVMs of their own
 * ({@link ApiCluster}); one thread, one JDK HTTP client over loopback, no gzip.
 *
 * <pre>{@code java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar bench/target/stemcache-bench.jar http
 *     [--corpus ../shared/corpus] [--files 5] [--frames 0] [--members 3] [--seconds 10] [--warmup-seconds 2]
 *     [--min-ops 5] [--max-ops 1000000] [--features rms,spectralCentroid,zcr,energy]
 *     [--member-heap-mb 768] [--api-heap-mb 2048]}</pre>
 */
final class HttpCommand {

    static final Set<String> OPTIONS = Set.of(
            "corpus",
            "files",
            "frames",
            "members",
            "seconds",
            "warmup-seconds",
            "min-ops",
            "max-ops",
            "features",
            "member-heap-mb",
            "api-heap-mb");

    static final String DEFAULT_FEATURES = "rms,spectralCentroid,zcr,energy";

    private HttpCommand() {}

    static ResultLine run(Options options, PrintStream out) throws Exception {
        Path corpus = CorpusFiles.dir(options);
        int fileCount = options.integer("files", 5, 1, 100);
        int frames = options.integer("frames", 0, 0, 10_000_000);
        int members = options.integer("members", 3, 1, 9);
        TimedLoop.Budget budget = new TimedLoop.Budget(
                options.number("warmup-seconds", 2, 0, 3600),
                options.number("seconds", 10, 0, 3600),
                options.integer("min-ops", 5, 1, 1_000_000),
                options.integer("max-ops", 1_000_000, 1, 100_000_000));
        List<String> features = features(options.text("features", DEFAULT_FEATURES));
        int memberHeapMb = options.integer("member-heap-mb", 768, 128, 65_536);
        int apiHeapMb = options.integer("api-heap-mb", 2048, 256, 65_536);

        List<AudioAnalysis> analyses = new ArrayList<>();
        Random random = new Random(42);
        for (AudioAnalysis source : CorpusFiles.analyses(CorpusFiles.first(corpus, fileCount))) {
            AudioAnalysis analysis = frames == 0 ? source : AnalysisSlices.distinct(List.of(source), 0, frames, random);
            requireFeatures(analysis, features);
            analyses.add(analysis);
        }
        UUID user = UUID.randomUUID();
        Owner owner = Owner.user(user);
        List<AnalysisKey> keys = analyses.stream()
                .map(a -> new AnalysisKey(owner, a.fileMetadataId(), a.stemType()))
                .toList();

        try (BenchDatabase database = BenchDatabase.create("http");
                Connection jdbc = database.dataSource().getConnection();
                ApiCluster cluster = ApiCluster.start(members, memberHeapMb, apiHeapMb, database)) {
            LegacyRows.createTable(jdbc);
            HazelcastInstance nearClient = cluster.client(true);
            HazelcastInstance plainClient = cluster.client(false);
            HttpPaths paths = new HttpPaths(
                    cluster.base(),
                    cluster.token(user),
                    analyses,
                    keys,
                    features,
                    nearClient.getMap(BenchCluster.MAP),
                    plainClient.getMap(BenchCluster.MAP));
            long[] bytes = new long[5];
            for (int i = 0; i < analyses.size(); i++) {
                LegacyRows.upsert(jdbc, user, analyses.get(i));
                paths.put(i);
            }
            for (int i = 0; i < analyses.size(); i++) {
                long[] sizes = paths.verify(i);
                for (int p = 0; p < bytes.length; p++) {
                    bytes[p] += sizes[p];
                }
            }
            paths.requireOwnRowsOnly(cluster.token(UUID.randomUUID()));
            double n = analyses.size();
            double productBytes = bytes[0] / n;
            double binaryBytes = bytes[2] / n;

            Latencies product = TimedLoop.measure(budget, paths::product);
            Latencies json = TimedLoop.measure(budget, paths::json);
            Latencies binary = TimedLoop.measure(budget, paths::binary);
            Latencies projection = TimedLoop.measure(budget, paths::projection);
            Latencies revalidate = TimedLoop.measure(budget, paths::revalidate);
            Latencies floor = TimedLoop.measure(budget, paths::floor);
            Latencies rawNear = TimedLoop.measure(budget, paths::rawNear);
            Latencies rawPlain = TimedLoop.measure(budget, paths::rawPlain);
            Latencies rawVersion = TimedLoop.measure(budget, paths::rawVersion);

            Table table = new Table(
                    "GET of one analysis, one thread, " + analyses.size() + " analyses in turn, " + members
                            + " members and one API node in JVMs of their own (µs; MB = 10^6 bytes of body)",
                    "path",
                    "n",
                    "p50",
                    "p99",
                    "p99.9",
                    "body MB",
                    "p99 vs (a)",
                    "bytes vs (a)");
            Object[][] rows = {
                {"(a) product: jsonb row as JSON", product, productBytes},
                {"(b) stemcache JSON", json, bytes[1] / n},
                {"(c) stemcache binary", binary, binaryBytes},
                {"(d) binary, " + features.size() + " features", projection, bytes[3] / n},
                {"(e) 304 revalidation of (c)", revalidate, bytes[4] / n},
                {"    HTTP floor: authenticated 204", floor, 0.0},
                {"    raw client get, near cache", rawNear, binaryBytes},
                {"    raw client get, no near cache", rawPlain, binaryBytes},
                {"    raw client ReadVersion, (e)'s call", rawVersion, 0.0}
            };
            for (Object[] row : rows) {
                Latencies latencies = (Latencies) row[1];
                double body = (double) row[2];
                table.row(
                        row[0],
                        latencies.count(),
                        latencies.p50(),
                        latencies.p99(),
                        latencies.p999(),
                        body / 1e6,
                        product.p99() / latencies.p99(),
                        body / productBytes);
            }
            table.note(
                    "(a) the product's tRPC query emulated on the API node (ProductRoute): SELECT the row, jsonb as");
            table.note("    text, parse and write it again as the row's JSON (tRPC envelope, camelCase columns)");
            table.note(
                    "(b)-(e) GET /api/v1/analyses/{file}/{stem}: (b) Accept: application/json, from the near cache's");
            table.note("    decoded entry   (c) Accept: " + HttpPaths.BINARY + ", the stored payload");
            table.note("    (d) (c) with ?features=" + String.join(",", features) + ", cut on the owning member");
            table.note("    (e) (c) with If-None-Match: its ETag; the version checked on the member, no payload");
            table.note("floor: GET " + NoContentRoute.PATH + ", the same stack and token check doing nothing else");
            table.note("raw: a Hazelcast client get in this JVM from the API node's client file, payload copied out");
            table.note("ReadVersion: the entry processor (e) runs on the owning member to compare versions");
            table.note("p99 vs (a) = p99 of (a) / p99 of the path; bytes vs (a) = body bytes / those of (a)");
            table.note(
                    "targets: (c) p99 <= (a)/20; (e) p99 <= 2 ms; (d) bytes <= 15% of (c); (c) <= 1.3 x raw, near cache");
            out.print(table.render());

            return new ResultLine()
                    .put("product_p99_us", product.p99(), 1)
                    .put("json_p99_us", json.p99(), 1)
                    .put("binary_p99_us", binary.p99(), 1)
                    .put("projection_p99_us", projection.p99(), 1)
                    .put("revalidate_p99_us", revalidate.p99(), 1)
                    .put("floor_p99_us", floor.p99(), 1)
                    .put("raw_client_p99_us", rawNear.p99(), 1)
                    .put("projection_bytes_ratio", bytes[3] / (double) bytes[2], 4)
                    .put("speedup_binary_vs_product", product.p99() / binary.p99(), 1)
                    .put("binary_vs_raw_client", binary.p99() / rawNear.p99(), 2);
        }
    }

    /** The names of {@code --features}: at least one, each once. */
    static List<String> features(String option) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : option.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        if (names.isEmpty()) {
            throw new UsageException("option --features must name at least one series, e.g. " + DEFAULT_FEATURES);
        }
        return List.copyOf(names);
    }

    private static void requireFeatures(AudioAnalysis analysis, List<String> features) {
        for (String feature : features) {
            if (!analysis.analysisData().containsKey(feature)) {
                throw new UsageException("option --features names '" + feature + "', which stem "
                        + analysis.fileMetadataId() + "/" + analysis.stemType().code() + " does not have; it has "
                        + String.join(",", analysis.analysisData().keySet()));
            }
        }
    }
}
