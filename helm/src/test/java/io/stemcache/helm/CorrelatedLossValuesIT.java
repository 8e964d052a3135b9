package io.stemcache.helm;

import static io.stemcache.helm.HelmChartIT.FULLNAME;
import static io.stemcache.helm.HelmChartIT.MEMBER_LABELS;
import static io.stemcache.helm.RenderedChart.at;
import static io.stemcache.helm.RenderedChart.list;
import static io.stemcache.helm.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, items 6 and 7: members spread so one Kubernetes node or zone cannot take a partition's two
 * replicas (hard anti-affinity, topology spread, a node- or zone-aware partition group), and the spill
 * directory a member stopping during a PostgreSQL outage keeps its queue in.
 */
class CorrelatedLossValuesIT {

    private static Helm helm;

    @BeforeAll
    static void helm() {
        helm = Helm.fromSystemProperties();
    }

    private static Map<String, Object> podSpec(RenderedChart chart) {
        return map(at(chart.one("StatefulSet"), "spec", "template", "spec"));
    }

    @Test
    void defaults_softAntiAffinityNoPartitionGroupAndTheSpillInTmp() {
        RenderedChart chart = helm.render();
        Map<String, String> env = chart.env(chart.one("StatefulSet"), "member");

        assertThat(at(podSpec(chart), "affinity", "podAntiAffinity")).asString().contains("preferredDuringScheduling");
        assertThat(podSpec(chart)).doesNotContainKey("topologySpreadConstraints");
        assertThat(env)
                .doesNotContainKey("HZ_PARTITIONGROUP_ENABLED")
                .containsEntry("STEMCACHE_WRITEBEHIND_SPILLDIR", "/tmp/stemcache-spill");
        assertThat(map(at(chart.one("StatefulSet"), "spec"))).doesNotContainKey("volumeClaimTemplates");
    }

    @Test
    void zoneAware_spreadsOverZones_placesBackupsInAnotherZone_andMayReadNodes() {
        RenderedChart chart = helm.render(
                "--set",
                "discovery.mode=api",
                "--set",
                "discovery.api.nodeAccess=true",
                "--set",
                "discovery.partitionGroup=zone-aware",
                "--set",
                "podTopologySpreadPreset=zone",
                "--set",
                "podAntiAffinityPreset=hard");
        Map<String, String> env = chart.env(chart.one("StatefulSet"), "member");

        assertThat(env)
                .containsEntry("HZ_PARTITIONGROUP_ENABLED", "true")
                .containsEntry("HZ_PARTITIONGROUP_GROUPTYPE", "ZONE_AWARE")
                .containsEntry("HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME", HelmChartIT.HEADLESS);
        List<Object> spread = list(podSpec(chart).get("topologySpreadConstraints"));
        assertThat(spread).hasSize(1);
        assertThat(map(spread.get(0)))
                .containsEntry("topologyKey", "topology.kubernetes.io/zone")
                .containsEntry("maxSkew", 1)
                .containsEntry("whenUnsatisfiable", "DoNotSchedule");
        assertThat(map(at(spread.get(0), "labelSelector", "matchLabels"))).isEqualTo(MEMBER_LABELS);
        Map<String, Object> hard = map(
                at(podSpec(chart), "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution", 0));
        assertThat(hard).containsEntry("topologyKey", "kubernetes.io/hostname");
        assertThat(map(at(hard, "labelSelector", "matchLabels"))).isEqualTo(MEMBER_LABELS);
        assertThat(list(at(chart.one("ClusterRole"), "rules", 0, "resources"))).containsExactly("nodes");
        assertThat(list(at(chart.one("Role"), "rules", 0, "resources")))
                .as("node-aware reads the pod's node")
                .contains("pods");
    }

    @Test
    void nodeSpread_andNodeAware_needNoNodeAccess() {
        RenderedChart chart = helm.render(
                "--set",
                "discovery.mode=api",
                "--set",
                "discovery.partitionGroup=node-aware",
                "--set",
                "podTopologySpreadPreset=node");

        assertThat(chart.env(chart.one("StatefulSet"), "member"))
                .containsEntry("HZ_PARTITIONGROUP_ENABLED", "true")
                .containsEntry("HZ_PARTITIONGROUP_GROUPTYPE", "NODE_AWARE");
        assertThat(at(podSpec(chart), "topologySpreadConstraints", 0, "topologyKey"))
                .isEqualTo("kubernetes.io/hostname");
        assertThat(chart.has("ClusterRole")).isFalse();
    }

    @Test
    void explicitTopologySpreadConstraints_replaceThePreset() {
        RenderedChart chart = helm.render(
                "--set",
                "podTopologySpreadPreset=zone",
                "--set-json",
                "topologySpreadConstraints=[{\"maxSkew\":2,\"topologyKey\":\"rack\",\"whenUnsatisfiable\":\"ScheduleAnyway\"}]");

        List<Object> spread = list(podSpec(chart).get("topologySpreadConstraints"));
        assertThat(spread).hasSize(1);
        assertThat(map(spread.get(0))).containsEntry("topologyKey", "rack");
    }

    @Test
    void spillPersistence_givesEachMemberAVolumeMountedAsItsSpillDirectory() {
        RenderedChart chart = helm.render(
                "--set",
                "spill.persistence.enabled=true",
                "--set",
                "spill.persistence.size=5Gi",
                "--set",
                "spill.persistence.storageClass=fast");
        Map<String, Object> statefulSet = chart.one("StatefulSet");

        assertThat(chart.env(statefulSet, "member"))
                .containsEntry("STEMCACHE_WRITEBEHIND_SPILLDIR", "/var/lib/stemcache/spill");
        Map<String, Object> claim = map(at(statefulSet, "spec", "volumeClaimTemplates", 0));
        assertThat(at(claim, "metadata", "name")).isEqualTo("spill");
        assertThat(at(claim, "spec", "resources", "requests", "storage")).isEqualTo("5Gi");
        assertThat(at(claim, "spec", "storageClassName")).isEqualTo("fast");
        assertThat(list(chart.container(statefulSet, "member").get("volumeMounts")))
                .contains(Map.of("name", "spill", "mountPath", "/var/lib/stemcache/spill"));
        assertThat(chart.named("StatefulSet", FULLNAME)).isNotNull();
    }

    @Test
    void partitionGroup_withoutApiDiscoveryOrNodeAccess_isRefusedNamingTheFix() {
        Helm.Result dns = helm.template("--set", "discovery.partitionGroup=node-aware");
        assertThat(dns.exitCode()).isNotZero();
        assertThat(dns.stderr())
                .contains("discovery.partitionGroup=node-aware needs discovery.mode=api")
                .contains("--set discovery.mode=api");

        Helm.Result zone = helm.template("--set", "discovery.mode=api", "--set", "discovery.partitionGroup=zone-aware");
        assertThat(zone.exitCode()).isNotZero();
        assertThat(zone.stderr()).contains("--set discovery.api.nodeAccess=true");

        Helm.Result typo = helm.template("--set", "discovery.partitionGroup=rack-aware");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.stderr()).contains("discovery.partitionGroup");
    }

    @Test
    void lint_passesWithEveryOptionOn() {
        Helm.Result result = helm.lint(
                "--set",
                "discovery.mode=api,discovery.api.nodeAccess=true,"
                        + "discovery.partitionGroup=zone-aware,podTopologySpreadPreset=zone,podAntiAffinityPreset=hard,"
                        + "spill.persistence.enabled=true");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    }
}
