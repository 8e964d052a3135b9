package io.stemcache.bench;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.json.AnalysisJson;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * What stemcache stores per analysis against the peers (the JSON, the product's jsonb row, gzip-6 JSON,
 * raw float64), the codec's encode and decode speed, and whether every value survives bit-exact.
 *
 * <pre>{@code java -jar bench/target/stemcache-bench.jar compression ../shared/corpus [--precision float32|q16]
 *     [--reps 15] [--warmup 15]}</pre>
 */
final class CompressionCommand {

    static final Set<String> OPTIONS = Set.of("precision", "reps", "warmup");

    private static final double MB = 1e6;

    private CompressionCommand() {}

    static ResultLine run(Options options, PrintStream out) throws Exception {
        if (options.positional().size() != 1) {
            throw new UsageException("compression needs one folder of *.json.gz files, got " + options.positional());
        }
        Precision precision = precision(options.text("precision", "float64"));
        int reps = options.integer("reps", 15, 1, 1_000);
        int warmup = options.integer("warmup", 15, 0, 1_000);
        AnalysisCodec codec = AnalysisCodec.standard();
        UUID user = UUID.randomUUID();
        Owner owner = Owner.user(user);

        Table files = new Table(
                "compression, " + precision + " (sizes in MB = 10^6 bytes; speeds in MB of raw"
                        + " float64 per second, median of " + reps + " runs after " + warmup
                        + " warm-up rounds over all files)",
                "file",
                "JSON",
                "stored",
                "jsonb",
                "gzip-6",
                "float64",
                "st/JSON",
                "st/jsonb",
                "st/gzip",
                "st/f64",
                "enc MB/s",
                "dec MB/s",
                "bit-exact");
        List<Sample> samples = new ArrayList<>();
        try (BenchDatabase database = BenchDatabase.create("compression");
                Connection connection = database.dataSource().getConnection()) {
            LegacyRows.createTable(connection);
            for (Path file : CorpusFiles.list(Path.of(options.positional().get(0)))) {
                byte[] json = CorpusFiles.json(file);
                AudioAnalysis analysis = AnalysisJson.read(json);
                AnalysisKey key = new AnalysisKey(owner, analysis.fileMetadataId(), analysis.stemType());
                byte[] payload = CachedAudioAnalysis.of(key, analysis, null, 1, precision, codec, Instant.now())
                        .payload();
                LegacyRows.upsert(connection, user, analysis);
                long jsonb = LegacyRows.storedBytes(connection, analysis.fileMetadataId(), analysis.stemType());
                samples.add(new Sample(
                        file.getFileName().toString().replace(".json.gz", ""),
                        analysis,
                        payload,
                        json.length,
                        jsonb,
                        Gzip.compress(json).length,
                        codec.rawSize(analysis)));
            }
        }
        // Speeds after every file was sizes-checked: the JIT sees all of them in the warm-up before any is timed.
        for (int i = 0; i < warmup; i++) {
            for (Sample sample : samples) {
                codec.decode(codec.encode(sample.analysis, precision));
            }
        }
        Totals totals = new Totals();
        for (Sample sample : samples) {
            double encodeSeconds = medianSeconds(reps, () -> codec.encode(sample.analysis, precision).length);
            double decodeSeconds = medianSeconds(
                    reps, () -> codec.decode(sample.payload).analysisData().size());
            RoundTrip roundTrip = RoundTrip.compare(sample.analysis, codec.decode(sample.payload));
            totals.add(
                    sample.json,
                    sample.payload.length,
                    sample.jsonb,
                    sample.gzip,
                    sample.raw,
                    encodeSeconds,
                    decodeSeconds,
                    roundTrip);
            files.row(
                    sample.name,
                    mb(sample.json),
                    mb(sample.payload.length),
                    mb(sample.jsonb),
                    mb(sample.gzip),
                    mb(sample.raw),
                    ratio(sample.payload.length, sample.json),
                    ratio(sample.payload.length, sample.jsonb),
                    ratio(sample.payload.length, sample.gzip),
                    ratio(sample.payload.length, sample.raw),
                    sample.raw / MB / encodeSeconds,
                    sample.raw / MB / decodeSeconds,
                    roundTrip.bitExact() ? "yes" : "no");
        }
        files.row(
                "TOTAL (" + totals.files + ")",
                mb(totals.json),
                mb(totals.stored),
                mb(totals.jsonb),
                mb(totals.gzip),
                mb(totals.raw),
                ratio(totals.stored, totals.json),
                ratio(totals.stored, totals.jsonb),
                ratio(totals.stored, totals.gzip),
                ratio(totals.stored, totals.raw),
                totals.encodeMbPerSecond(),
                totals.decodeMbPerSecond(),
                totals.bitExact ? "yes" : "no");
        files.note("stored = the exact payload stemcache writes to PostgreSQL and holds in memory (codec.encode);");
        files.note("jsonb = pg_column_size(analysis_data) + pg_column_size(waveform_data) of the product's row"
                + " (TOAST-compressed by the server); st/X = stored / X");
        out.print(files.render());

        Table peers = new Table(
                "stemcache " + precision + " against each peer, all files",
                "peer",
                "MB",
                "stemcache MB",
                "reduction (1 - stored/peer)");
        peers.row("JSON", mb(totals.json), mb(totals.stored), 1 - ratio(totals.stored, totals.json));
        peers.row(
                "jsonb (PostgreSQL, product's row)",
                mb(totals.jsonb),
                mb(totals.stored),
                1 - ratio(totals.stored, totals.jsonb));
        peers.row(
                "gzip-6 JSON (e.g. in Redis)",
                mb(totals.gzip),
                mb(totals.stored),
                1 - ratio(totals.stored, totals.gzip));
        peers.row("raw float64", mb(totals.raw), mb(totals.stored), 1 - ratio(totals.stored, totals.raw));
        peers.note("max |error| after a round trip: " + totals.maxAbsError
                + (totals.bitExact ? " (every value bit-exact)" : ""));
        out.print(peers.render());

        ResultLine result = new ResultLine()
                .put("files", totals.files)
                .put("reduction_vs_json", 1 - ratio(totals.stored, totals.json), 4)
                .put("reduction_vs_jsonb", 1 - ratio(totals.stored, totals.jsonb), 4)
                .put("reduction_vs_float64", 1 - ratio(totals.stored, totals.raw), 4)
                .put("encode_mb_s", totals.encodeMbPerSecond(), 1)
                .put("decode_mb_s", totals.decodeMbPerSecond(), 1)
                .put("lossless", totals.bitExact);
        if (options.has("precision")) {
            result.put("max_abs_error", totals.maxAbsError, 12);
        }
        return result;
    }

    static Precision precision(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float64" -> Precision.FLOAT64;
            case "float32" -> Precision.FLOAT32;
            case "q16" -> Precision.Q16;
            default ->
                throw new UsageException("option --precision must be float64, float32 or q16, got '" + name + "'");
        };
    }

    /** Median wall time of {@code reps} runs. */
    private static double medianSeconds(int reps, IntSupplier work) {
        long sink = 0;
        long[] nanos = new long[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            sink += work.getAsInt();
            nanos[i] = System.nanoTime() - start;
        }
        if (sink == Long.MIN_VALUE) {
            throw new AssertionError("unreachable: keeps the work from being optimised away");
        }
        Arrays.sort(nanos);
        return nanos[reps / 2] / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / MB;
    }

    private static double ratio(long part, long whole) {
        return (double) part / whole;
    }

    /** One file: its analysis, the payload stemcache stores for it, and the peers' sizes in bytes. */
    private record Sample(
            String name, AudioAnalysis analysis, byte[] payload, long json, long jsonb, long gzip, long raw) {}

    /** Sums over all files; speeds are total raw bytes over the sum of the per-file median times. */
    private static final class Totals {
        int files;
        long json;
        long stored;
        long jsonb;
        long gzip;
        long raw;
        double encodeSeconds;
        double decodeSeconds;
        boolean bitExact = true;
        double maxAbsError;

        void add(
                long jsonBytes,
                long storedBytes,
                long jsonbBytes,
                long gzipBytes,
                long rawBytes,
                double encode,
                double decode,
                RoundTrip roundTrip) {
            files++;
            json += jsonBytes;
            stored += storedBytes;
            jsonb += jsonbBytes;
            gzip += gzipBytes;
            raw += rawBytes;
            encodeSeconds += encode;
            decodeSeconds += decode;
            bitExact &= roundTrip.bitExact();
            maxAbsError = Math.max(maxAbsError, roundTrip.maxAbsError());
        }

        double encodeMbPerSecond() {
            return raw / MB / encodeSeconds;
        }

        double decodeMbPerSecond() {
            return raw / MB / decodeSeconds;
        }
    }
}
