package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What a member offers the operations clients send it: access to the record in PostgreSQL and the
 * member's own bookkeeping. The node registers its implementation in the member's user context under
 * {@link #USER_CONTEXT_KEY}; operations find it with {@link #of}.
 */
public interface MemberServices {

    /** The executor members run management operations on. */
    String EXECUTOR = "stemcache-ops";

    /** Key of the implementation in {@code Config.getUserContext()}. */
    String USER_CONTEXT_KEY = "stemcache.memberServices";

    /** The services of the member running an operation; fails clearly on a member without them. */
    static MemberServices of(HazelcastInstance member) {
        Object services = member.getUserContext().get(USER_CONTEXT_KEY);
        if (!(services instanceof MemberServices found)) {
            throw new IllegalStateException("this Hazelcast member has no stemcache MemberServices in its user context:"
                    + " it must be a stemcache node");
        }
        return found;
    }

    /** The analysis map's name on this member. */
    String mapName();

    /** Records that these keys were read (on a member or from a near cache); written to PostgreSQL in batches. */
    void touched(Collection<AnalysisKey> keys);

    /** Deletes the rows of every owner's stems of a file; returns how many rows were deleted. */
    int deleteRowsOfFile(UUID fileMetadataId);

    /** The file's keys whose writes wait in this member's write-behind queues (their entries may be evicted). */
    Set<AnalysisKey> queuedKeysOfFile(UUID fileMetadataId);

    /** The keys of an owner's rows in PostgreSQL (bounded by {@code limit}). */
    List<AnalysisKey> keysOf(Owner owner, int limit);

    /** Runs the cleanup now (expired rows, old versions, size caps) unless another member is running it. */
    long cleanupNow();

    /** This cluster's latest {@code limit} rows of {@code cache_statistics}, oldest first. */
    List<RecordedStats> statsHistory(int limit);
}
