package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.serialization.StemcacheSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration against a real member on loopback. */
class StemcacheClientAutoConfigurationTest {

    private static final String CLUSTER = "autoconfig-" + UUID.randomUUID();
    private static HazelcastInstance member;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(StemcacheClientAutoConfiguration.class));

    @BeforeAll
    static void startMember() {
        Config config = new Config().setClusterName(CLUSTER);
        config.getNetworkConfig().setPort(15901).setPortAutoIncrement(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        StemcacheSerialization.register(config.getSerializationConfig());
        member = Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    static void stopMember() {
        member.shutdown();
    }

    @Test
    void autoConfiguration_connectsToTheClusterOfTheConfiguredYaml_creatingItsPreloaderDirectory(@TempDir Path dir)
            throws Exception {
        Path preload = dir.resolve("preload").resolve("api-node-1");
        Path yaml = dir.resolve("client.yaml");
        Files.writeString(yaml, clientYaml("directory: " + preload));
        runner.withPropertyValues("stemcache.client.config=" + yaml.toUri()).run(context -> {
            assertThat(context).hasSingleBean(AudioCacheService.class);
            HazelcastInstance client = context.getBean("stemcacheHazelcastClient", HazelcastInstance.class);
            assertThat(client.getCluster().getMembers()).hasSize(1);
            assertThat(preload)
                    .as("the YAML's preloader directory, created by the node")
                    .isDirectory();
        });
    }

    /** Hazelcast would only log each failed store of the keys; the node refuses to start, naming the YAML key. */
    @Test
    void autoConfiguration_namesAPreloaderDirectoryItCannotCreate(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Path yaml = dir.resolve("client.yaml");
        Files.writeString(yaml, clientYaml("directory: " + file.resolve("preload")));
        runner.withPropertyValues("stemcache.client.config=" + yaml.toUri())
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(
                                "near-cache.analyses.preloader.directory: cannot create " + file.resolve("preload"))
                        .rootCause()
                        .hasMessageContaining("Not a directory"));
    }

    private static String clientYaml(String preloaderDirectory) {
        return String.join(
                "\n",
                "hazelcast-client:",
                "  cluster-name: " + CLUSTER,
                "  network:",
                "    cluster-members:",
                "      - 127.0.0.1:15901",
                "  connection-strategy:",
                "    connection-retry:",
                "      cluster-connect-timeout-millis: 10000",
                "  near-cache:",
                "    analyses:",
                "      preloader:",
                "        enabled: true",
                "        " + preloaderDirectory,
                "");
    }

    @Test
    void autoConfiguration_isOffWhenDisabled() {
        runner.withPropertyValues("stemcache.client.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AudioCacheService.class));
    }

    @Test
    void autoConfiguration_namesAMissingConfigFile() {
        runner.withPropertyValues("stemcache.client.config=classpath:no-such-file.yaml")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasRootCauseMessage("stemcache.client.config: classpath:no-such-file.yaml does not exist"));
    }

    @Test
    void properties_rejectAnOutOfRangeLimit() {
        runner.withPropertyValues("stemcache.client.max-analysis-mb=0")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("stemcache.client.max-analysis-mb"));
    }
}
