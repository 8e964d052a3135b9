package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.PartitionGroupConfig.MemberGroupType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The member's join and partition group are Hazelcast's own settings: the chart's {@code HZ_*} environment variables
 * (read by Hazelcast's {@code Config.load()}, as Spring Boot starts the member) turn the shipped {@code hazelcast.yaml}
 * into a Kubernetes join; {@link MemberDiscovery} only refuses what would leave a member alone or a partition without
 * a backup.
 */
class MemberDiscoveryTest {

    private static final String DNS = "cache-stemcache-headless.cache.svc.cluster.local";

    /** The node's hazelcast.yaml with the interfaces restriction off, as the chart's HZ_NETWORK_INTERFACES_ENABLED=false does. */
    private static Config podConfig() {
        Config config = new ClasspathYamlConfig("hazelcast.yaml");
        config.getNetworkConfig().getInterfaces().setEnabled(false);
        return config;
    }

    private static Config kubernetes(Config config, Map<String, String> properties) {
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getTcpIpConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(true);
        properties.forEach(join.getKubernetesConfig()::setProperty);
        return config;
    }

    @Test
    void shippedYaml_isLoopbackTcpIp_andPasses() {
        Config config = MemberDiscovery.check(new ClasspathYamlConfig("hazelcast.yaml"));
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(config.getPartitionGroupConfig().isEnabled()).isFalse();
    }

    /** The names and values the chart's ConfigMap sets in DNS mode (helm module: HelmChartIT asserts the same). */
    @Test
    void chartsDnsEnvironment_becomesHazelcastsKubernetesJoinByServiceDns() throws Exception {
        String printed = loadInChildJvm(Map.of(
                "HZ_NETWORK_INTERFACES_ENABLED", "false",
                "HZ_NETWORK_PORT_PORT", "5801",
                "HZ_NETWORK_JOIN_TCPIP_ENABLED", "false",
                "HZ_NETWORK_JOIN_KUBERNETES_ENABLED", "true",
                "HZ_NETWORK_JOIN_KUBERNETES_SERVICEDNS", DNS,
                "HZ_NETWORK_JOIN_KUBERNETES_SERVICEPORT", "5801"));

        assertThat(printed)
                .contains("kubernetes=true tcp-ip=false multicast=false auto-detection=false interfaces=false")
                .contains("servicedns=" + DNS)
                .contains("serviceport=5801")
                .contains("partition-group=false")
                .doesNotContain("refused");
    }

    /** API mode with zone-aware backups, as the chart sets it for discovery.mode=api, partitionGroup=zone-aware. */
    @Test
    void chartsApiEnvironment_becomesKubernetesApiJoinWithAZoneAwareGroup() throws Exception {
        String printed = loadInChildJvm(Map.of(
                "HZ_NETWORK_INTERFACES_ENABLED", "false",
                "HZ_NETWORK_JOIN_TCPIP_ENABLED", "false",
                "HZ_NETWORK_JOIN_KUBERNETES_ENABLED", "true",
                "HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME", "cache-stemcache-headless",
                "HZ_NETWORK_JOIN_KUBERNETES_NAMESPACE", "cache",
                "HZ_NETWORK_JOIN_KUBERNETES_SERVICEPORT", "5701",
                "HZ_PARTITIONGROUP_ENABLED", "true",
                "HZ_PARTITIONGROUP_GROUPTYPE", "ZONE_AWARE"));

        assertThat(printed)
                .contains("kubernetes=true tcp-ip=false")
                .contains("servicename=cache-stemcache-headless")
                .contains("namespace=cache")
                .doesNotContain("servicedns")
                .contains("partition-group=true/ZONE_AWARE")
                .doesNotContain("refused");
    }

    /** The chart's DNS variables without HZ_NETWORK_INTERFACES_ENABLED=false: the member would bind to 127.0.0.1. */
    @Test
    void kubernetesJoinOnTheYamlsLoopbackInterface_isRefusedNamingTheFix() {
        assertThatThrownBy(() -> MemberDiscovery.check(
                        kubernetes(new ClasspathYamlConfig("hazelcast.yaml"), Map.of("service-dns", DNS))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("network.join.kubernetes is enabled")
                .hasMessageContaining("[127.0.0.1]")
                .hasMessageContaining("HZ_NETWORK_INTERFACES_ENABLED=false");
    }

    @Test
    void dnsLookupWithoutServicePort_onAMemberNotOn5701_isRefusedNamingTheVariable() {
        Config config = kubernetes(podConfig(), Map.of("service-dns", DNS));
        config.getNetworkConfig().setPort(5801);
        assertThatThrownBy(() -> MemberDiscovery.check(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("looks for members on 5701")
                .hasMessageContaining("HZ_NETWORK_JOIN_KUBERNETES_SERVICEPORT=5801");

        // On 5701, or with the port given (by its documented or its environment-variable name), it passes.
        Config onDefaultPort = kubernetes(podConfig(), Map.of("service-dns", DNS));
        onDefaultPort.getNetworkConfig().setPort(5701);
        MemberDiscovery.check(onDefaultPort);
        Config withPort = kubernetes(podConfig(), Map.of("service-dns", DNS, "service-port", "5801"));
        withPort.getNetworkConfig().setPort(5801);
        MemberDiscovery.check(withPort);
        Config withEnvironmentName = kubernetes(podConfig(), Map.of("servicedns", DNS, "serviceport", "5801"));
        withEnvironmentName.getNetworkConfig().setPort(5801);
        MemberDiscovery.check(withEnvironmentName);
    }

    @Test
    void nodeAwareGroup_withApiDiscovery_passes() {
        Config config = kubernetes(podConfig(), Map.of("service-name", "svc"));
        config.getPartitionGroupConfig().setEnabled(true).setGroupType(MemberGroupType.NODE_AWARE);

        assertThat(MemberDiscovery.check(config).getPartitionGroupConfig().getGroupType())
                .isEqualTo(MemberGroupType.NODE_AWARE);
    }

    @Test
    void zoneAwareGroup_withoutApiDiscovery_isRefusedNamingWhy() {
        Config dns = kubernetes(podConfig(), Map.of("servicedns", DNS, "serviceport", "5701"));
        dns.getPartitionGroupConfig().setEnabled(true).setGroupType(MemberGroupType.ZONE_AWARE);
        assertThatThrownBy(() -> MemberDiscovery.check(dns))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partition-group.group-type=ZONE_AWARE needs Hazelcast's Kubernetes discovery "
                        + "through the API")
                .hasMessageContaining("a partition would have no backup");

        Config tcpIp = new ClasspathYamlConfig("hazelcast.yaml");
        tcpIp.getPartitionGroupConfig().setEnabled(true).setGroupType(MemberGroupType.NODE_AWARE);
        assertThatThrownBy(() -> MemberDiscovery.check(tcpIp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partition-group.group-type=NODE_AWARE");

        // Hazelcast's other group types need no discovery metadata.
        Config perMember = new ClasspathYamlConfig("hazelcast.yaml");
        perMember.getPartitionGroupConfig().setEnabled(true).setGroupType(MemberGroupType.PER_MEMBER);
        MemberDiscovery.check(perMember);
    }

    /** Loads the member configuration as the node does ({@code Config.load()}) in a JVM with {@code environment}. */
    private static String loadInChildJvm(Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dhazelcast.logging.type=none",
                PrintJoin.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("HZ_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS))
                .as("child JVM exited")
                .isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** The child JVM: prints the join the node's member would start with, or why the node refuses it. */
    static final class PrintJoin {
        public static void main(String[] args) {
            Config config = Config.load();
            JoinConfig join = config.getNetworkConfig().getJoin();
            System.out.println("kubernetes=" + join.getKubernetesConfig().isEnabled()
                    + " tcp-ip=" + join.getTcpIpConfig().isEnabled()
                    + " multicast=" + join.getMulticastConfig().isEnabled()
                    + " auto-detection=" + join.getAutoDetectionConfig().isEnabled()
                    + " interfaces=" + config.getNetworkConfig().getInterfaces().isEnabled()
                    + " properties=" + join.getKubernetesConfig().getProperties()
                    + " partition-group=" + config.getPartitionGroupConfig().isEnabled()
                    + (config.getPartitionGroupConfig().isEnabled()
                            ? "/" + config.getPartitionGroupConfig().getGroupType()
                            : ""));
            try {
                MemberDiscovery.check(config);
            } catch (IllegalStateException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }

        private PrintJoin() {}
    }
}
