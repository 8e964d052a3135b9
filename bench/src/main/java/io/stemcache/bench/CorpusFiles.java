package io.stemcache.bench;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.json.AnalysisJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Analysis files in the corpus format: {@code *.json.gz}, one gzip-compressed JSON document each. */
final class CorpusFiles {

    /** The system property the build sets to the shared corpus folder. */
    static final String PROPERTY = "stemcache.corpus";

    /** Where the corpus lives beside the repository, for runs from the repository's root. */
    static final String BESIDE_REPOSITORY = "../shared/corpus";

    private CorpusFiles() {}

    /** The folder given by {@code --corpus}, else {@value #PROPERTY}, else {@value #BESIDE_REPOSITORY} if it exists. */
    static Path dir(Options options) {
        String dir = options.text("corpus", System.getProperty(PROPERTY));
        if (dir == null || dir.isBlank()) {
            if (Files.isDirectory(Paths.get(BESIDE_REPOSITORY))) {
                return Paths.get(BESIDE_REPOSITORY).toAbsolutePath().normalize();
            }
            throw new UsageException("no corpus folder: pass --corpus DIR (or -D" + PROPERTY + "=DIR)");
        }
        return Paths.get(dir).toAbsolutePath().normalize();
    }

    /** The {@code *.json.gz} files in {@code dir}, sorted by name; never empty. */
    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("corpus folder " + dir + " does not exist or is not a folder");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> files = entries.filter(f -> f.getFileName().toString().endsWith(".json.gz"))
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new UsageException("no *.json.gz files in " + dir);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The first {@code count} files of {@code dir}; fails naming the folder if it has fewer. */
    static List<Path> first(Path dir, int count) {
        List<Path> files = list(dir);
        if (files.size() < count) {
            throw new UsageException(dir + " has " + files.size() + " *.json.gz files, " + count + " wanted");
        }
        return files.subList(0, count);
    }

    /** The uncompressed JSON of a file. */
    static byte[] json(Path file) {
        try (InputStream in = Gzip.decompressing(Files.newInputStream(file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The parsed analysis of a file; a malformed document fails naming the file. */
    static AudioAnalysis analysis(Path file) {
        try (InputStream in = Gzip.decompressing(Files.newInputStream(file))) {
            return AnalysisJson.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static List<AudioAnalysis> analyses(List<Path> files) {
        List<AudioAnalysis> analyses = new ArrayList<>(files.size());
        for (Path file : files) {
            analyses.add(analysis(file));
        }
        return analyses;
    }
}
