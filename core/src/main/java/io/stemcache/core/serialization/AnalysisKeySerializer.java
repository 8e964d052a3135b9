package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import java.util.UUID;

final class AnalysisKeySerializer implements CompactSerializer<AnalysisKey> {

    @Override
    public AnalysisKey read(CompactReader reader) {
        Owner owner = Owner.of(Owner.Kind.fromCode(reader.readString("ownerKind")), reader.readString("ownerId"));
        return new AnalysisKey(
                owner,
                UUID.fromString(reader.readString("fileMetadataId")),
                StemType.fromCode(reader.readString("stemType")));
    }

    @Override
    public void write(CompactWriter writer, AnalysisKey key) {
        writer.writeString("ownerKind", key.owner().kind().code());
        writer.writeString("ownerId", key.owner().id());
        writer.writeString("fileMetadataId", key.fileMetadataId().toString());
        writer.writeString("stemType", key.stemType().code());
    }

    @Override
    public String getTypeName() {
        return "stemcache.AnalysisKey";
    }

    @Override
    public Class<AnalysisKey> getCompactClass() {
        return AnalysisKey.class;
    }
}
