package io.stemcache.node;

import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.mapstore.MapDataStore;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import com.hazelcast.map.impl.recordstore.RecordStore;
import io.stemcache.core.CachedAudioAnalysis;

/**
 * Reads a member's write-behind backlog of one map: its own entries waiting for PostgreSQL, and the bytes
 * every queued entry holds in its heap, backups' copies included (they are dropped only once stored). The
 * values are counted whether or not memory still holds them: an entry evicted before its store keeps its
 * value in the queue.
 */
@FunctionalInterface
interface BacklogSampler {

    /** A reading: entries of partitions this member owns, and bytes of every queued entry it holds. */
    record Backlog(long entries, long bytes) {}

    Backlog sample();

    /** Walks the map's write-behind queues in every partition this member holds (Hazelcast internals, 5.7). */
    static BacklogSampler of(MapServiceContext context, String mapName) {
        return () -> {
            IPartitionService partitions = context.getNodeEngine().getPartitionService();
            long entries = 0;
            long bytes = 0;
            for (int id = 0; id < partitions.getPartitionCount(); id++) {
                RecordStore<?> store = context.getPartitionContainer(id).getExistingRecordStore(mapName);
                if (store == null) {
                    continue;
                }
                MapDataStore<Data, Object> dataStore = store.getMapDataStore();
                if (!(dataStore instanceof WriteBehindStore writeBehind)) {
                    continue;
                }
                // A copy taken under the queue's lock: partition threads add to it meanwhile.
                var queued = writeBehind.getWriteBehindQueue().asList();
                if (partitions.isPartitionOwner(id)) {
                    entries += queued.size();
                }
                for (DelayedEntry<?, ?> entry : queued) {
                    bytes += sizeOf(entry.getKey()) + sizeOf(entry.getValue());
                }
            }
            return new Backlog(entries, bytes);
        };
    }

    private static long sizeOf(Object value) {
        if (value instanceof Data data) {
            return data.totalSize();
        }
        if (value instanceof CachedAudioAnalysis entry) {
            return entry.size();
        }
        return 0;
    }
}
