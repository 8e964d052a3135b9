package io.stemcache.helm;

import static io.stemcache.helm.HelmChartIT.CLIENT_LABELS;
import static io.stemcache.helm.HelmChartIT.FULLNAME;
import static io.stemcache.helm.HelmChartIT.HEADLESS;
import static io.stemcache.helm.HelmChartIT.MEMBER_LABELS;
import static io.stemcache.helm.HelmChartIT.peersOnPort;
import static io.stemcache.helm.RenderedChart.annotation;
import static io.stemcache.helm.RenderedChart.at;
import static io.stemcache.helm.RenderedChart.list;
import static io.stemcache.helm.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional parts of the chart, each switched on (or off) by the value set an operator would use. */
class ValueSetsIT {

    private static Helm helm;

    @BeforeAll
    static void helm() {
        helm = Helm.fromSystemProperties();
    }

    @Test
    void managementCenter_connectsToTheClientServiceAndMayPassTheNetworkPolicy() {
        RenderedChart chart = helm.render("--set", "managementCenter.enabled=true");
        Map<String, Object> mc = chart.named("Deployment", FULLNAME + "-mancenter");
        Map<String, String> mcEnv = chart.env(mc, "management-center");
        assertThat(mcEnv)
                .containsEntry("MC_DEFAULT_CLUSTER", "stemcache")
                .containsEntry(
                        "MC_DEFAULT_CLUSTER_MEMBERS", FULLNAME + "." + Helm.NAMESPACE + ".svc.cluster.local:5701");
        assertThat(String.valueOf(chart.container(mc, "management-center").get("image")))
                .startsWith("hazelcast/management-center:");
        Map<String, Object> clientService = chart.named("Service", FULLNAME);
        assertThat(map(at(clientService, "spec", "selector"))).isEqualTo(MEMBER_LABELS);
        assertThat(at(clientService, "spec", "ports", 0, "port")).isEqualTo(5701);
        assertThat(chart.named("Service", FULLNAME + "-mancenter")).isNotNull();

        Map<String, Object> mcPodLabels = map(at(mc, "spec", "template", "metadata", "labels"));
        List<Object> peers = peersOnPort(chart.one("NetworkPolicy"), 5701);
        assertThat(peers).hasSize(3).contains(Map.of("podSelector", Map.of("matchLabels", CLIENT_LABELS)));
        assertThat(peers)
                .anySatisfy(peer -> assertThat(mcPodLabels)
                        .containsAllEntriesOf(map(at(peer, "podSelector", "matchLabels")))
                        .containsEntry("app.kubernetes.io/component", "management-center"));
        assertThat(mcPodLabels).doesNotContainEntry("app.kubernetes.io/component", "member");
    }

    @Test
    void autoscaling_targetsTheStatefulSetWhichThenLeavesReplicasToIt() {
        RenderedChart chart = helm.render("--set", "autoscaling.enabled=true");
        Map<String, Object> hpa = chart.one("HorizontalPodAutoscaler");
        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(map(at(hpa, "spec", "scaleTargetRef")))
                .containsEntry("kind", "StatefulSet")
                .containsEntry("name", FULLNAME);
        assertThat(at(hpa, "spec", "minReplicas")).isEqualTo(3);
        assertThat(map(at(chart.one("StatefulSet"), "spec"))).doesNotContainKey("replicas");
        assertThat(helm.render().has("HorizontalPodAutoscaler"))
                .as("off by default")
                .isFalse();
    }

    @Test
    void apiDiscovery_rendersARoleOnEndpointSlicesBoundToTheMembersAccount() {
        RenderedChart chart = helm.render("--set", "discovery.mode=api");
        Map<String, String> env = chart.env(chart.one("StatefulSet"), "member");
        assertThat(env)
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_ENABLED", "true")
                .containsEntry("HZ_NETWORK_JOIN_TCPIP_ENABLED", "false")
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME", HEADLESS)
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_NAMESPACE", Helm.NAMESPACE)
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_SERVICEPORT", "5701")
                .doesNotContainKey("HZ_NETWORK_JOIN_KUBERNETES_SERVICEDNS");
        Map<String, Object> role = chart.one("Role");
        assertThat(list(role.get("rules")))
                .anySatisfy(rule -> {
                    assertThat(list(at(rule, "apiGroups"))).containsExactly("discovery.k8s.io");
                    assertThat(list(at(rule, "resources"))).containsExactly("endpointslices");
                    assertThat(list(at(rule, "verbs"))).contains("get", "list");
                })
                .anySatisfy(rule -> assertThat(list(at(rule, "resources"))).contains("endpoints", "pods", "services"));
        Map<String, Object> binding = chart.one("RoleBinding");
        Map<String, Object> pod = map(at(chart.one("StatefulSet"), "spec", "template", "spec"));
        assertThat(at(binding, "roleRef", "name")).isEqualTo(at(role, "metadata", "name"));
        assertThat(at(binding, "subjects", 0, "name")).isEqualTo(pod.get("serviceAccountName"));
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(true);
        assertThat(chart.has("ClusterRole")).as("nodes only on request").isFalse();

        RenderedChart withNodes = helm.render("--set", "discovery.mode=api", "--set", "discovery.api.nodeAccess=true");
        assertThat(list(at(withNodes.one("ClusterRole"), "rules", 0, "resources")))
                .containsExactly("nodes");
    }

    @Test
    void existingSecret_rendersNoSecretAndIsReadByMembersAndMigration() {
        RenderedChart chart = helm.render(
                "--set", "database.existingSecret=pg-credentials", "--set", "database.existingSecretPasswordKey=pw");
        assertThat(chart.has("Secret")).isFalse();
        assertThat(chart.env(chart.one("StatefulSet"), "member"))
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "secret:pg-credentials/pw");
        assertThat(chart.env(chart.one("Job"), "migrate"))
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "secret:pg-credentials/pw");
        assertThat(map(at(chart.one("StatefulSet"), "spec", "template", "metadata", "annotations")))
                .doesNotContainKey("checksum/secret");
    }

    @Test
    void serviceMonitor_scrapesThePrometheusEndpointThroughTheHeadlessService() {
        RenderedChart chart = helm.render("--set", "metrics.serviceMonitor.enabled=true");
        Map<String, Object> monitor = chart.one("ServiceMonitor");
        assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(map(at(monitor, "spec", "endpoints", 0)))
                .containsEntry("port", "http")
                .containsEntry("path", "/actuator/prometheus");
        Map<String, Object> selector = map(at(monitor, "spec", "selector", "matchLabels"));
        List<Object> selected = chart.all("Service").stream()
                .filter(s -> map(at(s, "metadata", "labels")).entrySet().containsAll(selector.entrySet()))
                .map(s -> at(s, "metadata", "name"))
                .toList();
        assertThat(selected).containsExactly(HEADLESS);
        assertThat(helm.render().has("ServiceMonitor")).as("off by default").isFalse();
    }

    @Test
    void networkPolicy_canBeSwitchedOff() {
        assertThat(helm.render("--set", "networkPolicy.enabled=false").has("NetworkPolicy"))
                .isFalse();
    }

    @Test
    void hazelcastConfigYaml_isMountedAndSelectedAndRollsThePods() {
        Path nodeYaml = Path.of(Helm.requiredProperty("stemcache.node.dir"), "src/main/resources/hazelcast.yaml");
        RenderedChart chart = helm.render("--set-file", "hazelcast.configYaml=" + nodeYaml);
        assertThat(String.valueOf(at(chart.named("ConfigMap", FULLNAME + "-hazelcast"), "data", "hazelcast.yaml")))
                .contains("analyses:", "map-store:");
        Map<String, Object> members = chart.one("StatefulSet");
        assertThat(chart.env(members, "member").get("JAVA_OPTS")).contains("-Dhazelcast.config=/config/hazelcast.yaml");
        assertThat(list(at(members, "spec", "template", "spec", "containers", 0, "volumeMounts")))
                .contains(Map.of("name", "hazelcast-config", "mountPath", "/config", "readOnly", true));
        String checksum = annotation(map(at(members, "spec", "template")), "checksum/config");
        assertThat(checksum)
                .isNotEqualTo(
                        annotation(map(at(helm.render().one("StatefulSet"), "spec", "template")), "checksum/config"));
    }
}
