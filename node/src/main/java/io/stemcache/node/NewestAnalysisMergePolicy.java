package io.stemcache.node;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.stemcache.core.CachedAudioAnalysis;

/**
 * Split-brain merge policy of the analysis map: after a network partition heals, each key keeps the entry
 * with the higher {@link CachedAudioAnalysis#version()}, whichever side of the split holds it; a key only
 * one side holds is kept.
 *
 * <p>Why the entry's own version and not a time: a version is assigned by the member that owns the key,
 * one above the key's last one, so it orders two writes of a key whatever the writers' clocks say, and it is
 * what PostgreSQL's upsert compares (a row is replaced only by a higher version), so memory and table end a
 * merge with the same entry. Hazelcast's {@code LatestUpdateMergePolicy} compares the time a record arrived
 * in a member's memory (a record loaded back from PostgreSQL looks new), and its default,
 * {@code PutIfAbsentMergePolicy}, keeps the larger side's entry even when the smaller side's is newer.
 *
 * <p>Both sides of a split may have written the same key: each side continues from the version it knew, so
 * both can hold the same version with different content. Such writes were concurrent (no order exists between
 * them), and only then do the writers' times decide: the later {@code updatedAt}, then the merged-into side's.
 * The winner of a tie is returned one version up, so it is stored again and replaces in PostgreSQL whichever
 * side's copy of that version was stored during the split. A key removed on one side holds a
 * {@linkplain CachedAudioAnalysis#isDeletion deletion marker} one version above the removed entry, so the
 * removal wins over the other side's older copy.
 *
 * <p>Runs on the members of the merged-into cluster; it deserializes both values (the payload is a byte
 * array, never decoded). It asks Hazelcast only for the values ({@link MergingValue}), not for the
 * record statistics that would need {@code per-entry-stats-enabled}. Values of another type (another map
 * configured with this policy) keep the existing entry, like the default policy.
 */
public final class NewestAnalysisMergePolicy implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

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
            if (incoming.version() != current.version()) {
                return incoming.version() > current.version() ? merging.getRawValue() : existing.getRawValue();
            }
            CachedAudioAnalysis winner = incoming.updatedAt().isAfter(current.updatedAt()) ? incoming : current;
            return winner.withVersion(Math.addExact(winner.version(), 1));
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
