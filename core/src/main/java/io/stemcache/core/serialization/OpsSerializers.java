package io.stemcache.core.serialization;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.ops.CleanupNow;
import io.stemcache.core.ops.DescribeEntry;
import io.stemcache.core.ops.EntryDescription;
import io.stemcache.core.ops.InvalidateFile;
import io.stemcache.core.ops.OwnerKeys;
import io.stemcache.core.ops.ProjectFeatures;
import io.stemcache.core.ops.ProjectedAnalysis;
import io.stemcache.core.ops.ReadEntry;
import io.stemcache.core.ops.ReadVersion;
import io.stemcache.core.ops.RecordedStats;
import io.stemcache.core.ops.StatsHistory;
import io.stemcache.core.ops.TouchEntry;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Compact serializers of the operations clients send to members, and of their answers. */
final class OpsSerializers {

    private OpsSerializers() {}

    static List<CompactSerializer<?>> all() {
        return List.of(
                new Touch(),
                new Invalidate(),
                new Keys(),
                new Cleanup(),
                new Version(),
                new Read(),
                new Project(),
                new Projected(),
                new Describe(),
                new Description(),
                new History(),
                new Recorded());
    }

    static final class Touch implements CompactSerializer<TouchEntry> {
        @Override
        public TouchEntry read(CompactReader reader) {
            return new TouchEntry();
        }

        @Override
        public void write(CompactWriter writer, TouchEntry processor) {
            // stateless
        }

        @Override
        public String getTypeName() {
            return "stemcache.TouchEntry";
        }

        @Override
        public Class<TouchEntry> getCompactClass() {
            return TouchEntry.class;
        }
    }

    static final class Invalidate implements CompactSerializer<InvalidateFile> {
        @Override
        public InvalidateFile read(CompactReader reader) {
            return new InvalidateFile(UUID.fromString(reader.readString("fileMetadataId")));
        }

        @Override
        public void write(CompactWriter writer, InvalidateFile task) {
            writer.writeString("fileMetadataId", task.fileMetadataId().toString());
        }

        @Override
        public String getTypeName() {
            return "stemcache.InvalidateFile";
        }

        @Override
        public Class<InvalidateFile> getCompactClass() {
            return InvalidateFile.class;
        }
    }

    static final class Keys implements CompactSerializer<OwnerKeys> {
        @Override
        public OwnerKeys read(CompactReader reader) {
            return new OwnerKeys(
                    Owner.of(Owner.Kind.fromCode(reader.readString("ownerKind")), reader.readString("ownerId")),
                    reader.readInt32("limit"));
        }

        @Override
        public void write(CompactWriter writer, OwnerKeys task) {
            writer.writeString("ownerKind", task.owner().kind().code());
            writer.writeString("ownerId", task.owner().id());
            writer.writeInt32("limit", task.limit());
        }

        @Override
        public String getTypeName() {
            return "stemcache.OwnerKeys";
        }

        @Override
        public Class<OwnerKeys> getCompactClass() {
            return OwnerKeys.class;
        }
    }

    static final class Version implements CompactSerializer<ReadVersion> {
        @Override
        public ReadVersion read(CompactReader reader) {
            return new ReadVersion();
        }

        @Override
        public void write(CompactWriter writer, ReadVersion processor) {
            // stateless
        }

        @Override
        public String getTypeName() {
            return "stemcache.ReadVersion";
        }

        @Override
        public Class<ReadVersion> getCompactClass() {
            return ReadVersion.class;
        }
    }

    static final class Read implements CompactSerializer<ReadEntry> {
        @Override
        public ReadEntry read(CompactReader reader) {
            return new ReadEntry();
        }

        @Override
        public void write(CompactWriter writer, ReadEntry processor) {
            // stateless
        }

        @Override
        public String getTypeName() {
            return "stemcache.ReadEntry";
        }

        @Override
        public Class<ReadEntry> getCompactClass() {
            return ReadEntry.class;
        }
    }

    static final class Project implements CompactSerializer<ProjectFeatures> {
        @Override
        public ProjectFeatures read(CompactReader reader) {
            return new ProjectFeatures(Arrays.asList(reader.readArrayOfString("features")));
        }

        @Override
        public void write(CompactWriter writer, ProjectFeatures processor) {
            writer.writeArrayOfString("features", processor.features().toArray(String[]::new));
        }

        @Override
        public String getTypeName() {
            return "stemcache.ProjectFeatures";
        }

        @Override
        public Class<ProjectFeatures> getCompactClass() {
            return ProjectFeatures.class;
        }
    }

    static final class Projected implements CompactSerializer<ProjectedAnalysis> {
        @Override
        public ProjectedAnalysis read(CompactReader reader) {
            return new ProjectedAnalysis(
                    reader.readArrayOfInt8("payload"),
                    reader.readInt64("version"),
                    Precision.valueOf(reader.readString("precision")),
                    reader.readString("contentHash"),
                    reader.readString("analysisVersion"),
                    reader.readInt32("cacheVersion"),
                    CachedAudioAnalysisSerializer.micros(reader.readInt64("updatedAtMicros")));
        }

        @Override
        public void write(CompactWriter writer, ProjectedAnalysis projection) {
            writer.writeArrayOfInt8("payload", projection.payload());
            writer.writeInt64("version", projection.version());
            writer.writeString("precision", projection.precision().name());
            writer.writeString("contentHash", projection.contentHash());
            writer.writeString("analysisVersion", projection.analysisVersion());
            writer.writeInt32("cacheVersion", projection.cacheVersion());
            writer.writeInt64("updatedAtMicros", CachedAudioAnalysisSerializer.toMicros(projection.updatedAt()));
        }

        @Override
        public String getTypeName() {
            return "stemcache.ProjectedAnalysis";
        }

        @Override
        public Class<ProjectedAnalysis> getCompactClass() {
            return ProjectedAnalysis.class;
        }
    }

    static final class Cleanup implements CompactSerializer<CleanupNow> {
        @Override
        public CleanupNow read(CompactReader reader) {
            return CleanupNow.INSTANCE;
        }

        @Override
        public void write(CompactWriter writer, CleanupNow task) {
            // stateless
        }

        @Override
        public String getTypeName() {
            return "stemcache.CleanupNow";
        }

        @Override
        public Class<CleanupNow> getCompactClass() {
            return CleanupNow.class;
        }
    }

    static final class Describe implements CompactSerializer<DescribeEntry> {
        @Override
        public DescribeEntry read(CompactReader reader) {
            return new DescribeEntry();
        }

        @Override
        public void write(CompactWriter writer, DescribeEntry processor) {
            // stateless
        }

        @Override
        public String getTypeName() {
            return "stemcache.DescribeEntry";
        }

        @Override
        public Class<DescribeEntry> getCompactClass() {
            return DescribeEntry.class;
        }
    }

    static final class Description implements CompactSerializer<EntryDescription> {
        @Override
        public EntryDescription read(CompactReader reader) {
            return new EntryDescription(
                    reader.readInt64("version"),
                    Precision.valueOf(reader.readString("precision")),
                    reader.readInt32("size"),
                    reader.readInt64("rawSize"),
                    reader.readString("contentHash"),
                    reader.readString("analysisVersion"),
                    reader.readInt32("cacheVersion"),
                    CachedAudioAnalysisSerializer.micros(reader.readInt64("updatedAtMicros")));
        }

        @Override
        public void write(CompactWriter writer, EntryDescription description) {
            writer.writeInt64("version", description.version());
            writer.writeString("precision", description.precision().name());
            writer.writeInt32("size", description.size());
            writer.writeInt64("rawSize", description.rawSize());
            writer.writeString("contentHash", description.contentHash());
            writer.writeString("analysisVersion", description.analysisVersion());
            writer.writeInt32("cacheVersion", description.cacheVersion());
            writer.writeInt64("updatedAtMicros", CachedAudioAnalysisSerializer.toMicros(description.updatedAt()));
        }

        @Override
        public String getTypeName() {
            return "stemcache.EntryDescription";
        }

        @Override
        public Class<EntryDescription> getCompactClass() {
            return EntryDescription.class;
        }
    }

    static final class History implements CompactSerializer<StatsHistory> {
        @Override
        public StatsHistory read(CompactReader reader) {
            return new StatsHistory(reader.readInt32("limit"));
        }

        @Override
        public void write(CompactWriter writer, StatsHistory task) {
            writer.writeInt32("limit", task.limit());
        }

        @Override
        public String getTypeName() {
            return "stemcache.StatsHistory";
        }

        @Override
        public Class<StatsHistory> getCompactClass() {
            return StatsHistory.class;
        }
    }

    static final class Recorded implements CompactSerializer<RecordedStats> {
        @Override
        public RecordedStats read(CompactReader reader) {
            Long lastCleanup = reader.readNullableInt64("lastCleanupMicros");
            return new RecordedStats(
                    CachedAudioAnalysisSerializer.micros(reader.readInt64("recordedAtMicros")),
                    reader.readInt64("entries"),
                    reader.readInt64("storedBytes"),
                    reader.readInt64("rawBytes"),
                    reader.readInt64("hits"),
                    reader.readInt64("misses"),
                    reader.readInt64("puts"),
                    reader.readInt64("removals"),
                    reader.readInt64("evictions"),
                    reader.readInt64("expirations"),
                    reader.readInt64("writeBehindBacklog"),
                    reader.readInt64("storeFailures"),
                    lastCleanup == null ? null : CachedAudioAnalysisSerializer.micros(lastCleanup));
        }

        @Override
        public void write(CompactWriter writer, RecordedStats row) {
            writer.writeInt64("recordedAtMicros", CachedAudioAnalysisSerializer.toMicros(row.recordedAt()));
            writer.writeInt64("entries", row.entries());
            writer.writeInt64("storedBytes", row.storedBytes());
            writer.writeInt64("rawBytes", row.rawBytes());
            writer.writeInt64("hits", row.hits());
            writer.writeInt64("misses", row.misses());
            writer.writeInt64("puts", row.puts());
            writer.writeInt64("removals", row.removals());
            writer.writeInt64("evictions", row.evictions());
            writer.writeInt64("expirations", row.expirations());
            writer.writeInt64("writeBehindBacklog", row.writeBehindBacklog());
            writer.writeInt64("storeFailures", row.storeFailures());
            writer.writeNullableInt64(
                    "lastCleanupMicros",
                    row.lastCleanup() == null ? null : CachedAudioAnalysisSerializer.toMicros(row.lastCleanup()));
        }

        @Override
        public String getTypeName() {
            return "stemcache.RecordedStats";
        }

        @Override
        public Class<RecordedStats> getCompactClass() {
            return RecordedStats.class;
        }
    }
}
