package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.PayloadTooLargeException;
import io.stemcache.core.testing.Analyses;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Members built from the node's own {@code hazelcast.yaml} and PostgreSQL store, several per test in one
 * JVM (Hazelcast's test factory): write-behind timing and batching, deletes, a full restart, an abrupt
 * member death, and bad input.
 */
class ClusterWriteBehindIT {

    private static final int WRITE_DELAY_SECONDS = 2;
    private static final int BATCH_SIZE = 10;

    private NodeMembers members;
    private TestHazelcastFactory factory;
    private List<PostgresAnalysisStore> stores;
    private FreshDatabase database;

    @BeforeEach
    void startDatabase() {
        members = new NodeMembers("writebehind", WRITE_DELAY_SECONDS, BATCH_SIZE, false);
        factory = members.factory;
        stores = members.stores;
        database = members.database;
    }

    @AfterEach
    void shutdown() {
        members.close();
    }

    private HazelcastInstance member() {
        return members.member();
    }

    private AudioCacheService client() {
        HazelcastInstance client = factory.newHazelcastClient(StemcacheClient.defaultConfig());
        return StemcacheClient.service(client, ClientSettings.defaults());
    }

    private long rows() {
        return TableRows.count(database.dataSource());
    }

    @Test
    void set_reachesPostgresAfterTheDelayInBatches() {
        member();
        member();
        AudioCacheService cache = client();
        Owner owner = Owner.user(UUID.randomUUID());
        long started = System.nanoTime();
        for (AudioAnalysis analysis : TestAnalyses.distinctSmall(25, 200)) {
            cache.setAnalysis(TestAnalyses.keyOf(owner, analysis), analysis, "hash");
        }
        long writtenWithinMillis = (System.nanoTime() - started) / 1_000_000;
        if (writtenWithinMillis < WRITE_DELAY_SECONDS * 1000L - 500) {
            assertThat(rows()).as("rows before the write delay passed").isZero();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 25);

        long batches =
                stores.stream().mapToLong(s -> s.metrics().storeBatches()).sum();
        int largest =
                stores.stream().mapToInt(s -> s.metrics().maxBatchSize()).max().orElse(0);
        assertThat(batches).as("storeAll calls for 25 entries").isLessThan(25);
        assertThat(largest).as("largest batch").isGreaterThan(1).isLessThanOrEqualTo(BATCH_SIZE);
    }

    @Test
    void invalidate_deletesTheFilesRowsFromPostgres() {
        member();
        AudioCacheService cache = client();
        Owner owner = Owner.guest("guest-token-0123456789");
        List<AudioAnalysis> analyses = TestAnalyses.distinctSmall(3, 100);
        for (AudioAnalysis analysis : analyses) {
            cache.setAnalysis(TestAnalyses.keyOf(owner, analysis), analysis, null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 3);

        assertThat(cache.invalidateCache(owner, analyses.get(0).fileMetadataId()))
                .isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 2);
        assertThat(cache.getAnalysis(TestAnalyses.keyOf(owner, analyses.get(0))))
                .isEmpty();
        assertThat(cache.getAnalysis(TestAnalyses.keyOf(owner, analyses.get(1))))
                .isPresent();
    }

    @Test
    void fullRestart_loadsEveryEntryBackFromPostgres() {
        HazelcastInstance first = member();
        member();
        IMap<AnalysisKey, CachedAudioAnalysis> map = first.getMap("analyses");
        Owner owner = Owner.user(UUID.randomUUID());
        Map<AnalysisKey, AudioAnalysis> written = new LinkedHashMap<>();
        for (AudioAnalysis analysis : TestAnalyses.distinctSmall(12, 300)) {
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            map.set(
                    key,
                    CachedAudioAnalysis.of(
                            key,
                            analysis,
                            null,
                            1,
                            io.stemcache.core.Precision.FLOAT64,
                            AnalysisCodec.standard(),
                            java.time.Instant.now()));
            written.put(key, analysis);
        }
        map.flush(); // what the node's WriteBehindFlusher does on shutdown
        factory.shutdownAll();
        assertThat(rows()).isEqualTo(12);

        HazelcastInstance restarted = member();
        member();
        IMap<AnalysisKey, CachedAudioAnalysis> reloaded = restarted.getMap("analyses");
        assertThat(reloaded.size()).as("nothing in memory before the first get").isZero();
        written.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, reloaded.get(key).analysis()));
    }

    @Test
    void abruptMemberDeath_beforeTheDelay_losesNoAcknowledgedWrite() {
        member();
        HazelcastInstance victim = member();
        member();
        AudioCacheService cache = client();
        Owner owner = Owner.user(UUID.randomUUID());
        Map<AnalysisKey, AudioAnalysis> written = new LinkedHashMap<>();
        for (AudioAnalysis analysis : TestAnalyses.distinctSmall(40, 100)) {
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            cache.setAnalysis(key, analysis, null);
            written.put(key, analysis);
        }
        victim.getLifecycleService().terminate();

        await().atMost(Duration.ofSeconds(60)).until(() -> rows() >= 40);
        assertThat(rows()).isEqualTo(40);
        PostgresAnalysisStore fresh = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        Map<AnalysisKey, CachedAudioAnalysis> rows = fresh.loadAll(written.keySet());
        assertThat(rows).hasSize(40);
        written.forEach((key, analysis) ->
                Analyses.assertBitExact(analysis, rows.get(key).analysis()));
    }

    @Test
    void setOverTheSizeLimit_failsClearlyAndStoresNothing() {
        member();
        HazelcastInstance client = factory.newHazelcastClient(StemcacheClient.defaultConfig());
        AudioCacheService cache = StemcacheClient.service(
                client, ClientSettings.defaults().withCodec(AnalysisCodec.withMaxDecodedBytes(64 * 1024)));
        AudioAnalysis large = TestAnalyses.distinctSmall(1, 2000).get(0);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), large);

        assertThatThrownBy(() -> cache.setAnalysis(key, large, null))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("limit");
        assertThat(cache.getAnalysis(key)).isEmpty();
        assertThat(rows()).isZero();
    }

    @Test
    void legacyJsonbRow_loadsThroughTheCacheBitExact() throws Exception {
        member();
        AudioCacheService cache = client();
        AudioAnalysis analysis = TestAnalyses.withFile(io.stemcache.core.testing.Corpus.first(), UUID.randomUUID());
        UUID user = UUID.randomUUID();
        try (java.sql.Connection connection = database.dataSource().getConnection();
                java.sql.PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO audio_analysis_cache (user_id, owner_kind, owner_id, file_metadata_id, stem_type,"
                                + " analysis_version, sample_rate, duration, buffer_size, features_extracted,"
                                + " analysis_data, waveform_data, analysis_duration)"
                                + " VALUES (?, 'user', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
            insert.setObject(1, user);
            insert.setString(2, user.toString());
            insert.setObject(3, analysis.fileMetadataId());
            insert.setString(4, analysis.stemType().code());
            insert.setString(5, analysis.analysisVersion());
            insert.setInt(6, analysis.metadata().sampleRate());
            insert.setBigDecimal(
                    7, java.math.BigDecimal.valueOf(analysis.metadata().duration()));
            insert.setInt(8, analysis.metadata().bufferSize());
            insert.setArray(
                    9,
                    connection.createArrayOf(
                            "text", analysis.metadata().featuresExtracted().toArray()));
            insert.setString(10, io.stemcache.core.json.AnalysisJson.analysisDataJson(analysis));
            insert.setString(11, io.stemcache.core.json.AnalysisJson.waveformJson(analysis));
            insert.setInt(12, (int) Math.round(analysis.metadata().analysisDuration()));
            insert.executeUpdate();
        }

        AudioAnalysis loaded = cache.getAnalysis(TestAnalyses.keyOf(Owner.user(user), analysis))
                .orElseThrow()
                .analysis();

        assertThat(loaded.analysisData().keySet())
                .containsExactlyElementsOf(analysis.analysisData().keySet());
        analysis.analysisData()
                .forEach((name, series) -> Analyses.assertBitExact(
                        name, series, loaded.analysisData().get(name)));
        Analyses.assertBitExact(analysis.waveformData(), loaded.waveformData());
    }

    @Test
    void corruptPayloadRow_isAMiss_putAsideForInspection_andTheMemberKeepsServing() {
        member();
        AudioCacheService cache = client();
        Owner owner = Owner.user(UUID.randomUUID());
        List<AudioAnalysis> analyses = TestAnalyses.distinctSmall(2, 100);
        for (AudioAnalysis analysis : analyses) {
            cache.setAnalysis(TestAnalyses.keyOf(owner, analysis), analysis, null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 2);
        factory.shutdownAll();
        TableRows.execute(
                database.dataSource(),
                "UPDATE audio_analysis_cache SET payload = overlay(payload placing"
                        + " '\\xdeadbeef'::bytea from 40) WHERE file_metadata_id = '"
                        + analyses.get(0).fileMetadataId() + "'");

        member();
        AudioCacheService restarted = client();

        assertThat(restarted.getAnalysis(TestAnalyses.keyOf(owner, analyses.get(0))))
                .isEmpty();
        assertThat(rows()).as("the corrupt row left the table").isEqualTo(1);
        assertThat(TableRows.query(
                        database.dataSource(),
                        "SELECT count(*) FROM audio_analysis_dead_letter" + " WHERE file_metadata_id = '"
                                + analyses.get(0).fileMetadataId() + "' AND reason LIKE 'unreadable on load:%'"))
                .as("the corrupt row, put aside for inspection")
                .isEqualTo(1);
        Analyses.assertBitExact(
                analyses.get(1),
                restarted
                        .getAnalysis(TestAnalyses.keyOf(owner, analyses.get(1)))
                        .orElseThrow()
                        .analysis());
    }

    @Test
    void everyCorpusFile_roundTripsBitExactThroughTheClusterAndPostgres() {
        member();
        member();
        AudioCacheService cache = client();
        Owner owner = Owner.user(UUID.randomUUID());
        List<AnalysisKey> keys = new ArrayList<>();
        for (java.nio.file.Path file : io.stemcache.core.testing.Corpus.files()) {
            AudioAnalysis analysis = io.stemcache.core.testing.Corpus.load(file);
            AnalysisKey key = TestAnalyses.keyOf(owner, analysis);
            cache.setAnalysis(key, analysis, null);
            Analyses.assertBitExact(
                    analysis, cache.getAnalysis(key).orElseThrow().analysis());
            keys.add(key);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rows() == keys.size());
        factory.shutdownAll();

        member();
        AudioCacheService restarted = client();
        for (int i = 0; i < keys.size(); i++) {
            AudioAnalysis expected = io.stemcache.core.testing.Corpus.load(
                    io.stemcache.core.testing.Corpus.files().get(i));
            Analyses.assertBitExact(
                    expected, restarted.getAnalysis(keys.get(i)).orElseThrow().analysis());
        }
    }
}
