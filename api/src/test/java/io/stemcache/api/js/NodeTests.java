package io.stemcache.api.js;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs JavaScript tests with Node's own test runner ({@code node --test}) from a JUnit test, so they run in
 * {@code ./mvnw -B verify} beside the Java ones and fail it when they fail; their output goes to the test's output.
 */
public final class NodeTests {

    /** The JS client's folder: {@code api/js}, from the api module's base directory (Maven's working directory). */
    public static final Path JS = Path.of("js").toAbsolutePath();

    private NodeTests() {}

    /** Runs {@code node --test} on these files under {@link #JS} with extra environment; asserts it passed. */
    public static void run(Map<String, String> environment, String... files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
        for (String file : files) {
            Path path = JS.resolve(file);
            assertThat(path).as("JS test file").exists();
            command.add(path.toString());
        }
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(JS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("node-test", ".log");
        builder.redirectOutput(log.toFile());
        Process node = builder.start();
        boolean finished = node.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            node.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);
        assertThat(finished).as("node --test finished within 10 minutes").isTrue();
        assertThat(node.exitValue())
                .as("node --test " + String.join(" ", files) + " failed:\n" + output)
                .isZero();
    }
}
