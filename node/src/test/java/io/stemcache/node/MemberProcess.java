package io.stemcache.node;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A stemcache member in its own JVM, started from the node's executable jar, so a test can kill it
 * with SIGKILL or stop it with SIGTERM like an orchestrator would.
 */
public final class MemberProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String name;

    private MemberProcess(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    /**
     * Starts a member that binds the first free port of {@code basePort} to {@code basePort + 2} and finds the
     * other members on those ports (the shipped member list, 127.0.0.1, probes three ports from the configured
     * one), with the given system properties and Spring arguments.
     */
    public static MemberProcess start(
            String name,
            String clusterName,
            int basePort,
            String jdbcUrl,
            Map<String, String> systemProperties,
            String... springArgs)
            throws IOException {
        return start(name, clusterName, basePort, jdbcUrl, List.of("-Xmx768m"), systemProperties, springArgs);
    }

    /** As {@link #start(String, String, int, String, Map, String...)}, with these JVM options (heap size, say). */
    public static MemberProcess start(
            String name,
            String clusterName,
            int basePort,
            String jdbcUrl,
            List<String> jvmOptions,
            Map<String, String> systemProperties,
            String... springArgs)
            throws IOException {
        Path jar = Paths.get(System.getProperty("stemcache.node.jar", "target/stemcache-node-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "node jar " + jar.toAbsolutePath() + " is missing: run the package phase first");
        }
        Path log = Paths.get("target", "members", name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dhz.cluster-name=" + clusterName,
                "-Dhz.network.port.port=" + basePort,
                "-Dhz.network.port.auto-increment=true",
                "-Dhz.network.port.port-count=3"));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "--spring.datasource.url=" + jdbcUrl,
                "--management.server.port=0",
                "--spring.main.banner-mode=off"));
        command.addAll(List.of(springArgs));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new MemberProcess(process, log, name);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits until the member logs that it is ready, or fails with its log (at once if it exits). */
    public void awaitReady(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "member " + name + " exited with " + process.exitValue() + ":\n" + log());
                }
                return log().contains("stemcache node ready");
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("member " + name + " not ready within " + timeout + ":\n" + log(), e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no migration. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Spring's graceful shutdown, which flushes the write-behind queue. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("member " + name + " did not stop within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing member " + name, e);
            }
        }
    }

    /** The first of {@code size} consecutive loopback ports that are free now, from a random place in 20000-39999. */
    public static int freePortRange(int size) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + ThreadLocalRandom.current().nextInt(20000);
            boolean free = true;
            for (int port = base; port < base + size && free; port++) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no " + size + " consecutive free ports found");
    }
}
