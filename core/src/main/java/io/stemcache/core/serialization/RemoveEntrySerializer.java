package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.ops.RemoveEntry;

final class RemoveEntrySerializer implements CompactSerializer<RemoveEntry> {

    @Override
    public RemoveEntry read(CompactReader reader) {
        return RemoveEntry.atMost(reader.readInt64("atMostVersion"));
    }

    @Override
    public void write(CompactWriter writer, RemoveEntry processor) {
        writer.writeInt64("atMostVersion", processor.atMostVersion());
    }

    @Override
    public String getTypeName() {
        return "stemcache.RemoveEntry";
    }

    @Override
    public Class<RemoveEntry> getCompactClass() {
        return RemoveEntry.class;
    }
}
