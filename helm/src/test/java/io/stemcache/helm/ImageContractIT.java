package io.stemcache.helm;

import static io.stemcache.helm.HelmChartIT.containerPort;
import static io.stemcache.helm.RenderedChart.at;
import static io.stemcache.helm.RenderedChart.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * There is no Docker engine here to build {@code node/Dockerfile}, so this checks that the image and the
 * chart agree: the jar the build makes is the one the image runs, and the chart's user, ports, arguments
 * and JAVA_OPTS are the ones the image expects.
 */
class ImageContractIT {

    private static List<String> dockerfile;
    private static String nodePom;
    private static RenderedChart chart;

    @BeforeAll
    static void read() throws IOException {
        Path node = Path.of(Helm.requiredProperty("stemcache.node.dir"));
        dockerfile = Files.readAllLines(node.resolve("Dockerfile")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        nodePom = Files.readString(node.resolve("pom.xml"));
        chart = Helm.fromSystemProperties().render();
    }

    @Test
    void image_copiesTheJarTheNodeBuildMakesAndRunsIt() {
        assertThat(instruction("FROM")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(nodePom).contains("<finalName>stemcache-node</finalName>", "<classifier>exec</classifier>");
        String[] copy = instruction("COPY").replaceFirst("^--chown=\\S+ ", "").split(" ");
        assertThat(copy).containsExactly("target/stemcache-node-exec.jar", "/app/stemcache-node-exec.jar");

        List<Object> entrypoint = list(new Yaml(new SafeConstructor(new LoaderOptions())).load(instruction("ENTRYPOINT")));
        assertThat(entrypoint.subList(0, 2)).containsExactly("sh", "-c");
        // exec: java is PID 1 and gets SIGTERM; "$@": the Job's `migrate` argument reaches the application.
        assertThat((String) entrypoint.get(2)).startsWith("exec java $JAVA_OPTS ")
                .contains("-jar " + copy[1]).endsWith("\"$@\"");
    }

    @Test
    void chart_runsTheImageAsItsUserWithItsPortsAndJavaOpts() {
        String[] user = instruction("USER").split(":");
        Map<String, Object> members = chart.one("StatefulSet");
        Map<String, Object> job = chart.one("Job");
        for (Map<String, Object> workload : List.of(members, job)) {
            assertThat(at(workload, "spec", "template", "spec", "securityContext", "runAsUser"))
                    .isEqualTo(Integer.parseInt(user[0]));
            assertThat(at(workload, "spec", "template", "spec", "securityContext", "runAsGroup"))
                    .isEqualTo(Integer.parseInt(user[1]));
        }

        Map<String, Object> member = chart.container(members, "member");
        List<Integer> exposed = Arrays.stream(instruction("EXPOSE").split(" ")).map(Integer::valueOf).toList();
        assertThat(exposed).containsExactlyInAnyOrder(containerPort(member, "hazelcast"), containerPort(member, "http"));

        assertThat(member).as("the image's ENTRYPOINT starts the member").doesNotContainKeys("command", "args");
        assertThat(chart.container(job, "migrate")).doesNotContainKey("command");
        assertThat(chart.env(members, "member").get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
        assertThat(chart.env(job, "migrate").get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=");
        assertThat(instruction("ENV JAVA_OPTS=").length()).as("the image has defaults of its own").isPositive();
    }

    /** The arguments of the only instruction that starts with {@code prefix} (e.g. "USER", "ENV JAVA_OPTS="). */
    private static String instruction(String prefix) {
        List<String> found = dockerfile.stream().filter(line -> line.startsWith(prefix + (prefix.endsWith("=") ? "" : " "))).toList();
        assertThat(found).as("node/Dockerfile instructions starting with " + prefix).hasSize(1);
        return found.get(0).substring(prefix.length()).trim();
    }
}
