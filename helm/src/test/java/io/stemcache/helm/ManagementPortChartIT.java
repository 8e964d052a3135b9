package io.stemcache.helm;

import static io.stemcache.helm.HelmChartIT.FULLNAME;
import static io.stemcache.helm.HelmChartIT.containerPort;
import static io.stemcache.helm.HelmChartIT.peersOnPort;
import static io.stemcache.helm.RenderedChart.at;
import static io.stemcache.helm.RenderedChart.list;
import static io.stemcache.helm.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13, item 1: the members' NetworkPolicy admitted their HTTP port (the actuator, write operations included)
 * from every pod of the namespace ({@code podSelector: {}}), or of every namespace
 * ({@code networkPolicy.http.fromAnyNamespace}), and the API nodes' management port likewise. Now the management
 * ports admit the monitoring peers ({@code networkPolicy.monitoring}: Prometheus) and the chart's own test pod; no
 * ingress rule on an HTTP port admits every pod, whatever the value sets below say.
 */
class ManagementPortChartIT {

    private static final String API = FULLNAME + "-api";
    private static final Map<String, Object> PROMETHEUS =
            Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus")));
    private static final Map<String, Object> TEST_POD = Map.of(
            "podSelector",
            Map.of(
                    "matchLabels",
                    Map.of(
                            "app.kubernetes.io/name",
                            "stemcache",
                            "app.kubernetes.io/instance",
                            Helm.RELEASE,
                            "app.kubernetes.io/component",
                            "test")));

    private static Helm helm;
    private static RenderedChart defaults;

    @BeforeAll
    static void render() {
        helm = Helm.fromSystemProperties();
        defaults = helm.render("--set", "api.enabled=true", "--set", "api.jwt.existingSecret=supabase");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "",
                "networkPolicy.monitoring.namespaceSelector={\"matchLabels\":{\"kubernetes.io/metadata.name\":\"monitoring\"}}",
                "networkPolicy.monitoring.podLabels={\"app\":\"vmagent\"}",
                "networkPolicy.http.extraFrom=[{\"ipBlock\":{\"cidr\":\"10.40.0.0/16\"}}]",
                "api.networkPolicy.management.extraFrom=[{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"sre\"}},"
                        + "\"podSelector\":{\"matchLabels\":{\"app\":\"probe\"}}}]"
            })
    void networkPolicies_noIngressRuleOnAnHttpPortAdmitsEveryPod(String json) {
        List<String> args =
                new ArrayList<>(List.of("--set", "api.enabled=true", "--set", "api.jwt.existingSecret=supabase"));
        if (!json.isEmpty()) {
            args.addAll(List.of("--set-json", json));
        }
        RenderedChart chart = helm.render(args.toArray(String[]::new));
        assertThat(httpRules(chart.named("NetworkPolicy", FULLNAME), 5701)).hasSize(1);
        assertThat(httpRules(chart.named("NetworkPolicy", API), -1)).hasSize(2);
        for (Map<String, Object> policy : chart.all("NetworkPolicy")) {
            assertThat(httpRules(policy, 5701)).allSatisfy(rule -> {
                // A rule without peers admits every source.
                assertThat(at(rule, "from")).as("peers of " + rule).isNotNull();
                assertThat(list(at(rule, "from")))
                        .as("peers of " + rule)
                        .isNotEmpty()
                        .noneMatch(ApiChartIT::admitsEveryPod);
            });
        }
    }

    @Test
    void membersManagementPort_admitsPrometheusAndTheHelmTestPodOnly() {
        Map<String, Object> policy = defaults.named("NetworkPolicy", FULLNAME);
        assertThat(peersOnPort(policy, 8080)).containsExactly(PROMETHEUS, TEST_POD);
        Map<String, Object> test = defaults.one("Pod");
        assertThat(map(at(test, "metadata", "labels")))
                .containsAllEntriesOf(map(at(TEST_POD, "podSelector", "matchLabels")));

        RenderedChart elsewhere = helm.render(
                "--set-json",
                "networkPolicy.monitoring.namespaceSelector={\"matchLabels\":{\"kubernetes.io/metadata.name\":\"monitoring\"}}",
                "--set-json",
                "networkPolicy.monitoring.podLabels={\"app.kubernetes.io/name\":\"prometheus\",\"team\":\"sre\"}");
        assertThat(peersOnPort(elsewhere.named("NetworkPolicy", FULLNAME), 8080))
                .containsExactly(
                        Map.of(
                                "namespaceSelector",
                                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")),
                                "podSelector",
                                Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus", "team", "sre"))),
                        TEST_POD);
    }

    @Test
    void apiManagementPort_admitsPrometheusOnly() {
        assertThat(peersOnPort(defaults.named("NetworkPolicy", API), 8081)).containsExactly(PROMETHEUS);
    }

    /** The member serves HTTP on its management server only; the probes, the scrape and the helm test use that port. */
    @ParameterizedTest(name = "ports.http={0}")
    @ValueSource(ints = {8080, 9090})
    void member_servesItsActuatorOnTheManagementServerAndNothingElseOverHttp(int port) {
        RenderedChart chart = port == 8080 ? defaults : helm.render("--set", "ports.http=" + port);
        Map<String, Object> members = chart.one("StatefulSet");
        Map<String, String> env = chart.env(members, "member");
        assertThat(env)
                .containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(port))
                .doesNotContainKey("SERVER_PORT");
        Map<String, Object> container = chart.container(members, "member");
        assertThat(containerPort(container, "http")).isEqualTo(port);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
        }
        assertThat(peersOnPort(chart.named("NetworkPolicy", FULLNAME), port)).containsExactly(PROMETHEUS, TEST_POD);
    }

    /** Write operations are off unless an operator's password comes from a Secret the operator made. */
    @Test
    void operatorPassword_comesFromAnExistingSecretOrIsAbsent() {
        assertThat(defaults.env(defaults.one("StatefulSet"), "member"))
                .doesNotContainKey("STEMCACHE_MANAGEMENT_PASSWORD");
        RenderedChart withWrites = helm.render("--set", "actuator.existingSecret=stemcache-operator");
        assertThat(withWrites.env(withWrites.one("StatefulSet"), "member"))
                .containsEntry("STEMCACHE_MANAGEMENT_PASSWORD", "secret:stemcache-operator/password");
        RenderedChart otherKey =
                helm.render("--set", "actuator.existingSecret=ops", "--set", "actuator.existingSecretKey=pw");
        assertThat(otherKey.env(otherKey.one("StatefulSet"), "member"))
                .containsEntry("STEMCACHE_MANAGEMENT_PASSWORD", "secret:ops/pw");
    }

    /** The ingress rules of {@code policy} on some other port than {@code memberPort} (the Hazelcast port). */
    private static List<Map<String, Object>> httpRules(Map<String, Object> policy, int memberPort) {
        return list(at(policy, "spec", "ingress")).stream()
                .map(RenderedChart::map)
                .filter(rule -> list(at(rule, "ports")).stream()
                        .noneMatch(p -> Integer.valueOf(memberPort).equals(at(p, "port"))))
                .toList();
    }
}
