package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.stats.StatsSnapshot;
import java.time.Instant;

final class StatsSnapshotSerializer implements CompactSerializer<StatsSnapshot> {

    @Override
    public StatsSnapshot read(CompactReader reader) {
        Long lastCleanup = reader.readNullableInt64("lastCleanupMicros");
        return new StatsSnapshot(
                CachedAudioAnalysisSerializer.micros(reader.readInt64("publishedAtMicros")),
                reader.readInt64("hits"),
                reader.readInt64("misses"),
                reader.readInt64("nearCacheHits"),
                reader.readInt64("nearCacheMisses"),
                reader.readInt64("puts"),
                reader.readInt64("removals"),
                reader.readInt64("evictions"),
                reader.readInt64("expirations"),
                reader.readInt64("loads"),
                reader.readInt64("storeFailures"),
                reader.readInt64("writeBehindBacklog"),
                lastCleanup == null ? null : CachedAudioAnalysisSerializer.micros(lastCleanup));
    }

    @Override
    public void write(CompactWriter writer, StatsSnapshot snapshot) {
        writer.writeInt64("publishedAtMicros", CachedAudioAnalysisSerializer.toMicros(snapshot.publishedAt()));
        writer.writeInt64("hits", snapshot.hits());
        writer.writeInt64("misses", snapshot.misses());
        writer.writeInt64("nearCacheHits", snapshot.nearCacheHits());
        writer.writeInt64("nearCacheMisses", snapshot.nearCacheMisses());
        writer.writeInt64("puts", snapshot.puts());
        writer.writeInt64("removals", snapshot.removals());
        writer.writeInt64("evictions", snapshot.evictions());
        writer.writeInt64("expirations", snapshot.expirations());
        writer.writeInt64("loads", snapshot.loads());
        writer.writeInt64("storeFailures", snapshot.storeFailures());
        writer.writeInt64("writeBehindBacklog", snapshot.writeBehindBacklog());
        Instant lastCleanup = snapshot.lastCleanup();
        writer.writeNullableInt64(
                "lastCleanupMicros", lastCleanup == null ? null : CachedAudioAnalysisSerializer.toMicros(lastCleanup));
    }

    @Override
    public String getTypeName() {
        return "stemcache.StatsSnapshot";
    }

    @Override
    public Class<StatsSnapshot> getCompactClass() {
        return StatsSnapshot.class;
    }
}
