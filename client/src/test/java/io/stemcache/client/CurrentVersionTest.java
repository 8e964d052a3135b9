package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.core.testing.Corpus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link CurrentVersion}: a near-cached key's version is the near cache's answer; others ask the key's member. */
class CurrentVersionTest {

    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private HazelcastInstance client;
    private AudioCacheService cache;
    private IMap<AnalysisKey, CachedAudioAnalysis> map;

    @BeforeEach
    void startCluster() {
        Config member = new Config().setClusterName("stemcache");
        StemcacheSerialization.register(member.getSerializationConfig());
        EntryVersions.installOn(member, ClientSettings.defaults().mapName());
        members.add(factory.newHazelcastInstance(member));
        members.add(factory.newHazelcastInstance(member));
        client = factory.newHazelcastClient(StemcacheClient.defaultConfig());
        cache = StemcacheClient.service(client, ClientSettings.defaults());
        map = client.getMap(ClientSettings.defaults().mapName());
    }

    @AfterEach
    void stopCluster() {
        factory.terminateAll();
    }

    /** Answers of this node's near cache (its code returns on one, so no member is asked). */
    private long nearCacheHits() {
        return map.getLocalMapStats().getNearCacheStats().getHits();
    }

    @Test
    void of_aNearCachedKey_answersWithoutAMemberOperation_anotherKeyAsksItsMember_andFollowsWrites() {
        AudioAnalysis small = Corpus.small(40);
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), small.fileMetadataId(), small.stemType());
        CurrentVersion versions = new CurrentVersion(map);
        assertThat(versions.of(key)).isZero();

        CachedAudioAnalysis stored = cache.setAnalysis(key, small, null);
        long before = nearCacheHits();
        assertThat(versions.of(key))
                .as("not near-cached yet: asked of the member")
                .isEqualTo(stored.version());
        assertThat(nearCacheHits()).isEqualTo(before);

        cache.getAnalysis(key).orElseThrow();
        long cached = nearCacheHits();
        assertThat(versions.of(key)).isEqualTo(stored.version());
        assertThat(nearCacheHits()).as("answered by the near cache").isEqualTo(cached + 1);

        // Another API node writes: the invalidation reaches this node's near cache, and the version follows.
        AudioCacheService other = StemcacheClient.service(
                factory.newHazelcastClient(StemcacheClient.defaultConfig()), ClientSettings.defaults());
        long newer = other.setAnalysis(key, small, "v2").version();
        await().atMost(Duration.ofSeconds(20)).until(() -> versions.of(key) == newer);
        assertThat(newer).isGreaterThan(stored.version());
    }

    @Test
    void of_aMemberMapWithoutANearCache_asksTheMember() {
        AudioAnalysis small = Corpus.small(20);
        AnalysisKey key = new AnalysisKey(
                Owner.user(UUID.randomUUID()),
                small.fileMetadataId(),
                StemType.fromCode(small.stemType().code()));
        CachedAudioAnalysis stored = cache.setAnalysis(key, small, null);
        assertThat(new CurrentVersion(
                                members.get(0).getMap(ClientSettings.defaults().mapName()))
                        .of(key))
                .isEqualTo(stored.version());
    }
}
