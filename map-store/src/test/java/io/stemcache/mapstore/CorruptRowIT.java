package io.stemcache.mapstore;

import static io.stemcache.mapstore.TestEntries.T0;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged rows read as misses: logged with their key, counted, left in the table, and they do not stop
 * the other keys of the same load.
 */
class CorruptRowIT {

    private static FreshDatabase database;
    private static TableRows rows;

    @BeforeAll
    static void createDatabase() {
        database = FreshDatabase.createMigrated("map_store_corrupt");
        rows = new TableRows(database.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void loadAll_damagedPayloads_areMissesPutAsideForInspection_andTheOtherKeysLoad() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(7, UUID.randomUUID(), T0);
        store.storeAll(entries);
        List<AnalysisKey> keys = List.copyOf(entries.keySet());
        Map<AnalysisKey, String> damage = new LinkedHashMap<>();
        damage.put(keys.get(0), damagePayload(keys.get(0), p -> flip(p, 5, 16, 17)));
        damage.put(keys.get(1), damagePayload(keys.get(1), p -> Arrays.copyOf(p, p.length / 2)));
        damage.put(keys.get(2), damagePayload(keys.get(2), p -> Arrays.copyOf(p, 3)));
        damage.put(
                keys.get(3), damagePayload(keys.get(3), p -> overwrite(p, "JUNK".getBytes(StandardCharsets.US_ASCII))));
        rows.update(
                "UPDATE audio_analysis_cache SET precision = 'Q16' WHERE " + TableRows.whereKey(),
                TableRows.keyParameters(keys.get(4)));
        damage.put(keys.get(4), "precision column disagrees with the payload header");
        damage.put(keys.get(5), damagePayload(keys.get(5), p -> flip(p, p.length / 2, p.length / 2 + 1)));
        long rowCount = rows.count();
        Map<AnalysisKey, byte[]> damagedBytes = new LinkedHashMap<>();
        damage.keySet()
                .forEach(key -> damagedBytes.put(key, (byte[]) rows.row(key).get("payload")));

        Map<AnalysisKey, CachedAudioAnalysis> loaded;
        try (CapturedLogs logs = new CapturedLogs(PostgresAnalysisStore.class)) {
            loaded = store.loadAll(keys);

            List<String> errors = logs.messages(Level.ERROR);
            assertThat(errors).hasSize(6);
            damage.keySet()
                    .forEach(key -> assertThat(errors)
                            .anySatisfy(message ->
                                    assertThat(message).contains(key.toString(), "unreadable", "reads as a miss")));
            assertThat(errors)
                    .anySatisfy(
                            message -> assertThat(message).contains(keys.get(5).toString(), "checksum"));
            assertThat(logs.messages(Level.WARN))
                    .hasSize(6)
                    .allSatisfy(message -> assertThat(message).contains("moved to audio_analysis_dead_letter"));
        }
        assertThat(loaded).containsOnlyKeys(keys.get(6));
        assertThat(loaded.get(keys.get(6)).payload())
                .isEqualTo(entries.get(keys.get(6)).payload());
        assertThat(store.metrics().loadFailures()).isEqualTo(6);
        assertThat(store.metrics().loads()).isEqualTo(1);
        assertThat(store.metrics().quarantined()).isEqualTo(6);
        // Put aside, not lost: each damaged row is in the dead-letter table with its bytes and the reason.
        assertThat(rows.count()).isEqualTo(rowCount - 6);
        damage.keySet().forEach(key -> {
            assertThat(rows.row(key)).isNull();
            Map<String, Object> letter = deadLetter(key);
            assertThat(letter.get("payload")).isEqualTo(damagedBytes.get(key));
            assertThat((String) letter.get("reason")).startsWith("unreadable on load: ");
        });
        assertThat((String) deadLetter(keys.get(5)).get("reason")).contains("checksum");
        assertThat(store.load(keys.get(0))).isNull();
        assertThat(store.metrics().loadFailures())
                .as("a key put aside is a plain miss, not a failure again")
                .isEqualTo(6);
    }

    @Test
    void load_payloadOfANewerFormat_isAMissButStays() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(1, UUID.randomUUID(), T0);
        store.storeAll(entries);
        AnalysisKey key = entries.keySet().iterator().next();
        // Written by a newer stemcache (format version 2), as during a rolling upgrade: not damage.
        damagePayload(key, p -> {
            byte[] newer = p.clone();
            newer[4] = 2;
            return newer;
        });

        assertThat(store.load(key)).isNull();

        assertThat(rows.row(key)).isNotNull();
        assertThat(store.metrics().quarantined()).isZero();
    }

    @Test
    void load_rowOverTheCodecsLimit_isAMissPutAside_namingTheLimit() {
        Map<AnalysisKey, CachedAudioAnalysis> entries = TestEntries.smallEntries(1, UUID.randomUUID(), T0);
        new PostgresAnalysisStore(database.dataSource(), TestEntries.settings()).storeAll(entries);
        AnalysisKey key = entries.keySet().iterator().next();
        PostgresAnalysisStore strict = new PostgresAnalysisStore(
                database.dataSource(),
                new StoreSettings(io.stemcache.core.codec.AnalysisCodec.withMaxDecodedBytes(64), 100, 0, 1));

        assertThat(strict.load(key)).isNull();

        assertThat(rows.row(key)).isNull();
        assertThat((String) deadLetter(key).get("reason")).contains("limit");
        assertThat(deadLetter(key).get("payload")).isEqualTo(entries.get(key).payload());
    }

    private static Map<String, Object> deadLetter(AnalysisKey key) {
        try (var connection = database.dataSource().getConnection();
                var query = connection.prepareStatement(
                        "SELECT payload, reason, sqlstate FROM audio_analysis_dead_letter"
                                + " WHERE owner_kind = ? AND owner_id = ? AND file_metadata_id = ? AND stem_type = ?")) {
            query.setString(1, key.owner().kind().code());
            query.setString(2, key.owner().id());
            query.setObject(3, key.fileMetadataId());
            query.setString(4, key.stemType().code());
            try (var result = query.executeQuery()) {
                assertThat(result.next()).as("dead letter of " + key).isTrue();
                Map<String, Object> letter = new java.util.HashMap<>();
                letter.put("payload", result.getBytes("payload"));
                letter.put("reason", result.getString("reason"));
                letter.put("sqlstate", result.getString("sqlstate"));
                assertThat(result.next()).as("one dead letter of " + key).isFalse();
                return letter;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void load_productsRowWithMalformedJson_isAMissAndStays() {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), TestEntries.settings());
        AudioAnalysis small = TestEntries.ofFile(UUID.randomUUID(), Corpus.small(20));
        UUID user = UUID.randomUUID();
        AnalysisKey badSeries = TestEntries.userKey(user, small);
        LegacyRows.insertJson(rows, badSeries, small, "{\"rms\": \"loud\"}", "{\"points\": []}", null);
        AudioAnalysis other = TestEntries.ofFile(UUID.randomUUID(), small);
        AnalysisKey noWaveform = TestEntries.userKey(user, other);
        LegacyRows.insertJson(rows, noWaveform, other, "{\"rms\": [1]}", null, null);
        AudioAnalysis good = TestEntries.ofFile(UUID.randomUUID(), small);
        AnalysisKey goodKey = TestEntries.userKey(user, good);
        LegacyRows.insert(rows, goodKey, good, null);

        Map<AnalysisKey, CachedAudioAnalysis> loaded;
        try (CapturedLogs logs = new CapturedLogs(PostgresAnalysisStore.class)) {
            loaded = store.loadAll(List.of(badSeries, noWaveform, goodKey));

            assertThat(logs.messages(Level.ERROR))
                    .hasSize(2)
                    .anySatisfy(m -> assertThat(m).contains(badSeries.toString()))
                    .anySatisfy(m -> assertThat(m).contains(noWaveform.toString(), "no waveform_data"));
        }
        assertThat(loaded).containsOnlyKeys(goodKey);
        assertThat(store.metrics().loadFailures()).isEqualTo(2);
        assertThat(rows.row(badSeries)).isNotNull();
        assertThat(rows.row(noWaveform)).isNotNull();
    }

    private static String damagePayload(AnalysisKey key, UnaryOperator<byte[]> damage) {
        byte[] payload = (byte[]) rows.row(key).get("payload");
        rows.update(
                "UPDATE audio_analysis_cache SET payload = ? WHERE " + TableRows.whereKey(),
                TableRows.keyParameters(key, (Object) damage.apply(payload)));
        return "damaged";
    }

    private static byte[] flip(byte[] payload, int... offsets) {
        byte[] copy = payload.clone();
        for (int offset : offsets) {
            copy[offset] ^= (byte) 0xFF;
        }
        return copy;
    }

    private static byte[] overwrite(byte[] payload, byte[] start) {
        byte[] copy = payload.clone();
        System.arraycopy(start, 0, copy, 0, start.length);
        return copy;
    }
}
