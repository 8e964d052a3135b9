package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.ops.RemoveEntry;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.core.testing.Corpus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versions are assigned by the key's owner member, whatever the writers' clocks say, and backups hold the same. */
class EntryVersionsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private HazelcastInstance first;
    private HazelcastInstance second;
    private AudioCacheService ahead;
    private AudioCacheService behind;

    @BeforeEach
    void startCluster() {
        Config member = new Config().setClusterName("stemcache");
        StemcacheSerialization.register(member.getSerializationConfig());
        EntryVersions.installOn(member, ClientSettings.defaults().mapName());
        first = factory.newHazelcastInstance(member);
        second = factory.newHazelcastInstance(member);
        // Two API nodes whose clocks are 10 s apart.
        ahead = service(Clock.fixed(NOW.plusSeconds(10), ZoneOffset.UTC));
        behind = service(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private AudioCacheService service(Clock clock) {
        HazelcastInstance client = factory.newHazelcastClient(StemcacheClient.defaultConfig());
        return StemcacheClient.service(client, ClientSettings.defaults().withClock(clock));
    }

    @AfterEach
    void stopCluster() {
        factory.terminateAll();
    }

    private static AudioAnalysis analysis(UUID file, String version) {
        AudioAnalysis small = Corpus.small(64);
        return new AudioAnalysis(
                file, StemType.BASS, version, small.analysisData(), small.waveformData(), small.metadata());
    }

    @Test
    void setAnalysis_byNodesWithSkewedClocks_theLaterWriteGetsTheHigherVersionAndWins() {
        UUID file = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.BASS);

        CachedAudioAnalysis firstWrite = ahead.setAnalysis(key, analysis(file, "1.0"), null);
        CachedAudioAnalysis laterWrite = behind.setAnalysis(key, analysis(file, "2.0"), null);

        assertThat(firstWrite.version()).isPositive();
        assertThat(laterWrite.version()).isGreaterThan(firstWrite.version());
        assertThat(laterWrite.updatedAt()).isBefore(firstWrite.updatedAt());
        assertThat(ahead.getAnalysis(key).orElseThrow().analysisVersion()).isEqualTo("2.0");
        assertThat(behind.getAnalysis(key).orElseThrow().version()).isEqualTo(laterWrite.version());
    }

    @Test
    void setAnalysis_thenOwnerDies_theBackupHoldsTheSameVersion() {
        UUID file = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.BASS);
        ahead.setAnalysis(key, analysis(file, "1.0"), null);
        long secondVersion = ahead.setAnalysis(key, analysis(file, "1.1"), null).version();
        HazelcastInstance owner =
                first.getPartitionService().getPartition(key).getOwner().localMember() ? first : second;
        HazelcastInstance survivor = owner == first ? second : first;

        owner.getLifecycleService().terminate();

        IMap<AnalysisKey, CachedAudioAnalysis> map =
                survivor.getMap(ClientSettings.defaults().mapName());
        assertThat(map.get(key).version()).isEqualTo(secondVersion);
        assertThat(behind.setAnalysis(key, analysis(file, "1.2"), null).version())
                .isGreaterThan(secondVersion);
    }

    @Test
    void invalidateCache_leavesAMarkerOneVersionUp_thatReadsAsAMiss_andTheNextWriteContinues() {
        UUID file = UUID.randomUUID();
        Owner owner = Owner.user(UUID.randomUUID());
        AnalysisKey key = new AnalysisKey(owner, file, StemType.BASS);
        long written = ahead.setAnalysis(key, analysis(file, "1.0"), null).version();

        assertThat(behind.invalidateCache(owner, file)).isEqualTo(1);

        IMap<AnalysisKey, CachedAudioAnalysis> map =
                first.getMap(ClientSettings.defaults().mapName());
        CachedAudioAnalysis marker = map.get(key);
        assertThat(marker.isDeletion()).isTrue();
        assertThat(marker.version()).isGreaterThan(written);
        assertThat(map.getEntryView(key).getTtl())
                .isEqualTo(Duration.ofSeconds(RemoveEntry.MARKER_TTL_SECONDS).toMillis());
        assertThat(ahead.getAnalysis(key)).isEmpty();
        assertThat(behind.invalidateCache(owner, file)).isZero();
        assertThat(ahead.setAnalysis(key, analysis(file, "1.1"), null).version())
                .isGreaterThan(marker.version());
    }

    @Test
    void set_ofAVersionChosenByTheWriter_isVersionedByTheMemberAnyway() {
        UUID file = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.BASS);
        long written = ahead.setAnalysis(key, analysis(file, "1.0"), null).version();
        IMap<AnalysisKey, CachedAudioAnalysis> map =
                first.getMap(ClientSettings.defaults().mapName());
        CachedAudioAnalysis forged = map.get(key).withVersion(Long.MAX_VALUE / 2);

        map.set(key, forged);

        assertThat(map.get(key).version()).isGreaterThan(written).isLessThan(Long.MAX_VALUE / 2);
    }

    @Test
    void removeEntry_atMostAnOlderVersion_keepsTheNewerWrite() {
        UUID file = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.BASS);
        long older = ahead.setAnalysis(key, analysis(file, "1.0"), null).version();
        long newer = ahead.setAnalysis(key, analysis(file, "1.1"), null).version();
        IMap<AnalysisKey, CachedAudioAnalysis> map =
                second.getMap(ClientSettings.defaults().mapName());

        assertThat(map.executeOnKey(key, RemoveEntry.atMost(older))).isFalse();
        assertThat(map.get(key).analysisVersion()).isEqualTo("1.1");
        assertThat(map.executeOnKey(key, RemoveEntry.atMost(newer))).isTrue();
        assertThat(map.get(key).isDeletion()).isTrue();
    }
}
