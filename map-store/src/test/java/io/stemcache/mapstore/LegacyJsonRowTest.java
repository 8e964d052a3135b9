package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LegacyJsonRowTest {

    private static final AnalysisKey KEY =
            new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.DRUMS);
    private static final AnalysisMetadata METADATA = new AnalysisMetadata(44100, 1.5, 512, List.of("zcr", "rms"), 12);

    @Test
    void inProductOrder_followsFeaturesExtractedThenTheRest() {
        Map<String, double[]> jsonbOrder = new LinkedHashMap<>();
        jsonbOrder.put("rms", new double[] {1});
        jsonbOrder.put("zcr", new double[] {2});
        jsonbOrder.put("extra", new double[] {3});

        Map<String, double[]> ordered = LegacyJsonRow.inProductOrder(jsonbOrder, List.of("zcr", "missing", "rms"));

        assertThat(ordered.keySet()).containsExactly("zcr", "rms", "extra");
        assertThat(ordered.get("zcr")).isSameAs(jsonbOrder.get("zcr"));
    }

    @Test
    void analysis_jsonbColumns_readInProductOrder() {
        var analysis = LegacyJsonRow.analysis(
                KEY,
                "1.0",
                "{\"rms\": [0.5, 1], \"zcr\": [0.00000012, 0]}",
                "{\"points\": [0.1], \"duration\": 1.5, \"markers\": [], \"sampleRate\": 44100}",
                METADATA);

        assertThat(analysis.analysisData().keySet()).containsExactly("zcr", "rms");
        assertThat(analysis.analysisData().get("zcr")).containsExactly(1.2e-7, 0);
        assertThat(analysis.fileMetadataId()).isEqualTo(KEY.fileMetadataId());
        assertThat(analysis.metadata()).isEqualTo(METADATA);
    }

    @Test
    void analysis_noJson_namesWhatIsMissing() {
        assertThatThrownBy(() -> LegacyJsonRow.analysis(KEY, "1.0", null, null, METADATA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither a payload nor analysis_data");
        assertThatThrownBy(() -> LegacyJsonRow.analysis(KEY, "1.0", "{}", null, METADATA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no waveform_data");
    }

    @Test
    void analysis_malformedJson_throwsIllegalArgument() {
        assertThatThrownBy(() -> LegacyJsonRow.analysis(
                        KEY,
                        "1.0",
                        "{\"rms\": \"loud\"}",
                        "{\"points\": [], \"duration\": 1, \"markers\": [], \"sampleRate\": 1}",
                        METADATA))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
