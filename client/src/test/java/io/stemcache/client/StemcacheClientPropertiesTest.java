package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The API node's one settings record: its defaults are the service's, and a bad value is refused when it binds. */
class StemcacheClientPropertiesTest {

    private static StemcacheClientProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("stemcache.client", StemcacheClientProperties.class);
    }

    @Test
    void noProperties_deriveTheServiceDefaults() {
        ClientSettings derived = bind(Map.of()).settings();
        ClientSettings defaults = ClientSettings.defaults();

        assertThat(derived.mapName()).isEqualTo(defaults.mapName()).isEqualTo("analyses");
        assertThat(derived.cacheVersion()).isEqualTo(defaults.cacheVersion()).isEqualTo(1);
        assertThat(derived.guestTtl())
                .isEqualTo(defaults.guestTtl())
                .isEqualTo(Duration.ofHours(Owner.DEFAULT_GUEST_TTL_HOURS))
                .isEqualTo(Duration.ofHours(24));
        assertThat(derived.guestQuotaBytes())
                .isEqualTo(defaults.guestQuotaBytes())
                .isEqualTo(64L << 20);
        assertThat(derived.touchInterval()).isEqualTo(defaults.touchInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(derived.codec().limit())
                .isEqualTo(defaults.codec().limit())
                .isEqualTo(AnalysisCodec.DEFAULT_MAX_DECODED_BYTES);
    }

    @Test
    void properties_deriveTheServiceSettings() {
        ClientSettings settings = bind(Map.of(
                        "stemcache.client.map-name",
                        "other",
                        "stemcache.client.cache-version",
                        "3",
                        "stemcache.client.guest-ttl",
                        "2h",
                        "stemcache.client.guest-quota-mb",
                        "5",
                        "stemcache.client.touch-interval",
                        "1s",
                        "stemcache.client.max-analysis-mb",
                        "8"))
                .settings();

        assertThat(settings.mapName()).isEqualTo("other");
        assertThat(settings.cacheVersion()).isEqualTo(3);
        assertThat(settings.guestTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.guestQuotaBytes()).isEqualTo(5L << 20);
        assertThat(settings.touchInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.codec().limit()).isEqualTo(8L << 20);
    }

    @Test
    void badValues_areRefusedWhenTheyBind_namingTheProperty() {
        refused("stemcache.client.guest-ttl", "0s", "stemcache.client.guest-ttl must be at least 1s");
        refused("stemcache.client.touch-interval", "1ms", "stemcache.client.touch-interval must be at least 10ms");
        refused("stemcache.client.cache-version", "0", "stemcache.client.cache-version must be at least 1");
        refused("stemcache.client.map-name", " ", "stemcache.client.map-name must not be blank");
        refused("stemcache.client.guest-quota-mb", "0", "stemcache.client.guest-quota-mb must be positive, got 0");
        refused("stemcache.client.max-analysis-mb", "2048", "stemcache.client.max-analysis-mb must be 1 to 2047");
    }

    private static void refused(String property, String value, String message) {
        assertThatThrownBy(() -> bind(Map.of(property, value)))
                .as(property)
                .rootCause()
                .hasMessageStartingWith(message);
    }
}
