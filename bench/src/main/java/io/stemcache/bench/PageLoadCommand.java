package io.stemcache.bench;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * The story's moment in a real browser: a 5-stem project from the corpus (the five stems of one track) opened in
 * headless Chromium, timed from navigation start to all five analyses decoded in the page's memory, with the bytes
 * the load moved and the main thread's longest task. (a) The product's path today: a bench-only page
 * ({@link BenchPages}) fetches the five rows as JSON from {@link ProductRoute} (jsonb over HTTP) and
 * {@code JSON.parse}s them. (b)-(d) The project page the API node serves ({@code /?files=ID}), its user's token in
 * the page's storage, reading the payloads and decoding them in a worker: (b) first visit, entries in the cluster,
 * (c) refresh, (d) refresh after a full cluster restart (members stopped gracefully, new ones on the same database:
 * the entries come from PostgreSQL; the browser still holds its copies and revalidates), (d') a fresh profile after
 * such a restart. (a) is also refreshed, (a'). Each run uses fresh browser profiles; members and the API node run in
 * JVMs of their own ({@link ApiCluster}).
 *
 * <pre>{@code java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar bench/target/stemcache-bench.jar pageload
 *     [--corpus ../shared/corpus] [--track drascula-track01] [--runs 5] [--warmup 1] [--restart-runs 5]
 *     [--members 3] [--member-heap-mb 768] [--api-heap-mb 2048] [--ready-timeout-seconds 120]}</pre>
 */
final class PageLoadCommand {

    static final Set<String> OPTIONS = Set.of(
            "corpus",
            "track",
            "runs",
            "warmup",
            "restart-runs",
            "members",
            "member-heap-mb",
            "api-heap-mb",
            "ready-timeout-seconds");

    static final String DEFAULT_TRACK = "drascula-track01";

    /** Where the project page and the product page keep the signed-in user's token. */
    private static final String USER_KEY = "stemcache.user";

    private static final String PROJECT_REPORT = "stemcacheReport";
    private static final String PRODUCT_REPORT = "productReport";

    /** The page loads measured, in the table's order. */
    enum Case {
        PRODUCT_FIRST("(a)  product page, first visit"),
        PRODUCT_REFRESH("(a') product page, refresh"),
        FIRST("(b)  stemcache, first visit"),
        REFRESH("(c)  stemcache, refresh"),
        RESTART("(d)  stemcache, refresh after full restart"),
        RESTART_FRESH("(d') stemcache, new profile after restart");

        final String label;

        Case(String label) {
            this.label = label;
        }
    }

    private PageLoadCommand() {}

    static ResultLine run(Options options, PrintStream out) throws Exception {
        Path corpus = CorpusFiles.dir(options);
        String track = options.text("track", DEFAULT_TRACK);
        int runs = options.integer("runs", 5, 1, 100);
        int warmup = options.integer("warmup", 1, 0, 100);
        int restartRuns = options.integer("restart-runs", runs, 1, 100);
        if (restartRuns > runs) {
            throw new UsageException(
                    "option --restart-runs (" + restartRuns + ") must be at most --runs (" + runs + ")");
        }
        int members = options.integer("members", 3, 1, 9);
        int memberHeapMb = options.integer("member-heap-mb", 768, 128, 65_536);
        int apiHeapMb = options.integer("api-heap-mb", 2048, 256, 65_536);
        Duration readyTimeout = Duration.ofSeconds(options.integer("ready-timeout-seconds", 120, 5, 3600));

        List<AudioAnalysis> stems = trackStems(corpus, track);
        UUID fileId = stems.get(0).fileMetadataId();
        UUID user = UUID.randomUUID();
        Owner owner = Owner.user(user);
        List<AnalysisKey> keys = stems.stream()
                .map(a -> new AnalysisKey(owner, a.fileMetadataId(), a.stemType()))
                .toList();

        try (BenchDatabase database = BenchDatabase.create("pageload");
                Connection jdbc = database.dataSource().getConnection();
                ApiCluster cluster = ApiCluster.start(members, memberHeapMb, apiHeapMb, database)) {
            String token = cluster.token(user);
            LegacyRows.createTable(jdbc);
            HazelcastInstance client = cluster.client(false);
            HttpPaths paths = new HttpPaths(
                    cluster.base(),
                    token,
                    stems,
                    keys,
                    HttpCommand.features(HttpCommand.DEFAULT_FEATURES),
                    client.getMap(BenchCluster.MAP),
                    client.getMap(BenchCluster.MAP));
            long productBody = 0;
            long payloads = 0;
            for (int i = 0; i < stems.size(); i++) {
                LegacyRows.upsert(jdbc, user, stems.get(i));
                paths.put(i);
            }
            for (int i = 0; i < stems.size(); i++) {
                long[] sizes = paths.verify(i);
                productBody += sizes[0];
                payloads += sizes[2];
            }

            Pages pages = new Pages(cluster.base(), fileId, token, stems, readyTimeout);
            Map<Case, List<PageLoad>> loads = new EnumMap<>(Case.class);
            for (Case c : Case.values()) {
                loads.put(c, new ArrayList<>());
            }
            List<ApiCluster.Restart> restarts = new ArrayList<>();
            List<Long> restartLoads = new ArrayList<>();
            List<Long> freshLoads = new ArrayList<>();
            boolean freshGenerationRunning = false;
            String browserVersion = "";
            for (int run = 0; run < warmup + runs; run++) {
                boolean measured = run >= warmup;
                boolean restart = measured && run - warmup < restartRuns;
                try (BenchBrowser browser = BenchBrowser.start()) {
                    browserVersion = browser.version();
                    keep(loads, Case.PRODUCT_FIRST, measured, pages.product(browser, false));
                    keep(loads, Case.PRODUCT_REFRESH, measured, pages.product(browser, true));
                }
                try (BenchBrowser browser = BenchBrowser.start()) {
                    keep(loads, Case.FIRST, measured, pages.project(browser, false));
                    keep(loads, Case.REFRESH, measured, pages.project(browser, true));
                    if (restart) {
                        ApiCluster.Restart before = cluster.restartMembers();
                        restarts.add(before);
                        if (freshGenerationRunning) {
                            freshLoads.add(before.loadsOfStoppedMembers());
                        }
                        keep(loads, Case.RESTART, true, pages.project(browser, true));
                    }
                }
                if (restart) {
                    ApiCluster.Restart after = cluster.restartMembers();
                    restarts.add(after);
                    restartLoads.add(after.loadsOfStoppedMembers());
                    try (BenchBrowser browser = BenchBrowser.start()) {
                        keep(loads, Case.RESTART_FRESH, true, pages.project(browser, false));
                    }
                    freshGenerationRunning = true;
                }
            }
            if (freshGenerationRunning) {
                freshLoads.add(cluster.stopMembers());
            }
            requireFromDatabase(Case.RESTART, restartLoads, stems.size());
            requireFromDatabase(Case.RESTART_FRESH, freshLoads, stems.size());

            out.print(table(
                            loads,
                            stems,
                            track,
                            productBody,
                            payloads,
                            members,
                            runs,
                            warmup,
                            browserVersion,
                            restarts,
                            restartLoads,
                            freshLoads)
                    .render());

            double productMs = median(loads.get(Case.PRODUCT_REFRESH), PageLoad::decodedMs);
            double productFirstMs = median(loads.get(Case.PRODUCT_FIRST), PageLoad::decodedMs);
            double firstMs = median(loads.get(Case.FIRST), PageLoad::decodedMs);
            double refreshMs = median(loads.get(Case.REFRESH), PageLoad::decodedMs);
            double restartMs = median(loads.get(Case.RESTART), PageLoad::decodedMs);
            List<PageLoad> stemcache = new ArrayList<>();
            for (Case c : List.of(Case.FIRST, Case.REFRESH, Case.RESTART, Case.RESTART_FRESH)) {
                stemcache.addAll(loads.get(c));
            }
            List<PageLoad> product = new ArrayList<>(loads.get(Case.PRODUCT_FIRST));
            product.addAll(loads.get(Case.PRODUCT_REFRESH));
            return new ResultLine()
                    .put("product_ms", productMs, 1)
                    .put("product_first_ms", productFirstMs, 1)
                    .put("first_ms", firstMs, 1)
                    .put("refresh_ms", refreshMs, 1)
                    .put("restart_ms", restartMs, 1)
                    .put("restart_fresh_ms", median(loads.get(Case.RESTART_FRESH), PageLoad::decodedMs), 1)
                    .put("refresh_ratio", refreshMs / productMs, 4)
                    .put("first_ratio", firstMs / productFirstMs, 4)
                    .put("restart_ratio", restartMs / productMs, 4)
                    .put("product_bytes", (long) median(loads.get(Case.PRODUCT_REFRESH), PageLoad::bytes))
                    .put("first_bytes", (long) median(loads.get(Case.FIRST), PageLoad::bytes))
                    .put("refresh_bytes", (long) median(loads.get(Case.REFRESH), PageLoad::bytes))
                    .put("restart_bytes", (long) median(loads.get(Case.RESTART), PageLoad::bytes))
                    .put("longest_task_ms", max(stemcache, PageLoad::longestTaskMs), 1)
                    .put("longest_not_drawing_ms", max(stemcache, PageLoad::notDrawingMs), 1)
                    .put("product_longest_task_ms", max(product, PageLoad::longestTaskMs), 1);
        }
    }

    /**
     * The page loads themselves: the user's token set in the origin's storage on a blank page first (a fresh
     * profile's HTTP cache stays empty), then the page opened or refreshed and its report read once ready. Every
     * project-page load must show the numbers of the first one (the page's fingerprint of every value, per stem).
     */
    private static final class Pages {

        private final URI project;
        private final URI product;
        private final URI blank;
        private final String token;
        private final List<AudioAnalysis> stems;
        private final Duration timeout;
        private Map<String, String> fingerprints;

        Pages(URI base, UUID fileId, String token, List<AudioAnalysis> stems, Duration timeout) {
            this.project = base.resolve("/?files=" + fileId);
            this.product = base.resolve(BenchPages.PATH + "product.html?file=" + fileId);
            this.blank = base.resolve(BenchPages.PATH + "blank.html");
            this.token = token;
            this.stems = stems;
            this.timeout = timeout;
        }

        PageLoad product(BenchBrowser browser, boolean refresh) {
            go(browser, product, refresh);
            return PageLoad.ofProductPage(browser.awaitReady(PRODUCT_REPORT, timeout), browser.probe(), stems);
        }

        PageLoad project(BenchBrowser browser, boolean refresh) {
            go(browser, project, refresh);
            PageLoad load = PageLoad.ofProjectPage(browser.awaitReady(PROJECT_REPORT, timeout), browser.probe(), stems);
            if (fingerprints == null) {
                fingerprints = load.fingerprints();
            } else if (!fingerprints.equals(load.fingerprints())) {
                throw new IllegalStateException("the project page showed other numbers than on its first load: "
                        + load.fingerprints() + " after " + fingerprints + " (fingerprints per stem)");
            }
            return load;
        }

        private void go(BenchBrowser browser, URI page, boolean refresh) {
            if (refresh) {
                browser.refresh();
                return;
            }
            browser.open(blank);
            browser.setLocalStorage(USER_KEY, token);
            browser.open(page);
        }
    }

    private static void keep(Map<Case, List<PageLoad>> loads, Case c, boolean measured, PageLoad load) {
        if (measured) {
            loads.get(c).add(load);
        }
    }

    /** After a full restart the members hold nothing: what they served came from PostgreSQL, so they loaded it. */
    static void requireFromDatabase(Case c, List<Long> loads, int stems) {
        for (long loaded : loads) {
            if (loaded < stems) {
                throw new IllegalStateException(c.label.trim() + ": the members serving it loaded " + loaded
                        + " entries from PostgreSQL, fewer than the " + stems
                        + " stems: something kept them across the restart");
            }
        }
    }

    /** The five stems of {@code track} in the corpus ({@code TRACK.STEM.json.gz}), all of one file. */
    static List<AudioAnalysis> trackStems(Path corpus, String track) {
        List<Path> files = new ArrayList<>();
        for (StemType stem : StemType.values()) {
            Path file = corpus.resolve(track + "." + stem.code() + ".json.gz");
            if (!Files.isRegularFile(file)) {
                List<String> tracks = CorpusFiles.list(corpus).stream()
                        .map(f -> f.getFileName().toString())
                        .map(n -> n.substring(0, n.indexOf('.')))
                        .distinct()
                        .toList();
                throw new UsageException("option --track names '" + track + "', but " + file
                        + " does not exist; the corpus" + " has the tracks " + String.join(", ", tracks));
            }
            files.add(file);
        }
        List<AudioAnalysis> stems = CorpusFiles.analyses(files);
        for (AudioAnalysis stem : stems) {
            if (!stem.fileMetadataId().equals(stems.get(0).fileMetadataId())) {
                throw new IllegalStateException("the stems of track " + track + " are not of one file: "
                        + stem.stemType().code() + " is of " + stem.fileMetadataId() + ", master of "
                        + stems.get(0).fileMetadataId());
            }
        }
        return stems;
    }

    private static Table table(
            Map<Case, List<PageLoad>> loads,
            List<AudioAnalysis> stems,
            String track,
            long productBody,
            long payloads,
            int members,
            int runs,
            int warmup,
            String browserVersion,
            List<ApiCluster.Restart> restarts,
            List<Long> restartLoads,
            List<Long> freshLoads) {
        Table table = new Table(
                "Page load of a " + stems.size() + "-stem project (" + track + ": "
                        + Table.format(productBody / 1e6) + " MB as the product's JSON, " + Table.format(payloads / 1e6)
                        + " MB of payloads), headless Chromium " + browserVersion + ", " + members
                        + " members and one API node in"
                        + " JVMs of their own; " + runs + " runs after " + warmup
                        + " warm-up (ms from navigation start, medians"
                        + " unless max; MB = 10^6 bytes transferred)",
                "page load",
                "runs",
                "ms",
                "max ms",
                "vs product",
                "MB",
                "analyses MB",
                "1st call",
                "decode sum",
                "longest task",
                "not drawing",
                "answered as (all runs)");
        for (Case c : Case.values()) {
            List<PageLoad> measured = loads.get(c);
            if (measured.isEmpty()) {
                continue;
            }
            Case baseline = switch (c) {
                case PRODUCT_FIRST, FIRST, RESTART_FRESH -> Case.PRODUCT_FIRST;
                default -> Case.PRODUCT_REFRESH;
            };
            double ms = median(measured, PageLoad::decodedMs);
            table.row(
                    c.label,
                    measured.size(),
                    ms,
                    max(measured, PageLoad::decodedMs),
                    ms / median(loads.get(baseline), PageLoad::decodedMs),
                    median(measured, PageLoad::bytes) / 1e6,
                    median(measured, PageLoad::analysisBytes) / 1e6,
                    median(measured, PageLoad::firstCallMs),
                    median(measured, PageLoad::decodeSumMs),
                    max(measured, PageLoad::longestTaskMs),
                    max(measured, PageLoad::notDrawingMs),
                    sources(measured));
        }
        table.note(
                "ms: navigation start to the last of the 5 analyses in the page's memory (performance.now()): (a) after");
        table.note(
                "    JSON.parse of its row on the main thread; (b)-(d) decoded in the page's worker, before drawing");
        table.note("vs product: ms / the product page's ms, first visits against (a), refreshes against (a')");
        table.note(
                "MB: transferSize of the document and every resource in the page's timeline (the worker's own module");
        table.note("    fetches are not in it: a few kB); analyses MB: the 5 rows, or the 5 payloads or their 304s");
        table.note("1st call: when the page made its first API call (its scripts fetched and run); decode sum: the 5");
        table.note("    JSON.parse calls, or the worker's 5 decodes (one worker, in turn), added up");
        table.note(
                "longest task: the main thread's longest task (PerformanceObserver 'longtask', over 50 ms; 0 = none),");
        table.note("    max over the runs; not drawing: the same without the time the project page spent drawing and");
        table.note("    fingerprinting stems (from each stem's decodedAt to its shownAt): what decoding could cause");
        table.note(
                "(d) refresh of (c)'s tab after the members were stopped gracefully and new ones started on the same");
        table.note("    database: the members load the entries from PostgreSQL, the browser revalidates its copies");
        table.note("(d') a new profile (empty HTTP cache) after another such restart");
        table.note("full restarts: " + restarts.size() + ", members stopped in "
                + Table.format(medianOf(restarts.stream()
                        .mapToDouble(r -> r.stopping().toMillis() / 1000.0)
                        .toArray())) + " s, API node ready "
                + Table.format(medianOf(restarts.stream()
                        .mapToDouble(r -> r.total().toMillis() / 1000.0)
                        .toArray()))
                + " s after the first stop (medians)");
        table.note("entries the members loaded from PostgreSQL while serving (d): " + restartLoads + ", (d'): "
                + freshLoads);
        table.note("targets: (c) <= 5% of (a'); (b) <= 15% of (a); no main-thread task over 50 ms caused by decoding");
        return table;
    }

    /** The sources of the loads' analyses, counted over all runs: e.g. {@code 15 revalidated, 10 network}. */
    static String sources(List<PageLoad> loads) {
        Map<String, Integer> counts = new TreeMap<>();
        loads.forEach(l -> l.sources().forEach((source, n) -> counts.merge(source, n, Integer::sum)));
        StringBuilder out = new StringBuilder();
        counts.forEach((source, n) ->
                out.append(out.isEmpty() ? "" : ", ").append(n).append(' ').append(source));
        return out.toString();
    }

    static double median(List<PageLoad> loads, ToDoubleFunction<PageLoad> value) {
        return medianOf(loads.stream().mapToDouble(value).toArray());
    }

    static double max(List<PageLoad> loads, ToDoubleFunction<PageLoad> value) {
        return loads.stream().mapToDouble(value).max().orElse(Double.NaN);
    }

    /** The median (the mean of the middle two for an even count); NaN for none. */
    static double medianOf(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
