package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.map.impl.nearcache.NearCachedClientMapProxy;
import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.adapter.IMapDataStructureAdapter;
import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.map.IMap;
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

/**
 * An API node restarts with a warm near cache: the shipped configuration's preloader, with short intervals.
 *
 * <p>Hazelcast preloads a near cache a fixed 3 s after creating it (not configurable), and stores no keys before
 * that preload has run: each test would wait 3 s for it per client. The tests run that same preload themselves as
 * soon as a client starts ({@link #preloadNow}); storing stays Hazelcast's own, on the one-second schedule below.
 * (Hazelcast's own preload stays scheduled: a client that lived 3 s would read its preloaded keys once more.)
 */
class NearCachePreloaderTest {

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void stop() {
        factory.terminateAll();
    }

    private ClientConfig configWithPreloaderIn(Path dir) {
        ClientConfig config = StemcacheClient.withNearCachePreloader(
                StemcacheClient.defaultConfig(), "analyses", dir.resolve("preload"));
        NearCacheConfig nearCache = config.getNearCacheConfig("analyses");
        nearCache.getPreloaderConfig().setStoreInitialDelaySeconds(1).setStoreIntervalSeconds(1);
        return config;
    }

    /**
     * Runs the near cache's preload now, as Hazelcast does 3 s after the client creates it: the keys in the preload
     * file are read through the map into the near cache, and from then on the near cache's keys are stored.
     */
    private static void preloadNow(HazelcastInstance client) {
        IMap<Object, Object> map = client.getMap("analyses");
        NearCache<Object, Object> nearCache = ((NearCachedClientMapProxy<Object, Object>) map).getNearCache();
        nearCache.preload(new IMapDataStructureAdapter<>(map));
        assertThat(nearCache.isPreloadDone()).isTrue();
    }

    @Test
    void restartedApiNode_startsWithTheKeysItHadInItsNearCache(@TempDir Path dir) throws Exception {
        Config member = new Config().setClusterName("stemcache");
        StemcacheSerialization.register(member.getSerializationConfig());
        factory.newHazelcastInstance(member);
        HazelcastInstance client = factory.newHazelcastClient(configWithPreloaderIn(dir));
        preloadNow(client);
        AudioCacheService cache = StemcacheClient.service(client, ClientSettings.defaults());
        AudioAnalysis small = Corpus.small(100);
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), small.fileMetadataId(), small.stemType());
        cache.setAnalysis(key, small, null);
        assertThat(cache.getAnalysis(key)).isPresent(); // into the near cache

        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.getMap("analyses")
                                .getLocalMapStats()
                                .getNearCacheStats()
                                .getLastPersistenceKeyCount()
                        == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Stream<Path> files = Files.list(dir.resolve("preload"))) {
                return files.anyMatch(f -> f.toFile().length() > 0);
            }
        });
        ((AutoCloseable) cache).close();
        client.shutdown();

        HazelcastInstance restarted = factory.newHazelcastClient(configWithPreloaderIn(dir));
        preloadNow(restarted);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> restarted
                                .getMap("analyses")
                                .getLocalMapStats()
                                .getNearCacheStats()
                                .getOwnedEntryCount()
                        == 1);
        AudioCacheService warm = StemcacheClient.service(restarted, ClientSettings.defaults());
        assertThat(warm.getAnalysis(key)).isPresent();
        assertThat(restarted
                        .getMap("analyses")
                        .getLocalMapStats()
                        .getNearCacheStats()
                        .getHits())
                .as("the first read after the restart is a near-cache hit")
                .isEqualTo(1);
    }

    /**
     * Issue 13: the preloader wrote every near-cache key to disk, and a guest's key holds the guest's token (the
     * only credential to its entries). Guests' reads now pass the near cache by; users' are cached and preloaded.
     */
    @Test
    void preloadFile_holdsUsersKeys_andNoGuestsToken(@TempDir Path dir) throws Exception {
        Config member = new Config().setClusterName("stemcache");
        StemcacheSerialization.register(member.getSerializationConfig());
        factory.newHazelcastInstance(member);
        HazelcastInstance client = factory.newHazelcastClient(configWithPreloaderIn(dir));
        preloadNow(client);
        AudioCacheService cache = StemcacheClient.service(client, ClientSettings.defaults());
        AudioAnalysis small = Corpus.small(100);
        UUID user = UUID.randomUUID();
        String token = "Qx7vR2mK9pL4tW8nB3cF6h";
        AnalysisKey userKey = new AnalysisKey(Owner.user(user), small.fileMetadataId(), small.stemType());
        AnalysisKey guestKey = new AnalysisKey(Owner.guest(token), small.fileMetadataId(), small.stemType());
        for (AnalysisKey key : java.util.List.of(userKey, guestKey)) {
            cache.setAnalysis(key, small, null);
            assertThat(cache.getAnalysis(key)).isPresent();
            assertThat(cache.getAnalysis(key)).isPresent();
        }
        assertThat(cache.warmProject(Owner.guest(token), java.util.List.of(small.fileMetadataId())))
                .isEqualTo(1);
        assertThat(client.getMap("analyses")
                        .getLocalMapStats()
                        .getNearCacheStats()
                        .getOwnedEntryCount())
                .as("near-cache entries: the user's only")
                .isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> preloaded(dir).contains(user.toString()));

        assertThat(preloaded(dir)).doesNotContain(token).doesNotContain(token.substring(0, 8));
    }

    /** Every preload file's bytes, as Latin-1 text (the keys' strings are ASCII in Compact's UTF-8). */
    private static String preloaded(Path dir) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("preload"))) {
            for (Path file : files.toList()) {
                text.append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
