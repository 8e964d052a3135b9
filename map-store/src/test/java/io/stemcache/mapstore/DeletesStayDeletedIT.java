package io.stemcache.mapstore;

import static io.stemcache.mapstore.TestEntries.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A removed key's version stays as a tombstone, so an older store still queued, or replayed by a promoted
 * backup (write-behind is at-least-once), cannot bring the row back; a newer write can.
 */
class DeletesStayDeletedIT {

    private static FreshDatabase database;
    private static TableRows rows;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_deletes");
        rows = new TableRows(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static PostgresAnalysisStore newStore() {
        return new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
    }

    private static AudioAnalysis small() {
        return TestEntries.ofFile(UUID.randomUUID(), Corpus.small(60));
    }

    @Test
    void storeOfAMarker_deletesTheRow_andLeavesATombstoneAtItsVersion() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis analysis = small();
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), analysis);
        store.store(key, TestEntries.entry(key, analysis, T0, 1));

        store.store(key, CachedAudioAnalysis.deletion(key, 2, T0));

        assertThat(rows.row(key)).isNull();
        assertThat(rows.tombstone(key)).isEqualTo(2);
    }

    @Test
    void replayedStoreOfTheRemovedVersion_isRefused_aNewerWriteIsStored() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis analysis = small();
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), analysis);
        CachedAudioAnalysis removed = TestEntries.entry(key, analysis, T0, 1);
        store.store(key, removed);
        store.store(key, CachedAudioAnalysis.deletion(key, 2, T0));

        store.store(key, removed);

        assertThat(rows.row(key)).as("the replay brought nothing back").isNull();
        assertThat(store.metrics().rowsSkippedAsOlder()).isEqualTo(1);

        CachedAudioAnalysis rewritten = TestEntries.entry(key, analysis, T0, 3);
        store.store(key, rewritten);

        assertThat(rows.row(key)).containsEntry("entry_version", 3L);
    }

    @Test
    void markerOfAnOlderVersion_leavesANewerRow() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis analysis = small();
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), analysis);
        store.store(key, TestEntries.entry(key, analysis, T0, 5));

        store.store(key, CachedAudioAnalysis.deletion(key, 3, T0));

        assertThat(rows.row(key)).containsEntry("entry_version", 5L);
        assertThat(newStore().load(key).isDeletion()).isFalse();
    }

    @Test
    void load_ofARemovedKey_isItsMarker_soTheKeysNextVersionContinuesAboveIt() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis analysis = small();
        AnalysisKey key = TestEntries.userKey(UUID.randomUUID(), analysis);
        store.store(key, TestEntries.entry(key, analysis, T0, 6));
        store.store(key, CachedAudioAnalysis.deletion(key, 7, T0));

        CachedAudioAnalysis loaded = newStore().load(key);

        assertThat(loaded.isDeletion()).isTrue();
        assertThat(loaded.version()).isEqualTo(7);
        assertThat(newStore().load(TestEntries.userKey(UUID.randomUUID(), analysis)))
                .isNull();
    }

    @Test
    void deleteAll_leavesTombstonesAtTheRowsVersions() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis analysis = small();
        AnalysisKey user = TestEntries.userKey(UUID.randomUUID(), analysis);
        AnalysisKey guest = new AnalysisKey(
                Owner.guest(TestEntries.GUEST_TOKEN + "-deleteAll"), analysis.fileMetadataId(), analysis.stemType());
        Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>();
        entries.put(user, TestEntries.entry(user, analysis, T0, 4));
        entries.put(guest, TestEntries.entry(guest, analysis, T0, 2));
        store.storeAll(entries);

        store.deleteAll(List.of(user, guest));

        assertThat(rows.tombstone(user)).isEqualTo(4);
        assertThat(rows.tombstone(guest)).isEqualTo(2);
        store.storeAll(entries);
        assertThat(rows.row(user)).as("replayed").isNull();
        assertThat(rows.row(guest)).as("replayed").isNull();
    }

    @Test
    void storeAll_ofUsersGuestsAndMarkersTogether_writesEachToItsTable() {
        PostgresAnalysisStore store = newStore();
        AudioAnalysis analysis = small();
        AnalysisKey user = TestEntries.userKey(UUID.randomUUID(), analysis);
        AnalysisKey guest = new AnalysisKey(
                Owner.guest(TestEntries.GUEST_TOKEN + "-mixed"), analysis.fileMetadataId(), analysis.stemType());
        AnalysisKey removedGuest = new AnalysisKey(
                Owner.guest(TestEntries.GUEST_TOKEN + "-gone"), analysis.fileMetadataId(), analysis.stemType());
        store.store(removedGuest, TestEntries.entry(removedGuest, analysis, T0, 1));
        Map<AnalysisKey, CachedAudioAnalysis> entries = new LinkedHashMap<>();
        entries.put(user, TestEntries.entry(user, analysis, T0, 1));
        entries.put(removedGuest, CachedAudioAnalysis.deletion(removedGuest, 2, T0));
        entries.put(guest, TestEntries.entry(guest, analysis, T0, 1));

        store.storeAll(entries);

        assertThat(rows.queryLong(
                        "SELECT count(*) FROM audio_analysis_cache WHERE file_metadata_id = ?",
                        analysis.fileMetadataId()))
                .isEqualTo(1);
        assertThat(rows.queryLong(
                        "SELECT count(*) FROM audio_analysis_guest_cache WHERE file_metadata_id = ?",
                        analysis.fileMetadataId()))
                .isEqualTo(1);
        assertThat(rows.row(guest)).containsEntry("user_id", null);
        assertThat(rows.tombstone(removedGuest)).isEqualTo(2);
        assertThat(newStore().loadAll(List.of(user, guest, removedGuest)))
                .hasSize(3)
                .allSatisfy((key, value) -> assertThat(value.isDeletion()).isEqualTo(key.equals(removedGuest)));
    }
}
