package io.stemcache.core.serialization;

import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.config.SerializationConfig;
import io.stemcache.core.codec.AnalysisCodec;

/**
 * Registers stemcache's Compact serializers on a member's or a client's serialization config. Members
 * and clients must both call it; Java serialization of stemcache types is never used.
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

    private StemcacheSerialization() {
    }

    /** Adds the serializers to {@code config} and returns it; entries decode with the standard codec. */
    public static SerializationConfig register(SerializationConfig config) {
        return register(config, AnalysisCodec.standard());
    }

    /** Adds the serializers to {@code config} and returns it: entries read decode with {@code codec} (the node's limit). */
    public static SerializationConfig register(SerializationConfig config, AnalysisCodec codec) {
        CompactSerializationConfig compact = config.getCompactSerializationConfig();
        compact.addSerializer(new AnalysisKeySerializer());
        compact.addSerializer(new CachedAudioAnalysisSerializer(codec));
        compact.addSerializer(new RemoveEntrySerializer());
        compact.addSerializer(new WriteExactlySerializer());
        OpsSerializers.all().forEach(compact::addSerializer);
        compact.addSerializer(new StatsSnapshotSerializer());
        return config;
    }
}
