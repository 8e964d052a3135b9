package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Lists the keys of an owner's rows in PostgreSQL, including entries not in memory; run on any member. */
public final class OwnerKeys implements Callable<List<AnalysisKey>>, HazelcastInstanceAware {

    private final Owner owner;
    private final int limit;
    private transient HazelcastInstance member;

    public OwnerKeys(Owner owner, int limit) {
        this.owner = owner;
        this.limit = limit;
    }

    public Owner owner() {
        return owner;
    }

    public int limit() {
        return limit;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public List<AnalysisKey> call() {
        return new ArrayList<>(MemberServices.of(member).keysOf(owner, limit));
    }
}
