package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * Removes every owner's stems of one file from memory, backups, near caches and PostgreSQL; run on every
 * member through an executor ({@code submitToAllMembers}): each removes the entries it owns (found by the
 * {@code fileMetadataId} index) and the keys whose writes wait in its write-behind queues (their entries may
 * have been evicted before their store ran), then deletes the file's rows (idempotent: the first member's
 * delete takes them), each leaving a tombstone. Answers {@code {entries removed from memory, rows deleted}}.
 */
public final class InvalidateFile implements Callable<int[]>, HazelcastInstanceAware {

    private final UUID fileMetadataId;
    private transient HazelcastInstance member;

    public InvalidateFile(UUID fileMetadataId) {
        this.fileMetadataId = fileMetadataId;
    }

    /**
     * Runs the invalidation of a file on every member and answers how many of its entries went: the larger of
     * the entries removed from memory and the rows deleted. Throws IllegalStateException naming the file and the
     * cause when a member fails (PostgreSQL unreachable, say) or does not answer within {@code timeout}.
     */
    public static int onEveryMember(IExecutorService executor, UUID fileMetadataId, Duration timeout) {
        int inMemory = 0;
        int rows = 0;
        for (Future<int[]> member :
                executor.submitToAllMembers(new InvalidateFile(fileMetadataId)).values()) {
            int[] removed = Operations.await(member, "invalidate file " + fileMetadataId, timeout);
            inMemory += removed[0];
            rows += removed[1];
        }
        return Math.max(inMemory, rows);
    }

    public UUID fileMetadataId() {
        return fileMetadataId;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public int[] call() {
        MemberServices services = MemberServices.of(member);
        IMap<AnalysisKey, CachedAudioAnalysis> map = member.getMap(services.mapName());
        Set<AnalysisKey> keys =
                new LinkedHashSet<>(map.localKeySet(Predicates.equal("fileMetadataId", fileMetadataId.toString())));
        keys.addAll(services.queuedKeysOfFile(fileMetadataId));
        int inMemory = RemoveEntry.fromEach(map, keys);
        // Rows of entries not in memory; rows of the entries just removed go too (their deletes are queued).
        int rows = services.deleteRowsOfFile(fileMetadataId);
        return new int[] {inMemory, rows};
    }
}
