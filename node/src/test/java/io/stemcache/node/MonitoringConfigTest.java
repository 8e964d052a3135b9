package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * What Management Center and JMX rely on in the member's configuration: map statistics and Hazelcast's
 * metrics on (also published as {@code com.hazelcast:type=Metrics} MBeans), the cluster name clients and
 * Management Center use, and Hazelcast's management MBeans ({@code type=HazelcastInstance}, {@code type=IMap})
 * only with {@code -Dhazelcast.jmx=true} (README, Operations).
 */
class MonitoringConfigTest {

    @Test
    void nodeYaml_keepsStatisticsAndMetricsOn_andJmxOff() {
        Config config = new ClasspathYamlConfig("hazelcast.yaml");
        assertThat(config.getMapConfig(StemcacheProperties.MAP_NAME).isStatisticsEnabled())
                .isTrue();
        assertThat(config.getMetricsConfig().isEnabled())
                .as("Management Center reads members' metrics")
                .isTrue();
        assertThat(config.getMetricsConfig().getManagementCenterConfig().isEnabled())
                .isTrue();
        assertThat(config.getClusterName()).isEqualTo("stemcache");
        assertThat(config.getMetricsConfig().getJmxConfig().isEnabled())
                .as("metrics as MBeans")
                .isTrue();
        assertThat(config.getProperty("hazelcast.jmx"))
                .as("management MBeans only on request")
                .isNull();
    }

    @Test
    void jmxSystemProperty_registersTheManagementMBeans_whichAreOffWithoutIt() throws Exception {
        TestHazelcastFactory factory = new TestHazelcastFactory();
        try {
            String instance = "jmx-" + UUID.randomUUID();
            System.setProperty("hazelcast.jmx", "true");
            try {
                factory.newHazelcastInstance(
                                new Config().setInstanceName(instance).setClusterName(instance))
                        .getMap(StemcacheProperties.MAP_NAME)
                        .put("key", "value");
            } finally {
                System.clearProperty("hazelcast.jmx");
            }
            String quiet = "nojmx-" + UUID.randomUUID();
            factory.newHazelcastInstance(new Config().setInstanceName(quiet).setClusterName(quiet))
                    .getMap(StemcacheProperties.MAP_NAME)
                    .put("key", "value");

            // Map MBeans are registered by a listener, after the map is created.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(mbeans(instance, "type=IMap,"))
                            .anySatisfy(name ->
                                    assertThat(name.getKeyProperty("name")).isEqualTo(StemcacheProperties.MAP_NAME)));
            assertThat(mbeans(instance, "type=HazelcastInstance,")).isNotEmpty();
            assertThat(mbeans(quiet, "type=HazelcastInstance,"))
                    .as("off by default")
                    .isEmpty();
            assertThat(mbeans(quiet, "type=IMap,")).as("off by default").isEmpty();
            // Hazelcast's metrics are published as MBeans either way (metrics.jmx, on by default).
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(mbeans(quiet, "type=Metrics,"))
                            .anySatisfy(name ->
                                    assertThat(name.getKeyProperty("prefix")).isEqualTo("map")));
        } finally {
            factory.terminateAll();
        }
    }

    private static Set<ObjectName> mbeans(String instance, String keys) throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("com.hazelcast:instance=" + instance + "," + keys + "*"), null);
    }
}
