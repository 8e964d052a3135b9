package io.stemcache.node.health;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeState;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Readiness of the member ({@code member} in the readiness group): running, joined, in a cluster state that
 * serves map operations, and locally safe, i.e. no migration of its own under way and every partition it
 * owns has its backups in sync.
 *
 * <p>Local safety rather than {@code isClusterSafe()}: the cluster-wide check fails on every member at once
 * whenever one joins or leaves, which would empty the client Service and stall the rolling update on members
 * that have nothing to do with it. Locally, a member that has just joined becomes ready once it holds its
 * share with backups in sync, which is when the StatefulSet may stop the next one; and while a member is
 * unready the PodDisruptionBudget holds node drains back.
 *
 * <p>The safety check asks the backups of the member's partitions for their replica versions and waits up to
 * 10 s (Hazelcast's own limit) for an answer, so a member whose backups do not answer fails its probe's timeout.
 */
final class MemberReadiness extends AbstractHealthIndicator {

    /** States in which the member serves map reads and writes; PASSIVE refuses them, IN_TRANSITION is a change under way. */
    private static final Set<ClusterState> SERVING =
            EnumSet.of(ClusterState.ACTIVE, ClusterState.NO_MIGRATION, ClusterState.FROZEN);

    private final HazelcastInstance hazelcast;

    MemberReadiness(HazelcastInstance hazelcast) {
        super("Hazelcast member readiness check failed");
        this.hazelcast = hazelcast;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!hazelcast.getLifecycleService().isRunning()) {
            builder.down().withDetail("nodeState", NodeState.SHUT_DOWN);
            return;
        }
        Node node = node(hazelcast);
        NodeState nodeState = node.getState();
        boolean joined = node.getClusterService().isJoined();
        ClusterState clusterState = hazelcast.getCluster().getClusterState();
        boolean localMemberSafe = hazelcast.getPartitionService().isLocalMemberSafe();
        boolean ready = nodeState == NodeState.ACTIVE && joined && SERVING.contains(clusterState) && localMemberSafe;
        (ready ? builder.up() : builder.down())
                .withDetail("nodeState", nodeState)
                .withDetail("joined", joined)
                .withDetail("clusterState", clusterState)
                .withDetail("localMemberSafe", localMemberSafe)
                .withDetail("members", hazelcast.getCluster().getMembers().size())
                .withDetail("master", node.isMaster())
                .withDetail("migrationQueueSize", node.getPartitionService().getMigrationQueueSize());
    }

    static Node node(HazelcastInstance hazelcast) {
        if (hazelcast instanceof HazelcastInstanceProxy proxy) {
            return proxy.getOriginal().node;
        }
        if (hazelcast instanceof HazelcastInstanceImpl instance) {
            return instance.node;
        }
        throw new IllegalStateException(
                "not a Hazelcast member: " + hazelcast.getClass().getName());
    }
}
