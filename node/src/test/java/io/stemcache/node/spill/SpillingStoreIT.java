package io.stemcache.node.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spill on its own, against a real PostgreSQL: which stores go to the file, what a starting member stores
 * from it, and the files it leaves alone (another database, one still being written, a damaged one).
 */
class SpillingStoreIT {

    @TempDir
    Path directory;

    private FreshDatabase database;
    private PostgresAnalysisStore postgres;
    private HikariDataSource nowhere;

    @BeforeEach
    void setUp() {
        database = FreshDatabase.createMigrated("spillstore");
        postgres = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/unreachable");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        nowhere = new HikariDataSource(config);
    }

    @AfterEach
    void tearDown() {
        nowhere.close();
        database.close();
    }

    private static CachedAudioAnalysis entry(
            AnalysisKey key, AudioAnalysis analysis, String contentHash, long version) {
        AudioAnalysis keyed = new AudioAnalysis(
                key.fileMetadataId(),
                key.stemType(),
                analysis.analysisVersion(),
                analysis.analysisData(),
                analysis.waveformData(),
                analysis.metadata());
        return CachedAudioAnalysis.of(
                        key, keyed, contentHash, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now())
                .withVersion(version);
    }

    private static AnalysisKey userKey() {
        return new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.DRUMS);
    }

    private static AnalysisKey guestKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new AnalysisKey(
                Owner.guest(Base64.getUrlEncoder().withoutPadding().encodeToString(random)),
                UUID.randomUUID(),
                StemType.VOCALS);
    }

    private SpillingStore downStore() {
        return SpillingStore.open(
                new PostgresAnalysisStore(nowhere, StoreSettings.defaults()), directory, "analyses", database.name());
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void armedThreadWithPostgresDown_spills_andReplayStoresItBitExact() throws Exception {
        SpillingStore spilling = downStore();
        AudioAnalysis analysis = Corpus.small(120);
        AnalysisKey user = userKey();
        AnalysisKey guest = guestKey();
        AnalysisKey removed = userKey();
        postgres.storeAll(Map.of(removed, entry(removed, analysis, null, 5)));

        spilling.armForShutdown(false);
        spilling.storeAll(Map.of(user, entry(user, analysis, "sha256:abc", 7), guest, entry(guest, analysis, null, 3)));
        spilling.deleteAll(List.of(removed));
        spilling.destroy();

        assertThat(files(".spill")).hasSize(1);
        SpillingStore next = SpillingStore.open(postgres, directory, "analyses", database.name());
        assertThat(next.replay()).isEqualTo(3);
        Map<AnalysisKey, CachedAudioAnalysis> rows = postgres.loadAll(List.of(user, guest, removed));
        assertThat(rows.get(removed))
                .as("the deleted key reads as its tombstone")
                .matches(CachedAudioAnalysis::isDeletion);
        assertThat(TableRowsCount.of(database, removed)).isZero();
        for (String series : analysis.analysisData().keySet()) {
            Analyses.assertBitExact(
                    series,
                    analysis.analysisData().get(series),
                    rows.get(user).analysis().analysisData().get(series));
        }
        Analyses.assertBitExact(
                analysis.waveformData(), rows.get(guest).analysis().waveformData());
        assertThat(rows.get(user).contentHash()).isEqualTo("sha256:abc");
        assertThat(rows.get(user).version()).isEqualTo(7);
        assertThat(rows.get(guest).contentHash()).isNull();
        assertThat(files(".spill")).as("a replayed file is removed").isEmpty();
        assertThat(next.replay()).as("nothing left").isZero();
    }

    @Test
    void replay_ofAnOlderVersionThanTheRow_keepsTheRow() {
        AudioAnalysis analysis = Corpus.small(100);
        AnalysisKey key = userKey();
        SpillingStore spilling = downStore();
        spilling.armForShutdown(true);
        spilling.storeAll(Map.of(key, entry(key, analysis, "older", 4)));
        spilling.destroy();
        postgres.storeAll(Map.of(key, entry(key, analysis, "newer", 9)));

        SpillingStore.open(postgres, directory, "analyses", database.name()).replay();

        assertThat(postgres.load(key).contentHash()).isEqualTo("newer");
    }

    @Test
    void storesOnOtherThreads_orBeforeArming_goToPostgres() throws Exception {
        SpillingStore spilling = downStore();
        AnalysisKey key = userKey();
        CachedAudioAnalysis value = entry(key, Corpus.small(100), null, 1);

        assertThatThrownBy(() -> spilling.storeAll(Map.of(key, value)))
                .as("not armed: PostgreSQL's failure")
                .hasMessageContaining("none of it was written");
        spilling.armForShutdown(true);
        assertThat(CompletableFuture.runAsync(() -> spilling.storeAll(Map.of(key, value)))
                        .handle((ignored, failure) -> failure)
                        .get())
                .as("another thread: PostgreSQL's failure")
                .isNotNull();
        spilling.destroy();
        assertThat(files(".spill")).as("nothing spilled").isEmpty();
    }

    @Test
    void armedThreadWithPostgresUp_storesInPostgres_andSpillsNothing() throws Exception {
        SpillingStore spilling = SpillingStore.open(postgres, directory, "analyses", database.name());
        AnalysisKey key = userKey();

        spilling.armForShutdown(false);
        spilling.storeAll(Map.of(key, entry(key, Corpus.small(100), null, 1)));
        spilling.destroy();

        assertThat(postgres.load(key)).isNotNull();
        assertThat(files(".spill")).isEmpty();
    }

    @Test
    void replay_leavesAloneFilesOfAnotherDatabase_andFilesStillBeingWritten() throws Exception {
        AnalysisKey key = userKey();
        CachedAudioAnalysis value = entry(key, Corpus.small(100), null, 1);
        SpillingStore other = SpillingStore.open(
                new PostgresAnalysisStore(nowhere, StoreSettings.defaults()),
                directory,
                "analyses",
                "another_database");
        other.armForShutdown(true);
        other.storeAll(Map.of(key, value));
        other.destroy();
        SpillingStore.open(postgres, directory, "analyses", database.name()).replay();
        assertThat(files(".spill")).as("another database's file stays").hasSize(1);
        assertThat(postgres.load(key)).isNull();
        Files.delete(files(".spill").get(0));

        SpillingStore writing = downStore();
        writing.armForShutdown(true);
        writing.storeAll(Map.of(key, value));
        SpillingStore.open(postgres, directory, "analyses", database.name()).replay();
        assertThat(postgres.load(key))
                .as("a file still locked by its writer is not read")
                .isNull();
        writing.destroy();
        assertThat(SpillingStore.open(postgres, directory, "analyses", database.name())
                        .replay())
                .isEqualTo(1);
        assertThat(postgres.load(key)).isNotNull();
    }

    @Test
    void replay_ofAFileCutShort_storesTheRecordsBeforeTheCut_andKeepsItAsDamaged() throws Exception {
        AnalysisKey first = userKey();
        AnalysisKey second = userKey();
        SpillingStore spilling = downStore();
        spilling.armForShutdown(true);
        spilling.storeAll(Map.of(first, entry(first, Corpus.small(100), null, 1)));
        spilling.storeAll(Map.of(second, entry(second, Corpus.small(100), null, 1)));
        spilling.destroy();
        Path file = files(".spill").get(0);
        try (RandomAccessFile cut = new RandomAccessFile(file.toFile(), "rw")) {
            cut.setLength(cut.length() - 100); // the writer killed in the middle of its second record
        }

        assertThat(SpillingStore.open(postgres, directory, "analyses", database.name())
                        .replay())
                .isEqualTo(1);

        assertThat(postgres.load(first)).isNotNull();
        assertThat(postgres.load(second)).isNull();
        assertThat(files(".spill")).isEmpty();
        assertThat(files(".spill.damaged")).hasSize(1);
    }

    @Test
    void replay_postgresDown_throwsAndKeepsTheFile() throws Exception {
        AnalysisKey key = userKey();
        SpillingStore spilling = downStore();
        spilling.armForShutdown(true);
        spilling.storeAll(Map.of(key, entry(key, Corpus.small(100), null, 1)));
        spilling.destroy();

        assertThatThrownBy(downStore()::replay)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed after 0 entries; the file is kept and the next start stores it again");
        assertThat(files(".spill")).hasSize(1);
    }

    @Test
    void open_onADirectoryThatCannotBeMade_namesTheSetting() throws Exception {
        Path file = Files.writeString(directory.resolve("a-file"), "not a directory");

        assertThatThrownBy(() -> SpillingStore.open(postgres, file.resolve("spill"), "analyses", database.name()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "stemcache.write-behind.spill-dir " + file.resolve("spill") + " cannot be created");
    }

    /** Rows of one key in the users' table. */
    private static final class TableRowsCount {
        static long of(FreshDatabase database, AnalysisKey key) throws java.sql.SQLException {
            try (var connection = database.dataSource().getConnection();
                    var statement = connection.prepareStatement(
                            "SELECT count(*) FROM audio_analysis_cache WHERE file_metadata_id = ?")) {
                statement.setObject(1, key.fileMetadataId());
                try (var result = statement.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        }
    }
}
