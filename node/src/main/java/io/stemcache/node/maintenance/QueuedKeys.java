package io.stemcache.node.maintenance;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.PartitionContainer;
import com.hazelcast.map.impl.mapstore.MapDataStore;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.partition.Partition;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import io.stemcache.core.AnalysisKey;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The keys of one file whose writes wait in this member's write-behind queues. Hazelcast evicts an entry whose
 * store has not run yet and keeps the store queued, so an index over memory misses it; invalidating the file
 * must still replace that store, or it would write the row back after the file's rows were deleted.
 *
 * <p>Reads Hazelcast's internal queues (no public API lists them) from outside their partition threads, so a
 * read that races a change is tried again; a write that lands meanwhile is concurrent with the invalidation.
 */
final class QueuedKeys {

    private static final int ATTEMPTS = 5;

    private QueuedKeys() {}

    static Set<AnalysisKey> ofFile(HazelcastInstance member, String mapName, UUID fileMetadataId) {
        IMap<Object, Object> map = member.getMap(mapName);
        MapServiceContext context =
                ((MapService) ((AbstractDistributedObject<?>) map).getService()).getMapServiceContext();
        Set<AnalysisKey> keys = new LinkedHashSet<>();
        for (Partition partition : member.getPartitionService().getPartitions()) {
            if (partition.getOwner() == null || !partition.getOwner().localMember()) {
                continue;
            }
            PartitionContainer container = context.getPartitionContainer(partition.getPartitionId());
            RecordStore<?> store = container.getExistingRecordStore(mapName);
            if (store == null) {
                continue;
            }
            MapDataStore<Data, Object> dataStore = store.getMapDataStore();
            if (dataStore instanceof WriteBehindStore writeBehind) {
                for (DelayedEntry<?, ?> queued : copy(writeBehind)) {
                    Object key = context.toObject(queued.getKey());
                    if (key instanceof AnalysisKey analysisKey
                            && analysisKey.fileMetadataId().equals(fileMetadataId)) {
                        keys.add(analysisKey);
                    }
                }
            }
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static List<DelayedEntry<?, ?>> copy(WriteBehindStore store) {
        for (int attempt = 1; ; attempt++) {
            try {
                return (List<DelayedEntry<?, ?>>)
                        (List<?>) store.getWriteBehindQueue().asList();
            } catch (ConcurrentModificationException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("the write-behind queue kept changing while it was read", e);
                }
            }
        }
    }
}
