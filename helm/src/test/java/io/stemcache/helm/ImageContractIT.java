package io.stemcache.helm;

import static io.stemcache.helm.HelmChartIT.containerPort;
import static io.stemcache.helm.RenderedChart.at;
import static io.stemcache.helm.RenderedChart.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * chart agree: the jars the builds make are the ones the image holds and runs, and the chart's user, ports,
 * commands and JAVA_OPTS are the ones the image expects.
 */
class ImageContractIT {

    private static Path repo;
    private static List<String> dockerfile;
    private static String nodePom;
    private static RenderedChart chart;

    @BeforeAll
    static void read() throws IOException {
        repo = Path.of(Helm.requiredProperty("stemcache.repo.dir"));
        Path node = Path.of(Helm.requiredProperty("stemcache.node.dir"));
        dockerfile = Files.readAllLines(node.resolve("Dockerfile")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();
        nodePom = Files.readString(node.resolve("pom.xml"));
        chart = Helm.fromSystemProperties()
                .render("--set", "api.enabled=true", "--set", "api.jwt.existingSecret=supabase");
    }

    @Test
    void image_copiesTheJarTheNodeBuildMakesAndRunsIt() {
        assertThat(instruction("FROM")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(nodePom).contains("<finalName>stemcache-node</finalName>", "<classifier>exec</classifier>");
        String[] copy = copies().get(0);
        assertThat(copy).containsExactly("node/target/stemcache-node-exec.jar", "/app/stemcache-node-exec.jar");

        List<Object> entrypoint =
                list(new Yaml(new SafeConstructor(new LoaderOptions())).load(instruction("ENTRYPOINT")));
        assertThat(entrypoint.subList(0, 2)).containsExactly("sh", "-c");
        // exec: java is PID 1 and gets SIGTERM; "$@": the Job's `migrate` argument reaches the application.
        assertThat((String) entrypoint.get(2))
                .startsWith("exec java $JAVA_OPTS ")
                .contains("-jar " + copy[1])
                .endsWith("\"$@\"");
    }

    /** The build context is the repository root; only the jars the COPY lines name pass .dockerignore. */
    @Test
    void image_holdsTheApiJarWhereTheChartRunsIt() throws IOException {
        List<String[]> copies = copies();
        assertThat(copies).hasSize(2);
        assertThat(copies.get(1)).containsExactly("api/target/stemcache-api-exec.jar", "/app/stemcache-api-exec.jar");
        List<String> ignore = Files.readAllLines(repo.resolve(".dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();
        assertThat(ignore).containsExactly("*", "!" + copies.get(0)[0], "!" + copies.get(1)[0]);

        Map<String, Object> api = chart.container(chart.named("Deployment", ApiChartIT.API), "api");
        assertThat(list(api.get("command")))
                .containsExactly("sh", "-c", "exec java $JAVA_OPTS -jar " + copies.get(1)[1]);
        assertThat(api.get("image"))
                .isEqualTo(chart.container(chart.one("StatefulSet"), "member").get("image"));
        assertThat(instruction("EXPOSE").split(" ")).contains(String.valueOf(containerPort(api, "http")));
    }

    /** Skipped until the api module is on this branch: its build must make the jar the image copies. */
    @Test
    void apiBuild_makesTheJarTheImageCopies() throws IOException {
        Path apiPom = repo.resolve("api/pom.xml");
        assumeTrue(Files.exists(apiPom), "the api module is not on this branch yet");
        assertThat(Files.readString(apiPom))
                .contains("<finalName>stemcache-api</finalName>", "<classifier>exec</classifier>");
        assertThat(copies().get(1)[0]).isEqualTo("api/target/stemcache-api-exec.jar");
    }

    @Test
    void chart_runsTheImageAsItsUserWithItsPortsAndJavaOpts() {
        String[] user = instruction("USER").split(":");
        Map<String, Object> members = chart.one("StatefulSet");
        Map<String, Object> job = chart.one("Job");
        Map<String, Object> api = chart.named("Deployment", ApiChartIT.API);
        for (Map<String, Object> workload : List.of(members, job, api)) {
            assertThat(at(workload, "spec", "template", "spec", "securityContext", "runAsUser"))
                    .isEqualTo(Integer.parseInt(user[0]));
            assertThat(at(workload, "spec", "template", "spec", "securityContext", "runAsGroup"))
                    .isEqualTo(Integer.parseInt(user[1]));
        }

        Map<String, Object> member = chart.container(members, "member");
        List<Integer> exposed = Arrays.stream(instruction("EXPOSE").split(" "))
                .map(Integer::valueOf)
                .toList();
        assertThat(exposed)
                .containsExactlyInAnyOrder(containerPort(member, "hazelcast"), containerPort(member, "http"));

        assertThat(member).as("the image's ENTRYPOINT starts the member").doesNotContainKeys("command", "args");
        assertThat(chart.container(job, "migrate")).doesNotContainKey("command");
        assertThat(chart.env(members, "member").get("JAVA_OPTS"))
                .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
        assertThat(chart.env(job, "migrate").get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=");
        assertThat(chart.env(api, "api").get("JAVA_OPTS"))
                .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
        assertThat(instruction("ENV JAVA_OPTS=").length())
                .as("the image has defaults of its own")
                .isPositive();
    }

    /** Source and destination of each COPY, in order. */
    private static List<String[]> copies() {
        return dockerfile.stream()
                .filter(line -> line.startsWith("COPY "))
                .map(line -> line.substring("COPY ".length())
                        .replaceFirst("^--chown=\\S+ ", "")
                        .split(" "))
                .toList();
    }

    /** The arguments of the only instruction that starts with {@code prefix} (e.g. "USER", "ENV JAVA_OPTS="). */
    private static String instruction(String prefix) {
        List<String> found = dockerfile.stream()
                .filter(line -> line.startsWith(prefix + (prefix.endsWith("=") ? "" : " ")))
                .toList();
        assertThat(found)
                .as("node/Dockerfile instructions starting with " + prefix)
                .hasSize(1);
        return found.get(0).substring(prefix.length()).trim();
    }
}
