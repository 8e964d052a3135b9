package io.stemcache.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.PartitionGroupConfig;
import com.hazelcast.config.PartitionGroupConfig.MemberGroupType;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the member's join and partition-group settings, which are Hazelcast's own ({@code network.join.kubernetes},
 * {@code partition-group} in {@code hazelcast.yaml}, or single keys as {@code HZ_*} environment variables as the
 * chart sets them): it refuses the combinations Hazelcast would accept but that leave a member alone or a partition
 * without a backup. It changes nothing.
 *
 * <ul>
 *   <li>Kubernetes join on a member bound to loopback: no other pod can reach it (the shipped {@code hazelcast.yaml}
 *       binds to 127.0.0.1 for a local node; the chart sets {@code HZ_NETWORK_INTERFACES_ENABLED=false}).
 *   <li>DNS lookup ({@code service-dns}) without {@code service-port} on a member whose port is not 5701: Hazelcast
 *       would look for the others on 5701.
 *   <li>A node- or zone-aware partition group without Kubernetes API discovery: only the API tells a member its node
 *       and zone; every member would be in one group, and a partition would have no backup.
 * </ul>
 */
final class MemberDiscovery {

    /** Hazelcast's port when none is configured, which a DNS lookup without {@code service-port} assumes. */
    private static final int HAZELCAST_DEFAULT_PORT = 5701;

    private MemberDiscovery() {}

    static Config check(Config config) {
        KubernetesConfig kubernetes = config.getNetworkConfig().getJoin().getKubernetesConfig();
        if (kubernetes.isEnabled()) {
            checkReachable(config);
            checkDnsPort(config, kubernetes);
        }
        checkPartitionGroup(config.getPartitionGroupConfig(), kubernetes);
        return config;
    }

    private static void checkReachable(Config config) {
        InterfacesConfig interfaces = config.getNetworkConfig().getInterfaces();
        if (interfaces.isEnabled()
                && !interfaces.getInterfaces().isEmpty()
                && interfaces.getInterfaces().stream().allMatch(MemberDiscovery::isLoopback)) {
            throw new IllegalStateException("network.join.kubernetes is enabled but network.interfaces binds the "
                    + "member to " + interfaces.getInterfaces() + ", which other pods cannot reach: set "
                    + "HZ_NETWORK_INTERFACES_ENABLED=false (the chart does)");
        }
    }

    private static void checkDnsPort(Config config, KubernetesConfig kubernetes) {
        int port = config.getNetworkConfig().getPort();
        if (property(kubernetes, "service-dns") != null
                && property(kubernetes, "service-port") == null
                && port != HAZELCAST_DEFAULT_PORT) {
            throw new IllegalStateException("network.join.kubernetes.service-dns is set without service-port, so "
                    + "Hazelcast looks for members on " + HAZELCAST_DEFAULT_PORT + ", but this member listens on "
                    + port + ": set HZ_NETWORK_JOIN_KUBERNETES_SERVICEPORT=" + port + " (the chart does)");
        }
    }

    private static void checkPartitionGroup(PartitionGroupConfig group, KubernetesConfig kubernetes) {
        if (!group.isEnabled()
                || (group.getGroupType() != MemberGroupType.NODE_AWARE
                        && group.getGroupType() != MemberGroupType.ZONE_AWARE)) {
            return;
        }
        boolean apiDiscovery = kubernetes.isEnabled() && property(kubernetes, "service-dns") == null;
        if (!apiDiscovery) {
            throw new IllegalStateException("partition-group.group-type=" + group.getGroupType()
                    + " needs Hazelcast's Kubernetes discovery through the API (network.join.kubernetes enabled, "
                    + "without service-dns): only the Kubernetes API tells a member its node and zone (otherwise every "
                    + "member would be in one group, and a partition would have no backup)");
        }
    }

    /**
     * A Kubernetes discovery property by its documented name ({@code service-dns}); set through {@code HZ_*}
     * environment variables it arrives without dashes ({@code servicedns}), which Hazelcast accepts as the same.
     */
    private static String property(KubernetesConfig kubernetes, String name) {
        String wanted = normalize(name);
        for (Map.Entry<String, String> entry : kubernetes.getProperties().entrySet()) {
            if (normalize(entry.getKey()).equals(wanted) && !entry.getValue().isBlank()) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String normalize(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("localhost") || address.equals("::1");
    }
}
