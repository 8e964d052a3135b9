package io.stemcache.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NearCachePreloaderConfig;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.serialization.StemcacheSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point for API nodes: loads the client configuration (near cache included) and builds the
 * {@link AudioCacheService} over a Hazelcast client.
 *
 * <p>The default configuration is {@code stemcache-client.yaml} from this jar: a near cache for the
 * {@code analyses} map holding decoded entries (OBJECT format), bounded by entry count and a TTL that
 * bounds staleness. Give your own file to change members, cluster name or near-cache sizing.
 */
public final class StemcacheClient {

    /** The configuration file shipped in this jar. */
    public static final String DEFAULT_CONFIG = "stemcache-client.yaml";

    private StemcacheClient() {}

    /** Parses a Hazelcast client YAML and registers stemcache's serializers on it (entries decode with the default limit). */
    public static ClientConfig loadConfig(InputStream yaml) {
        return loadConfig(yaml, AnalysisCodec.standard());
    }

    /**
     * Parses a Hazelcast client YAML and registers stemcache's serializers and Java deserialization filter on it;
     * entries read through this client decode with {@code codec} (its limit: {@code stemcache.client.max-analysis-mb}).
     */
    public static ClientConfig loadConfig(InputStream yaml, AnalysisCodec codec) {
        ClientConfig config = new YamlClientConfigBuilder(yaml).build();
        StemcacheSerialization.register(config.getSerializationConfig(), codec);
        return config;
    }

    /** The configuration shipped in this jar, with serializers registered. */
    public static ClientConfig defaultConfig() {
        try (InputStream yaml = StemcacheClient.class.getClassLoader().getResourceAsStream(DEFAULT_CONFIG)) {
            if (yaml == null) {
                throw new IllegalStateException(DEFAULT_CONFIG + " is missing from the classpath");
            }
            return loadConfig(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_CONFIG, e);
        }
    }

    /**
     * Switches on the near cache's preloader, which saves the near cache's keys in {@code directory} and
     * loads them back when the API node restarts. One directory serves one client; it is created if missing.
     */
    public static ClientConfig withNearCachePreloader(ClientConfig config, String mapName, Path directory) {
        NearCacheConfig nearCache = config.getNearCacheConfig(mapName);
        if (nearCache == null) {
            throw new IllegalArgumentException("the client configuration has no near cache for map '" + mapName + "'");
        }
        nearCache
                .getPreloaderConfig()
                .setEnabled(true)
                .setDirectory(directory.toAbsolutePath().toString());
        return withPreloaderDirectories(config);
    }

    /**
     * Creates the directory of every near cache whose preloader the YAML switches on ({@code
     * near-cache.<map>.preloader.enabled} and {@code directory}): Hazelcast writes its key file there but does not
     * create it, and would only log each failed store. A directory that cannot be created fails the start, naming it.
     */
    public static ClientConfig withPreloaderDirectories(ClientConfig config) {
        config.getNearCacheConfigMap().forEach((name, nearCache) -> {
            NearCachePreloaderConfig preloader = nearCache.getPreloaderConfig();
            if (preloader.isEnabled()
                    && preloader.getDirectory() != null
                    && !preloader.getDirectory().isBlank()) {
                Path directory = Path.of(preloader.getDirectory());
                try {
                    Files.createDirectories(directory);
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "near-cache." + name + ".preloader.directory: cannot create " + directory.toAbsolutePath(),
                            e);
                }
            }
        });
        return config;
    }

    /** Starts a Hazelcast client; the caller shuts it down. */
    public static HazelcastInstance connect(ClientConfig config) {
        return HazelcastClient.newHazelcastClient(config);
    }

    /**
     * The cache service over a connected client (or, in tests, a member). It reports reads to the members on
     * a background thread: close it (it is {@link AutoCloseable}) before the client shuts down. Building it
     * creates the map's proxy on the cluster, so a client started with {@code async-start: true} that has not
     * connected yet fails it with {@code HazelcastClientOfflineException}: build it on first use (the API node
     * makes the {@code audioCacheService} bean lazy).
     */
    public static AudioCacheService service(HazelcastInstance hazelcast, ClientSettings settings) {
        return new ClusterAudioCacheService(hazelcast, settings);
    }
}
