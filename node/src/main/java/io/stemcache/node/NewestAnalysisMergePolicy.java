package io.stemcache.node;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import com.hazelcast.spi.merge.MergingValue;
import io.stemcache.core.CachedAudioAnalysis;

/**
 * Split-brain merge policy of the analysis map: after a network partition heals, each key keeps the entry
 * whose own {@link CachedAudioAnalysis#updatedAt()} is the latest, whichever side of the split holds it; a
 * key only one side holds is kept.
 *
 * <p>Why the value's own time and not Hazelcast's {@code LatestUpdateMergePolicy}: that one compares the
 * record's last-update time, which a member stamps when the record arrives in its memory, not when the
 * analysis was written. A record loaded back from PostgreSQL (after eviction, a restart, or on the side of a
 * split that lost every replica of a partition) or a write delayed in flight gets a fresh stamp while its
 * value is older, so it could beat a newer write from the other side. {@code updatedAt} is stamped once by
 * the writer and travels with the value; it is also what PostgreSQL's upsert compares (a row is replaced
 * only by a value at least as new), so memory and table end a merge with the same version. Hazelcast's
 * default, {@code PutIfAbsentMergePolicy}, keeps the larger side's entry even when the smaller side's is
 * newer.
 *
 * <p>Ties (the same microsecond) keep the entry already in the merged-into cluster. Times come from the
 * writers' clocks, so two writes of one key closer together than the writers' clock skew may be ordered
 * wrongly, here as in the table. A key removed on one side during the split and still present on the other
 * comes back (Hazelcast keeps no tombstones), and the merge writes it to PostgreSQL again.
 *
 * <p>Runs on the members of the merged-into cluster; it deserializes both values (the payload is a byte
 * array, never decoded). It asks Hazelcast only for the values ({@link MergingValue}), not for the
 * record statistics that would need {@code per-entry-stats-enabled}. Values of another type (another map
 * configured with this policy) keep the existing entry, like the default policy.
 */
public final class NewestAnalysisMergePolicy
        implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

    @Override
    public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
        if (existing == null) {
            return merging.getRawValue();
        }
        if (merging == null) {
            return existing.getRawValue();
        }
        if (merging.getDeserializedValue() instanceof CachedAudioAnalysis incoming
                && existing.getDeserializedValue() instanceof CachedAudioAnalysis current) {
            return incoming.updatedAt().isAfter(current.updatedAt()) ? merging.getRawValue() : existing.getRawValue();
        }
        return existing.getRawValue();
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // stateless
    }

    @Override
    public void readData(ObjectDataInput in) {
        // stateless
    }
}
