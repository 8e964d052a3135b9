package io.stemcache.core;

import com.hazelcast.partition.PartitionAware;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Identifies one cached analysis: whose it is, which uploaded file, which stem.
 *
 * <p>All stems of one owner's file share a partition, so a file's five stems are read, warmed and
 * invalidated on one member.
 */
public record AnalysisKey(Owner owner, UUID fileMetadataId, StemType stemType) implements PartitionAware<String> {

    public AnalysisKey {
        if (owner == null) {
            throw new IllegalArgumentException("key owner must not be null");
        }
        if (fileMetadataId == null) {
            throw new IllegalArgumentException("key fileMetadataId must not be null");
        }
        if (stemType == null) {
            throw new IllegalArgumentException("key stemType must not be null");
        }
    }

    /** Parses the parts of a key as an API node receives them, naming the part that is invalid. */
    public static AnalysisKey of(Owner owner, String fileMetadataId, String stemType) {
        return new AnalysisKey(
                owner, Owner.parseUuid("key fileMetadataId", fileMetadataId), StemType.fromCode(stemType));
    }

    /** A stable id for the entry of this key (a name-based UUID), so a key's row keeps one id. */
    public UUID entryId() {
        return UUID.nameUUIDFromBytes((getPartitionKey() + ':' + stemType.code()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String getPartitionKey() {
        return owner.kind().code() + ':' + owner.id() + ':' + fileMetadataId;
    }

    @Override
    public String toString() {
        return owner + "/" + fileMetadataId + "/" + stemType.code();
    }
}
