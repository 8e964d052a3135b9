package io.stemcache.mapstore;

import static io.stemcache.mapstore.TestEntries.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rows PostgreSQL refuses for good go to the dead-letter table; the rest of their batch is stored. */
class DeadLetterIT {

    private static FreshDatabase database;
    private static TableRows rows;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_dead_letter");
        rows = new TableRows(database.dataSource());
        // A CHECK the product does not have, to refuse one version for good (SQLState 23514).
        rows.update("ALTER TABLE audio_analysis_cache ADD CONSTRAINT ck_test_refused_version"
                + " CHECK (analysis_version <> 'refused-version')");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void storeAll_nulInContentHash_storesTheOthersAndSetsItAside() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
        UUID user = UUID.randomUUID();
        Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>(TestEntries.smallEntries(4, user, T0));
        AudioAnalysis analysis = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(TestEntries.SMALL_FRAMES));
        AnalysisKey poison = TestEntries.userKey(user, analysis);
        CachedAudioAnalysis poisonValue = CachedAudioAnalysis.of(
                poison, analysis, "sha256:\u0000bad", 1, Precision.FLOAT64, TestEntries.CODEC, T0);
        entries.put(poison, poisonValue);
        entries.putAll(TestEntries.smallEntries(3, user, T0));

        try (CapturedLogs logs = new CapturedLogs(PostgresAnalysisStore.class)) {
            store.storeAll(entries);

            assertThat(logs.messages(Level.ERROR))
                    .singleElement()
                    .asString()
                    .contains(poison.toString(), "audio_analysis_dead_letter", "22021");
        }

        assertThat(rows.queryLong("SELECT count(*) FROM audio_analysis_cache WHERE owner_id = ?", user.toString()))
                .isEqualTo(7);
        assertThat(rows.row(poison)).isNull();
        Map<String, Object> letter = rows.queryRow(
                "SELECT * FROM audio_analysis_dead_letter WHERE owner_id = ?" + " AND file_metadata_id = ?",
                user.toString(),
                poison.fileMetadataId());
        assertThat(letter)
                .containsEntry("owner_kind", "user")
                .containsEntry("stem_type", poison.stemType().code())
                .containsEntry("sqlstate", "22021");
        assertThat((String) letter.get("reason")).contains("0x00");
        assertThat((byte[]) letter.get("payload")).isEqualTo(poisonValue.payload());
        assertThat(letter.get("failed_at")).isNotNull();
        assertThat(store.metrics().deadLettered()).isEqualTo(1);
        assertThat(store.metrics().rowsStored()).isEqualTo(7);
        assertThat(store.metrics().storeFailures()).isZero();
        assertThat(store.loadAll(entries.keySet())).hasSize(7).doesNotContainKey(poison);
    }

    @Test
    void storeAll_checkViolation_setsTheRowAsideWithTheConstraintInTheReason() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
        UUID user = UUID.randomUUID();
        Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>(TestEntries.smallEntries(2, user, T0));
        AudioAnalysis small = Corpus.small(TestEntries.SMALL_FRAMES);
        AudioAnalysis refused = new AudioAnalysis(
                UUID.randomUUID(),
                small.stemType(),
                "refused-version",
                small.analysisData(),
                small.waveformData(),
                small.metadata());
        AnalysisKey poison = TestEntries.userKey(user, refused);
        entries.put(poison, TestEntries.entry(poison, refused, T0));

        store.storeAll(entries);

        assertThat(rows.queryLong("SELECT count(*) FROM audio_analysis_cache WHERE owner_id = ?", user.toString()))
                .isEqualTo(2);
        Map<String, Object> letter = rows.queryRow(
                "SELECT sqlstate, reason FROM audio_analysis_dead_letter" + " WHERE file_metadata_id = ?",
                poison.fileMetadataId());
        assertThat(letter).containsEntry("sqlstate", "23514");
        assertThat((String) letter.get("reason")).contains("ck_test_refused_version");
        assertThat(store.metrics().deadLettered()).isEqualTo(1);
    }

    @Test
    void storeAll_deadLetterTableMissing_throwsSoHazelcastRetries() {
        try (FreshDatabase other = FreshDatabase.createMigrated("map_store_no_dead_letter")) {
            new TableRows(other.dataSource()).update("DROP TABLE audio_analysis_dead_letter");
            PostgresAnalysisStore store = new PostgresAnalysisStore(other.dataSource(), TestEntries.settings());
            UUID user = UUID.randomUUID();
            Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>(TestEntries.smallEntries(2, user, T0));
            AudioAnalysis analysis = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(TestEntries.SMALL_FRAMES));
            AnalysisKey poison = TestEntries.userKey(user, analysis);
            entries.put(
                    poison,
                    CachedAudioAnalysis.of(
                            poison, analysis, "sha256:\u0000", 1, Precision.FLOAT64, TestEntries.CODEC, T0));

            assertThatThrownBy(() -> store.storeAll(entries))
                    .isInstanceOf(AnalysisStoreException.class)
                    .hasMessageContaining("setting " + poison + " aside in audio_analysis_dead_letter failed");
            assertThat(store.metrics().storeFailures()).isEqualTo(1);
            assertThat(store.metrics().deadLettered()).isZero();
        }
    }
}
