package io.stemcache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.json.AnalysisJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every command on a tiny input (two corpus stems cut to a few hundred frames, small counts, short
 * budgets; for {@code pageload} the five stems of one track, cut alike) against the real PostgreSQL and Redis
 * (and, for {@code pageload}, Debian's headless Chromium), so the commands cannot rot. No timing is asserted:
 * only that each run succeeds and ends with a {@code RESULT} line holding exactly its keys, each a number
 * or a boolean.
 */
class StemcacheBenchIT {

    private static final Pattern VALUE = Pattern.compile("-?\\d+(\\.\\d+)?|true|false");

    private static final String TINY_TRACK = "tiny-track";

    @TempDir
    static Path tiny;

    /** The five stems of the corpus's first track, cut to 300 frames, as {@value #TINY_TRACK}.STEM.json.gz. */
    static Path tinyTrack;

    @BeforeAll
    static void writeTinyCorpus() throws IOException {
        String corpus = System.getProperty(CorpusFiles.PROPERTY);
        assertThat(corpus)
                .as("system property " + CorpusFiles.PROPERTY + " (set by the parent POM)")
                .isNotBlank();
        List<Path> files = CorpusFiles.first(Path.of(corpus), 2);
        Random random = new Random(7);
        for (int i = 0; i < files.size(); i++) {
            AudioAnalysis small = AnalysisSlices.distinct(List.of(CorpusFiles.analysis(files.get(i))), 0, 300, random);
            try (OutputStream out =
                    new GZIPOutputStream(Files.newOutputStream(tiny.resolve("tiny-" + i + ".json.gz")))) {
                AnalysisJson.write(small, out);
            }
        }
        tinyTrack = Files.createDirectory(tiny.resolve("track"));
        for (AudioAnalysis stem : PageLoadCommand.trackStems(Path.of(corpus), PageLoadCommand.DEFAULT_TRACK)) {
            AudioAnalysis small = AnalysisSlices.slice(stem, 0, 300, stem.fileMetadataId());
            Path file = tinyTrack.resolve(TINY_TRACK + "." + stem.stemType().code() + ".json.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                AnalysisJson.write(small, out);
            }
        }
    }

    @Test
    void compression_endsWithItsResult() {
        Map<String, String> result = run("compression", tiny.toString(), "--reps", "2", "--warmup", "1");
        assertThat(result)
                .containsOnlyKeys(
                        "files",
                        "reduction_vs_json",
                        "reduction_vs_jsonb",
                        "reduction_vs_float64",
                        "encode_mb_s",
                        "decode_mb_s",
                        "lossless");
        assertThat(result).containsEntry("files", "2").containsEntry("lossless", "true");
    }

    @Test
    void compressionAtQ16_reportsTheErrorToo() {
        Map<String, String> result =
                run("compression", tiny.toString(), "--precision", "q16", "--reps", "1", "--warmup", "0");
        assertThat(result)
                .containsOnlyKeys(
                        "files",
                        "reduction_vs_json",
                        "reduction_vs_jsonb",
                        "reduction_vs_float64",
                        "encode_mb_s",
                        "decode_mb_s",
                        "lossless",
                        "max_abs_error");
    }

    @Test
    void latency_endsWithItsResult() {
        Map<String, String> result = run(
                "latency",
                "--corpus",
                tiny.toString(),
                "--files",
                "2",
                "--seconds",
                "0.2",
                "--warmup-seconds",
                "0.1",
                "--min-ops",
                "3",
                "--max-ops",
                "2000");
        assertThat(result)
                .containsOnlyKeys(
                        "near_p99_us",
                        "cluster_p99_us",
                        "cold_p99_us",
                        "jsonb_p99_us",
                        "redis_p99_us",
                        "speedup_near_vs_jsonb",
                        "speedup_cluster_vs_redis");
    }

    @Test
    void writebehind_endsWithItsResult() {
        Map<String, String> result = run(
                "writebehind",
                "--corpus",
                tiny.toString(),
                "--sources",
                "2",
                "--count",
                "30",
                "--frames",
                "100",
                "--warmup",
                "5",
                "--timeout",
                "60");
        assertThat(result).containsOnlyKeys("wb_ops_s", "sync_ops_s", "ratio");
    }

    @Test
    void hitrate_endsWithItsResult() {
        Map<String, String> result = run(
                "hitrate",
                "--corpus",
                tiny.toString(),
                "--sources",
                "2",
                "--keys",
                "60",
                "--frames",
                "100",
                "--gets",
                "300",
                "--warmup-gets",
                "60",
                "--cap-mb",
                "1");
        assertThat(result).containsOnlyKeys("hit_rate");
    }

    @Test
    void http_printsItsTableAndEndsWithItsResult() {
        Run run = report(
                "http",
                "--corpus",
                tiny.toString(),
                "--files",
                "2",
                "--members",
                "2",
                "--seconds",
                "0.2",
                "--warmup-seconds",
                "0.1",
                "--min-ops",
                "3",
                "--max-ops",
                "200",
                "--member-heap-mb",
                "256",
                "--api-heap-mb",
                "512");
        assertThat(run.result())
                .containsOnlyKeys(
                        "product_p99_us",
                        "json_p99_us",
                        "binary_p99_us",
                        "projection_p99_us",
                        "revalidate_p99_us",
                        "floor_p99_us",
                        "raw_client_p99_us",
                        "projection_bytes_ratio",
                        "speedup_binary_vs_product",
                        "binary_vs_raw_client");
        assertThat(run.report())
                .contains("2 members and one API node in JVMs of their own")
                .contains(
                        "(a) product: jsonb row as JSON",
                        "(b) stemcache JSON",
                        "(c) stemcache binary",
                        "(d) binary, 4 features",
                        "(e) 304 revalidation of (c)",
                        "HTTP floor: authenticated 204",
                        "raw client get, near cache");
        assertThat(Double.parseDouble(run.result().get("projection_bytes_ratio")))
                .isBetween(0.0, 1.0);
    }

    @Test
    void httpWithAFeatureTheStemsLack_isAUsageErrorNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StemcacheBench.run(
                new String[] {"http", "--corpus", tiny.toString(), "--files", "1", "--features", "rms,noSuchSeries"},
                new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("option --features names 'noSuchSeries'")
                .contains("spectralCentroid");
    }

    @Test
    void pageload_printsItsTableAndEndsWithItsResult() {
        Run run = report(
                "pageload",
                "--corpus",
                tinyTrack.toString(),
                "--track",
                TINY_TRACK,
                "--runs",
                "1",
                "--warmup",
                "0",
                "--restart-runs",
                "1",
                "--members",
                "2",
                "--member-heap-mb",
                "256",
                "--api-heap-mb",
                "512");
        assertThat(run.result())
                .containsOnlyKeys(
                        "product_ms",
                        "product_first_ms",
                        "first_ms",
                        "refresh_ms",
                        "restart_ms",
                        "restart_fresh_ms",
                        "refresh_ratio",
                        "first_ratio",
                        "restart_ratio",
                        "product_bytes",
                        "first_bytes",
                        "refresh_bytes",
                        "restart_bytes",
                        "longest_task_ms",
                        "longest_not_drawing_ms",
                        "product_longest_task_ms");
        assertThat(run.report())
                .contains("Page load of a 5-stem project (" + TINY_TRACK + ":")
                .contains("2 members and one API node in JVMs of their own")
                .contains(
                        "(a)  product page, first visit",
                        "(a') product page, refresh",
                        "(b)  stemcache, first visit",
                        "(c)  stemcache, refresh",
                        "(d)  stemcache, refresh after full restart",
                        "(d') stemcache, new profile after restart")
                .contains("5 JSON rows", "5 revalidated")
                .contains("full restarts: 2,")
                .containsPattern(
                        "entries the members loaded from PostgreSQL while serving \\(d\\): \\[\\d+\\], \\(d'\\): \\[\\d+\\]");
        // A refresh moves the page's revalidations only, never the analyses again.
        assertThat(Long.parseLong(run.result().get("refresh_bytes")))
                .isLessThan(Long.parseLong(run.result().get("first_bytes")));
    }

    @Test
    void pageloadWithMoreRestartRunsThanRuns_isAUsageErrorNamingBoth() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StemcacheBench.run(
                new String[] {
                    "pageload",
                    "--corpus",
                    tinyTrack.toString(),
                    "--track",
                    TINY_TRACK,
                    "--runs",
                    "1",
                    "--restart-runs",
                    "2"
                },
                new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("option --restart-runs (2) must be at most --runs (1)");
    }

    @Test
    void unknownOption_isAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StemcacheBench.run(
                new String[] {"hitrate", "--keyz", "5"},
                new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --keyz");
    }

    /** What a command printed, and its RESULT line as key to value. */
    private record Run(String report, Map<String, String> result) {}

    private static Map<String, String> run(String... args) {
        return report(args).result();
    }

    /** Runs a command, checks it succeeded and ended with a RESULT line of numbers and booleans, and returns both. */
    private static Run report(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StemcacheBench.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit)
                .as("exit code; stderr:%n%s", err.toString(StandardCharsets.UTF_8))
                .isZero();
        String[] lines = report.strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(last).as("last line of%n%s", report).startsWith("RESULT ");
        Map<String, String> result = new LinkedHashMap<>();
        Arrays.stream(last.substring("RESULT ".length()).split(" ")).forEach(pair -> {
            String[] kv = pair.split("=", 2);
            assertThat(kv).as("'%s' in %s", pair, last).hasSize(2);
            assertThat(kv[1]).as("value of %s", kv[0]).matches(VALUE);
            result.put(kv[0], kv[1]);
        });
        return new Run(report, result);
    }
}
