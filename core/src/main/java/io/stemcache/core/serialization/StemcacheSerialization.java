package io.stemcache.core.serialization;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import io.stemcache.core.codec.PayloadTooLargeException;
import io.stemcache.core.ops.EntryChecks;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.ops.ProjectFeatures;
import io.stemcache.core.ops.PutInterceptor;
import java.util.List;

/**
 * Registers stemcache's Compact serializers on a member's or a client's serialization config, and Hazelcast's Java
 * deserialization filter. Members and clients must both call it; Java serialization is used only for the map
 * interceptors and exceptions in {@link #JAVA_SERIALIZED}.
 *
 * <p>Schemas (field names and kinds are the contract; adding a field is compatible, renaming is not):
 * <ul>
 * <li>{@code stemcache.AnalysisKey}: {@code ownerKind} string ("user"|"guest"), {@code ownerId} string
 * (UUID or guest token), {@code fileMetadataId} string (UUID), {@code stemType} string.</li>
 * <li>{@code stemcache.CachedAudioAnalysis}: {@code id}, {@code fileMetadataId}, {@code stemType},
 * {@code analysisVersion} strings, {@code cacheVersion} int32, {@code contentHash} nullable string,
 * {@code precision} string, {@code createdAtMicros} and {@code updatedAtMicros} int64 (epoch
 * microseconds), {@code sampleRate} int32, {@code duration} float64, {@code bufferSize} int32,
 * {@code featuresExtracted} array of string, {@code analysisDuration} float64, {@code rawSize} int64,
 * {@code size} int32 (payload length, written for queries and ignored when read), {@code payload} array of int8 (the codec payload),
 * {@code version} int64 (the write's place in its key's order), {@code deletion} boolean (a removed key's marker).</li>
 * <li>{@code stemcache.WriteExactly}: {@code entry} the entry (compact), {@code ttlSeconds} int64 (-1: the map's).</li>
 * <li>{@code stemcache.RemoveEntry}: {@code atMostVersion} int64 (only entries up to this version are removed).</li>
 * <li>{@code stemcache.TouchEntry}, {@code stemcache.CleanupNow}, {@code stemcache.ReadVersion},
 * {@code stemcache.DescribeEntry}: no fields.</li>
 * <li>{@code stemcache.ProjectFeatures}: {@code features} array of string (the series to keep; order and repeats
 * do not matter).</li>
 * <li>{@code stemcache.ProjectedAnalysis} (its answer): {@code payload} array of int8 (the projected codec payload),
 * {@code version} int64, {@code precision} string, {@code contentHash} nullable string, {@code analysisVersion}
 * string, {@code cacheVersion} int32, {@code updatedAtMicros} int64 (epoch microseconds), each the entry's.</li>
 * <li>{@code stemcache.EntryDescription} (DescribeEntry's answer): {@code version} int64, {@code precision} string,
 * {@code size} int32, {@code rawSize} int64, {@code contentHash} nullable string, {@code analysisVersion} string,
 * {@code cacheVersion} int32, {@code updatedAtMicros} int64, each the entry's.</li>
 * <li>{@code stemcache.InvalidateFile}: {@code fileMetadataId} string.</li>
 * <li>{@code stemcache.OwnerKeys}: {@code ownerKind}, {@code ownerId} strings, {@code limit} int32.</li>
 * <li>{@code stemcache.StatsHistory}: {@code limit} int32 (rows of {@code cache_statistics} to read).</li>
 * <li>{@code stemcache.RecordedStats} (one of its rows): {@code recordedAtMicros} int64 (epoch microseconds),
 * {@code entries}, {@code storedBytes}, {@code rawBytes}, {@code hits}, {@code misses}, {@code puts},
 * {@code removals}, {@code evictions}, {@code expirations}, {@code writeBehindBacklog}, {@code storeFailures}
 * int64, {@code lastCleanupMicros} nullable int64.</li>
 * <li>{@code stemcache.StatsSnapshot}: {@code publishedAtMicros} int64, the counters {@code hits},
 * {@code misses}, {@code nearCacheHits}, {@code nearCacheMisses}, {@code puts}, {@code removals},
 * {@code evictions}, {@code expirations}, {@code loads}, {@code storeFailures}, {@code writeBehindBacklog}
 * int64, {@code lastCleanupMicros} nullable int64.</li>
 * </ul>
 */
public final class StemcacheSerialization {

    /**
     * The only classes outside Hazelcast's own and the JDK's ({@code com.hazelcast.}, {@code java}, arrays: the
     * filter's defaults) that Java serialization may read: the map interceptors members send to members that join
     * (Hazelcast serializes a map's interceptors with Java serialization) and the exceptions an operation may answer
     * with; each class and its superclasses below the JDK's. Everything else a peer sends Java-serialized, a client's
     * Serializable task or value included, is refused with Hazelcast's "Resolving class ... is not allowed" before
     * any of its code runs.
     */
    public static final List<String> JAVA_SERIALIZED = List.of(
            PutInterceptor.class.getName(),
            EntryVersions.class.getName(),
            EntryChecks.class.getName(),
            CorruptPayloadException.class.getName(),
            PayloadTooLargeException.class.getName(),
            ProjectFeatures.UnknownFeaturesException.class.getName());

    /** JDK packages with known deserialization gadgets that the filter's default {@code java} prefix would admit. */
    static final List<String> JDK_REFUSED =
            List.of("java.rmi.", "javax.management.", "javax.naming.", "java.beans.", "javax.script.");

    private StemcacheSerialization() {}

    /** Adds the serializers, entries decoding with the standard codec, and the Java deserialization filter. */
    public static SerializationConfig register(SerializationConfig config) {
        return register(config, AnalysisCodec.standard());
    }

    /**
     * Adds the serializers to {@code config} and returns it: entries read decode with {@code codec} (the node's
     * configured limit), and Java deserialization is limited to {@link #JAVA_SERIALIZED}.
     */
    public static SerializationConfig register(SerializationConfig config, AnalysisCodec codec) {
        CompactSerializationConfig compact = config.getCompactSerializationConfig();
        compact.addSerializer(new AnalysisKeySerializer());
        compact.addSerializer(new CachedAudioAnalysisSerializer(codec));
        compact.addSerializer(new RemoveEntrySerializer());
        compact.addSerializer(new WriteExactlySerializer());
        OpsSerializers.all().forEach(compact::addSerializer);
        compact.addSerializer(new StatsSnapshotSerializer());
        return allowJavaSerialized(config, JAVA_SERIALIZED);
    }

    /**
     * Turns on Hazelcast's Java deserialization filter (if the configuration has none yet: Hazelcast's defaults
     * plus nothing) and adds {@code classNames} to what it admits: for a module's own interceptors and exceptions.
     */
    public static SerializationConfig allowJavaSerialized(SerializationConfig config, List<String> classNames) {
        JavaSerializationFilterConfig filter = config.getJavaSerializationFilterConfig();
        if (filter == null) {
            filter = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
            filter.setBlacklist(new ClassFilter().addPrefixes(JDK_REFUSED.toArray(String[]::new)));
            config.setJavaSerializationFilterConfig(filter);
        }
        filter.getWhitelist().addClasses(classNames.toArray(String[]::new));
        return config;
    }
}
