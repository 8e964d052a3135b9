package io.stemcache.node.issues;

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
import io.stemcache.node.NodeUnderTest;
import io.stemcache.node.TableRows;
import io.stemcache.node.TestAnalyses;
import io.stemcache.node.TestOperator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Issue 13, item 1: {@code POST /actuator/stemcache/invalidate/{fileId}} deleted every owner's stems of a file from
 * memory and PostgreSQL, and {@code /cleanup} ran the cleanup, for anyone who reached the member's HTTP port, and
 * {@code /actuator/health} showed every component's details to anyone. A node as it ships (no
 * {@code stemcache.management.password}) refuses both writes and shows health as a status only.
 *
 * <p>Fixed in 6a487ac: the member serves HTTP on its management port only ({@code server.port: -1}; health,
 * prometheus and stemcache), its writes and health details need user {@code operator} with
 * {@code stemcache.management.password} (HTTP Basic; unset: no writes at all), health details only when authorized.
 * Its tests failed before that change (RELIABILITY.md, "Security: members' HTTP, credentials and payload bombs").
 */
@NodeUnderTest(database = "actuator_security", port = 16831, writeDelaySeconds = 1)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stemcache.client.enabled=false", "stemcache.cleanup.enabled=false"})
class ActuatorSecurityIT {

    @Autowired
    FreshDatabase database;

    @Autowired
    HazelcastInstance hazelcast;

    @LocalManagementPort
    int management;

    @Test
    void anonymousInvalidateAndCleanup_areRefused_andTheEntryAndItsRowSurvive() throws Exception {
        IMap<AnalysisKey, CachedAudioAnalysis> map = hazelcast.getMap("analyses");
        AudioAnalysis analysis = TestAnalyses.distinctSmall(1, 50).get(0);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), analysis);
        map.set(
                key,
                CachedAudioAnalysis.of(
                        key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()));
        map.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> TableRows.count(database.dataSource()) == 1);

        HttpResponse<String> invalidate =
                TestOperator.send(management, "POST", "/actuator/stemcache/invalidate/" + key.fileMetadataId(), null);
        HttpResponse<String> cleanup = TestOperator.send(management, "POST", "/actuator/stemcache/cleanup", null);
        HttpResponse<String> guessed = TestOperator.send(
                management,
                "POST",
                "/actuator/stemcache/invalidate/" + key.fileMetadataId(),
                TestOperator.basic("operator"));

        assertThat(invalidate.statusCode()).as(invalidate.body()).isEqualTo(401);
        assertThat(cleanup.statusCode()).as(cleanup.body()).isEqualTo(401);
        assertThat(guessed.statusCode())
                .as("no password is configured, so none is right")
                .isEqualTo(401);
        assertThat(map.containsKey(key)).isTrue();
        assertThat(TableRows.count(database.dataSource())).isEqualTo(1);
    }

    @Test
    void health_answersItsStatusOnly_andTheProbesAndScrapesNeedNoCredentials() throws Exception {
        HttpResponse<String> health = TestOperator.send(management, "GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components", "details", "database");
        for (String probe : List.of("/actuator/health/readiness", "/actuator/health/liveness")) {
            HttpResponse<String> response = TestOperator.send(management, "GET", probe, null);
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
        }
        HttpResponse<String> prometheus = TestOperator.send(management, "GET", "/actuator/prometheus", null);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("stemcache_");
        assertThat(TestOperator.send(management, "GET", "/actuator/stemcache", null)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void managementPort_servesNothingElseOfActuator() throws Exception {
        for (String endpoint : List.of(
                "/actuator/env",
                "/actuator/beans",
                "/actuator/heapdump",
                "/actuator/configprops",
                "/actuator/loggers",
                "/actuator/threaddump",
                "/actuator/metrics",
                "/actuator/mappings")) {
            assertThat(TestOperator.send(management, "GET", endpoint, null).statusCode())
                    .as(endpoint)
                    .isIn(401, 404);
        }
    }
}
