package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import java.util.function.Consumer;

/**
 * A member's lifecycle listener that runs {@code action} on the member once it has started: how the interceptors of
 * this package install themselves from a {@code Config} (Hazelcast hands the listener its instance first).
 */
final class OnMemberStart implements LifecycleListener, HazelcastInstanceAware {

    private final Consumer<HazelcastInstance> action;
    private volatile HazelcastInstance member;

    OnMemberStart(Consumer<HazelcastInstance> action) {
        this.action = action;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public void stateChanged(LifecycleEvent event) {
        if (event.getState() == LifecycleEvent.LifecycleState.STARTED && member != null) {
            action.accept(member);
        }
    }
}
