package io.stemcache.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A main class of this benchmark run in a JVM of its own, from the benchmark's own classpath (its jar under
 * {@code java -jar}, else the test's classpath), so that members and the API node do not share the driver's
 * heap, JIT and garbage collector. The child says it is ready with a {@link #READY} line on standard output,
 * and ends when its standard input closes: on {@link #close()}, and also when the driver dies.
 */
final class ChildJvm implements AutoCloseable {

    /** The line a child prints once it serves, followed by a space and what the driver needs to know. */
    static final String READY = "stemcache-bench child ready";

    /** The line a child prints as it ends, followed by a space and its figures (e.g. a member's loads). */
    static final String REPORT = "stemcache-bench child report";

    /** The access to JDK internals Hazelcast asks for (the bench jar's manifest grants it to {@code java -jar} only). */
    static final List<String> HAZELCAST_ACCESS = List.of(
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private static final String BOOT_LOADER = "org.springframework.boot.loader.";
    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final CompletableFuture<String> report = new CompletableFuture<>();

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code main} with {@code jvmOptions} (heap, flags), extra {@code environment} variables and
     * {@code args}; its standard output and error go to {@code <logDir>/<name>.log}.
     */
    static ChildJvm start(
            String name,
            Class<?> main,
            List<String> jvmOptions,
            Map<String, String> environment,
            List<String> args,
            Path logDir) {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command(main, jvmOptions, args)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the JVM of " + name, e);
        }
        ChildJvm child = new ChildJvm(name, process, log);
        Thread reader = new Thread(child::copyOutput, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    /** The command line: {@code java OPTIONS -cp CLASSPATH MAIN ARGS}, through Spring Boot's launcher inside a jar. */
    static List<String> command(Class<?> main, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(HAZELCAST_ACCESS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        if (ChildJvm.class.getClassLoader().getClass().getName().startsWith(BOOT_LOADER)) {
            // Classes in BOOT-INF/ of the executable jar: its launcher finds them and runs loader.main.
            command.add("-Dloader.main=" + main.getName());
            command.add(BOOT_LOADER + "launch.PropertiesLauncher");
        } else {
            command.add(main.getName());
        }
        command.addAll(args);
        return command;
    }

    /** Waits for the child's ready line and returns what follows {@link #READY}; fails with its log if it exits or is late. */
    String awaitReady(Duration timeout) throws InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    name + " was not ready within " + timeout.toMillis() / 1000.0 + " s; " + logTail());
        } catch (ExecutionException e) {
            int exit = exitCode();
            throw new IllegalStateException(
                    name + " exited" + (exit < 0 ? "" : " with code " + exit) + " before it was ready; " + logTail());
        }
    }

    /**
     * Waits for the child's {@link #REPORT} line (printed as it ends, so call after {@link #stop}) and returns what
     * follows it; fails with its log if the child ended without one or is late.
     */
    String awaitReport(Duration timeout) throws InterruptedException {
        try {
            return report.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(name + " printed no report line as it ended; " + logTail());
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /**
     * Closes the child's standard input, which it takes as the signal to stop, and waits for it; one that does
     * not stop within 30 s, or while this thread is interrupted, is killed. Returns whether it ended by itself
     * with exit code 0.
     */
    boolean stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Its end of the pipe is gone: the child is gone too.
        }
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                return process.exitValue() == 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return false;
    }

    @Override
    public void close() {
        stop();
    }

    // ---- the child's side ----

    /** Called by a child's main once it serves: prints the ready line the driver waits for. */
    static void ready(String detail) {
        System.out.println(READY + " " + detail);
        System.out.flush();
    }

    /** Called by a child's main as it ends: prints the report line {@link #awaitReport} returns. */
    static void report(String detail) {
        System.out.println(REPORT + " " + detail);
        System.out.flush();
    }

    /** Called by a child's main after {@link #ready}: blocks until the driver closes the pipe (or dies). */
    static void awaitEndOfInput() throws IOException {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Nothing is sent; anything that is, is ignored.
        }
    }

    // ---- the driver's side ----

    private void copyOutput() {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                file.write(line);
                file.newLine();
                file.flush();
                if (!ready.isDone() && line.startsWith(READY)) {
                    ready.complete(line.substring(READY.length()).trim());
                } else if (!report.isDone() && line.startsWith(REPORT)) {
                    report.complete(line.substring(REPORT.length()).trim());
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException(name + " closed its output"));
        report.completeExceptionally(new IllegalStateException(name + " closed its output"));
    }

    private int exitCode() throws InterruptedException {
        return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "last lines of its log " + log + ":\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "its log " + log + " cannot be read: " + e.getMessage();
        }
    }
}
