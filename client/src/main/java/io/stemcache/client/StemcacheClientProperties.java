package io.stemcache.client;

import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API-node settings ({@code stemcache.client.*}); Hazelcast's client settings (members, near cache and its
 * preloader's directory) stay in the YAML file that {@code config} names.
 *
 * @param enabled whether to connect a client and expose an AudioCacheService bean
 * @param config Spring resource location of the Hazelcast client YAML
 * @param mapName the IMap the members hold analyses in
 * @param cacheVersion the current cache (algorithm) version
 * @param maxAnalysisMb largest analysis (raw float64 MB) encoded or decoded
 * @param guestTtl time to live of guests' entries in memory
 * @param guestQuotaMb stored MB one guest may hold; its oldest entries make room for new ones
 * @param touchInterval how often reads are reported to the members (keeps near-cache-hot entries alive there)
 * @param leaseTtl how long a caller that missed holds a stem's lease to analyse it ({@link AnalysisLeases}) before
 *     another caller may take over
 */
@ConfigurationProperties("stemcache.client")
public record StemcacheClientProperties(
        @DefaultValue("true") boolean enabled,

        @DefaultValue("classpath:" + StemcacheClient.DEFAULT_CONFIG)
        String config,

        @DefaultValue(ClientSettings.DEFAULT_MAP_NAME) String mapName,

        @DefaultValue("" + ClientSettings.DEFAULT_CACHE_VERSION)
        int cacheVersion,

        @DefaultValue("" + AnalysisCodec.DEFAULT_MAX_ANALYSIS_MB)
        int maxAnalysisMb,

        @DefaultValue(Owner.DEFAULT_GUEST_TTL_HOURS + "h") Duration guestTtl,
        @DefaultValue("" + Owner.DEFAULT_GUEST_QUOTA_MB) int guestQuotaMb,

        @DefaultValue(ClientSettings.DEFAULT_TOUCH_INTERVAL_SECONDS + "s")
        Duration touchInterval,

        @DefaultValue("2m") Duration leaseTtl) {

    public StemcacheClientProperties {
        if (config == null || config.isBlank()) {
            throw new IllegalArgumentException("stemcache.client.config must name a Hazelcast client YAML resource");
        }
        if (maxAnalysisMb < 1 || maxAnalysisMb > AnalysisCodec.MAX_ANALYSIS_MB) {
            throw new IllegalArgumentException("stemcache.client.max-analysis-mb must be 1 to "
                    + AnalysisCodec.MAX_ANALYSIS_MB + ", got " + maxAnalysisMb);
        }
        if (guestQuotaMb < 1) {
            throw new IllegalArgumentException("stemcache.client.guest-quota-mb must be positive, got " + guestQuotaMb);
        }
        ClientSettings.check(mapName, cacheVersion, guestTtl, (long) guestQuotaMb << 20, touchInterval);
    }

    /** The codec of this API node: {@link #maxAnalysisMb} bounds what it encodes and decodes. */
    public AnalysisCodec codec() {
        return AnalysisCodec.withMaxAnalysisMb(maxAnalysisMb);
    }

    /** The settings of this API node's {@link AudioCacheService}, derived here and nowhere else. */
    public ClientSettings settings() {
        return ClientSettings.defaults()
                .withMapName(mapName)
                .withCacheVersion(cacheVersion)
                .withCodec(codec())
                .withGuestTtl(guestTtl)
                .withGuestQuotaBytes((long) guestQuotaMb << 20)
                .withTouchInterval(touchInterval);
    }
}
