package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.util.concurrent.Callable;

/**
 * Runs the member's cleanup of PostgreSQL now (expired rows, old cache versions, size caps) and returns the
 * rows it deleted; 0 if another member's cleanup is running.
 */
public final class CleanupNow implements Callable<Long>, HazelcastInstanceAware {

    /** The task holds no state; one instance serves every call. */
    public static final CleanupNow INSTANCE = new CleanupNow();

    private transient HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public Long call() {
        return MemberServices.of(member).cleanupNow();
    }
}
