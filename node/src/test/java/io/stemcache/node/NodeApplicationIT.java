package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The node as it runs: database migrated at start, map-store wired, actuator endpoints served. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stemcache.client.enabled=false")
class NodeApplicationIT {

    /** Empty: the node migrates it at start. */
    private static final FreshDatabase DATABASE = FreshDatabase.create("node_app");
    private static final String CLUSTER = "node-it-" + UUID.randomUUID();

    @Autowired
    HazelcastInstance hazelcast;

    @LocalManagementPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @TestConfiguration
    static class Isolation {
        @Bean
        HazelcastConfigCustomizer isolatedCluster() {
            return IsolatedCluster.on(CLUSTER, 16701, 1);
        }
    }

    @Test
    void startup_migratesTheDatabase_andWritesBehindToIt() {
        assertThat(TableRows.query(DATABASE.dataSource(),
                "SELECT count(*) FROM databasechangelog")).as("changesets applied at start").isPositive();
        IMap<AnalysisKey, CachedAudioAnalysis> map = hazelcast.getMap("analyses");
        AudioAnalysis analysis = TestAnalyses.distinctSmall(1, 100).get(0);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), analysis);
        map.set(key, CachedAudioAnalysis.of(key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(),
                Instant.now()));

        javax.sql.DataSource dataSource = DATABASE.dataSource();
        await().atMost(Duration.ofSeconds(20)).until(() -> TableRows.count(dataSource) == 1);
    }

    @Test
    void readinessAndPrometheusEndpoints_answer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("UP");

        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
    }
}
