package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StoreMetricsTest {

    @Test
    void batchStored_countsRowsAndTracksLastAndMaxBatch() {
        StoreMetrics metrics = new StoreMetrics();

        metrics.batchStored(25, 24, 1, 0);
        metrics.batchStored(3, 2, 0, 1);

        assertThat(metrics.storeBatches()).isEqualTo(2);
        assertThat(metrics.rowsStored()).isEqualTo(26);
        assertThat(metrics.rowsSkippedAsOlder()).isEqualTo(1);
        assertThat(metrics.entriesRejected()).isEqualTo(1);
        assertThat(metrics.lastBatchSize()).isEqualTo(3);
        assertThat(metrics.maxBatchSize()).isEqualTo(25);
        assertThat(metrics.batchSizes()).containsExactly(25, 3);
    }

    @Test
    void batchSizes_keepsOnlyTheMostRecentHistory() {
        StoreMetrics metrics = new StoreMetrics();

        IntStream.rangeClosed(1, StoreMetrics.BATCH_SIZE_HISTORY + 10)
                .forEach(size -> metrics.batchStored(size, size, 0, 0));

        assertThat(metrics.batchSizes())
                .hasSize(StoreMetrics.BATCH_SIZE_HISTORY)
                .startsWith(11)
                .endsWith(StoreMetrics.BATCH_SIZE_HISTORY + 10);
        assertThat(metrics.maxBatchSize()).isEqualTo(StoreMetrics.BATCH_SIZE_HISTORY + 10);
    }

    @Test
    void loadedDeletedAndFailed_accumulate() {
        StoreMetrics metrics = new StoreMetrics();

        metrics.loaded(4, 1);
        metrics.loaded(2, 0);
        metrics.deleted(7);
        metrics.storeFailed();

        assertThat(metrics.loads()).isEqualTo(6);
        assertThat(metrics.loadFailures()).isEqualTo(1);
        assertThat(metrics.deletes()).isEqualTo(7);
        assertThat(metrics.storeFailures()).isEqualTo(1);
        assertThat(metrics.toString()).contains("loads=6", "loadFailures=1", "deletes=7", "storeFailures=1");
    }
}
