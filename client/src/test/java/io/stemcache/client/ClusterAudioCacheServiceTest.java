package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CacheStats;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service over two members and clients with the shipped near-cache configuration. */
class ClusterAudioCacheServiceTest {

    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private AudioCacheService cache;
    private HazelcastInstance client;

    @BeforeEach
    void startCluster() {
        Config member = new Config().setClusterName("stemcache");
        // Invalidations reach near caches in 1 s batches instead of the shipped 10 s: the tests that wait for
        // another API node's write to show here wait 1 s, not 10 (the 10 s bound itself is ClientChurnIT's).
        member.setProperty("hazelcast.map.invalidation.batchfrequency.seconds", "1");
        StemcacheSerialization.register(member.getSerializationConfig());
        EntryVersions.installOn(member, ClientSettings.defaults().mapName());
        factory.newHazelcastInstance(member);
        factory.newHazelcastInstance(member);
        client = factory.newHazelcastClient(StemcacheClient.defaultConfig());
        cache = StemcacheClient.service(client, ClientSettings.defaults());
    }

    @AfterEach
    void stopCluster() {
        factory.terminateAll();
    }

    private static AudioAnalysis analysisOf(UUID file, StemType stem) {
        AudioAnalysis small = Corpus.small(120);
        return new AudioAnalysis(
                file, stem, small.analysisVersion(), small.analysisData(), small.waveformData(), small.metadata());
    }

    private static AnalysisKey keyOf(Owner owner, AudioAnalysis analysis) {
        return new AnalysisKey(owner, analysis.fileMetadataId(), analysis.stemType());
    }

    @Test
    void getAnalysis_afterSet_returnsTheAnalysisBitExact() {
        AudioAnalysis analysis = Corpus.first();
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);

        cache.setAnalysis(key, analysis, "sha256:abc");

        CachedAudioAnalysis entry = cache.getAnalysis(key).orElseThrow();
        Analyses.assertBitExact(analysis, entry.analysis());
        assertThat(entry.contentHash()).isEqualTo("sha256:abc");
        assertThat(entry.size()).isLessThan((int) (entry.rawSize() * 0.9));
    }

    @Test
    void getAnalysis_ofAnotherOwnersKey_misses() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.DRUMS);
        Owner alice = Owner.user(UUID.randomUUID());
        cache.setAnalysis(keyOf(alice, analysis), analysis, null);

        assertThat(cache.getAnalysis(keyOf(Owner.user(UUID.randomUUID()), analysis)))
                .isEmpty();
        assertThat(cache.getAnalysis(keyOf(Owner.guest("guest-session-token-01"), analysis)))
                .isEmpty();
        assertThat(cache.getAnalysis(keyOf(alice, analysis))).isPresent();
    }

    @Test
    void getAnalysis_repeated_isServedByTheNearCache() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.BASS);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);
        cache.setAnalysis(key, analysis, null);

        CachedAudioAnalysis first = cache.getAnalysis(key).orElseThrow();
        CachedAudioAnalysis second = cache.getAnalysis(key).orElseThrow();

        assertThat(second).as("OBJECT near cache returns the kept instance").isSameAs(first);
        assertThat(second.sharedAnalysis()).as("decoded once, kept").isSameAs(first.sharedAnalysis());
        assertThat(cache.getCacheStats().nearCacheHits()).isPositive();
    }

    /**
     * Issue 13: the OBJECT near cache hands the same entry, and so the same decoded {@code double[]}s, to every
     * caller on this node; one caller changing a value changed it for every later reader.
     */
    @Test
    void nearCacheHit_aCallerChangingItsArrays_changesNothingForTheNextCaller() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.BASS);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);
        cache.setAnalysis(key, analysis, null);
        cache.getAnalysis(key);

        AudioAnalysis mine = cache.getAnalysis(key).orElseThrow().analysis();
        mine.analysisData().get("rms")[0] = Double.NaN;
        mine.waveformData().points()[0] = 42;

        CachedAudioAnalysis next = cache.getAnalysis(key).orElseThrow();
        assertThat(cache.getCacheStats().nearCacheHits()).isPositive();
        Analyses.assertBitExact(analysis, next.analysis());
        Analyses.assertBitExact(analysis, next.sharedAnalysis());
    }

    @Test
    void setAnalysis_byAnotherApiNode_invalidatesThisNodesNearCache() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.VOCALS);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);
        cache.setAnalysis(key, analysis, "v1");
        assertThat(cache.getAnalysis(key).orElseThrow().contentHash()).isEqualTo("v1");

        AudioCacheService other = StemcacheClient.service(
                factory.newHazelcastClient(StemcacheClient.defaultConfig()), ClientSettings.defaults());
        other.setAnalysis(key, analysis, "v2");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> "v2".equals(cache.getAnalysis(key).orElseThrow().contentHash()));
    }

    @Test
    void getAnalysis_withAnotherContentHash_missesAndRemovesTheEntry() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.OTHER);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);
        cache.setAnalysis(key, analysis, "audio-v1");

        assertThat(cache.getAnalysis(key, "audio-v1")).isPresent();
        assertThat(cache.getAnalysis(key, "audio-v2")).isEmpty();
        assertThat(cache.getAnalysis(key)).as("the stale analysis is gone").isEmpty();
    }

    @Test
    void getAnalysis_ofANewerCacheVersion_missesButKeepsIt() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.MASTER);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);
        AudioCacheService upgraded =
                StemcacheClient.service(client, ClientSettings.defaults().withCacheVersion(2));
        upgraded.setAnalysis(key, analysis, null);

        assertThat(cache.getAnalysis(key)).as("a node not yet upgraded").isEmpty();
        assertThat(upgraded.getAnalysis(key)).as("kept for the upgraded nodes").isPresent();
    }

    @Test
    void invalidateCache_removesEveryStemOfThatFileOnly() {
        Owner owner = Owner.user(UUID.randomUUID());
        UUID file = UUID.randomUUID();
        UUID otherFile = UUID.randomUUID();
        for (StemType stem : StemType.values()) {
            cache.setAnalysis(keyOf(owner, analysisOf(file, stem)), analysisOf(file, stem), null);
        }
        AudioAnalysis kept = analysisOf(otherFile, StemType.DRUMS);
        cache.setAnalysis(keyOf(owner, kept), kept, null);

        assertThat(cache.invalidateCache(owner, file)).isEqualTo(5);

        for (StemType stem : StemType.values()) {
            assertThat(cache.getAnalysis(new AnalysisKey(owner, file, stem))).isEmpty();
        }
        assertThat(cache.getAnalysis(keyOf(owner, kept))).isPresent();
        assertThat(cache.invalidateCache(owner, file)).isZero();
    }

    @Test
    void warmProject_returnsTheStemsFoundAndFillsTheNearCache() {
        Owner owner = Owner.user(UUID.randomUUID());
        UUID file = UUID.randomUUID();
        cache.setAnalysis(keyOf(owner, analysisOf(file, StemType.DRUMS)), analysisOf(file, StemType.DRUMS), null);
        cache.setAnalysis(keyOf(owner, analysisOf(file, StemType.BASS)), analysisOf(file, StemType.BASS), null);

        assertThat(cache.warmProject(owner, List.of(file, UUID.randomUUID()))).isEqualTo(2);
        long nearHitsBefore = cache.getCacheStats().nearCacheHits();
        assertThat(cache.getAnalysis(new AnalysisKey(owner, file, StemType.DRUMS)))
                .isPresent();
        assertThat(cache.getCacheStats().nearCacheHits()).isEqualTo(nearHitsBefore + 1);
    }

    /** Issue 13: a guest's keys hold its token, and the near cache's preloader writes keys to disk. */
    @Test
    void warmProjectAndGetAnalysis_ofAGuest_findTheStems_andLeaveTheNearCacheAlone() {
        Owner owner = Owner.guest("guest-session-token-02");
        UUID file = UUID.randomUUID();
        cache.setAnalysis(keyOf(owner, analysisOf(file, StemType.DRUMS)), analysisOf(file, StemType.DRUMS), null);
        cache.setAnalysis(keyOf(owner, analysisOf(file, StemType.BASS)), analysisOf(file, StemType.BASS), null);

        assertThat(cache.warmProject(owner, List.of(file, UUID.randomUUID()))).isEqualTo(2);
        long nearHitsBefore = cache.getCacheStats().nearCacheHits();
        assertThat(cache.getAnalysis(new AnalysisKey(owner, file, StemType.DRUMS)))
                .isPresent();
        assertThat(cache.getAnalysis(new AnalysisKey(owner, file, StemType.DRUMS)))
                .isPresent();
        assertThat(cache.getCacheStats().nearCacheHits()).isEqualTo(nearHitsBefore);
        assertThat(client.getMap("analyses")
                        .getLocalMapStats()
                        .getNearCacheStats()
                        .getOwnedEntryCount())
                .isZero();
    }

    @Test
    void setAnalysis_withAKeyOfAnotherFile_isRefused() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.DRUMS);
        AnalysisKey wrong = new AnalysisKey(Owner.user(UUID.randomUUID()), UUID.randomUUID(), StemType.DRUMS);

        assertThatThrownBy(() -> cache.setAnalysis(wrong, analysis, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThat(cache.getAnalysis(wrong)).isEmpty();
    }

    @Test
    void getAnalysis_ofAKeyHoldingAnotherStemsAnalysis_missesAndRemovesIt() {
        Owner owner = Owner.user(UUID.randomUUID());
        AudioAnalysis other = analysisOf(UUID.randomUUID(), StemType.BASS);
        AnalysisKey otherKey = keyOf(owner, other);
        AnalysisKey victim = new AnalysisKey(owner, UUID.randomUUID(), StemType.BASS);
        // A client's plain put of another stem's entry under the victim's key (members check values, not keys).
        client.<AnalysisKey, CachedAudioAnalysis>getMap("analyses")
                .set(
                        victim,
                        CachedAudioAnalysis.of(
                                otherKey, other, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()));

        assertThat(cache.getAnalysis(victim))
                .as("another stem's analysis is never served")
                .isEmpty();
        CachedAudioAnalysis left =
                client.<AnalysisKey, CachedAudioAnalysis>getMap("analyses").get(victim);
        assertThat(left == null || left.isDeletion())
                .as("and it is removed (a deletion marker at most)")
                .isTrue();
    }

    @Test
    void setAnalysis_atLossyPrecision_recordsIt() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.DRUMS);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);

        cache.setAnalysis(key, analysis, null, Precision.Q16);

        assertThat(cache.getAnalysis(key).orElseThrow().precision()).isEqualTo(Precision.Q16);
    }

    @Test
    void getCacheStats_countsHitsMissesPutsAndBytes() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.DRUMS);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);
        cache.setAnalysis(key, analysis, null);
        cache.getAnalysis(key);
        cache.getAnalysis(key);
        cache.getAnalysis(new AnalysisKey(key.owner(), UUID.randomUUID(), StemType.DRUMS));

        CacheStats stats = cache.getCacheStats();

        assertThat(stats.entries()).isEqualTo(1);
        // puts, removals, evictions and expirations are counted on members by the node's entry listener
        // (io.stemcache.node.stats); these plain members have none.
        assertThat(stats.hits()).isEqualTo(2);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.storedBytes()).isPositive().isLessThan(stats.rawBytes());
        assertThat(stats.hitRate()).isEqualTo(2.0 / 3);
    }

    @Test
    void getAnalysis_ofAnOlderCacheVersion_removesItLazily() {
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.MASTER);
        AnalysisKey key = keyOf(Owner.user(UUID.randomUUID()), analysis);
        cache.setAnalysis(key, analysis, null);
        AudioCacheService upgraded =
                StemcacheClient.service(client, ClientSettings.defaults().withCacheVersion(2));

        assertThat(upgraded.getAnalysis(key)).isEmpty();

        CachedAudioAnalysis held =
                client.<AnalysisKey, CachedAudioAnalysis>getMap("analyses").get(key);
        assertThat(held.isDeletion())
                .as("old version replaced by a deletion marker on the miss")
                .isTrue();
    }

    @Test
    void setAnalysis_ofAGuest_expiresAfterTheGuestTtl() {
        AudioCacheService shortGuests =
                StemcacheClient.service(client, ClientSettings.defaults().withGuestTtl(Duration.ofSeconds(2)));
        AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.DRUMS);
        AnalysisKey guestKey = keyOf(Owner.guest("guest-session-token-03"), analysis);
        AnalysisKey userKey = keyOf(Owner.user(UUID.randomUUID()), analysis);
        shortGuests.setAnalysis(guestKey, analysis, null);
        shortGuests.setAnalysis(userKey, analysis, null);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !client.getMap("analyses").containsKey(guestKey));
        assertThat(client.getMap("analyses").containsKey(userKey))
                .as("users follow the map's TTL")
                .isTrue();
    }

    @Test
    void setAnalysis_overAGuestsQuota_makesRoomByRemovingItsOldestEntries() {
        Owner guest = Owner.guest("guest-session-token-04");
        List<AudioAnalysis> analyses = List.of(
                analysisOf(UUID.randomUUID(), StemType.DRUMS),
                analysisOf(UUID.randomUUID(), StemType.DRUMS),
                analysisOf(UUID.randomUUID(), StemType.DRUMS));
        int entryBytes = cache.setAnalysis(keyOf(guest, analyses.get(0)), analyses.get(0), null)
                .size();
        AudioCacheService quota = StemcacheClient.service(
                client, ClientSettings.defaults().withGuestQuotaBytes(entryBytes * 2L + entryBytes / 2));
        quota.setAnalysis(keyOf(guest, analyses.get(1)), analyses.get(1), null);
        quota.setAnalysis(keyOf(guest, analyses.get(2)), analyses.get(2), null);

        assertThat(cache.getAnalysis(keyOf(guest, analyses.get(0))))
                .as("the oldest made room")
                .isEmpty();
        assertThat(cache.getAnalysis(keyOf(guest, analyses.get(1)))).isPresent();
        assertThat(cache.getAnalysis(keyOf(guest, analyses.get(2)))).isPresent();
    }

    @Test
    void nearCacheHits_areReportedToTheMember_soMaxIdleDoesNotExpireHotEntries() {
        Config member = new Config().setClusterName("idle-test");
        StemcacheSerialization.register(member.getSerializationConfig());
        EntryVersions.installOn(member, ClientSettings.defaults().mapName());
        member.getMapConfig("analyses").setMaxIdleSeconds(3);
        TestHazelcastFactory idleFactory = new TestHazelcastFactory();
        try {
            HazelcastInstance idleMember = idleFactory.newHazelcastInstance(member);
            com.hazelcast.client.config.ClientConfig clientConfig = StemcacheClient.defaultConfig();
            clientConfig.setClusterName("idle-test");
            HazelcastInstance idleClient = idleFactory.newHazelcastClient(clientConfig);
            AudioCacheService touching = StemcacheClient.service(
                    idleClient, ClientSettings.defaults().withTouchInterval(Duration.ofMillis(500)));
            // The control: another API node, reading the same way from its own near cache, whose reads are not
            // reported within the test.
            AudioCacheService silent = StemcacheClient.service(
                    idleFactory.newHazelcastClient(clientConfig),
                    ClientSettings.defaults().withTouchInterval(Duration.ofHours(1)));
            AudioAnalysis analysis = analysisOf(UUID.randomUUID(), StemType.BASS);
            AnalysisKey hot = keyOf(Owner.user(UUID.randomUUID()), analysis);
            AnalysisKey unreported = keyOf(Owner.user(UUID.randomUUID()), analysis);
            touching.setAnalysis(hot, analysis, null);
            silent.setAnalysis(unreported, analysis, null);
            touching.getAnalysis(hot);
            silent.getAnalysis(unreported);

            // Every 200 ms for 8 s (2.6 times max-idle) both keys are read, from their API nodes' near caches (each
            // report drops the reported key from the reporting node's near cache, so the hot key's next read after
            // a report reaches the member): the hot one is found throughout.
            await().during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        silent.getAnalysis(unreported);
                        return touching.getAnalysis(hot).isPresent();
                    });

            IMap<AnalysisKey, CachedAudioAnalysis> onMember = idleMember.getMap("analyses");
            assertThat(onMember.containsKey(hot))
                    .as("still on its member after 8 s with max-idle 3 s")
                    .isTrue();
            // The control: reads served by a near cache do not reach the member, so only the reports kept the hot key.
            assertThat(onMember.containsKey(unreported))
                    .as("an entry read only from a near cache, not reported, expired on its member")
                    .isFalse();
        } finally {
            idleFactory.terminateAll();
        }
    }
}
