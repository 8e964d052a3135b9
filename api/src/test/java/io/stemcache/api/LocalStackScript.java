package io.stemcache.api;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bin/stemcache-local} run as a developer runs it, on settings of its own (free ports, a cluster name and a
 * directory no other run uses), so that it disturbs nothing already running on this machine. Its output and
 * errors go to {@code script.out} in its directory.
 */
final class LocalStackScript implements AutoCloseable {

    static final String JAVA_OPTS = "-Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final Pattern UP = Pattern.compile("stemcache is up at (http://localhost:(\\d+))");

    final Path dir;
    final String cluster;
    final Map<String, String> environment = new LinkedHashMap<>();
    private final Path output;
    private Process process;

    /** Settings for a run in {@code dir}: free ports, a fresh cluster name, this JVM's Java. */
    LocalStackScript(Path dir, String databaseUrl) throws IOException {
        this.dir = dir;
        this.cluster = "quickstart-it-" + UUID.randomUUID().toString().substring(0, 8);
        this.output = dir.resolve("script.out");
        Files.createDirectories(dir);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("STEMCACHE_LOCAL_API_PORT", Integer.toString(freePort()));
        environment.put("STEMCACHE_LOCAL_API_MANAGEMENT_PORT", Integer.toString(freePort()));
        environment.put("STEMCACHE_LOCAL_NODE_PORT", Integer.toString(freePort()));
        environment.put("STEMCACHE_LOCAL_MEMBER_PORT", Integer.toString(freePort()));
        environment.put("STEMCACHE_LOCAL_CLUSTER", cluster);
        environment.put("STEMCACHE_LOCAL_DATABASE_URL", databaseUrl);
        environment.put("STEMCACHE_LOCAL_DIR", dir.toString());
        environment.put("STEMCACHE_LOCAL_JAVA_OPTS", JAVA_OPTS);
    }

    /**
     * Starts {@code command} (a README command line, or a script's path) with bash in {@code workDir}, in the
     * environment of this JVM without its {@code STEMCACHE_*} variables, and with {@link #environment} (a null
     * value removes the variable).
     */
    LocalStackScript start(Path workDir, String command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(bash(), "-c", "exec " + command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("STEMCACHE_"));
        environment.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        process = builder.start();
        return this;
    }

    /** Waits until the script says the stack is up, and returns the URL it printed; fails with its output if it exits. */
    String awaitUp(Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .failFast("the script exited", () -> !process.isAlive())
                .until(() -> UP.matcher(output()).find());
        Matcher up = UP.matcher(output());
        up.find();
        return up.group(1);
    }

    /** Waits for the script to exit on its own and returns its status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the script is still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM to the script (what Ctrl-C does to it), then its exit status. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    Process process() {
        return process;
    }

    String output() {
        try {
            return Files.isRegularFile(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String log(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    /** The script's child whose command line contains {@code marker} (a jar's name). */
    ProcessHandle child(String marker) {
        return process.children()
                .filter(child -> child.info().commandLine().orElse("").contains(marker))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the script has no child running " + marker));
    }

    /** Processes of this run still alive (they name its cluster or its directory): none once the script is done. */
    List<String> leftovers() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive)
                    .map(handle ->
                            handle.pid() + " " + handle.info().commandLine().orElse(""))
                    .filter(line -> line.contains("-Dhz.cluster-name=" + cluster) || line.contains(dir.toString()))
                    .toList();
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A failed assertion must not leave JVMs behind for the next test.
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** bash, found on this JVM's PATH (a run may give the script a PATH without it). */
    static String bash() {
        return onPath("bash").orElseThrow(() -> new IllegalStateException("bash is not on the PATH"));
    }

    static Optional<String> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, command))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
