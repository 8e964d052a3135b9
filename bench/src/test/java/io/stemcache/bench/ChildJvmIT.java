package io.stemcache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs started from the test's classpath as the {@code http} command starts its members and API node:
 * the ready line, a child that exits or is late, stopping by closing the child's input, and the report line a
 * child prints as it ends.
 */
class ChildJvmIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> SMALL = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path logs;

    /** Ready at once, with a detail; then waits for its input to close. */
    static final class Ready {
        public static void main(String[] args) throws IOException {
            ChildJvm.ready("port=" + args[0]);
            ChildJvm.awaitEndOfInput();
        }
    }

    /** Says something, but is never ready. */
    static final class NeverReady {
        public static void main(String[] args) throws IOException {
            System.out.println("still starting");
            ChildJvm.awaitEndOfInput();
        }
    }

    /** Ready, and as its input closes, reports a figure before it ends. */
    static final class Reporting {
        public static void main(String[] args) throws IOException {
            ChildJvm.ready("reporting");
            ChildJvm.awaitEndOfInput();
            ChildJvm.report("loads=" + args[0]);
        }
    }

    @Test
    void readyChild_returnsItsDetail_andStopsCleanlyWhenItsInputCloses() throws Exception {
        ChildJvm child = ChildJvm.start("ready", Ready.class, SMALL, Map.of(), List.of("4242"), logs);
        assertThat(child.awaitReady(START)).isEqualTo("port=4242");
        assertThat(child.stop()).isTrue();
        assertThat(child.isAlive()).isFalse();
        assertThat(Files.readString(child.log())).contains(ChildJvm.READY + " port=4242");
    }

    @Test
    void reportingChild_givesItsReportLineAfterItStops() throws Exception {
        ChildJvm child = ChildJvm.start("reporting", Reporting.class, SMALL, Map.of(), List.of("7"), logs);
        child.awaitReady(START);
        assertThat(child.stop()).isTrue();
        assertThat(child.awaitReport(START)).isEqualTo("loads=7");
    }

    @Test
    void childThatEndsWithoutAReport_failsNamingItAndTheEndOfItsLog() throws Exception {
        ChildJvm child = ChildJvm.start("silent", Ready.class, SMALL, Map.of(), List.of("1"), logs);
        child.awaitReady(START);
        assertThat(child.stop()).isTrue();
        assertThatThrownBy(() -> child.awaitReport(START))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("silent printed no report line as it ended")
                .hasMessageContaining(ChildJvm.READY + " port=1");
    }

    @Test
    void childThatExitsBeforeItIsReady_failsWithItsExitCodeAndTheEndOfItsLog() {
        ChildJvm child = ChildJvm.start("member-x", BenchMember.class, SMALL, Map.of(), List.of("too", "few"), logs);
        assertThatThrownBy(() -> child.awaitReady(START))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("member-x exited with code 2 before it was ready")
                .hasMessageContaining("usage: BenchMember CLUSTER_NAME PORT");
        assertThat(child.stop()).isFalse();
    }

    @Test
    void childThatIsNeverReady_failsAfterTheTimeout_andIsStillStopped() throws Exception {
        ChildJvm child = ChildJvm.start("slow", NeverReady.class, SMALL, Map.of(), List.of(), logs);
        // Its first line shows it runs; the ready line never comes.
        assertThatThrownBy(() -> child.awaitReady(Duration.ofMillis(1500)))
                .hasMessageContaining("slow was not ready within 1.5 s");
        assertThat(child.stop()).isTrue();
        assertThat(Files.readString(child.log())).contains("still starting");
    }

    @Test
    void apiNodeWithoutAJwtSecret_exitsNamingTheProperty() throws Exception {
        Path application = logs.resolve("application.yaml");
        Files.writeString(application, ApiNodeFiles.applicationYaml());
        ChildJvm api = ChildJvm.start(
                "api-node",
                BenchApiNode.class,
                List.of("-Xmx256m"),
                Map.of("STEMCACHE_API_JWT_SECRET", ""),
                List.of(
                        "--spring.config.location=file:" + application,
                        "--server.port=0",
                        "--" + ProductRoute.JDBC_PROPERTY + "=" + BenchDatabase.DEFAULT_SERVER),
                logs);
        assertThatThrownBy(() -> api.awaitReady(START))
                .hasMessageContaining("api-node exited with code 1 before it was ready")
                .hasMessageContaining("stemcache.api.jwt.secret must be set");
    }

    @Test
    void command_runsTheMainClassOnThisClasspathWithHazelcastsAccess() {
        List<String> command = ChildJvm.command(Ready.class, List.of("-Xmx64m"), List.of("a"));
        assertThat(command.get(0)).endsWith("java");
        assertThat(command)
                .containsSubsequence(
                        "-Xmx64m",
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Ready.class.getName(),
                        "a");
    }
}
