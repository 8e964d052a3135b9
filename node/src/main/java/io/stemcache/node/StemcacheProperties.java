package io.stemcache.node;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * stemcache's own settings for a member ({@code stemcache.*}); Hazelcast's settings (write-behind,
 * eviction, backups, TTL, discovery) stay in {@code hazelcast.yaml}.
 *
 * @param mapName the IMap holding analyses; {@code hazelcast.yaml} must configure it with a map-store
 * @param maxAnalysisMb largest analysis (raw float64 MB) the codec encodes or decodes; larger is refused
 * @param createDatabase create the database named in {@code spring.datasource.url} if it is missing
 * @param flushTimeout how long shutdown waits for the write-behind queue to reach PostgreSQL
 * @param loadBatchSize keys per query when the map loads entries from PostgreSQL
 * @param initialLoadMaxEntries most recently accessed rows loaded when the map starts (0: none)
 * @param initialLoadMaxMb stored MB the initial load may bring into memory
 */
@Validated
@ConfigurationProperties("stemcache")
public record StemcacheProperties(
        @DefaultValue(MAP_NAME) @NotBlank String mapName,
        @DefaultValue("256") @Positive @Max(2047) int maxAnalysisMb,
        @DefaultValue("true") boolean createDatabase,
        @DefaultValue("60s") Duration flushTimeout,
        @DefaultValue("100") @Positive @Max(1000) int loadBatchSize,
        @DefaultValue("0") @PositiveOrZero int initialLoadMaxEntries,
        @DefaultValue("512") @PositiveOrZero int initialLoadMaxMb) {

    /** The default map name, shared with clients. */
    public static final String MAP_NAME = "analyses";

    public StemcacheProperties {
        if (flushTimeout == null || flushTimeout.isNegative() || flushTimeout.isZero()) {
            throw new IllegalArgumentException("stemcache.flush-timeout must be a positive duration, got " + flushTimeout);
        }
    }
}
