package io.stemcache.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.PartitionGroupConfig;
import io.stemcache.node.StemcacheProperties.Discovery;
import io.stemcache.node.StemcacheProperties.DiscoveryMode;
import io.stemcache.node.StemcacheProperties.PartitionGroup;
import java.util.List;

/**
 * Applies {@code stemcache.discovery.*} to the member's join configuration: in a Kubernetes mode,
 * Hazelcast's own {@code network.join.kubernetes} on and every other join method off; in mode
 * {@code none}, {@code hazelcast.yaml}'s join section untouched.
 */
final class MemberDiscovery {

    // Keys of the other mode that Hazelcast refuses beside these (e.g. service-dns with service-name).
    private static final List<String> API_KEYS =
            List.of("service-name", "service-label-name", "service-label-value", "pod-label-name", "pod-label-value");
    private static final List<String> DNS_KEYS = List.of("service-dns");

    private MemberDiscovery() {}

    static Config apply(Config config, Discovery discovery) {
        if (discovery.mode() == DiscoveryMode.NONE) {
            return config;
        }
        InterfacesConfig interfaces = config.getNetworkConfig().getInterfaces();
        if (interfaces.isEnabled()
                && !interfaces.getInterfaces().isEmpty()
                && interfaces.getInterfaces().stream().allMatch(MemberDiscovery::isLoopback)) {
            throw new IllegalStateException("stemcache.discovery.mode="
                    + discovery.mode().name().toLowerCase().replace('_', '-')
                    + " but hazelcast.yaml binds the member to " + interfaces.getInterfaces()
                    + ", which other pods cannot reach: set HZ_NETWORK_INTERFACES_ENABLED=false (the chart does)");
        }
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getTcpIpConfig().setEnabled(false);
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
        if (discovery.mode() == DiscoveryMode.KUBERNETES_DNS) {
            API_KEYS.forEach(kubernetes.getProperties()::remove);
            kubernetes.setProperty("service-dns", discovery.serviceDns());
            // Without a port Hazelcast's DNS lookup assumes 5701; members share one port, so use this one's.
            int port = discovery.servicePort() > 0
                    ? discovery.servicePort()
                    : config.getNetworkConfig().getPort();
            kubernetes.setProperty("service-port", String.valueOf(port));
        } else {
            DNS_KEYS.forEach(kubernetes.getProperties()::remove);
            kubernetes.setProperty("service-name", discovery.serviceName());
            if (discovery.namespace() != null && !discovery.namespace().isBlank()) {
                kubernetes.setProperty("namespace", discovery.namespace());
            }
            if (discovery.servicePort() > 0) {
                kubernetes.setProperty("service-port", String.valueOf(discovery.servicePort()));
            }
        }
        return applyPartitionGroup(config, discovery.partitionGroup());
    }

    /**
     * Hazelcast's NODE_AWARE or ZONE_AWARE partition group for {@code group} (nothing for NONE): each backup on a
     * member of another Kubernetes node or zone, as the member attribute the Kubernetes discovery sets says.
     */
    static Config applyPartitionGroup(Config config, PartitionGroup group) {
        if (group == PartitionGroup.NONE) {
            return config;
        }
        config.getPartitionGroupConfig()
                .setEnabled(true)
                .setGroupType(
                        group == PartitionGroup.NODE_AWARE
                                ? PartitionGroupConfig.MemberGroupType.NODE_AWARE
                                : PartitionGroupConfig.MemberGroupType.ZONE_AWARE);
        return config;
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("localhost") || address.equals("::1");
    }
}
