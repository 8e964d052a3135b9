package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import io.stemcache.core.ops.ProjectedAnalysis;
import io.stemcache.core.testing.Corpus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: {@code ?features=} answers decoded the member's projection with the standard codec (256 MiB),
 * ignoring {@code stemcache.client.max-analysis-mb}; they now decode with this node's codec.
 */
class FeatureProjectionsTest {

    private static ProjectedAnalysis projectionOf(byte[] payload) {
        return new ProjectedAnalysis(payload, 1, Precision.FLOAT64, null, "1.0", 1, Instant.EPOCH);
    }

    @Test
    void decode_ofAProjectionOverTheNodesLimit_isRefusedNamingTheLimit() {
        AudioAnalysis stem = Corpus.first();
        byte[] payload = AnalysisCodec.standard()
                .project(
                        AnalysisCodec.standard().encode(stem, Precision.FLOAT64),
                        List.copyOf(stem.analysisData().keySet()));
        FeatureProjections small =
                new FeatureProjections(null, null, 1, null, AnalysisCodec.withMaxDecodedBytes(64 << 10));
        FeatureProjections roomy = new FeatureProjections(null, null, 1, null, AnalysisCodec.standard());

        assertThatThrownBy(() -> small.decode(projectionOf(payload)))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("over this codec's limit of 65536 decoded bytes");
        assertThat(roomy.decode(projectionOf(payload)).analysisData())
                .containsOnlyKeys(stem.analysisData().keySet());
    }
}
