package io.stemcache.node.health;

import com.hazelcast.core.HazelcastInstance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Liveness of the member ({@code memberRunning} in the liveness group): whether its Hazelcast instance is
 * still running. It asks nothing of other members or of PostgreSQL, so neither can get a member restarted;
 * a member whose instance has shut down (after an out-of-memory error, a failed merge) cannot come back
 * without one.
 */
final class MemberRunning implements HealthIndicator {

    private final HazelcastInstance hazelcast;

    MemberRunning(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    @Override
    public Health health() {
        return hazelcast.getLifecycleService().isRunning()
                ? Health.up().build()
                : Health.down()
                        .withDetail("reason", "the Hazelcast instance has shut down")
                        .build();
    }
}
