package io.stemcache.mapstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every corpus file goes through PostgreSQL and comes back bit-exact, read by a store that never saw it. */
class CorpusRoundTripIT {

    private static FreshDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_round_trip");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void storeThenLoad_everyCorpusFile_isBitExactAfterANewStoreInstance() {
        Owner owner = Owner.guest(TestEntries.GUEST_TOKEN);
        Instant now = Instant.now();
        Map<AnalysisKey, Path> files = new LinkedHashMap<>();
        for (Path file : Corpus.files()) {
            AudioAnalysis analysis = Corpus.load(file);
            AnalysisKey key = new AnalysisKey(owner, analysis.fileMetadataId(), analysis.stemType());
            CachedAudioAnalysis entry = TestEntries.entry(key, analysis, now);
            PostgresAnalysisStore writer = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());

            writer.store(key, entry);

            CachedAudioAnalysis loaded = writer.load(key);
            Analyses.assertBitExact(analysis, loaded.analysis());
            assertThat(loaded.payload()).isEqualTo(entry.payload());
            files.put(key, file);
        }
        assertThat(files).hasSize(Corpus.files().size());

        // A fresh store in small batches: nothing comes from memory, and several chunks of ~4 MB rows stream through.
        PostgresAnalysisStore reader = new PostgresAnalysisStore(
                database.dataSource(), TestEntries.settings().withLoadBatchSize(4));
        Map<AnalysisKey, CachedAudioAnalysis> loaded = reader.loadAll(List.copyOf(files.keySet()));

        assertThat(loaded).containsOnlyKeys(files.keySet());
        files.forEach((key, file) -> {
            CachedAudioAnalysis entry = loaded.get(key);
            AudioAnalysis expected = Corpus.load(file);
            Analyses.assertBitExact(expected, entry.analysis());
            assertThat(entry.id()).isEqualTo(key.entryId());
            assertThat(entry.updatedAt()).isEqualTo(now.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            assertThat(entry.contentHash()).isEqualTo("sha256:" + key.fileMetadataId());
            assertThat(entry.rawSize()).isEqualTo(expected.valueCount() * Double.BYTES);
            assertThat(entry.metadata().featuresExtracted())
                    .isEqualTo(expected.metadata().featuresExtracted());
        });
        assertThat(reader.metrics().loads()).isEqualTo(files.size());
        assertThat(reader.metrics().loadFailures()).isZero();
    }

    @Test
    void storeAll_severalFullFilesInOneBatch_commitTogether() {
        UUID user = UUID.randomUUID();
        Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>();
        for (Path file : Corpus.files().subList(0, 3)) {
            AudioAnalysis analysis = Corpus.load(file);
            AnalysisKey key = TestEntries.userKey(user, analysis);
            entries.put(key, TestEntries.entry(key, analysis, Instant.now()));
        }
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());

        store.storeAll(entries);

        Map<AnalysisKey, CachedAudioAnalysis> loaded =
                new PostgresAnalysisStore(database.dataSource(), TestEntries.settings()).loadAll(entries.keySet());
        entries.forEach((key, entry) -> assertThat(loaded.get(key).payload()).isEqualTo(entry.payload()));
        assertThat(store.metrics().batchSizes()).containsExactly(3);
    }
}
