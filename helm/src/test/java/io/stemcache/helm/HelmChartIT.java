package io.stemcache.helm;

import static io.stemcache.helm.RenderedChart.annotation;
import static io.stemcache.helm.RenderedChart.at;
import static io.stemcache.helm.RenderedChart.list;
import static io.stemcache.helm.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The chart lints, and its default rendering deploys members that can find each other, be probed and stop safely. */
class HelmChartIT {

    static final String FULLNAME = Helm.RELEASE + "-stemcache";
    static final String HEADLESS = FULLNAME + "-headless";
    static final Map<String, Object> MEMBER_LABELS = Map.of(
            "app.kubernetes.io/name",
            "stemcache",
            "app.kubernetes.io/instance",
            Helm.RELEASE,
            "app.kubernetes.io/component",
            "member");
    static final Map<String, Object> CLIENT_LABELS = Map.of("stemcache.io/client", "true");

    private static Helm helm;
    private static RenderedChart defaults;
    private static Map<String, String> env;

    @BeforeAll
    static void render() {
        helm = Helm.fromSystemProperties();
        assertThat(helm.version().stdout()).startsWith("v3.17");
        defaults = helm.render();
        env = defaults.env(defaults.one("StatefulSet"), "member");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "managementCenter.enabled=true",
                "autoscaling.enabled=true",
                "discovery.mode=api",
                "database.existingSecret=pg",
                "metrics.serviceMonitor.enabled=true",
                "networkPolicy.enabled=false",
                "api.enabled=true,api.jwt.secret=" + ApiChartIT.JWT_SECRET,
                "api.enabled=true,api.jwt.existingSecret=supabase,api.autoscaling.enabled=true,api.networkPolicy.enabled=false"
            })
    void lint_strictPassesForEachValueSet(String set) {
        Helm.Result result = set.isEmpty() ? helm.lint() : helm.lint("--set", set);
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    }

    @Test
    void discovery_dnsModeResolvesTheHeadlessServiceTheChartCreates() {
        Map<String, Object> headless = defaults.named("Service", HEADLESS);
        assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
        assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
        assertThat(map(at(headless, "spec", "selector"))).isEqualTo(MEMBER_LABELS);
        Map<String, Object> members = defaults.one("StatefulSet");
        assertThat(map(at(members, "spec", "template", "metadata", "labels"))).containsAllEntriesOf(MEMBER_LABELS);
        assertThat(at(members, "spec", "serviceName")).isEqualTo(HEADLESS);

        // Hazelcast's own join settings (the node's MemberDiscoveryTest loads these names as the member does).
        assertThat(env)
                .containsEntry("HZ_NETWORK_JOIN_TCPIP_ENABLED", "false")
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_ENABLED", "true")
                .containsEntry(
                        "HZ_NETWORK_JOIN_KUBERNETES_SERVICEDNS", HEADLESS + "." + Helm.NAMESPACE + ".svc.cluster.local")
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_SERVICEPORT", "5701")
                .containsEntry("HZ_NETWORK_INTERFACES_ENABLED", "false")
                .containsEntry("HZ_NETWORK_PORT_PORT", "5701")
                .containsEntry("HZ_CLUSTERNAME", "stemcache")
                .doesNotContainKey("HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME")
                .doesNotContainKey("HZ_PARTITIONGROUP_ENABLED");
        assertThat(env.keySet())
                .as("discovery is set one way only: Hazelcast's")
                .noneMatch(name -> name.startsWith("STEMCACHE_DISCOVERY"));
        assertThat(list(at(headless, "spec", "ports")))
                .contains(Map.of("name", "hazelcast", "port", 5701, "targetPort", "hazelcast"));
        RenderedChart otherPort = helm.render("--set", "ports.hazelcast=5801");
        assertThat(otherPort.env(otherPort.one("StatefulSet"), "member"))
                .as("discovered members are on the member port")
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_SERVICEPORT", "5801")
                .containsEntry("HZ_NETWORK_PORT_PORT", "5801");
        assertThat(defaults.has("Role")).as("DNS discovery needs no RBAC").isFalse();
        assertThat(at(members, "spec", "template", "spec", "automountServiceAccountToken"))
                .isEqualTo(false);
    }

    @ParameterizedTest
    @ValueSource(ints = {8080, 9090})
    void probes_hitTheNodeHealthGroupsOnTheManagementPort(int httpPort) {
        RenderedChart chart = httpPort == 8080 ? defaults : helm.render("--set", "ports.http=" + httpPort);
        Map<String, Object> member = chart.container(chart.one("StatefulSet"), "member");
        assertThat(containerPort(member, "http")).isEqualTo(httpPort);
        assertThat(chart.env(chart.one("StatefulSet"), "member"))
                .containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(httpPort));
        assertThat(at(member, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(member, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(member, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
            assertThat(at(member, probe, "httpGet", "port")).as(probe).isEqualTo("http");
        }
    }

    /** The probe paths are health groups the node defines, each with its member component and without the database. */
    @Test
    void probes_nameHealthGroupsTheNodeDefines() throws IOException {
        Path nodeYaml = Path.of(Helm.requiredProperty("stemcache.node.dir"), "src/main/resources/application.yaml");
        Map<String, Object> node =
                map(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(nodeYaml)));
        Map<String, Object> health = map(at(node, "management", "endpoint", "health"));
        assertThat(String.valueOf(at(node, "management", "endpoints", "web", "exposure", "include")))
                .contains("health");
        Map<String, Object> member = defaults.container(defaults.one("StatefulSet"), "member");
        Map<String, String> expected =
                Map.of("livenessProbe", "memberRunning", "startupProbe", "memberRunning", "readinessProbe", "member");
        expected.forEach((probe, component) -> {
            String group = String.valueOf(at(member, probe, "httpGet", "path")).replaceFirst("^/actuator/health/", "");
            List<String> include = Arrays.stream(String.valueOf(at(health, "group", group, "include"))
                            .split(","))
                    .map(String::trim)
                    .toList();
            assertThat(include)
                    .as(probe + " -> group " + group)
                    .contains(component)
                    .doesNotContain("database", "db");
        });
        assertThat(String.valueOf(at(health, "status", "http-mapping", "degraded")))
                .isEqualTo("200");
        // Probes are anonymous: they get the status, not the details (ActuatorSecurityIT).
        assertThat(String.valueOf(at(health, "show-details"))).isEqualTo("when-authorized");
        assertThat(at(node, "server", "port"))
                .as("the member serves no HTTP but its management server")
                .isEqualTo(-1);
    }

    @Test
    void availability_disruptionBudgetNetworkPolicyAndResourcesArePresent() {
        Map<String, Object> pdb = defaults.one("PodDisruptionBudget");
        assertThat(at(pdb, "spec", "maxUnavailable")).isEqualTo(1);
        assertThat(map(at(pdb, "spec", "selector", "matchLabels"))).isEqualTo(MEMBER_LABELS);

        Map<String, Object> policy = defaults.one("NetworkPolicy");
        assertThat(map(at(policy, "spec", "podSelector", "matchLabels"))).isEqualTo(MEMBER_LABELS);
        assertThat(peersOnPort(policy, 5701))
                .containsExactly(
                        Map.of("podSelector", Map.of("matchLabels", MEMBER_LABELS)),
                        Map.of("podSelector", Map.of("matchLabels", CLIENT_LABELS)));
        // The management port: Prometheus and the helm test pod (ManagementPortChartIT).
        assertThat(peersOnPort(policy, 8080)).hasSize(2).noneMatch(ApiChartIT::admitsEveryPod);

        Map<String, Object> member = defaults.container(defaults.one("StatefulSet"), "member");
        assertThat(at(member, "resources", "limits", "memory")).isEqualTo("3Gi");
        assertThat(at(member, "resources", "requests", "memory")).isEqualTo("3Gi");
        assertThat(at(member, "resources", "requests", "cpu")).isNotNull();
        assertThat(env.get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError");
        assertThat(env).containsEntry("HZ_MAP_ANALYSES_EVICTION_SIZE", "1024");
    }

    @Test
    void migration_hookJobRunsMigrateAfterTheSecretItNeedsAndBeforeMembers() {
        Map<String, Object> job = defaults.one("Job");
        assertThat(annotation(job, "helm.sh/hook")).isEqualTo("pre-install,pre-upgrade");
        Map<String, Object> container = defaults.container(job, "migrate");
        assertThat(list(container.get("args"))).containsExactly("migrate");
        assertThat(container).doesNotContainKey("command");
        assertThat(container.get("image"))
                .isEqualTo(defaults.container(defaults.one("StatefulSet"), "member")
                        .get("image"));

        Map<String, String> jobEnv = defaults.env(job, "migrate");
        assertThat(jobEnv)
                .containsEntry("SPRING_DATASOURCE_URL", env.get("SPRING_DATASOURCE_URL"))
                .containsEntry("STEMCACHE_CREATE_DATABASE", "false");
        String secret = jobEnv.get("SPRING_DATASOURCE_PASSWORD")
                .replaceFirst("^secret:", "")
                .replaceFirst("/.*", "");
        Map<String, Object> hookSecret = defaults.named("Secret", secret);
        assertThat(annotation(hookSecret, "helm.sh/hook"))
                .as("hooks run before ordinary resources exist")
                .contains("pre-install", "pre-upgrade");
        assertThat(Integer.parseInt(annotation(hookSecret, "helm.sh/hook-weight")))
                .isLessThan(Integer.parseInt(annotation(job, "helm.sh/hook-weight")));
        assertThat(annotation(defaults.one("StatefulSet"), "helm.sh/hook"))
                .as("members are ordinary resources")
                .isNull();
        assertThat(env)
                .containsEntry("STEMCACHE_CREATE_DATABASE", "false")
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "secret:" + FULLNAME + "-db/password");
    }

    @Test
    void shutdown_gracePeriodCoversPreStopFlushAndGracefulLeave() {
        Map<String, Object> pod = map(at(defaults.one("StatefulSet"), "spec", "template", "spec"));
        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        int flush = Integer.parseInt(env.get("STEMCACHE_FLUSH_TIMEOUT").replace("s", ""));
        int gracefulWait =
                Integer.parseInt(match("-Dhazelcast\\.graceful\\.shutdown\\.max\\.wait=(\\d+)", env.get("JAVA_OPTS")));
        Object preStop = at(pod, "containers", 0, "lifecycle", "preStop", "exec", "command", 2);
        int sleep = Integer.parseInt(match("^sleep (\\d+)$", String.valueOf(preStop)));
        assertThat(grace).isGreaterThan(flush + gracefulWait + sleep);
    }

    /**
     * Issue 13, item 4: the pod template carried {@code checksum/secret}, an unsalted sha256 of the Secret, which
     * anyone who may read pods could test guesses of the password against. Nothing of the password is in the
     * StatefulSet now: another password renders the same StatefulSet, only the Secret differs.
     */
    @Test
    void podTemplate_carriesNothingDerivedFromTheDatabasePassword() {
        Map<String, Object> members = defaults.one("StatefulSet");
        assertThat(map(at(members, "spec", "template", "metadata", "annotations")))
                .doesNotContainKey("checksum/secret");
        RenderedChart otherPassword = helm.render("--set", "database.password=another-database-password");
        assertThat(otherPassword.one("StatefulSet")).isEqualTo(members);
        assertThat(otherPassword.named("Secret", FULLNAME + "-db"))
                .isNotEqualTo(defaults.named("Secret", FULLNAME + "-db"));
    }

    @Test
    void security_membersRunAsNonRootOnAReadOnlyRootWithATmpVolume() {
        Map<String, Object> pod = map(at(defaults.one("StatefulSet"), "spec", "template", "spec"));
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
        assertThat(at(pod, "containers", 0, "securityContext", "readOnlyRootFilesystem"))
                .isEqualTo(true);
        assertThat(at(pod, "containers", 0, "volumeMounts", 0)).isEqualTo(Map.of("name", "tmp", "mountPath", "/tmp"));
        assertThat(at(pod, "volumes", 0)).isEqualTo(Map.of("name", "tmp", "emptyDir", Map.of()));
    }

    @Test
    void helmTest_asksEveryMemberThroughTheHeadlessServiceAndMayPassTheNetworkPolicy() {
        Map<String, Object> test = defaults.one("Pod");
        assertThat(annotation(test, "helm.sh/hook")).isEqualTo("test");
        assertThat(map(at(test, "metadata", "labels"))).containsAllEntriesOf(CLIENT_LABELS);
        String script = String.valueOf(at(test, "spec", "containers", 0, "args", 0));
        assertThat(script)
                .contains(
                        "expected=3",
                        FULLNAME + "-$i." + HEADLESS + "." + Helm.NAMESPACE + ".svc.cluster.local",
                        ":8080/actuator/health/readiness",
                        ":5701/hazelcast/health/cluster-size");
        assertThat(env).containsEntry("HZ_NETWORK_RESTAPI_ENDPOINTGROUPS_HEALTHCHECK_ENABLED", "true");
    }

    static List<Object> peersOnPort(Map<String, Object> policy, int port) {
        return list(at(policy, "spec", "ingress")).stream()
                .filter(rule -> list(at(rule, "ports")).stream()
                        .anyMatch(p -> Integer.valueOf(port).equals(at(p, "port"))))
                .flatMap(rule -> list(at(rule, "from")).stream())
                .toList();
    }

    static int containerPort(Map<String, Object> container, String name) {
        return list(container.get("ports")).stream()
                .filter(p -> name.equals(at(p, "name")))
                .map(p -> (Integer) at(p, "containerPort"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    static String match(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("'" + text + "' does not match " + regex);
        }
        return matcher.group(1);
    }
}
