package io.stemcache.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stemcache member in its own JVM, started from the node's executable jar, so a test can kill it
 * with SIGKILL or stop it with SIGTERM like an orchestrator would.
 */
final class MemberProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int hazelcastPort;

    private MemberProcess(Process process, Path log, int hazelcastPort) {
        this.process = process;
        this.log = log;
        this.hazelcastPort = hazelcastPort;
    }

    /**
     * Starts a member on {@code hazelcastPort} (its cluster finds members on the two ports above and below
     * {@code basePort}) with the given system properties and Spring arguments.
     */
    static MemberProcess start(String name, String clusterName, int basePort, int hazelcastPort, String jdbcUrl,
                               Map<String, String> systemProperties, String... springArgs) throws IOException {
        Path jar = Paths.get(System.getProperty("stemcache.node.jar", "target/stemcache-node-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("node jar " + jar.toAbsolutePath() + " is missing: run the package phase first");
        }
        Path log = Paths.get("target", "members", name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dhz.cluster-name=" + clusterName,
                "-Dhz.network.port.port=" + hazelcastPort,
                "-Dhz.network.port.auto-increment=false",
                "-Dhz.network.join.tcp-ip.member-list=127.0.0.1:" + basePort + "-" + (basePort + 2)));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString(),
                "--spring.datasource.url=" + jdbcUrl,
                "--server.port=0",
                "--spring.main.banner-mode=off"));
        command.addAll(List.of(springArgs));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new MemberProcess(process, log, hazelcastPort);
    }

    int hazelcastPort() {
        return hazelcastPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits until the member logs that it is ready, or fails with its log. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("member on port " + hazelcastPort + " exited with "
                        + process.exitValue() + ":\n" + log());
            }
            if (log().contains("stemcache node ready")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("member on port " + hazelcastPort + " not ready within " + timeout + ":\n" + log());
    }

    /** SIGKILL: no shutdown hook, no flush, no migration. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Spring's graceful shutdown, which flushes the write-behind queue. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("member on port " + hazelcastPort + " did not stop within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
