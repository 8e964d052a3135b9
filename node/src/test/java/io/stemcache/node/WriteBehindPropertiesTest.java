package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
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
                .isEqualTo(new StemcacheProperties.WriteBehind(10_000, 0, 25, Duration.ofMillis(250), ""));
    }

    @Test
    void limits_unset_takeAQuarterOfTheHeapAndNameWhereTheyCameFrom() {
        BacklogLimit.Limits limits = bind(Map.of()).writeBehind().limits(512L << 20);

        assertThat(limits.maxBytes()).isEqualTo(128L << 20);
        assertThat(limits.maxEntries()).isEqualTo(10_000);
        assertThat(limits.bytesOrigin())
                .isEqualTo("stemcache.write-behind.max-backlog-mb (128 MB: "
                        + "stemcache.write-behind.max-backlog-heap-percent=25 of the 512 MB heap)");
    }

    @Test
    void limits_set_inMbOrAsAShareOfTheHeap() {
        assertThat(bind(Map.of("stemcache.write-behind.max-backlog-mb", "300"))
                        .writeBehind()
                        .limits(4L << 30))
                .isEqualTo(new BacklogLimit.Limits(10_000, 300L << 20, "stemcache.write-behind.max-backlog-mb=300"));
        assertThat(bind(Map.of("stemcache.write-behind.max-backlog-heap-percent", "10"))
                        .writeBehind()
                        .limits(1000L << 20)
                        .maxBytes())
                .isEqualTo(100L << 20);
    }

    @Test
    void limits_badShareOrMb_areRejectedNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("stemcache.write-behind.max-backlog-heap-percent", "95")))
                .rootCause()
                .hasMessageContaining("stemcache.write-behind.max-backlog-heap-percent must be 1 to 90, got 95");
        assertThatThrownBy(() -> bind(Map.of("stemcache.write-behind.max-backlog-mb", "-1")))
                .rootCause()
                .hasMessageContaining("stemcache.write-behind.max-backlog-mb must be 0 (a share of the heap)");
    }

    @Test
    void spillDirectory_unset_isInTheTemporaryDirectory() {
        assertThat(bind(Map.of()).writeBehind().spillDirectory())
                .isEqualTo(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "stemcache-spill"));
        assertThat(bind(Map.of("stemcache.write-behind.spill-dir", "/data/spill"))
                        .writeBehind()
                        .spillDirectory())
                .isEqualTo(java.nio.file.Path.of("/data/spill"));
    }

    @Test
    void writeBehind_set_bindsTheLimit() {
        assertThat(bind(Map.of("stemcache.write-behind.max-backlog-entries", "500"))
                        .writeBehind()
                        .maxBacklogEntries())
                .isEqualTo(500);
    }

    @Test
    void writeBehind_zeroLimit_isRejectedNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("stemcache.write-behind.max-backlog-entries", "0")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("stemcache.write-behind.max-backlog-entries must be at least 1, got 0");
        assertThatThrownBy(() -> new StemcacheProperties.WriteBehind(10, 0, 25, Duration.ZERO, ""))
                .hasMessageContaining("stemcache.write-behind.sample-interval must be a positive duration");
    }

    @Test
    void heapBudgetWarning_capAndLimitBeyondTheHeap_namesBothSettings() {
        MapConfig map = new MapConfig("analyses");
        map.getEvictionConfig().setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE).setSize(1024);
        BacklogLimit.Limits limits = BacklogLimit.Limits.of(10_000, 512);

        assertThat(BacklogLimit.heapBudgetWarning(map, limits, 1536L << 20))
                .contains("eviction size 1024 MB")
                .contains("stemcache.write-behind.max-backlog-mb=512")
                .contains("exceed 90% of the 1536 MB heap");
        assertThat(BacklogLimit.heapBudgetWarning(map, limits, 2048L << 20)).isNull();
        map.getEvictionConfig().setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(100);
        assertThat(BacklogLimit.heapBudgetWarning(map, limits, 600L << 20))
                .as("not a heap cap")
                .isNull();
    }
}
