package io.stemcache.bench;

import io.stemcache.core.codec.AnalysisCodec;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The benchmark runner: {@code java -jar bench/target/stemcache-bench.jar COMMAND [options]} with the
 * commands {@code compression DIR}, {@code latency}, {@code writebehind}, {@code hitrate}, {@code http} and
 * {@code pageload}. Each prints its tables to standard output and, as its last line, {@code RESULT key=value ...};
 * the exit code is 0 on success, 1 when the run failed and 2 for a usage error. {@code http} and {@code pageload}
 * start their members and API node in JVMs of their own from this jar ({@link ChildJvm}); {@code pageload} also
 * drives Debian's headless Chromium ({@link BenchBrowser}); the other commands run their members in this JVM.
 */
public final class StemcacheBench {

    static final String USAGE = """
            usage: java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -jar stemcache-bench.jar COMMAND [options]
              compression DIR [--precision float64|float32|q16] [--reps 15] [--warmup 15]
              latency     [--corpus DIR] [--files 5] [--frames 0 (whole)] [--members 3] [--seconds 6]
                          [--warmup-seconds 1.5] [--min-ops 5] [--max-ops 1000000] [--redis 127.0.0.1:6379]
              writebehind [--corpus DIR] [--count 2000] [--frames 500] [--sources 3] [--members 3]
                          [--write-delay 1] [--batch-size 50] [--warmup 200] [--seed 42]
              hitrate     [--corpus DIR] [--keys 2000] [--frames 300] [--sources 3] [--members 3] [--zipf 1.0]
                          [--fit 0.4 | --cap-mb MB] [--gets 20000] [--warmup-gets 6000] [--seed 42]
              http        [--corpus DIR] [--files 5] [--frames 0 (whole)] [--members 3] [--seconds 10]
                          [--warmup-seconds 2] [--min-ops 5] [--max-ops 1000000]
                          [--features rms,spectralCentroid,zcr,energy] [--member-heap-mb 768] [--api-heap-mb 2048]
                          (members and the API node each in a JVM of its own)
              pageload    [--corpus DIR] [--track drascula-track01] [--runs 5] [--warmup 1] [--restart-runs 5 (runs)]
                          [--members 3] [--member-heap-mb 768] [--api-heap-mb 2048] [--ready-timeout-seconds 120]
                          (the http command's JVMs, plus headless Chromium: /usr/bin/chromium, /usr/bin/chromedriver)
            The corpus folder defaults to -Dstemcache.corpus, else ../shared/corpus. PostgreSQL: 127.0.0.1:5432
            (user postgres; -Dstemcache.bench.jdbc=URL to change); each command makes and drops its own database.
            """;

    /** The LZ4 implementation the codec uses in this run: JNI, or a Java fallback where there is no native library. */
    private static final String LZ4 = AnalysisCodec.lz4Implementation();

    // Kept: java.util.logging holds its loggers weakly, and a collected logger forgets its level.
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    private StemcacheBench() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; its report goes to {@code out}, failures to {@code err}. Returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        quietLibraries();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        out.printf(
                "stemcache-bench %s: Java %s, %d cores, heap %d-%d MB%s, LZ4 %s%n%n",
                args[0],
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().totalMemory() >> 20,
                Runtime.getRuntime().maxMemory() >> 20,
                jvm.contains("-XX:+AlwaysPreTouch") ? " pre-touched" : " (not pre-touched: see BENCHMARKS.md)",
                LZ4);
        try {
            ResultLine result = switch (args[0]) {
                case "compression" -> CompressionCommand.run(Options.parse(rest, CompressionCommand.OPTIONS), out);
                case "latency" -> LatencyCommand.run(Options.parse(rest, LatencyCommand.OPTIONS), out);
                case "writebehind" -> WriteBehindCommand.run(Options.parse(rest, WriteBehindCommand.OPTIONS), out);
                case "hitrate" -> HitRateCommand.run(Options.parse(rest, HitRateCommand.OPTIONS), out);
                case "http" -> HttpCommand.run(Options.parse(rest, HttpCommand.OPTIONS), out);
                case "pageload" -> PageLoadCommand.run(Options.parse(rest, PageLoadCommand.OPTIONS), out);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
            out.println(result);
            out.flush();
            return 0;
        } catch (UsageException e) {
            err.println("stemcache-bench: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("stemcache-bench " + args[0] + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static void quietLibraries() {
        System.setProperty("hazelcast.logging.type", "slf4j");
        System.setProperty("hazelcast.phone.home.enabled", "false");
        // Liquibase otherwise fetches its analytics settings from the internet before each command.
        System.setProperty("liquibase.analytics.enabled", "false");
        LIQUIBASE_LOG.setLevel(Level.WARNING);
    }
}
