package io.stemcache.node.spill;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The body of one spill record: a store (key and the whole entry, payload included) or a delete (key).
 * Written with {@link DataOutputStream}, field by field, so a spill file does not depend on Hazelcast's
 * serialization schemas (a starting member reads it before it has joined any cluster).
 */
final class SpillRecords {

    static final byte STORE = 1;
    static final byte DELETE = 2;

    /** A decoded record: {@code value} is null for a delete. */
    record Record(AnalysisKey key, CachedAudioAnalysis value) {}

    private SpillRecords() {}

    static byte[] store(AnalysisKey key, CachedAudioAnalysis value) {
        return encode(STORE, key, value);
    }

    static byte[] delete(AnalysisKey key) {
        return encode(DELETE, key, null);
    }

    private static byte[] encode(byte kind, AnalysisKey key, CachedAudioAnalysis value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value == null ? 128 : value.size() + 512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind);
            out.writeUTF(key.owner().kind().code());
            out.writeUTF(key.owner().id());
            uuid(out, key.fileMetadataId());
            out.writeUTF(key.stemType().code());
            if (value != null) {
                value(out, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void value(DataOutputStream out, CachedAudioAnalysis value) throws IOException {
        uuid(out, value.id());
        uuid(out, value.fileMetadataId());
        out.writeUTF(value.stemType().code());
        out.writeUTF(value.analysisVersion());
        out.writeInt(value.cacheVersion());
        out.writeBoolean(value.contentHash() != null);
        if (value.contentHash() != null) {
            out.writeUTF(value.contentHash());
        }
        out.writeUTF(value.precision().name());
        instant(out, value.createdAt());
        instant(out, value.updatedAt());
        AnalysisMetadata metadata = value.metadata();
        out.writeInt(metadata.sampleRate());
        out.writeDouble(metadata.duration());
        out.writeInt(metadata.bufferSize());
        out.writeInt(metadata.featuresExtracted().size());
        for (String feature : metadata.featuresExtracted()) {
            out.writeUTF(feature);
        }
        out.writeDouble(metadata.analysisDuration());
        out.writeLong(value.rawSize());
        out.writeInt(value.payload().length);
        out.write(value.payload());
        out.writeLong(value.version());
        out.writeBoolean(value.isDeletion());
    }

    /** Decodes a body; throws IOException (truncated) or IllegalArgumentException (a value the model refuses). */
    static Record decode(byte[] body) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            byte kind = in.readByte();
            if (kind != STORE && kind != DELETE) {
                throw new IOException("unknown record kind " + kind);
            }
            Owner owner = Owner.of(Owner.Kind.fromCode(in.readUTF()), in.readUTF());
            AnalysisKey key = new AnalysisKey(owner, uuid(in), StemType.fromCode(in.readUTF()));
            if (kind == DELETE) {
                return new Record(key, null);
            }
            UUID id = uuid(in);
            UUID fileMetadataId = uuid(in);
            StemType stemType = StemType.fromCode(in.readUTF());
            String analysisVersion = in.readUTF();
            int cacheVersion = in.readInt();
            String contentHash = in.readBoolean() ? in.readUTF() : null;
            Precision precision = Precision.valueOf(in.readUTF());
            Instant createdAt = instant(in);
            Instant updatedAt = instant(in);
            int sampleRate = in.readInt();
            double duration = in.readDouble();
            int bufferSize = in.readInt();
            int features = in.readInt();
            if (features < 0 || features > body.length) {
                throw new IOException("feature count " + features + " in a record of " + body.length + " bytes");
            }
            List<String> featuresExtracted = new ArrayList<>(features);
            for (int i = 0; i < features; i++) {
                featuresExtracted.add(in.readUTF());
            }
            AnalysisMetadata metadata =
                    new AnalysisMetadata(sampleRate, duration, bufferSize, featuresExtracted, in.readDouble());
            long rawSize = in.readLong();
            int payloadLength = in.readInt();
            if (payloadLength < 0 || payloadLength > body.length) {
                throw new IOException("payload length " + payloadLength + " in a record of " + body.length + " bytes");
            }
            byte[] payload = in.readNBytes(payloadLength);
            if (payload.length != payloadLength) {
                throw new IOException("payload cut short");
            }
            CachedAudioAnalysis value = new CachedAudioAnalysis(
                    id,
                    fileMetadataId,
                    stemType,
                    analysisVersion,
                    cacheVersion,
                    contentHash,
                    precision,
                    createdAt,
                    updatedAt,
                    metadata,
                    rawSize,
                    payload,
                    in.readLong(),
                    in.readBoolean());
            return new Record(key, value);
        }
    }

    private static void uuid(DataOutputStream out, UUID uuid) throws IOException {
        out.writeLong(uuid.getMostSignificantBits());
        out.writeLong(uuid.getLeastSignificantBits());
    }

    private static UUID uuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void instant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
