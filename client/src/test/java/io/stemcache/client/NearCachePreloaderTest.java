package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.core.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An API node restarts with a warm near cache: the shipped configuration's preloader, with short intervals. */
class NearCachePreloaderTest {

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void stop() {
        factory.terminateAll();
    }

    private ClientConfig configWithPreloaderIn(Path dir) {
        ClientConfig config = StemcacheClient.withNearCachePreloader(StemcacheClient.defaultConfig(), "analyses",
                dir.resolve("preload"));
        NearCacheConfig nearCache = config.getNearCacheConfig("analyses");
        nearCache.getPreloaderConfig().setStoreInitialDelaySeconds(1).setStoreIntervalSeconds(1);
        return config;
    }

    @Test
    void restartedApiNode_startsWithTheKeysItHadInItsNearCache(@TempDir Path dir) throws Exception {
        Config member = new Config().setClusterName("stemcache");
        StemcacheSerialization.register(member.getSerializationConfig());
        factory.newHazelcastInstance(member);
        HazelcastInstance client = factory.newHazelcastClient(configWithPreloaderIn(dir));
        AudioCacheService cache = StemcacheClient.service(client, ClientSettings.defaults());
        AudioAnalysis small = Corpus.small(100);
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), small.fileMetadataId(), small.stemType());
        cache.setAnalysis(key, small, null);
        assertThat(cache.getAnalysis(key)).isPresent();   // into the near cache

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Stream<Path> files = Files.list(dir.resolve("preload"))) {
                return files.anyMatch(f -> f.toFile().length() > 0);
            }
        });
        ((AutoCloseable) cache).close();
        client.shutdown();

        HazelcastInstance restarted = factory.newHazelcastClient(configWithPreloaderIn(dir));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                restarted.getMap("analyses").getLocalMapStats().getNearCacheStats().getOwnedEntryCount() == 1);
        AudioCacheService warm = StemcacheClient.service(restarted, ClientSettings.defaults());
        assertThat(warm.getAnalysis(key)).isPresent();
        assertThat(restarted.getMap("analyses").getLocalMapStats().getNearCacheStats().getHits())
                .as("the first read after the restart is a near-cache hit").isEqualTo(1);
    }
}
