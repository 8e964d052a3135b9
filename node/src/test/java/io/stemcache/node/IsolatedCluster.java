package io.stemcache.node;

import java.util.List;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;

/**
 * Keeps a node started by a Spring Boot test to itself: its own cluster name and member port, so it never
 * joins a local node or another test's member.
 */
public final class IsolatedCluster {

    private IsolatedCluster() {}

    /** A cluster of one member on {@code port}, named {@code clusterName} (make it unique per test class). */
    public static HazelcastConfigCustomizer on(String clusterName, int port) {
        return config -> {
            config.setClusterName(clusterName);
            config.getNetworkConfig().setPort(port);
            config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(List.of("127.0.0.1:" + port));
        };
    }

    /** As {@link #on}, with the analyses map's write-behind delay shortened, so rows appear within a test's patience. */
    public static HazelcastConfigCustomizer on(String clusterName, int port, int writeDelaySeconds) {
        HazelcastConfigCustomizer isolated = on(clusterName, port);
        return config -> {
            isolated.customize(config);
            config.getMapConfig(StemcacheProperties.MAP_NAME)
                    .getMapStoreConfig()
                    .setWriteDelaySeconds(writeDelaySeconds);
        };
    }
}
