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
        return new AudioAnalysis(file, StemType.BASS, version, small.analysisData(), small.waveformData(),
                small.metadata());
    }

    @Test
    void setAnalysis_byNodesWithSkewedClocks_theLaterWriteGetsTheHigherVersionAndWins() {
        UUID file = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.BASS);

        CachedAudioAnalysis firstWrite = ahead.setAnalysis(key, analysis(file, "1.0"), null);
        CachedAudioAnalysis laterWrite = behind.setAnalysis(key, analysis(file, "2.0"), null);

        assertThat(firstWrite.version()).isEqualTo(1);
        assertThat(laterWrite.version()).isEqualTo(2);
        assertThat(laterWrite.updatedAt()).isBefore(firstWrite.updatedAt());
        assertThat(ahead.getAnalysis(key).orElseThrow().analysisVersion()).isEqualTo("2.0");
        assertThat(behind.getAnalysis(key).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void setAnalysis_thenOwnerDies_theBackupHoldsTheSameVersion() {
        UUID file = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.BASS);
        ahead.setAnalysis(key, analysis(file, "1.0"), null);
        ahead.setAnalysis(key, analysis(file, "1.1"), null);
        HazelcastInstance owner = first.getPartitionService().getPartition(key).getOwner().localMember() ? first : second;
        HazelcastInstance survivor = owner == first ? second : first;

        owner.getLifecycleService().terminate();

        IMap<AnalysisKey, CachedAudioAnalysis> map = survivor.getMap(ClientSettings.defaults().mapName());
        assertThat(map.get(key).version()).isEqualTo(2);
        assertThat(behind.setAnalysis(key, analysis(file, "1.2"), null).version()).isEqualTo(3);
    }

    @Test
    void invalidateCache_leavesAMarkerOneVersionUp_thatReadsAsAMiss_andTheNextWriteContinues() {
        UUID file = UUID.randomUUID();
        Owner owner = Owner.user(UUID.randomUUID());
        AnalysisKey key = new AnalysisKey(owner, file, StemType.BASS);
        ahead.setAnalysis(key, analysis(file, "1.0"), null);

        assertThat(behind.invalidateCache(owner, file)).isEqualTo(1);

        IMap<AnalysisKey, CachedAudioAnalysis> map = first.getMap(ClientSettings.defaults().mapName());
        CachedAudioAnalysis marker = map.get(key);
        assertThat(marker.isDeletion()).isTrue();
        assertThat(marker.version()).isEqualTo(2);
        assertThat(map.getEntryView(key).getTtl()).isEqualTo(Duration.ofSeconds(RemoveEntry.MARKER_TTL_SECONDS).toMillis());
        assertThat(ahead.getAnalysis(key)).isEmpty();
        assertThat(behind.invalidateCache(owner, file)).isZero();
        assertThat(ahead.setAnalysis(key, analysis(file, "1.1"), null).version()).isEqualTo(3);
    }

    @Test
    void removeEntry_atMostAnOlderVersion_keepsTheNewerWrite() {
        UUID file = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), file, StemType.BASS);
        ahead.setAnalysis(key, analysis(file, "1.0"), null);
        ahead.setAnalysis(key, analysis(file, "1.1"), null);
        IMap<AnalysisKey, CachedAudioAnalysis> map = second.getMap(ClientSettings.defaults().mapName());

        assertThat(map.executeOnKey(key, RemoveEntry.atMost(1))).isFalse();
        assertThat(map.get(key).analysisVersion()).isEqualTo("1.1");
        assertThat(map.executeOnKey(key, RemoveEntry.atMost(2))).isTrue();
        assertThat(map.get(key).isDeletion()).isTrue();
    }
}
