package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.spi.merge.MergingValue;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
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

    private static final AnalysisKey KEY =
            new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.values()[0]);

    private static CachedAudioAnalysis version(long version, Instant updatedAt) {
        return new CachedAudioAnalysis(
                UUID.randomUUID(),
                KEY.fileMetadataId(),
                KEY.stemType(),
                "1",
                1,
                null,
                Precision.FLOAT64,
                T.minusSeconds(3600),
                updatedAt,
                new AnalysisMetadata(44100, 1.0, 1024, List.of("rms"), 1.0),
                8,
                new byte[] {1},
                version,
                false);
    }

    @Test
    void higherVersion_wins_fromEitherSide() {
        assertThat(policy.merge(side("merging", version(3, T)), side("existing", version(2, T))))
                .isEqualTo("merging");
        assertThat(policy.merge(side("merging", version(2, T)), side("existing", version(3, T))))
                .isEqualTo("existing");
    }

    @Test
    void higherVersion_wins_evenWhenItsWritersClockWasBehind() {
        // The later write (version 3) came from an API node whose clock is 10 s behind the other's.
        assertThat(policy.merge(side("merging", version(3, T.minusSeconds(10))), side("existing", version(2, T))))
                .isEqualTo("merging");
    }

    @Test
    void deletionMarker_ofAHigherVersion_winsOverTheOtherSidesCopy() {
        CachedAudioAnalysis removed = CachedAudioAnalysis.deletion(KEY, 4, T);

        assertThat(policy.merge(side("merging", removed), side("existing", version(3, T.plusSeconds(60)))))
                .isEqualTo("merging");
        assertThat(policy.merge(side("merging", version(5, T)), side("existing", removed)))
                .isEqualTo("merging");
    }

    @Test
    void sameVersion_writtenOnBothSides_theLaterWriteWins_oneVersionUp() {
        CachedAudioAnalysis later = version(2, T.plusSeconds(1));
        CachedAudioAnalysis earlier = version(2, T);

        Object fromMerging = policy.merge(side("merging", later), side("existing", earlier));
        Object fromExisting = policy.merge(side("merging", earlier), side("existing", later));

        assertThat(fromMerging).isInstanceOfSatisfying(CachedAudioAnalysis.class, won -> {
            assertThat(won.id()).isEqualTo(later.id());
            assertThat(won.version()).isEqualTo(3);
        });
        assertThat(fromExisting).isInstanceOfSatisfying(CachedAudioAnalysis.class, won -> {
            assertThat(won.id()).isEqualTo(later.id());
            assertThat(won.version()).isEqualTo(3);
        });
    }

    @Test
    void sameVersionAndTime_keepsTheExistingEntry_oneVersionUp() {
        CachedAudioAnalysis existing = version(2, T);

        assertThat(policy.merge(side("merging", version(2, T)), side("existing", existing)))
                .isInstanceOfSatisfying(
                        CachedAudioAnalysis.class, won -> assertThat(won.id()).isEqualTo(existing.id()));
    }

    @Test
    void keyOnOneSideOnly_isKept() {
        assertThat(policy.merge(side("merging", version(1, T)), null)).isEqualTo("merging");
        assertThat(policy.merge(null, side("existing", version(1, T)))).isEqualTo("existing");
    }

    @Test
    void valuesOfAnotherType_keepTheExistingEntry() {
        assertThat(policy.merge(side("merging", "text"), side("existing", version(1, T))))
                .isEqualTo("existing");
        assertThat(policy.merge(side("merging", version(9, T)), side("existing", 42)))
                .isEqualTo("existing");
    }

    @Test
    void theNodeConfiguration_usesIt_forTheAnalysisMap() {
        assertThat(new ClasspathYamlConfig("hazelcast.yaml")
                        .getMapConfig(NodeMembers.MAP)
                        .getMergePolicyConfig()
                        .getPolicy())
                .isEqualTo(NewestAnalysisMergePolicy.class.getName());
    }
}
