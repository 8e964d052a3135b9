package io.stemcache.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the fetched {@code helm} against the chart, always as release {@link #RELEASE} in {@link #NAMESPACE}. */
final class Helm {

    static final String RELEASE = "cache";
    static final String NAMESPACE = "audio";

    /**
     * The database password every render and lint starts from (the chart refuses an empty one without an existing
     * Secret); a test's own {@code --set database.password=...} comes later and wins.
     */
    static final String DATABASE_PASSWORD = "chart-test-database-password";

    private final Path helm;
    private final Path chart;

    private Helm(Path helm, Path chart) {
        this.helm = helm;
        this.chart = chart;
    }

    /** The chart and helm folder named by the failsafe configuration in {@code helm/pom.xml}. */
    static Helm fromSystemProperties() {
        Path chart = Path.of(requiredProperty("stemcache.helm.chart"));
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            throw new IllegalStateException("stemcache.helm.chart=" + chart + " has no Chart.yaml");
        }
        return new Helm(HelmBinary.in(Path.of(requiredProperty("stemcache.helm.bin"))), chart);
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven "
                    + "(mvn -pl helm verify), which sets it in helm/pom.xml");
        }
        return value;
    }

    Path chart() {
        return chart;
    }

    Result version() {
        return run(List.of("version", "--short"));
    }

    /** {@code helm lint --strict} with the given extra arguments (e.g. {@code --set k=v}). */
    Result lint(String... args) {
        List<String> command = new ArrayList<>(List.of(
                "lint",
                "--strict",
                chart.toString(),
                "--namespace",
                NAMESPACE,
                "--set",
                "database.password=" + DATABASE_PASSWORD));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    Result template(String... args) {
        List<String> command = new ArrayList<>(List.of(
                "template",
                RELEASE,
                chart.toString(),
                "--namespace",
                NAMESPACE,
                "--set",
                "database.password=" + DATABASE_PASSWORD));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /** Renders the chart, which must succeed, and parses every document. */
    RenderedChart render(String... args) {
        Result result = template(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("helm template " + String.join(" ", args) + " failed:\n" + result.stderr());
        }
        return RenderedChart.parse(result.stdout());
    }

    /**
     * NOTES.txt as {@code helm install} would print it. Only an install (which needs a cluster) renders NOTES,
     * so a copy of the chart renders it into a ConfigMap through a named template.
     */
    String notes(String... args) {
        try {
            Path copy = Files.createTempDirectory("stemcache-notes");
            try {
                copyTree(chart, copy);
                Path templates = copy.resolve("templates");
                Files.writeString(
                        templates.resolve("_notes-under-test.tpl"),
                        "{{- define \"notesUnderTest\" -}}\n" + Files.readString(templates.resolve("NOTES.txt"))
                                + "\n{{- end -}}\n");
                Files.writeString(templates.resolve("notes-under-test.yaml"), """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: notes-under-test
                        data:
                          notes: {{ include "notesUnderTest" . | quote }}
                        """);
                List<String> command = new ArrayList<>(List.of(
                        "template",
                        RELEASE,
                        copy.toString(),
                        "--namespace",
                        NAMESPACE,
                        "--set",
                        "database.password=" + DATABASE_PASSWORD,
                        "--show-only",
                        "templates/notes-under-test.yaml"));
                command.addAll(Arrays.asList(args));
                Result result = run(command);
                if (result.exitCode() != 0) {
                    throw new AssertionError(
                            "rendering NOTES.txt with " + String.join(" ", args) + " failed:\n" + result.stderr());
                }
                return String.valueOf(
                        RenderedChart.at(RenderedChart.parse(result.stdout()).one("ConfigMap"), "data", "notes"));
            } finally {
                deleteTree(copy);
            }
        } catch (IOException e) {
            throw new IllegalStateException("copying the chart to render NOTES.txt failed", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(helm.toString());
        command.addAll(args);
        try {
            Path out = Files.createTempFile("helm", ".out");
            Path err = Files.createTempFile("helm", ".err");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                // No cluster, no user config: helm must not read or write outside the build folder.
                Path home = helm.getParent().getParent();
                builder.environment()
                        .put("HELM_CACHE_HOME", home.resolve("cache").toString());
                builder.environment()
                        .put("HELM_CONFIG_HOME", home.resolve("config").toString());
                builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
                Process process = builder.start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("running " + command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** What a helm command printed and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {}
}
