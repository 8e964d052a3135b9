package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rows the product wrote as jsonb before payloads existed, with owners backfilled by migration 019. */
class LegacyRowIT {

    private static final OffsetDateTime WRITTEN = OffsetDateTime.of(2025, 6, 1, 8, 30, 0, 0, ZoneOffset.UTC);

    private static FreshDatabase database;
    private static TableRows rows;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_legacy");
        rows = new TableRows(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void load_productsJsonRowOfAFullCorpusFile_isTheCorpusAnalysisBitExact() {
        AudioAnalysis corpus = Corpus.first();
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), corpus);
        UUID rowId = LegacyRows.insert(rows, key, corpus, WRITTEN);
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());

        CachedAudioAnalysis loaded = store.load(key);

        // The product kept metadata only in its columns: duration as decimal(10,3), analysis duration in whole ms.
        AnalysisMetadata columns = new AnalysisMetadata(
                corpus.metadata().sampleRate(),
                new BigDecimal(corpus.metadata().duration())
                        .setScale(3, RoundingMode.HALF_UP)
                        .doubleValue(),
                corpus.metadata().bufferSize(),
                corpus.metadata().featuresExtracted(),
                Math.round(corpus.metadata().analysisDuration()));
        AudioAnalysis expected = new AudioAnalysis(
                corpus.fileMetadataId(),
                corpus.stemType(),
                corpus.analysisVersion(),
                corpus.analysisData(),
                corpus.waveformData(),
                columns);
        Analyses.assertBitExact(expected, loaded.analysis());
        Analyses.assertBitExact(expected, TestEntries.CODEC.decode(loaded.payload()));
        assertThat(loaded.metadata()).isEqualTo(columns);
        assertThat(loaded.id()).isEqualTo(rowId);
        assertThat(loaded.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(loaded.updatedAt()).isEqualTo(WRITTEN.toInstant());
        assertThat(loaded.createdAt()).isEqualTo(WRITTEN.toInstant());
        assertThat(loaded.rawSize()).isEqualTo(corpus.valueCount() * Double.BYTES);
        assertThat(rows.row(key)).containsEntry("payload", null); // loading never rewrites the row
        assertThat(store.metrics().loads()).isEqualTo(1);
    }

    @Test
    void load_rowWithoutTimes_readsAsTheOldestValue() {
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(20));
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), small);
        LegacyRows.insert(rows, key, small, null);
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());

        CachedAudioAnalysis loaded = store.load(key);

        assertThat(loaded.updatedAt()).isEqualTo(Instant.EPOCH);
        assertThat(loaded.createdAt()).isEqualTo(Instant.EPOCH);
        assertThat(loaded.analysis().analysisData().keySet())
                .containsExactlyElementsOf(small.analysisData().keySet());
    }

    @Test
    void loadAll_rowsOfOwnerKindLegacy_areNeverReturned() {
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(20));
        UUID user = UUID.randomUUID();
        AnalysisKey key = TestEntries.userKey(user, small);
        UUID rowId = LegacyRows.insert(rows, key, small, WRITTEN);
        // What migration 019 does to a user's older versions and to rows without a user.
        rows.update(
                "UPDATE audio_analysis_cache SET owner_kind = 'legacy', owner_id = ? WHERE id = ?",
                user.toString(),
                rowId);
        PostgresAnalysisStore store = new PostgresAnalysisStore(
                database.dataSource(), TestEntries.settings().withInitialLoad(1000, Long.MAX_VALUE));

        assertThat(store.loadAll(
                        List.of(key, new AnalysisKey(Owner.user(rowId), small.fileMetadataId(), small.stemType()))))
                .isEmpty();
        assertThat(store.loadAllKeys()).noneMatch(k -> k.fileMetadataId().equals(small.fileMetadataId()));
        assertThat(store.metrics().loadFailures()).isZero();
    }
}
