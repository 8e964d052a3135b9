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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

/** The node as it runs: database migrated at start, map-store wired, actuator endpoints served. */
@NodeUnderTest(database = "node_app", port = 16701, writeDelaySeconds = 1)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stemcache.client.enabled=false")
class NodeApplicationIT {

    @Autowired
    FreshDatabase database;

    /** Empty: the node migrates it at start. */
    @Autowired
    HazelcastInstance hazelcast;

    @LocalManagementPort
    int port;

    @Test
    void startup_migratesTheDatabase_andWritesBehindToIt() {
        assertThat(TableRows.query(database.dataSource(), "SELECT count(*) FROM databasechangelog"))
                .as("changesets applied at start")
                .isPositive();
        IMap<AnalysisKey, CachedAudioAnalysis> map = hazelcast.getMap("analyses");
        AudioAnalysis analysis = TestAnalyses.distinctSmall(1, 100).get(0);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), analysis);
        map.set(
                key,
                CachedAudioAnalysis.of(
                        key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()));

        javax.sql.DataSource dataSource = database.dataSource();
        await().atMost(Duration.ofSeconds(20)).until(() -> TableRows.count(dataSource) == 1);
    }

    @Test
    void readinessAndPrometheusEndpoints_answer() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> readiness = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("UP");

        HttpResponse<String> prometheus = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
    }
}
