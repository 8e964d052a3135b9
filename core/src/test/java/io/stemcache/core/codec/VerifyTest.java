package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Corpus;
import org.junit.jupiter.api.Test;

/** {@link AnalysisCodec#verify}: the cheap integrity check the map-store runs on every loaded row. */
class VerifyTest {

    private final AnalysisCodec codec = AnalysisCodec.standard();

    @Test
    void verify_readsTheEnvelopeExactly() {
        AudioAnalysis analysis = Corpus.small(300);
        byte[] payload = codec.encode(analysis, Precision.FLOAT32);

        PayloadSummary summary = codec.verify(payload);

        assertThat(summary.fileMetadataId()).isEqualTo(analysis.fileMetadataId());
        assertThat(summary.stemType()).isEqualTo(analysis.stemType());
        assertThat(summary.analysisVersion()).isEqualTo(analysis.analysisVersion());
        assertThat(summary.metadata()).isEqualTo(analysis.metadata());
        assertThat(summary.header().precision()).isEqualTo(Precision.FLOAT32);
        assertThat(summary.header().rawSize()).isEqualTo(codec.rawSize(analysis));
    }

    @Test
    void verify_catchesDamageDeepInTheBody() {
        byte[] payload = codec.encode(Corpus.small(300), Precision.FLOAT64);
        payload[payload.length - 10] ^= 0x5A;

        assertThat(codec.header(payload)).as("the header alone cannot see it").isNotNull();
        assertThatThrownBy(() -> codec.verify(payload))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void verify_rejectsATruncatedPayload() {
        byte[] payload = codec.encode(Corpus.small(50), Precision.FLOAT64);
        byte[] truncated = java.util.Arrays.copyOf(payload, payload.length / 2);

        assertThatThrownBy(() -> codec.verify(truncated)).isInstanceOf(CorruptPayloadException.class);
    }
}
