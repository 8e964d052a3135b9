package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AnalysisCacheTableTest {

    @Test
    void durationColumn_roundsHalfUpToMilliseconds() {
        assertThat(AnalysisCacheTable.durationColumn(182.19299319727892)).isEqualTo(new BigDecimal("182.193"));
        assertThat(AnalysisCacheTable.durationColumn(0.0005)).isEqualTo(new BigDecimal("0.001"));
        assertThat(AnalysisCacheTable.durationColumn(9_999_999.999)).isEqualTo(new BigDecimal("9999999.999"));
    }

    @Test
    void durationColumn_valueTheColumnCannotHold_isNull() {
        assertThat(AnalysisCacheTable.durationColumn(Double.NaN)).isNull();
        assertThat(AnalysisCacheTable.durationColumn(Double.POSITIVE_INFINITY)).isNull();
        assertThat(AnalysisCacheTable.durationColumn(10_000_000)).isNull();
    }

    @Test
    void millisColumn_roundsToWholeMilliseconds() {
        assertThat(AnalysisCacheTable.millisColumn(634.604)).isEqualTo(635);
        assertThat(AnalysisCacheTable.millisColumn(361.5)).isEqualTo(362);
        assertThat(AnalysisCacheTable.millisColumn(Double.NaN)).isNull();
        assertThat(AnalysisCacheTable.millisColumn(3e9)).isNull();
    }

    @Test
    void upsert_onlyReplacesRowsNoNewerThanTheValue() {
        assertThat(AnalysisCacheTable.UPSERT)
                .contains("ON CONFLICT (owner_kind, owner_id, file_metadata_id, stem_type) DO UPDATE")
                .endsWith("WHERE audio_analysis_cache.updated_at IS NULL OR audio_analysis_cache.updated_at <= EXCLUDED.updated_at")
                .doesNotContain("id = EXCLUDED.id", "created_at = EXCLUDED");
    }
}
