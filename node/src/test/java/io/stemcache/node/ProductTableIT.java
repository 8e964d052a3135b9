package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.test.HazelcastTestSupport;
import com.hazelcast.test.SplitBrainTestSupport;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.ProductSchema;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product's real table (its migration 012: foreign keys to auth.users and file_metadata, row-level security
 * and the trigger that rewrites updated_at on every UPDATE), adopted by the changelog, under a cluster: users'
 * and guests' writes both reach PostgreSQL, and of two writes of a key the later one wins in memory and in the
 * table whatever the writers' clocks say, across a member crash, a replay and a split-brain merge.
 */
class ProductTableIT {

    private static final int WRITE_DELAY_SECONDS = 2;
    // Long before the database's own clock, so a time the trigger wrote stands out.
    private static final Instant NOW = Instant.parse("2020-01-01T00:00:00Z");

    private NodeMembers nodes;
    private DataSource db;

    @BeforeEach
    void start() {
        nodes = new NodeMembers(ProductSchema.createMigrated("product_table"), WRITE_DELAY_SECONDS, 50, false);
        db = nodes.database.dataSource();
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    private HazelcastInstance member() {
        // Merge a healed split within a second or two instead of Hazelcast's minutes.
        return nodes.member((Config config) -> config.setProperty("hazelcast.merge.first.run.delay.seconds", "1")
                .setProperty("hazelcast.merge.next.run.delay.seconds", "1"));
    }

    /** An API node whose clock is {@code offsetSeconds} off. */
    private AudioCacheService apiNode(HazelcastInstance via, long offsetSeconds) {
        return StemcacheClient.service(
                via, ClientSettings.defaults().withClock(Clock.fixed(NOW.plusSeconds(offsetSeconds), ZoneOffset.UTC)));
    }

    private long backlog(List<HazelcastInstance> members) {
        return members.stream()
                .mapToLong(m -> m.getMap(NodeMembers.MAP).getLocalMapStats().getDirtyEntryCount())
                .sum();
    }

    private static AudioAnalysis labelled(UUID file, String label) {
        AudioAnalysis base = Corpus.small(90);
        return new AudioAnalysis(
                file, StemType.VOCALS, label, base.analysisData(), base.waveformData(), base.metadata());
    }

    private AnalysisKey usersKey(String email) {
        UUID user = ProductSchema.insertUser(db, email);
        UUID file = ProductSchema.insertFile(db, user, email + ".wav");
        return new AnalysisKey(Owner.user(user), file, StemType.VOCALS);
    }

    /** The analysis version (the tests' label of a write) of the key's row, or null. */
    private String rowLabel(AnalysisKey key) {
        CachedAudioAnalysis row = storedRow(key);
        return row == null ? null : row.analysisVersion();
    }

    private CachedAudioAnalysis storedRow(AnalysisKey key) {
        return new PostgresAnalysisStore(db, StoreSettings.defaults()).load(key);
    }

    @Test
    void usersAndGuestsWrites_bothReachPostgres_noneDeadLettered_andTheProductsKeysAndTriggerStayInForce() {
        List<HazelcastInstance> members = List.of(member(), member());
        AudioCacheService cache = apiNode(members.get(0), 0);
        AnalysisKey user = usersKey("ada@example.com");
        AnalysisKey guest =
                new AnalysisKey(Owner.guest("guest-" + UUID.randomUUID()), UUID.randomUUID(), StemType.DRUMS);

        cache.setAnalysis(user, labelled(user.fileMetadataId(), "user-1"), "sha256:u");
        cache.setAnalysis(
                guest,
                new AudioAnalysis(
                        guest.fileMetadataId(),
                        StemType.DRUMS,
                        "guest-1",
                        Corpus.small(40).analysisData(),
                        Corpus.small(40).waveformData(),
                        Corpus.small(40).metadata()),
                null);
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog(members) == 0);

        assertThat(TableRows.query(
                        db,
                        "SELECT count(*) FROM audio_analysis_cache WHERE owner_kind = 'user'" + " AND user_id = '"
                                + user.owner().id() + "' AND file_metadata_id = '" + user.fileMetadataId() + "'"))
                .isEqualTo(1);
        assertThat(TableRows.query(
                        db,
                        "SELECT count(*) FROM audio_analysis_guest_cache WHERE file_metadata_id = '"
                                + guest.fileMetadataId() + "'"))
                .isEqualTo(1);
        assertThat(TableRows.query(db, "SELECT count(*) FROM audio_analysis_dead_letter"))
                .isZero();
        assertThat(nodes.stores.stream()
                        .mapToLong(store -> store.metrics().deadLettered())
                        .sum())
                .isZero();
        assertThat(TableRows.query(
                        db,
                        "SELECT count(*) FROM pg_constraint WHERE conrelid = 'audio_analysis_cache'::regclass"
                                + " AND contype = 'f'"))
                .as("the product's foreign keys")
                .isEqualTo(2);
        assertThat(TableRows.query(
                        db,
                        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audio_analysis_cache'::regclass"
                                + " AND tgname = 'update_audio_analysis_cache_updated_at'"))
                .isEqualTo(1);
        assertThat(TableRows.query(
                        db,
                        "SELECT count(*) FROM pg_class WHERE relname = 'audio_analysis_cache'" + " AND relrowsecurity"))
                .as("row-level security on")
                .isEqualTo(1);
    }

    @Test
    void
            aRowTheProductInsertsItsOwnWay_afterTheAdoption_readsThroughTheCluster_seriesBitExact_metadataFromItsColumns() {
        List<HazelcastInstance> members = List.of(member(), member());
        AudioCacheService cache = apiNode(members.get(0), 0);
        UUID user = ProductSchema.insertUser(db, "legacy@example.com");
        AudioAnalysis corpus = Corpus.first();
        UUID file = ProductSchema.insertFile(db, user, "legacy.wav");
        AudioAnalysis analysis = new AudioAnalysis(
                file,
                corpus.stemType(),
                corpus.analysisVersion(),
                corpus.analysisData(),
                corpus.waveformData(),
                corpus.metadata());
        // The product's own INSERT: no owner columns, no payload (027's trigger names the owner).
        TableRows.update(
                db,
                """
                INSERT INTO audio_analysis_cache (user_id, file_metadata_id, stem_type, analysis_version, sample_rate,
                    duration, buffer_size, features_extracted, analysis_data, waveform_data, analysis_duration)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::text[], ?::jsonb, ?::jsonb, ?)""",
                user,
                file,
                analysis.stemType().code(),
                analysis.analysisVersion(),
                analysis.metadata().sampleRate(),
                analysis.metadata().duration(),
                analysis.metadata().bufferSize(),
                "{" + String.join(",", analysis.metadata().featuresExtracted()) + "}",
                io.stemcache.core.json.AnalysisJson.analysisDataJson(analysis),
                io.stemcache.core.json.AnalysisJson.waveformJson(analysis),
                (int) Math.round(analysis.metadata().analysisDuration()));

        CachedAudioAnalysis entry = cache.getAnalysis(new AnalysisKey(Owner.user(user), file, analysis.stemType()))
                .orElseThrow();

        // decimal(10,3) keeps the duration to the millisecond, the integer column whole milliseconds.
        io.stemcache.core.AnalysisMetadata columns = new io.stemcache.core.AnalysisMetadata(
                analysis.metadata().sampleRate(),
                new java.math.BigDecimal(analysis.metadata().duration())
                        .setScale(3, java.math.RoundingMode.HALF_UP)
                        .doubleValue(),
                analysis.metadata().bufferSize(),
                analysis.metadata().featuresExtracted(),
                Math.round(analysis.metadata().analysisDuration()));
        Analyses.assertBitExact(
                new AudioAnalysis(
                        file,
                        analysis.stemType(),
                        analysis.analysisVersion(),
                        analysis.analysisData(),
                        analysis.waveformData(),
                        columns),
                entry.analysis());
        assertThat(entry.metadata()).isEqualTo(columns);
        assertThat(entry.version()).as("rows the product wrote are version 0").isZero();
    }

    @Test
    void aKeyOfAUserWithoutAFile_isSetAsideByTheForeignKey_andTheRestFlows() {
        List<HazelcastInstance> members = List.of(member());
        AudioCacheService cache = apiNode(members.get(0), 0);
        AnalysisKey orphan = new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.BASS);
        AnalysisKey fine = usersKey("fine@example.com");

        cache.setAnalysis(
                orphan,
                new AudioAnalysis(
                        orphan.fileMetadataId(),
                        StemType.BASS,
                        "1.0",
                        Corpus.small(30).analysisData(),
                        Corpus.small(30).waveformData(),
                        Corpus.small(30).metadata()),
                null);
        cache.setAnalysis(fine, labelled(fine.fileMetadataId(), "fine"), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog(members) == 0);

        assertThat(TableRows.query(
                        db,
                        "SELECT count(*) FROM audio_analysis_dead_letter WHERE sqlstate = '23503'"
                                + " AND file_metadata_id = '" + orphan.fileMetadataId() + "'"))
                .isEqualTo(1);
        assertThat(rowLabel(fine)).isEqualTo("fine");
    }

    @Test
    void twoApiNodesWithClocks10sApart_theLaterWriteWins_inMemoryAndInTheTable() {
        List<HazelcastInstance> members = List.of(member(), member());
        AudioCacheService ahead = apiNode(members.get(0), 10);
        AudioCacheService behind = apiNode(members.get(1), 0);
        AnalysisKey key = usersKey("clocks@example.com");

        long first = ahead.setAnalysis(key, labelled(key.fileMetadataId(), "first"), null)
                .version();
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog(members) == 0);
        long later = behind.setAnalysis(key, labelled(key.fileMetadataId(), "later"), null)
                .version();
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog(members) == 0);

        assertThat(later).isGreaterThan(first);
        assertThat(ahead.getAnalysis(key).orElseThrow().analysisVersion()).isEqualTo("later");
        assertThat(rowLabel(key)).isEqualTo("later");
        assertThat(storedRow(key).version()).isEqualTo(later);
        assertThat(TableRows.query(
                        db,
                        "SELECT count(*) FROM audio_analysis_cache WHERE file_metadata_id = '" + key.fileMetadataId()
                                + "' AND updated_at > '" + NOW.plusSeconds(10) + "'"))
                .as("the product's trigger rewrote updated_at to the database's time")
                .isEqualTo(1);
    }

    @Test
    void laterWrite_survivesTheCrashOfTheKeysOwnerBeforeItsStore_andAReplayOfTheEarlierOne() {
        HazelcastInstance a = member();
        HazelcastInstance b = member();
        AnalysisKey key = usersKey("crash@example.com");
        AudioCacheService ahead = apiNode(a, 10);
        AudioCacheService behind = apiNode(b, 0);
        CachedAudioAnalysis first = ahead.setAnalysis(key, labelled(key.fileMetadataId(), "first"), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog(List.of(a, b)) == 0);

        behind.setAnalysis(key, labelled(key.fileMetadataId(), "later"), null);
        HazelcastInstance owner =
                a.getPartitionService().getPartition(key).getOwner().localMember() ? a : b;
        HazelcastInstance survivor = owner == a ? b : a;
        owner.getLifecycleService().terminate();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> backlog(List.of(survivor)) == 0 && "later".equals(rowLabel(key)));
        // The dead owner's store of the first write, replayed late.
        nodes.stores.get(0).store(key, first);

        assertThat(rowLabel(key)).isEqualTo("later");
        assertThat(apiNode(survivor, 0).getAnalysis(key).orElseThrow().analysisVersion())
                .isEqualTo("later");
    }

    @Test
    void manyKeys_writtenInTurnByNodesWithSkewedClocks_acrossAMemberCrash_theLastWriteWinsEverywhere() {
        HazelcastInstance a = member();
        HazelcastInstance b = member();
        HazelcastInstance c = member();
        int keys = 60;
        UUID user = ProductSchema.insertUser(db, "many@example.com");
        List<AnalysisKey> all = new java.util.ArrayList<>();
        for (int i = 0; i < keys; i++) {
            all.add(new AnalysisKey(
                    Owner.user(user), ProductSchema.insertFile(db, user, "f" + i + ".wav"), StemType.VOCALS));
        }
        AudioCacheService ahead = apiNode(a, 10);
        AudioCacheService behind = apiNode(b, -10);
        java.util.Map<AnalysisKey, String> last = new java.util.LinkedHashMap<>();
        int writes = 0;
        for (int round = 0; round < 3; round++) {
            for (AnalysisKey key : all) {
                // Alternate which node writes first; the second write of the round is the later one.
                AudioCacheService first = (round + key.hashCode()) % 2 == 0 ? ahead : behind;
                AudioCacheService second = first == ahead ? behind : ahead;
                first.setAnalysis(key, labelled(key.fileMetadataId(), "r" + round + "-early"), null);
                second.setAnalysis(key, labelled(key.fileMetadataId(), "r" + round + "-late"), null);
                last.put(key, "r" + round + "-late");
                writes += 2;
            }
            if (round == 1) {
                // A member dies with stores still queued (write delay 2 s); its backups take over.
                c.getLifecycleService().terminate();
            }
        }
        List<HazelcastInstance> alive = List.of(a, b);
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog(alive) == 0);

        PostgresAnalysisStore reader = new PostgresAnalysisStore(db, StoreSettings.defaults());
        java.util.Map<AnalysisKey, CachedAudioAnalysis> rows = reader.loadAll(all);
        long wrongInMemory = all.stream()
                .filter(key -> !last.get(key)
                        .equals(apiNode(a, 0)
                                .getAnalysis(key)
                                .map(CachedAudioAnalysis::analysisVersion)
                                .orElse(null)))
                .count();
        long wrongInTable = all.stream()
                .filter(key -> rows.get(key) == null
                        || !last.get(key).equals(rows.get(key).analysisVersion()))
                .count();
        System.out.printf(
                "RESULT ordering keys=%d writes=%d clock_skew_s=20 members_killed=1 wrong_memory=%d"
                        + " wrong_table=%d%n",
                keys, writes, wrongInMemory, wrongInTable);
        assertThat(wrongInMemory).isZero();
        assertThat(wrongInTable).isZero();
        assertThat(all)
                .allSatisfy(key -> assertThat(rows.get(key).version())
                        .isEqualTo(apiNode(a, 0).getAnalysis(key).orElseThrow().version()));
    }

    @Test
    void splitBrain_theSideThatWroteTheKeyLast_winsInMemoryAndInTheTable_whateverItsClock() throws Exception {
        HazelcastInstance a = member();
        HazelcastInstance b = member();
        HazelcastInstance c = member();
        List<HazelcastInstance> all = List.of(a, b, c);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        all.stream().allMatch(m -> m.getCluster().getMembers().size() == 3));
        AnalysisKey key = usersKey("split@example.com");
        apiNode(a, 0).setAnalysis(key, labelled(key.fileMetadataId(), "before"), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog(all) == 0);

        for (HazelcastInstance big : List.of(a, b)) {
            SplitBrainTestSupport.blockCommunicationBetween(big, c);
            HazelcastTestSupport.closeConnectionBetween(big, c);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> a.getCluster().getMembers().size() == 2
                        && c.getCluster().getMembers().size() == 1);
        // The larger side writes once with a clock 10 s ahead; the smaller side then writes twice, 10 s behind.
        apiNode(b, 10).setAnalysis(key, labelled(key.fileMetadataId(), "big"), null);
        AudioCacheService small = apiNode(c, 0);
        small.setAnalysis(key, labelled(key.fileMetadataId(), "small-1"), null);
        small.setAnalysis(key, labelled(key.fileMetadataId(), "small-2"), null);
        for (HazelcastInstance big : List.of(a, b)) {
            SplitBrainTestSupport.unblockCommunicationBetween(big, c);
        }
        await().atMost(Duration.ofSeconds(90))
                .until(() ->
                        all.stream().allMatch(m -> m.getCluster().getMembers().size() == 3));
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog(all) == 0 && "small-2".equals(rowLabel(key)));

        for (HazelcastInstance member : all) {
            CachedAudioAnalysis entry = apiNode(member, 0).getAnalysis(key).orElseThrow();
            assertThat(entry.analysisVersion()).isEqualTo("small-2");
            Analyses.assertBitExact(labelled(key.fileMetadataId(), "small-2"), entry.analysis());
        }
        assertThat(storedRow(key).version())
                .isEqualTo(apiNode(a, 0).getAnalysis(key).orElseThrow().version());
    }
}
