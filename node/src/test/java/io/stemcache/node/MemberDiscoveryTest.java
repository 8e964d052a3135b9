package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@code stemcache.discovery.*} as bound from properties, applied to the node's own {@code hazelcast.yaml}. */
class MemberDiscoveryTest {

    private static final String DNS = "cache-stemcache-headless.cache.svc.cluster.local";

    private static StemcacheProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("stemcache", StemcacheProperties.class);
    }

    /** The node's hazelcast.yaml with the interfaces restriction off, as the chart's HZ_NETWORK_INTERFACES_ENABLED=false does. */
    private static Config podConfig() {
        Config config = new ClasspathYamlConfig("hazelcast.yaml");
        config.getNetworkConfig().getInterfaces().setEnabled(false);
        return config;
    }

    private static JoinConfig join(Map<String, String> properties, Config config) {
        return MemberDiscovery.apply(config, bind(properties).discovery())
                .getNetworkConfig()
                .getJoin();
    }

    @Test
    void noProperties_leaveTheYamlsLoopbackTcpIp() {
        assertThat(bind(Map.of()).discovery().mode()).isEqualTo(StemcacheProperties.DiscoveryMode.NONE);
        Config config = new ClasspathYamlConfig("hazelcast.yaml");
        JoinConfig join = join(Map.of(), config);
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    }

    @Test
    void kubernetesDns_enablesKubernetesJoinByServiceDnsOnTheMemberPort_andNothingElse() {
        Config config = podConfig();
        config.getNetworkConfig().setPort(5801);
        JoinConfig join = join(
                Map.of("stemcache.discovery.mode", "kubernetes-dns", "stemcache.discovery.service-dns", DNS), config);
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperties())
                .containsExactlyInAnyOrderEntriesOf(Map.of("service-dns", DNS, "service-port", "5801"));
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    }

    /** The names the Helm chart's ConfigMap uses (helm module: HelmChartIT, ValueSetsIT). */
    @Test
    void chartEnvironmentVariables_bindToTheDiscoverySettings() {
        StemcacheProperties.Discovery dns = new Binder(
                        ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "STEMCACHE_DISCOVERY_MODE",
                                        "kubernetes-dns",
                                        "STEMCACHE_DISCOVERY_SERVICE_DNS",
                                        DNS,
                                        "STEMCACHE_DISCOVERY_SERVICE_PORT",
                                        "5801"))))
                .bindOrCreate("stemcache", StemcacheProperties.class)
                .discovery();
        assertThat(dns)
                .isEqualTo(new StemcacheProperties.Discovery(
                        StemcacheProperties.DiscoveryMode.KUBERNETES_DNS,
                        DNS,
                        null,
                        null,
                        5801,
                        StemcacheProperties.PartitionGroup.NONE));
        StemcacheProperties.Discovery api = new Binder(
                        ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "STEMCACHE_DISCOVERY_MODE",
                                        "kubernetes-api",
                                        "STEMCACHE_DISCOVERY_SERVICE_NAME",
                                        "svc",
                                        "STEMCACHE_DISCOVERY_NAMESPACE",
                                        "cache",
                                        "STEMCACHE_DISCOVERY_PARTITIONGROUP",
                                        "zone-aware"))))
                .bindOrCreate("stemcache", StemcacheProperties.class)
                .discovery();
        assertThat(api)
                .isEqualTo(new StemcacheProperties.Discovery(
                        StemcacheProperties.DiscoveryMode.KUBERNETES_API,
                        null,
                        "svc",
                        "cache",
                        0,
                        StemcacheProperties.PartitionGroup.ZONE_AWARE));
    }

    @Test
    void kubernetesDns_explicitServicePortWins() {
        JoinConfig join = join(
                Map.of(
                        "stemcache.discovery.mode",
                        "kubernetes-dns",
                        "stemcache.discovery.service-dns",
                        DNS,
                        "stemcache.discovery.service-port",
                        "5702"),
                podConfig());
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5702");
    }

    @Test
    void kubernetesApi_enablesKubernetesJoinByServiceNameAndNamespace() {
        JoinConfig join = join(
                Map.of(
                        "stemcache.discovery.mode",
                        "kubernetes-api",
                        "stemcache.discovery.service-name",
                        "cache-stemcache-headless",
                        "stemcache.discovery.namespace",
                        "cache"),
                podConfig());
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperties())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("service-name", "cache-stemcache-headless", "namespace", "cache"));
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    }

    @Test
    void kubernetesMode_replacesTheOtherModesKeysSetByHazelcastOverrides() {
        Config config = podConfig();
        config.getNetworkConfig()
                .getJoin()
                .getKubernetesConfig()
                .setProperty("service-name", "old")
                .setProperty("resolve-not-ready-addresses", "true");
        JoinConfig join = join(
                Map.of("stemcache.discovery.mode", "kubernetes-dns", "stemcache.discovery.service-dns", DNS), config);
        assertThat(join.getKubernetesConfig().getProperties())
                .doesNotContainKey("service-name")
                .containsEntry("service-dns", DNS)
                .containsEntry("resolve-not-ready-addresses", "true");
    }

    @Test
    void kubernetesMode_withTheYamlsLoopbackInterface_failsNamingTheFix() {
        Config loopback = new ClasspathYamlConfig("hazelcast.yaml");
        assertThatThrownBy(() -> join(
                        Map.of("stemcache.discovery.mode", "kubernetes-dns", "stemcache.discovery.service-dns", DNS),
                        loopback))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stemcache.discovery.mode=kubernetes-dns")
                .hasMessageContaining("HZ_NETWORK_INTERFACES_ENABLED=false");
    }

    @Test
    void kubernetesMode_withoutItsServiceSetting_isRejectedNamingIt() {
        assertThatThrownBy(() -> bind(Map.of("stemcache.discovery.mode", "kubernetes-dns")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("stemcache.discovery.service-dns");
        assertThatThrownBy(() -> bind(
                        Map.of("stemcache.discovery.mode", "kubernetes-api", "stemcache.discovery.namespace", "cache")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("stemcache.discovery.service-name");
        assertThatThrownBy(() -> bind(Map.of("stemcache.discovery.mode", "consul")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void partitionGroup_nodeAwareInApiMode_setsHazelcastsNodeAwareGroup() {
        Config config = podConfig();
        MemberDiscovery.apply(
                config,
                bind(Map.of(
                                "stemcache.discovery.mode",
                                "kubernetes-api",
                                "stemcache.discovery.service-name",
                                "svc",
                                "stemcache.discovery.partition-group",
                                "node-aware"))
                        .discovery());

        assertThat(config.getPartitionGroupConfig().isEnabled()).isTrue();
        assertThat(config.getPartitionGroupConfig().getGroupType())
                .isEqualTo(com.hazelcast.config.PartitionGroupConfig.MemberGroupType.NODE_AWARE);
        assertThat(bind(Map.of()).discovery().partitionGroup()).isEqualTo(StemcacheProperties.PartitionGroup.NONE);
        assertThat(MemberDiscovery.apply(podConfig(), bind(Map.of()).discovery())
                        .getPartitionGroupConfig()
                        .isEnabled())
                .isFalse();
    }

    @Test
    void partitionGroup_outsideApiMode_isRejectedNamingWhy() {
        assertThatThrownBy(() -> bind(Map.of(
                        "stemcache.discovery.mode",
                        "kubernetes-dns",
                        "stemcache.discovery.service-dns",
                        DNS,
                        "stemcache.discovery.partition-group",
                        "zone-aware")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining(
                        "stemcache.discovery.partition-group=zone-aware needs stemcache.discovery.mode=kubernetes-api")
                .hasMessageContaining("a partition would have no backup");
    }
}
