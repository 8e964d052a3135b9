package io.stemcache.client;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AudioCacheService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Gives a Spring Boot API node an {@link AudioCacheService} over a Hazelcast client with a near cache,
 * configured by {@code stemcache.client.*}. Off with {@code stemcache.client.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "stemcache.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(StemcacheClientProperties.class)
public final class StemcacheClientAutoConfiguration {

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean(name = "stemcacheHazelcastClient")
    HazelcastInstance stemcacheHazelcastClient(StemcacheClientProperties properties, ResourceLoader resources) {
        Resource yaml = resources.getResource(properties.config());
        if (!yaml.exists()) {
            throw new IllegalStateException("stemcache.client.config: " + properties.config() + " does not exist");
        }
        try (InputStream in = yaml.getInputStream()) {
            ClientConfig config = StemcacheClient.loadConfig(in, properties.codec());
            return StemcacheClient.connect(StemcacheClient.withPreloaderDirectories(config));
        } catch (IOException e) {
            throw new UncheckedIOException("stemcache.client.config: cannot read " + properties.config(), e);
        }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    AudioCacheService audioCacheService(
            HazelcastInstance stemcacheHazelcastClient, StemcacheClientProperties properties) {
        return StemcacheClient.service(stemcacheHazelcastClient, properties.settings());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    AnalysisLeases analysisLeases(HazelcastInstance stemcacheHazelcastClient, StemcacheClientProperties properties) {
        return new AnalysisLeases(
                stemcacheHazelcastClient, properties.mapName(), properties.cacheVersion(), properties.leaseTtl());
    }
}
