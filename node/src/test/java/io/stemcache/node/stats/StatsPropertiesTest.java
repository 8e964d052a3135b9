package io.stemcache.node.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.node.StemcacheProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StatsPropertiesTest {

    private static StemcacheProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("stemcache", StemcacheProperties.class);
    }

    @Test
    void stats_unset_hasTheDocumentedDefaults() {
        assertThat(bind(Map.of()).stats())
                .isEqualTo(new StemcacheProperties.Stats(Duration.ofSeconds(5), Duration.ofMinutes(1)));
    }

    @Test
    void stats_set_bindsBothIntervals() {
        assertThat(bind(Map.of("stemcache.stats.publish-interval", "2s", "stemcache.stats.persist-interval", "10m"))
                        .stats())
                .isEqualTo(new StemcacheProperties.Stats(Duration.ofSeconds(2), Duration.ofMinutes(10)));
    }

    @Test
    void stats_zeroInterval_isRejectedNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("stemcache.stats.persist-interval", "0s")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("stemcache.stats.persist-interval must be at least 1ms, got PT0S");
        assertThatThrownBy(() -> new StemcacheProperties.Stats(null, Duration.ofMinutes(1)))
                .hasMessageContaining("stemcache.stats.publish-interval");
    }
}
