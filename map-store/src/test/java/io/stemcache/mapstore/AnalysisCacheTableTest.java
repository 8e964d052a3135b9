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
    void upsert_onlyReplacesRowsOfALowerVersion_andNeverWritesUnderATombstone() {
        assertThat(AnalysisCacheTable.USERS.upsert)
                .contains("INSERT INTO audio_analysis_cache AS c")
                .contains("NOT EXISTS (SELECT 1 FROM audio_analysis_tombstone t")
                .contains("ON CONFLICT (owner_kind, owner_id, file_metadata_id, stem_type) DO UPDATE")
                .endsWith("WHERE c.entry_version < EXCLUDED.entry_version")
                .doesNotContain("id = EXCLUDED.id", "created_at = EXCLUDED", "updated_at <=");
    }

    @Test
    void guestsEntries_liveInTheGuestTable() {
        assertThat(AnalysisCacheTable.of(io.stemcache.core.Owner.guest("guest-session-0123456789abcdef")))
                .isSameAs(AnalysisCacheTable.GUESTS);
        assertThat(AnalysisCacheTable.GUESTS.upsert).contains("INSERT INTO audio_analysis_guest_cache AS c");
        assertThat(AnalysisCacheTable.GUESTS.load).contains("LEFT JOIN audio_analysis_guest_cache c");
    }

    @Test
    void deleteFile_leavesTombstonesAsTheStoresDeletesDo_andLeavesTheProductsRowsAlone() {
        String tombstones = "INSERT INTO audio_analysis_tombstone AS t";
        assertThat(AnalysisCacheTable.USERS.deleteFile)
                .contains("DELETE FROM audio_analysis_cache c WHERE c.file_metadata_id = ? AND c.owner_kind = 'user'")
                .contains(tombstones)
                .endsWith("entry_version = GREATEST(t.entry_version, EXCLUDED.entry_version), deleted_at = now()");
        assertThat(AnalysisCacheTable.GUESTS.deleteFile).contains("c.owner_kind = 'guest'");
        String afterDelete =
                AnalysisCacheTable.USERS.deleteKeys.substring(AnalysisCacheTable.USERS.deleteKeys.indexOf("RETURNING"));
        assertThat(AnalysisCacheTable.USERS.deleteFile).endsWith(afterDelete);
    }

    @Test
    void maintenanceStatements_countStoredBytesOneWay_andNameOnlyStemcachesRows() {
        assertThat(MaintenanceSql.TOTAL_BYTES)
                .contains(AnalysisCacheTable.STORED_BYTES)
                .contains("FROM audio_analysis_cache WHERE owner_kind = 'user'")
                .contains("FROM audio_analysis_guest_cache WHERE owner_kind = 'guest'");
        assertThat(MaintenanceSql.DELETE_LEAST_RECENT).contains(AnalysisCacheTable.STORED_BYTES);
        assertThat(MaintenanceSql.DELETE_OVER_GUEST_QUOTA)
                .contains(AnalysisCacheTable.STORED_BYTES)
                .doesNotContain("audio_analysis_cache ");
        assertThat(EntryLoader.RECENT_KEYS).contains(AnalysisCacheTable.STORED_BYTES);
        assertThat(AnalysisCacheTable.GUESTS.sql(MaintenanceSql.TOUCH))
                .contains("UPDATE audio_analysis_guest_cache c")
                .contains("unnest(" + KeyColumns.UNNEST + ", ?::bigint[])")
                .contains("c.owner_kind = 'guest' AND c.owner_kind = k.owner_kind");
    }
}
