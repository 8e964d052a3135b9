package io.stemcache.api;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code stemcacheCluster} health, in the readiness group: UP while the Hazelcast client is connected. The client
 * starts without the cluster (async-start) and reconnects forever, so this flips DOWN and UP with the connection;
 * {@link ClusterGate} answers callers from the same flag.
 */
@Component("stemcacheCluster")
final class ClusterHealth implements HealthIndicator {

    private final HazelcastInstance client;
    private final AtomicBoolean connected = new AtomicBoolean();

    ClusterHealth(@Qualifier("stemcacheHazelcastClient") HazelcastInstance client) {
        this.client = client;
        client.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleState.CLIENT_CONNECTED) {
                connected.set(true);
            } else if (event.getState() == LifecycleState.CLIENT_DISCONNECTED
                    || event.getState() == LifecycleState.SHUTTING_DOWN) {
                connected.set(false);
            }
        });
        // Connected before the listener was added: the member list is the evidence.
        connected.compareAndSet(
                false,
                client.getLifecycleService().isRunning()
                        && !client.getCluster().getMembers().isEmpty());
    }

    /** Whether the client is connected to the cluster now. */
    boolean connected() {
        return connected.get() && client.getLifecycleService().isRunning();
    }

    @Override
    public Health health() {
        boolean up = connected();
        return (up ? Health.up() : Health.down())
                .withDetail("cluster", client.getConfig().getClusterName())
                .withDetail("members", up ? client.getCluster().getMembers().size() : 0)
                .build();
    }
}
