package io.stemcache.mapstore;

import static io.stemcache.mapstore.TestEntries.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** loadAllKeys: off by default, else the most recently accessed keys within a count and a byte budget. */
class InitialLoadIT {

    private static FreshDatabase database;
    /** Newest first: accessed at 12:06, 12:05, ... 12:01. */
    private static List<AnalysisKey> newestFirst;

    private static int payloadSize;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_initial_load");
        TableRows rows = new TableRows(database.dataSource());
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(6, UUID.randomUUID(), T0);
        new PostgresAnalysisStore(database.dataSource(), TestEntries.settings()).storeAll(entries);
        newestFirst = new ArrayList<>();
        int minute = 1;
        for (AnalysisKey key : entries.keySet()) {
            rows.update(
                    "UPDATE audio_analysis_cache SET last_accessed = ? WHERE " + TableRows.whereKey(),
                    TableRows.keyParameters(key, OffsetDateTime.of(2026, 3, 1, 12, minute++, 0, 0, ZoneOffset.UTC)));
            newestFirst.add(0, key);
        }
        payloadSize = entries.values().iterator().next().size();
        // A row migration 019 could not give to anyone, accessed last: never part of the initial load.
        rows.update(
                "INSERT INTO audio_analysis_cache (id, file_metadata_id, stem_type, owner_kind, owner_id, last_accessed)"
                        + " VALUES (gen_random_uuid(), gen_random_uuid(), 'bass', 'legacy', 'x', now())");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void loadAllKeys_byDefault_isNullSoNothingIsPreloaded() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());

        assertThat(store.loadAllKeys()).isNull();
    }

    @Test
    void loadAllKeys_countLimit_givesTheMostRecentlyAccessedFirst() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(
                database.dataSource(), TestEntries.settings().withInitialLoad(3, Long.MAX_VALUE));

        assertThat(store.loadAllKeys()).containsExactlyElementsOf(newestFirst.subList(0, 3));
    }

    @Test
    void loadAllKeys_byteBudget_stopsBeforeTheRowThatWouldExceedIt() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(
                database.dataSource(), TestEntries.settings().withInitialLoad(100, 2L * payloadSize + payloadSize / 2));

        assertThat(store.loadAllKeys()).containsExactlyElementsOf(newestFirst.subList(0, 2));
    }

    @Test
    void loadAllKeys_generousLimits_giveEveryOwnedRowNewestFirst() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(
                database.dataSource(), TestEntries.settings().withInitialLoad(100, Long.MAX_VALUE));

        Iterable<AnalysisKey> keys = store.loadAllKeys();

        assertThat(keys).containsExactlyElementsOf(newestFirst);
        assertThat(store.loadAll((List<AnalysisKey>) keys)).hasSize(6);
    }

    @Test
    void loadAllKeys_prefersTheMostFrequentlyRead_overTheMostRecent() {
        AnalysisKey oldButHot = newestFirst.get(newestFirst.size() - 1);
        TableRows rows = new TableRows(database.dataSource());
        rows.update(
                "UPDATE audio_analysis_cache SET access_count = 50 WHERE " + TableRows.whereKey(),
                TableRows.keyParameters(oldButHot));
        try {
            PostgresAnalysisStore store = new PostgresAnalysisStore(
                    database.dataSource(), TestEntries.settings().withInitialLoad(2, Long.MAX_VALUE));

            assertThat(store.loadAllKeys()).containsExactly(oldButHot, newestFirst.get(0));
        } finally {
            rows.update("UPDATE audio_analysis_cache SET access_count = 0");
        }
    }
}
