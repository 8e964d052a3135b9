package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Removes every owner's stems of one file from memory, backups, near caches and PostgreSQL; run on any
 * member through an executor. Its cost follows the file's entries: an index on {@code fileMetadataId}
 * in memory and on {@code file_metadata_id} in PostgreSQL.
 */
public final class InvalidateFile implements Callable<Integer>, HazelcastInstanceAware {

    private final UUID fileMetadataId;
    private transient HazelcastInstance member;

    public InvalidateFile(UUID fileMetadataId) {
        this.fileMetadataId = fileMetadataId;
    }

    public UUID fileMetadataId() {
        return fileMetadataId;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public Integer call() {
        MemberServices services = MemberServices.of(member);
        IMap<AnalysisKey, CachedAudioAnalysis> map = member.getMap(services.mapName());
        int inMemory = RemoveEntry.fromEach(map, map.keySet(Predicates.equal("fileMetadataId", fileMetadataId.toString())));
        // Rows of entries not in memory; rows of the entries just removed go too (their deletes are queued).
        int rows = services.deleteRowsOfFile(fileMetadataId);
        return Math.max(inMemory, rows);
    }
}
