package io.stemcache.mapstore;

import static io.stemcache.mapstore.TestEntries.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes and deletes: batches in one transaction, idempotent upserts, newest value wins, owners apart. */
class StoreAllIT {

    private static FreshDatabase database;
    private static TableRows rows;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_store_all");
        rows = new TableRows(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static PostgresAnalysisStore newStore() {
        return new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
    }

    @Test
    void storeAll_25Entries_writesThemAsOneBatch() {
        PostgresAnalysisStore store = newStore();
        UUID user = UUID.randomUUID();
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(25, user, T0);

        store.storeAll(entries);

        assertThat(rows.queryLong("SELECT count(*) FROM audio_analysis_cache WHERE owner_id = ?", user.toString()))
                .isEqualTo(25);
        assertThat(store.metrics().storeBatches()).isEqualTo(1);
        assertThat(store.metrics().rowsStored()).isEqualTo(25);
        assertThat(store.metrics().lastBatchSize()).isEqualTo(25);
        assertThat(store.metrics().batchSizes()).containsExactly(25);

        store.storeAll(TestEntries.smallEntries(3, user, T0));
        assertThat(store.metrics().batchSizes()).containsExactly(25, 3);
        assertThat(store.metrics().maxBatchSize()).isEqualTo(25);
        assertThat(store.metrics().lastBatchSize()).isEqualTo(3);
    }

    @Test
    void deleteAll_removesExactlyThoseRows() {
        PostgresAnalysisStore store = newStore();
        UUID user = UUID.randomUUID();
        Map<AnalysisKey, CachedAudioAnalysis> doomed = TestEntries.smallEntries(25, user, T0);
        Map<AnalysisKey, CachedAudioAnalysis> kept = TestEntries.smallEntries(5, user, T0);
        store.storeAll(doomed);
        store.storeAll(kept);
        List<AnalysisKey> toDelete = new ArrayList<>(doomed.keySet());
        toDelete.add(new AnalysisKey(Owner.user(user), UUID.randomUUID(), StemType.BASS)); // never stored

        store.deleteAll(toDelete);

        assertThat(rows.queryLong("SELECT count(*) FROM audio_analysis_cache WHERE owner_id = ?", user.toString()))
                .isEqualTo(5);
        kept.keySet().forEach(key -> assertThat(rows.row(key)).isNotNull());
        assertThat(store.metrics().deletes()).isEqualTo(25);
        assertThat(store.loadAll(doomed.keySet()))
                .as("each reads back as its deletion marker")
                .hasSize(25)
                .allSatisfy((key, value) -> assertThat(value.isDeletion()).isTrue());
    }

    @Test
    void delete_oneKey_removesItsRowOnly() {
        PostgresAnalysisStore store = newStore();
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(2, UUID.randomUUID(), T0);
        store.storeAll(entries);
        List<AnalysisKey> keys = List.copyOf(entries.keySet());

        store.delete(keys.get(0));

        assertThat(rows.row(keys.get(0))).isNull();
        assertThat(rows.row(keys.get(1))).isNotNull();
    }

    @Test
    void store_sameVersionTwice_leavesOneRowWithTheSameContent_andTheReplayChangesNothing() {
        PostgresAnalysisStore store = newStore();
        Map.Entry<AnalysisKey, CachedAudioAnalysis> entry = TestEntries.smallEntries(1, UUID.randomUUID(), T0)
                .entrySet()
                .iterator()
                .next();

        store.store(entry.getKey(), entry.getValue());
        Map<String, Object> first = rows.row(entry.getKey());
        store.store(entry.getKey(), entry.getValue());
        Map<String, Object> second = rows.row(entry.getKey());

        assertThat(rows.queryLong(
                        "SELECT count(*) FROM audio_analysis_cache WHERE " + TableRows.whereKey(),
                        TableRows.keyParameters(entry.getKey())))
                .isEqualTo(1);
        first.remove("last_accessed");
        second.remove("last_accessed");
        assertThat(second).usingRecursiveComparison().isEqualTo(first);
        assertThat((byte[]) second.get("payload")).isEqualTo(entry.getValue().payload());
        assertThat(store.metrics().rowsStored()).isEqualTo(1);
        assertThat(store.metrics().rowsSkippedAsOlder()).isEqualTo(1);
    }

    @Test
    void store_lowerVersionAfterHigher_keepsTheHigherRow_whateverTheirTimes() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(100));
        AudioAnalysis longer = TestEntries.ofFile(small.fileMetadataId(), Corpus.small(300));
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), small);
        // The later write came from an API node whose clock is a minute behind.
        CachedAudioAnalysis newer = TestEntries.entry(key, longer, T0, 2);
        CachedAudioAnalysis older = TestEntries.entry(key, small, T0.plusSeconds(60), 1);

        store.store(key, newer);
        store.store(key, older);

        Map<String, Object> row = rows.row(key);
        assertThat((byte[]) row.get("payload")).isEqualTo(newer.payload());
        assertThat(((OffsetDateTime) row.get("updated_at")).toInstant()).isEqualTo(newer.updatedAt());
        assertThat(store.metrics().rowsSkippedAsOlder()).isEqualTo(1);
        assertThat(store.metrics().rowsStored()).isEqualTo(1);
        assertThat(store.load(key).payload()).isEqualTo(newer.payload());
    }

    @Test
    void store_newerValue_replacesPayloadKeepsIdAndCreatedAt() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(100));
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), small);
        CachedAudioAnalysis first = TestEntries.entry(key, small, T0);
        store.store(key, first);
        rows.update(
                "UPDATE audio_analysis_cache SET id = ? WHERE " + TableRows.whereKey(),
                TableRows.keyParameters(key, UUID.fromString("00000000-0000-4000-8000-000000000001")));
        CachedAudioAnalysis second = TestEntries.entry(
                key, TestEntries.ofFile(small.fileMetadataId(), Corpus.small(150)), T0.plusSeconds(5), 2);

        store.store(key, second);

        Map<String, Object> row = rows.row(key);
        assertThat(row.get("id")).isEqualTo(UUID.fromString("00000000-0000-4000-8000-000000000001"));
        assertThat(((OffsetDateTime) row.get("created_at")).toInstant()).isEqualTo(first.createdAt());
        assertThat(((OffsetDateTime) row.get("updated_at")).toInstant()).isEqualTo(second.updatedAt());
        assertThat((byte[]) row.get("payload")).isEqualTo(second.payload());
    }

    /**
     * Issue 13, item 2: a row's id was the entry's, which a client sends; an entry carrying the id of another key's row
     * failed its insert on the primary key for ever (dead-lettered, its key's row never written). Members cannot check
     * the id of a put (interceptors do not see the key), so a new row takes its key's id.
     */
    @Test
    void store_ofAnEntryCarryingAnotherKeysRowId_insertsUnderItsOwnKeysId() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(100));
        AnalysisKey first = TestEntries.userKey(UUID.randomUUID(), small);
        AnalysisKey second = TestEntries.userKey(UUID.randomUUID(), small);
        store.store(first, TestEntries.entry(first, small, T0));
        CachedAudioAnalysis honest = TestEntries.entry(second, small, T0);
        CachedAudioAnalysis forged = new CachedAudioAnalysis(
                first.entryId(),
                honest.fileMetadataId(),
                honest.stemType(),
                honest.analysisVersion(),
                honest.cacheVersion(),
                null,
                honest.precision(),
                honest.createdAt(),
                honest.updatedAt(),
                honest.metadata(),
                honest.rawSize(),
                honest.payload(),
                honest.version(),
                false);

        store.store(second, forged);

        assertThat(rows.row(second)).containsEntry("id", second.entryId());
        assertThat(rows.row(first)).containsEntry("id", first.entryId());
    }

    @Test
    void store_fillsTheProductsReadableColumns() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(TestEntries.SMALL_FRAMES));
        UUID user = UUID.randomUUID();
        AnalysisKey key = TestEntries.userKey(user, small);
        CachedAudioAnalysis entry = TestEntries.entry(key, small, T0);

        store.store(key, entry);

        Map<String, Object> row = rows.row(key);
        assertThat(row)
                .containsEntry("id", key.entryId())
                .containsEntry("user_id", user)
                .containsEntry("owner_kind", "user")
                .containsEntry("owner_id", user.toString())
                .containsEntry("stem_type", small.stemType().code())
                .containsEntry("analysis_version", "1.0")
                .containsEntry("cache_version", 1)
                .containsEntry("sample_rate", 44100)
                .containsEntry("buffer_size", 512)
                .containsEntry("size", entry.payload().length)
                .containsEntry("raw_size", entry.rawSize())
                .containsEntry("compressed", true)
                .containsEntry("precision", "FLOAT64")
                .containsEntry("content_hash", "sha256:" + small.fileMetadataId())
                .containsEntry("analysis_data", null)
                .containsEntry("waveform_data", null)
                .containsEntry(
                        "analysis_duration", (int) Math.round(small.metadata().analysisDuration()));
        assertThat((BigDecimal) row.get("duration"))
                .isEqualByComparingTo(
                        BigDecimal.valueOf(small.metadata().duration()).setScale(3, RoundingMode.HALF_UP));
        assertThat((Object[]) row.get("features_extracted"))
                .containsExactlyElementsOf(small.metadata().featuresExtracted());
        assertThat(((OffsetDateTime) row.get("created_at")).toInstant()).isEqualTo(T0);
        assertThat(((OffsetDateTime) row.get("last_accessed")).toInstant()).isAfter(T0);
    }

    @Test
    void store_userAndGuestWithTheSameFileAndStem_areTwoRows() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(50));
        AnalysisKey userKey = TestEntries.userKey(UUID.randomUUID(), small);
        AnalysisKey guestKey =
                new AnalysisKey(Owner.guest(TestEntries.GUEST_TOKEN), small.fileMetadataId(), small.stemType());
        Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>();
        entries.put(userKey, TestEntries.entry(userKey, small, T0));
        entries.put(guestKey, TestEntries.entry(guestKey, small, T0));

        store.storeAll(entries);

        assertThat(rows.queryLong(
                        "SELECT count(*) FROM audio_analysis_cache WHERE file_metadata_id = ?", small.fileMetadataId()))
                .isEqualTo(1);
        assertThat(rows.queryLong(
                        "SELECT count(*) FROM audio_analysis_guest_cache WHERE file_metadata_id = ?",
                        small.fileMetadataId()))
                .as("guests' rows live in their own table")
                .isEqualTo(1);
        assertThat(rows.row(guestKey))
                .containsEntry("user_id", null)
                .containsEntry("owner_kind", "guest")
                .containsEntry("owner_id", TestEntries.GUEST_TOKEN);
        assertThat(rows.row(userKey).get("user_id"))
                .isEqualTo(UUID.fromString(userKey.owner().id()));
        Map<AnalysisKey, CachedAudioAnalysis> loaded = store.loadAll(List.of(userKey, guestKey));
        assertThat(loaded).containsOnlyKeys(userKey, guestKey);
        assertThat(loaded.get(guestKey).id()).isEqualTo(guestKey.entryId()).isNotEqualTo(userKey.entryId());
    }

    @Test
    void store_overTheProductsJsonRow_replacesItsJsonWithThePayload() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(50));
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), small);
        UUID legacyId = LegacyRows.insert(rows, key, small, OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        CachedAudioAnalysis entry = TestEntries.entry(key, small, T0);

        store.store(key, entry);

        Map<String, Object> row = rows.row(key);
        assertThat(row)
                .containsEntry("id", legacyId)
                .containsEntry("analysis_data", null)
                .containsEntry("waveform_data", null)
                .containsEntry("compressed", true);
        assertThat((byte[]) row.get("payload")).isEqualTo(entry.payload());
    }

    @Test
    void store_overARowWithoutUpdateTime_replacesIt() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(50));
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), small);
        LegacyRows.insert(rows, key, small, null);
        CachedAudioAnalysis entry = TestEntries.entry(key, small, T0);

        store.store(key, entry);

        assertThat((byte[]) rows.row(key).get("payload")).isEqualTo(entry.payload());
        assertThat(store.metrics().rowsSkippedAsOlder()).isZero();
    }

    @Test
    void storeAll_valueOfAnotherStem_isNotStoredAndTheOthersAre() {
        PostgresAnalysisStore store = newStore();
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(2, UUID.randomUUID(), T0);
        CachedAudioAnalysis someValue = entries.values().iterator().next();
        AnalysisKey wrongKey =
                new AnalysisKey(Owner.user(UUID.randomUUID()), someValue.fileMetadataId(), StemType.VOCALS);
        entries.put(wrongKey, someValue);

        try (CapturedLogs logs = new CapturedLogs(PostgresAnalysisStore.class)) {
            store.storeAll(entries);

            assertThat(logs.messages(Level.ERROR)).singleElement().asString().contains("not storing " + wrongKey);
        }
        assertThat(rows.row(wrongKey)).isNull();
        assertThat(store.metrics().entriesRejected()).isEqualTo(1);
        assertThat(store.metrics().rowsStored()).isEqualTo(2);
    }

    @Test
    void storeAll_oneRowFails_writesNoneAndNamesTheBatch() {
        PostgresAnalysisStore store = newStore();
        rows.update("""
                CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.analysis_version = 'boom' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
                  RETURN NEW;
                END $$""");
        rows.update("CREATE TRIGGER refuse_boom BEFORE INSERT OR UPDATE ON audio_analysis_cache"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_boom()");
        try {
            UUID user = UUID.randomUUID();
            Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(4, user, T0);
            AudioAnalysis boom = new AudioAnalysis(
                    UUID.randomUUID(),
                    StemType.OTHER,
                    "boom",
                    Corpus.small(10).analysisData(),
                    Corpus.small(10).waveformData(),
                    Corpus.small(10).metadata());
            AnalysisKey boomKey = TestEntries.userKey(user, boom);
            entries.put(boomKey, TestEntries.entry(boomKey, boom, T0));
            AnalysisKey firstKey = entries.keySet().iterator().next();

            assertThatThrownBy(() -> store.storeAll(entries))
                    .isInstanceOf(AnalysisStoreException.class)
                    .hasMessageContaining("storeAll of 5 entries (" + firstKey)
                    .hasMessageContaining("none of it was written")
                    .hasMessageContaining("refused by test trigger")
                    .hasCauseInstanceOf(SQLException.class);
            assertThat(rows.queryLong("SELECT count(*) FROM audio_analysis_cache WHERE owner_id = ?", user.toString()))
                    .isZero();
            assertThat(store.metrics().storeFailures()).isEqualTo(1);
            assertThat(store.metrics().storeBatches()).isZero();
        } finally {
            rows.update("DROP TRIGGER refuse_boom ON audio_analysis_cache");
            rows.update("DROP FUNCTION refuse_boom()");
        }
    }

    /**
     * The store does not need pgjdbc's reWriteBatchedInserts (it pipelines its batch anyway), and works
     * when the caller's pool has it on: the upsert is a WITH statement, which the driver does not fold into
     * multi-row statements, so every row's count stays exact and the table keeps the newer values.
     */
    @Test
    void storeAll_poolWithReWriteBatchedInserts_stillKeepsNewerRows() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl() + "?reWriteBatchedInserts=true");
        config.setUsername(database.user());
        config.setMaximumPoolSize(2);
        try (HikariDataSource rewriting = new HikariDataSource(config)) {
            PostgresAnalysisStore store = new PostgresAnalysisStore(rewriting, TestEntries.settings());
            UUID user = UUID.randomUUID();
            Map<AnalysisKey, CachedAudioAnalysis> first = new LinkedHashMap<>();
            TestEntries.smallEntries(10, user, T0.plusSeconds(10))
                    .forEach((key, value) -> first.put(key, value.withVersion(2)));
            Map<AnalysisKey, CachedAudioAnalysis> second = new LinkedHashMap<>();
            Map<AnalysisKey, CachedAudioAnalysis> expected = new LinkedHashMap<>();
            AudioAnalysis shorter = Corpus.small(30);
            int i = 0;
            for (Map.Entry<AnalysisKey, CachedAudioAnalysis> entry : first.entrySet()) {
                AnalysisKey key = entry.getKey();
                boolean older = i++ % 2 == 0;
                CachedAudioAnalysis next =
                        TestEntries.entry(key, TestEntries.ofFile(key.fileMetadataId(), shorter), T0, older ? 1 : 3);
                second.put(key, next);
                expected.put(key, older ? entry.getValue() : next);
            }

            store.storeAll(first);
            store.storeAll(second);

            expected.forEach((key, value) ->
                    assertThat((byte[]) rows.row(key).get("payload")).isEqualTo(value.payload()));
            assertThat(rows.queryLong("SELECT count(*) FROM audio_analysis_cache WHERE owner_id = ?", user.toString()))
                    .isEqualTo(10);
            assertThat(store.metrics().rowsStored() + store.metrics().rowsSkippedAsOlder())
                    .isEqualTo(20);
            assertThat(store.metrics().rowsSkippedAsOlder())
                    .as(store.metrics().toString())
                    .isEqualTo(5);
        }
    }

    @Test
    void storeAll_emptyMap_doesNothing() {
        PostgresAnalysisStore store = newStore();

        store.storeAll(Map.of());
        store.deleteAll(List.of());

        assertThat(store.metrics().storeBatches()).isZero();
        assertThat(store.loadAll(List.of())).isEmpty();
    }
}
