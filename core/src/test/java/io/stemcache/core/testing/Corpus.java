package io.stemcache.core.testing;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.Waveform;
import io.stemcache.core.json.AnalysisJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The shared audio-analysis corpus for tests: its {@code *.json.gz} files, their JSON, and the parsed
 * analyses (a few kept softly, so loading all ten twice stays within a test heap).
 *
 * <p>The folder comes from the system property {@value #PROPERTY}, which the parent POM sets for
 * surefire and failsafe; without it, or with no files in it, every method fails rather than skipping.
 */
public final class Corpus {

    /** The system property naming the corpus folder. */
    public static final String PROPERTY = "stemcache.corpus";

    private static final int KEPT_ANALYSES = 3;

    /** Most recently used last; values are soft so a tight heap can still take them back. */
    private static final Map<Path, SoftReference<AudioAnalysis>> PARSED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, SoftReference<AudioAnalysis>> eldest) {
            return size() > KEPT_ANALYSES;
        }
    };

    private Corpus() {}

    /** The corpus folder. */
    public static Path dir() {
        String property = System.getProperty(PROPERTY);
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set: run the tests through"
                    + " Maven (the parent POM sets it) or pass -D" + PROPERTY + "=/path/to/shared/corpus");
        }
        Path dir = Paths.get(property).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(PROPERTY + " points to " + dir + ", which is not a folder");
        }
        return dir;
    }

    /** The corpus files ({@code *.json.gz}), sorted by name; never empty. */
    public static List<Path> files() {
        Path dir = dir();
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> files = entries.filter(f -> f.getFileName().toString().endsWith(".json.gz"))
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new IllegalStateException(
                        "no *.json.gz files in the corpus folder " + dir + " (" + PROPERTY + ")");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus folder " + dir, e);
        }
    }

    /** The uncompressed JSON of a corpus file. */
    public static byte[] json(Path file) {
        try (InputStream in = gunzip(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus file " + file, e);
        }
    }

    /** The parsed analysis of a corpus file; the same instance while it stays cached. */
    public static AudioAnalysis load(Path file) {
        Path key = file.toAbsolutePath().normalize();
        synchronized (PARSED) {
            SoftReference<AudioAnalysis> kept = PARSED.get(key);
            AudioAnalysis analysis = kept == null ? null : kept.get();
            if (analysis != null) {
                return analysis;
            }
        }
        AudioAnalysis analysis;
        try (InputStream in = gunzip(key)) {
            analysis = AnalysisJson.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus file " + key, e);
        }
        synchronized (PARSED) {
            PARSED.put(key, new SoftReference<>(analysis));
        }
        return analysis;
    }

    /** The analysis of the first corpus file. */
    public static AudioAnalysis first() {
        return load(files().get(0));
    }

    /**
     * The first corpus analysis cut to its first {@code frames} frames, for fast tests: every series
     * truncated, the waveform points kept, only the markers before the shorter duration kept, and both
     * durations set to {@code frames * bufferSize / sampleRate}.
     */
    public static AudioAnalysis small(int frames) {
        AudioAnalysis full = first();
        int available = full.analysisData().values().iterator().next().length;
        if (frames < 1 || frames > available) {
            throw new IllegalArgumentException("frames must be 1 to " + available + ", got " + frames);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        full.analysisData().forEach((name, values) -> series.put(name, Arrays.copyOf(values, frames)));
        AnalysisMetadata metadata = full.metadata();
        double duration = (double) frames * metadata.bufferSize() / metadata.sampleRate();
        Waveform waveform = full.waveformData();
        List<Marker> markers =
                waveform.markers().stream().filter(m -> m.time() < duration).toList();
        return new AudioAnalysis(
                full.fileMetadataId(),
                full.stemType(),
                full.analysisVersion(),
                series,
                new Waveform(waveform.points(), waveform.sampleRate(), duration, markers),
                new AnalysisMetadata(
                        metadata.sampleRate(),
                        duration,
                        metadata.bufferSize(),
                        metadata.featuresExtracted(),
                        metadata.analysisDuration()));
    }

    /** The file's row of {@code MANIFEST.tsv}, column name to value. */
    public static Map<String, String> manifest(Path file) {
        Path manifest = dir().resolve("MANIFEST.tsv");
        try {
            List<String> lines = Files.readAllLines(manifest);
            String[] header = lines.get(0).split("\t", -1);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t", -1);
                if (cells[0].equals(file.getFileName().toString())) {
                    Map<String, String> row = new HashMap<>();
                    for (int i = 0; i < header.length && i < cells.length; i++) {
                        row.put(header[i], cells[i]);
                    }
                    return row;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        throw new IllegalStateException(manifest + " has no row for " + file.getFileName());
    }

    private static InputStream gunzip(Path file) throws IOException {
        return new GZIPInputStream(Files.newInputStream(file), 1 << 16);
    }
}
