package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.node.database.DatabaseBootstrap;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Issue 13, item 4: a password an operator put in {@code spring.datasource.url} ({@code ?password=}) reached the
 * logs twice, in the ready line and in the database bootstrap's warning. Neither may print it.
 */
class LoggedUrlsTest {

    private static final String SECRET = "s3cret-in-the-url";

    @Test
    void readyReport_logsTheDatabaseUrlWithoutItsPassword() {
        Config config = new Config().setClusterName("ready-report-" + UUID.randomUUID());
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try (CapturedLogs logs = new CapturedLogs(ReadyReport.class)) {
            StandardEnvironment environment = new StandardEnvironment();
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "test",
                            Map.of(
                                    "spring.datasource.url",
                                    "jdbc:postgresql://db:5432/stemcache?user=app&password=" + SECRET,
                                    "local.management.port",
                                    "8080")));
            StemcacheProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                    .bindOrCreate("stemcache", StemcacheProperties.class);

            new ReadyReport(member, properties, environment).report();

            assertThat(logs.lines())
                    .singleElement()
                    .asString()
                    .contains("database jdbc:postgresql://db:5432/stemcache?user=app&password=***")
                    .doesNotContain(SECRET);
        } finally {
            member.shutdown();
        }
    }

    @Test
    void databaseBootstrap_warnsWithoutThePassword() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (CapturedLogs logs = new CapturedLogs(DatabaseBootstrap.class)) {
            DatabaseBootstrap.createIfMissing(
                    "jdbc:postgresql://127.0.0.1:" + closed + "/stemcache?connectTimeout=2&password=" + SECRET,
                    "postgres",
                    SECRET);

            assertThat(logs.lines())
                    .singleElement()
                    .asString()
                    .contains("Could not check or create database 'stemcache' via jdbc:postgresql://127.0.0.1:" + closed
                            + "/postgres?connectTimeout=2&password=***")
                    .doesNotContain(SECRET);
        }
    }
}
