package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.PutAnalysis;

final class PutAnalysisSerializer implements CompactSerializer<PutAnalysis> {

    @Override
    public PutAnalysis read(CompactReader reader) {
        return PutAnalysis.restore(reader.readCompact("entry"), reader.readInt64("ttlSeconds"),
                reader.readInt64("exactVersion"));
    }

    @Override
    public void write(CompactWriter writer, PutAnalysis processor) {
        writer.writeCompact("entry", processor.entry());
        writer.writeInt64("ttlSeconds", processor.ttlSeconds());
        writer.writeInt64("exactVersion", processor.exactVersion());
    }

    @Override
    public String getTypeName() {
        return "stemcache.PutAnalysis";
    }

    @Override
    public Class<PutAnalysis> getCompactClass() {
        return PutAnalysis.class;
    }
}
