package io.stemcache.client;

import io.stemcache.core.codec.AnalysisCodec;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API-node settings ({@code stemcache.client.*}); Hazelcast's client settings (members, near cache)
 * stay in the YAML file that {@code config} names.
 *
 * @param enabled whether to connect a client and expose an AudioCacheService bean
 * @param config Spring resource location of the Hazelcast client YAML
 * @param mapName the IMap the members hold analyses in
 * @param cacheVersion the current cache (algorithm) version
 * @param maxAnalysisMb largest analysis (raw float64 MB) encoded or decoded
 * @param guestTtl time to live of guests' entries in memory
 * @param guestQuotaMb stored MB one guest may hold; its oldest entries make room for new ones
 * @param touchInterval how often reads are reported to the members (keeps near-cache-hot entries alive there)
 * @param nearCachePreloadDirectory where the near cache's keys are saved so a restarted node starts warm
 *     (empty: off); one directory per API node process
 * @param leaseTtl how long a caller that missed holds a stem's lease to analyse it ({@link AnalysisLeases}) before
 *     another caller may take over
 */
@ConfigurationProperties("stemcache.client")
public record StemcacheClientProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("classpath:" + StemcacheClient.DEFAULT_CONFIG) String config,
        @DefaultValue(ClientSettings.DEFAULT_MAP_NAME) String mapName,
        @DefaultValue("1") int cacheVersion,
        @DefaultValue("256") int maxAnalysisMb,
        @DefaultValue("24h") Duration guestTtl,
        @DefaultValue("64") int guestQuotaMb,
        @DefaultValue("30s") Duration touchInterval,
        @DefaultValue("stemcache-near-cache") String nearCachePreloadDirectory,
        @DefaultValue("2m") Duration leaseTtl) {

    public StemcacheClientProperties {
        if (config == null || config.isBlank()) {
            throw new IllegalArgumentException("stemcache.client.config must name a Hazelcast client YAML resource");
        }
        if (maxAnalysisMb < 1 || maxAnalysisMb > 2047) {
            throw new IllegalArgumentException("stemcache.client.max-analysis-mb must be 1 to 2047, got " + maxAnalysisMb);
        }
        if (guestQuotaMb < 1) {
            throw new IllegalArgumentException("stemcache.client.guest-quota-mb must be positive, got " + guestQuotaMb);
        }
    }

    /** The codec of this API node: {@link #maxAnalysisMb} bounds what it encodes and decodes. */
    public AnalysisCodec codec() {
        return AnalysisCodec.withMaxDecodedBytes((long) maxAnalysisMb << 20);
    }
}
