package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WriteBehindPropertiesTest {

    private static StemcacheProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("stemcache", StemcacheProperties.class);
    }

    @Test
    void writeBehind_unset_hasTheDocumentedDefaults() {
        assertThat(bind(Map.of()).writeBehind())
                .isEqualTo(new StemcacheProperties.WriteBehind(10_000, Duration.ofMillis(250)));
    }

    @Test
    void writeBehind_set_bindsTheLimit() {
        assertThat(bind(Map.of("stemcache.write-behind.max-backlog-entries", "500")).writeBehind().maxBacklogEntries())
                .isEqualTo(500);
    }

    @Test
    void writeBehind_zeroLimit_isRejectedNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("stemcache.write-behind.max-backlog-entries", "0")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("stemcache.write-behind.max-backlog-entries must be at least 1, got 0");
        assertThatThrownBy(() -> new StemcacheProperties.WriteBehind(10, Duration.ZERO))
                .hasMessageContaining("stemcache.write-behind.sample-interval must be a positive duration");
    }
}
