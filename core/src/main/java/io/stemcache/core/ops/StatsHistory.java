package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Reads this cluster's latest {@code limit} rows of {@code cache_statistics}, oldest first; run on any member. The
 * API node has no database: this is how a management page draws the cluster's history.
 */
public final class StatsHistory implements Callable<List<RecordedStats>>, HazelcastInstanceAware {

    /** Most rows one call returns: a week of the default one row a minute. */
    public static final int MAX_ROWS = 10_080;

    private final int limit;
    private transient HazelcastInstance member;

    /** Throws IllegalArgumentException unless 1 <= limit <= {@value #MAX_ROWS}. */
    public StatsHistory(int limit) {
        if (limit < 1 || limit > MAX_ROWS) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_ROWS + " rows, got " + limit);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public List<RecordedStats> call() {
        return new ArrayList<>(MemberServices.of(member).statsHistory(limit));
    }
}
