package io.stemcache.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.cluster.ClusterState;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The readiness and liveness components on members of Hazelcast's test factory. */
class MemberHealthTest {

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void shutdown() {
        factory.terminateAll();
    }

    private HazelcastInstance member() {
        return factory.newHazelcastInstance(new Config().setClusterName("health-" + UUID.randomUUID()));
    }

    @Test
    void readiness_ofAJoinedSafeMember_isUpWithItsState() {
        HazelcastInstance first = member();
        HazelcastInstance second = factory.newHazelcastInstance(
                new Config().setClusterName(first.getConfig().getClusterName()));
        second.getMap("analyses").put("k", "v");

        for (HazelcastInstance member : new HazelcastInstance[] {first, second}) {
            Health health = new MemberReadiness(member).health();
            assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("joined", true)
                    .containsEntry("clusterState", ClusterState.ACTIVE)
                    .containsEntry("localMemberSafe", true)
                    .containsEntry("members", 2);
        }
        assertThat(new MemberReadiness(first).health().getDetails()).containsEntry("master", true);
        assertThat(new MemberReadiness(second).health().getDetails()).containsEntry("master", false);
    }

    @Test
    void readiness_inPassiveClusterState_isDown_whileLivenessStaysUp() {
        HazelcastInstance member = member();
        member.getCluster().changeClusterState(ClusterState.PASSIVE);

        Health readiness = new MemberReadiness(member).health();
        assertThat(readiness.getStatus()).isEqualTo(Status.DOWN);
        assertThat(readiness.getDetails()).containsEntry("clusterState", ClusterState.PASSIVE);
        assertThat(new MemberRunning(member).health().getStatus()).isEqualTo(Status.UP);

        member.getCluster().changeClusterState(ClusterState.ACTIVE);
        assertThat(new MemberReadiness(member).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void readinessAndLiveness_ofAShutDownMember_areDown() {
        HazelcastInstance member = member();
        MemberReadiness readiness = new MemberReadiness(member);
        MemberRunning liveness = new MemberRunning(member);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);

        member.shutdown();

        assertThat(liveness.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
