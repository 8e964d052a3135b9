package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.ops.RemoveEntry;

final class RemoveEntrySerializer implements CompactSerializer<RemoveEntry> {

    @Override
    public RemoveEntry read(CompactReader reader) {
        return RemoveEntry.INSTANCE;
    }

    @Override
    public void write(CompactWriter writer, RemoveEntry processor) {
        // stateless
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
