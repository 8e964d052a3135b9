package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.spi.merge.MergingValue;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NewestAnalysisMergePolicyTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00.000001Z");

    private final NewestAnalysisMergePolicy policy = new NewestAnalysisMergePolicy();

    /** A merging view whose raw value is a marker string, so the test sees which side was chosen. */
    private static MergingValue<Object> side(String raw, Object value) {
        return new MergingValue<>() {
            @Override
            public Object getDeserializedValue() {
                return value;
            }

            @Override
            public Object getRawValue() {
                return raw;
            }
        };
    }

    private static CachedAudioAnalysis writtenAt(Instant updatedAt) {
        return new CachedAudioAnalysis(UUID.randomUUID(), UUID.randomUUID(), StemType.values()[0], "1", 1, null,
                Precision.FLOAT64, T.minusSeconds(3600), updatedAt,
                new AnalysisMetadata(44100, 1.0, 1024, List.of("rms"), 1.0), 8, new byte[] {1});
    }

    @Test
    void newerUpdatedAt_wins_fromEitherSide() {
        assertThat(policy.merge(side("merging", writtenAt(T.plusNanos(1000))), side("existing", writtenAt(T))))
                .isEqualTo("merging");
        assertThat(policy.merge(side("merging", writtenAt(T)), side("existing", writtenAt(T.plusNanos(1000)))))
                .isEqualTo("existing");
    }

    @Test
    void sameUpdatedAt_keepsTheExistingEntry() {
        assertThat(policy.merge(side("merging", writtenAt(T)), side("existing", writtenAt(T)))).isEqualTo("existing");
    }

    @Test
    void keyOnOneSideOnly_isKept() {
        assertThat(policy.merge(side("merging", writtenAt(T)), null)).isEqualTo("merging");
        assertThat(policy.merge(null, side("existing", writtenAt(T)))).isEqualTo("existing");
    }

    @Test
    void valuesOfAnotherType_keepTheExistingEntry() {
        assertThat(policy.merge(side("merging", "text"), side("existing", writtenAt(T)))).isEqualTo("existing");
        assertThat(policy.merge(side("merging", writtenAt(T.plusSeconds(5))), side("existing", 42)))
                .isEqualTo("existing");
    }

    @Test
    void theNodeConfiguration_usesIt_forTheAnalysisMap() {
        assertThat(new ClasspathYamlConfig("hazelcast.yaml").getMapConfig(NodeMembers.MAP).getMergePolicyConfig()
                .getPolicy()).isEqualTo(NewestAnalysisMergePolicy.class.getName());
    }
}
