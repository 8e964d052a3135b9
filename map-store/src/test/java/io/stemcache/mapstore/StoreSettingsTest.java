package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.codec.AnalysisCodec;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void defaults_areValidAndTurnTheInitialLoadOff() {
        StoreSettings defaults = StoreSettings.defaults();

        assertThat(defaults.validate()).isSameAs(defaults);
        assertThat(defaults.codec()).isSameAs(AnalysisCodec.standard());
        assertThat(defaults.loadBatchSize())
                .isEqualTo(StoreSettings.DEFAULT_LOAD_BATCH_SIZE)
                .isEqualTo(100);
        assertThat(defaults.initialLoadMaxEntries()).isZero();
        assertThat(defaults.initialLoadMaxBytes()).isEqualTo(StoreSettings.DEFAULT_INITIAL_LOAD_MAX_BYTES);
    }

    @Test
    void withers_changeOnlyTheirSettings() {
        StoreSettings settings = StoreSettings.defaults().withLoadBatchSize(7).withInitialLoad(10, 1000);

        assertThat(settings).isEqualTo(new StoreSettings(AnalysisCodec.standard(), 7, 10, 1000));
    }

    @Test
    void validate_nullCodec_namesCodec() {
        assertThatThrownBy(() -> new StoreSettings(null, 100, 0, 1).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("codec must not be null");
    }

    @Test
    void validate_loadBatchSizeOutOfRange_namesLoadBatchSize() {
        assertThatThrownBy(() -> StoreSettings.defaults().withLoadBatchSize(0).validate())
                .hasMessage("map-store setting loadBatchSize must be between 1 and 1000, got 0");
        assertThatThrownBy(
                        () -> StoreSettings.defaults().withLoadBatchSize(1001).validate())
                .hasMessageContaining("loadBatchSize")
                .hasMessageContaining("1001");
    }

    @Test
    void validate_negativeInitialLoadMaxEntries_namesIt() {
        assertThatThrownBy(() -> StoreSettings.defaults().withInitialLoad(-1, 1).validate())
                .hasMessageContaining("initialLoadMaxEntries")
                .hasMessageContaining("-1");
    }

    @Test
    void validate_nonPositiveInitialLoadMaxBytes_namesIt() {
        assertThatThrownBy(() -> StoreSettings.defaults().withInitialLoad(5, 0).validate())
                .hasMessageContaining("initialLoadMaxBytes must be positive, got 0");
    }

    @Test
    void storeConstructor_invalidSettings_throwsBeforeAnyUse() {
        DataSource unused = null;
        assertThatThrownBy(() -> new PostgresAnalysisStore(unused, StoreSettings.defaults()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataSource");
        assertThatThrownBy(() -> new PostgresAnalysisStore(
                        new org.postgresql.ds.PGSimpleDataSource(),
                        StoreSettings.defaults().withLoadBatchSize(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loadBatchSize");
    }
}
