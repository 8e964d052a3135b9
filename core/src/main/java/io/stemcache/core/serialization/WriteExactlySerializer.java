package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.ops.WriteExactly;

final class WriteExactlySerializer implements CompactSerializer<WriteExactly> {

    @Override
    public WriteExactly read(CompactReader reader) {
        return new WriteExactly(reader.readCompact("entry"), reader.readInt64("ttlSeconds"));
    }

    @Override
    public void write(CompactWriter writer, WriteExactly processor) {
        writer.writeCompact("entry", processor.entry());
        writer.writeInt64("ttlSeconds", processor.ttlSeconds());
    }

    @Override
    public String getTypeName() {
        return "stemcache.WriteExactly";
    }

    @Override
    public Class<WriteExactly> getCompactClass() {
        return WriteExactly.class;
    }
}
