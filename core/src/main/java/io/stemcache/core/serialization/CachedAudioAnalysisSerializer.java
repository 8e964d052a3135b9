package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

final class CachedAudioAnalysisSerializer implements CompactSerializer<CachedAudioAnalysis> {

    private final AnalysisCodec codec;

    CachedAudioAnalysisSerializer(AnalysisCodec codec) {
        this.codec = codec;
    }

    @Override
    public CachedAudioAnalysis read(CompactReader reader) {
        byte[] payload = reader.readArrayOfInt8("payload");
        // Queries and aggregations read the size field, not the payload: one that lies would skew quotas and cleanup.
        if (reader.getFieldKind("size") == FieldKind.INT32 && payload != null) {
            int size = reader.readInt32("size");
            if (size != payload.length) {
                throw new CorruptPayloadException(
                        "entry's size field says " + size + " bytes but its payload is " + payload.length + " bytes");
            }
        }
        return new CachedAudioAnalysis(
                        UUID.fromString(reader.readString("id")),
                        UUID.fromString(reader.readString("fileMetadataId")),
                        StemType.fromCode(reader.readString("stemType")),
                        reader.readString("analysisVersion"),
                        reader.readInt32("cacheVersion"),
                        reader.readString("contentHash"),
                        Precision.valueOf(reader.readString("precision")),
                        micros(reader.readInt64("createdAtMicros")),
                        micros(reader.readInt64("updatedAtMicros")),
                        new AnalysisMetadata(
                                reader.readInt32("sampleRate"),
                                reader.readFloat64("duration"),
                                reader.readInt32("bufferSize"),
                                List.of(reader.readArrayOfString("featuresExtracted")),
                                reader.readFloat64("analysisDuration")),
                        reader.readInt64("rawSize"),
                        payload,
                        reader.readInt64("version"),
                        reader.readBoolean("deletion"))
                .decodingWith(codec);
    }

    @Override
    public void write(CompactWriter writer, CachedAudioAnalysis value) {
        writer.writeString("id", value.id().toString());
        writer.writeString("fileMetadataId", value.fileMetadataId().toString());
        writer.writeString("stemType", value.stemType().code());
        writer.writeString("analysisVersion", value.analysisVersion());
        writer.writeInt32("cacheVersion", value.cacheVersion());
        writer.writeString("contentHash", value.contentHash());
        writer.writeString("precision", value.precision().name());
        writer.writeInt64("createdAtMicros", toMicros(value.createdAt()));
        writer.writeInt64("updatedAtMicros", toMicros(value.updatedAt()));
        AnalysisMetadata metadata = value.metadata();
        writer.writeInt32("sampleRate", metadata.sampleRate());
        writer.writeFloat64("duration", metadata.duration());
        writer.writeInt32("bufferSize", metadata.bufferSize());
        writer.writeArrayOfString(
                "featuresExtracted", metadata.featuresExtracted().toArray(String[]::new));
        writer.writeFloat64("analysisDuration", metadata.analysisDuration());
        writer.writeInt64("rawSize", value.rawSize());
        writer.writeInt32("size", value.size());
        writer.writeArrayOfInt8("payload", value.payload());
        writer.writeInt64("version", value.version());
        writer.writeBoolean("deletion", value.isDeletion());
    }

    static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant micros(long epochMicros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    }

    @Override
    public String getTypeName() {
        return "stemcache.CachedAudioAnalysis";
    }

    @Override
    public Class<CachedAudioAnalysis> getCompactClass() {
        return CachedAudioAnalysis.class;
    }
}
