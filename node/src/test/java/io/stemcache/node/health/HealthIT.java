package io.stemcache.node.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.jayway.jsonpath.JsonPath;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.node.NodeUnderTest;
import io.stemcache.node.TcpProxy;
import io.stemcache.node.TestOperator;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * The node's health groups as Kubernetes probes them, with PostgreSQL reached through a {@link TcpProxy}:
 * cutting it leaves readiness and liveness UP (HTTP 200) while the {@code database} component reports the
 * outage as DEGRADED with the error and the write-behind backlog, and clears once PostgreSQL is back.
 */
@NodeUnderTest(database = "node_health", port = 16741, writeDelaySeconds = 1, throughProxy = true)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stemcache.client.enabled=false",
            "stemcache.cleanup.enabled=false",
            "stemcache.health.database-check-interval=500ms",
            // Fail fast while the proxy refuses connections, so a check does not wait 10 s for the pool.
            "spring.datasource.hikari.connection-timeout=2000",
            "spring.datasource.hikari.validation-timeout=1000",
            // Components and details are the operator's (show-details: when-authorized); probes see the status.
            TestOperator.PASSWORD_PROPERTY
        })
class HealthIT {

    @Autowired
    FreshDatabase database;

    @Autowired
    TcpProxy proxy;

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Autowired
    HazelcastInstance hazelcast;

    @LocalManagementPort
    int port;

    @AfterEach
    void restoreDatabase() {
        proxy.restore();
    }

    @Test
    void probes_answerWithTheMembersStateAndLeaveTheDatabaseOut() throws Exception {
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(get("/actuator/health/readiness").statusCode())
                                .isEqualTo(200));
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(status(readiness, "$")).isEqualTo("UP");
        assertThat(JsonPath.<Map<String, Object>>read(readiness.body(), "$.components"))
                .containsOnlyKeys("member", "readinessState");
        assertThat(status(readiness, "$.components.member")).isEqualTo("UP");
        assertThat(JsonPath.<String>read(readiness.body(), "$.components.member.details.clusterState"))
                .isEqualTo("ACTIVE");
        assertThat(JsonPath.<Boolean>read(readiness.body(), "$.components.member.details.localMemberSafe"))
                .isTrue();

        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<Map<String, Object>>read(liveness.body(), "$.components"))
                .containsOnlyKeys("livenessState", "memberRunning");

        HttpResponse<String> overall = get("/actuator/health");
        assertThat(JsonPath.<Map<String, Object>>read(overall.body(), "$.components"))
                .containsKeys("database", "member", "memberRunning")
                .doesNotContainKey("db");
        assertThat(hazelcast
                        .getConfig()
                        .getNetworkConfig()
                        .getJoin()
                        .getKubernetesConfig()
                        .isEnabled())
                .as("the shipped hazelcast.yaml joins by TCP/IP on loopback")
                .isFalse();
        assertThat(hazelcast
                        .getConfig()
                        .getNetworkConfig()
                        .getJoin()
                        .getTcpIpConfig()
                        .isEnabled())
                .isTrue();
    }

    @Test
    void readiness_inPassiveClusterState_isOutOfTheService_livenessStaysUp() throws Exception {
        hazelcast.getCluster().changeClusterState(ClusterState.PASSIVE);
        try {
            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
            assertThat(JsonPath.<String>read(readiness.body(), "$.components.member.details.clusterState"))
                    .isEqualTo("PASSIVE");
            assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            hazelcast.getCluster().changeClusterState(ClusterState.ACTIVE);
        }
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(get("/actuator/health/readiness").statusCode())
                                .isEqualTo(200));
    }

    @Test
    void postgresOutage_isADegradedDatabase_notAFailedProbe_andClearsWhenItReturns() throws Exception {
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(status(get("/actuator/health/database"), "$"))
                        .isEqualTo("UP"));
        IMap<AnalysisKey, CachedAudioAnalysis> map = hazelcast.getMap("analyses");
        Owner owner = Owner.user(UUID.randomUUID());

        proxy.cut();
        int writes = 3;
        for (int i = 0; i < writes; i++) {
            AudioAnalysis analysis = Corpus.small(100);
            AnalysisKey key = new AnalysisKey(owner, UUID.randomUUID(), analysis.stemType());
            analysis = new AudioAnalysis(
                    key.fileMetadataId(),
                    analysis.stemType(),
                    analysis.analysisVersion(),
                    analysis.analysisData(),
                    analysis.waveformData(),
                    analysis.metadata());
            map.set(
                    key,
                    CachedAudioAnalysis.of(
                            key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()));
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            HttpResponse<String> database = get("/actuator/health/database");
            assertThat(database.statusCode()).as(database.body()).isEqualTo(200);
            assertThat(status(database, "$")).isEqualTo("DEGRADED");
            assertThat(JsonPath.<Boolean>read(database.body(), "$.details.reachable"))
                    .isFalse();
            assertThat(JsonPath.<String>read(database.body(), "$.details.lastError"))
                    .isNotBlank();
            assertThat(JsonPath.<String>read(database.body(), "$.details.unreachableSince"))
                    .isNotBlank();
            assertThat(JsonPath.<Integer>read(database.body(), "$.details.writeBehindBacklog"))
                    .isEqualTo(writes);
        });
        HttpResponse<String> overall = get("/actuator/health");
        assertThat(overall.statusCode()).as("DEGRADED maps to 200").isEqualTo(200);
        assertThat(status(overall, "$")).isEqualTo("DEGRADED");
        // The probes hold over several checks of the unreachable database, not just once.
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).untilAsserted(() -> {
            assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        });
        assertThat(TableRowsOf.count(database))
                .as("nothing reached PostgreSQL during the outage")
                .isZero();

        proxy.restore();
        await().atMost(PATIENCE).untilAsserted(() -> {
            HttpResponse<String> database = get("/actuator/health/database");
            assertThat(status(database, "$")).as(database.body()).isEqualTo("UP");
            assertThat(JsonPath.<Boolean>read(database.body(), "$.details.reachable"))
                    .isTrue();
            assertThat(JsonPath.<Integer>read(database.body(), "$.details.writeBehindBacklog"))
                    .isZero();
        });
        await().atMost(PATIENCE).until(() -> TableRowsOf.count(database) == writes);
        assertThat(JsonPath.<String>read(get("/actuator/health").body(), "$.components.database.status"))
                .isEqualTo("UP");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return TestOperator.asOperator(port, "GET", path);
    }

    private static String status(HttpResponse<String> response, String path) {
        return JsonPath.read(response.body(), path + ".status");
    }

    /** Rows of the analysis table, read directly (not through the proxy). */
    private static final class TableRowsOf {
        static long count(FreshDatabase database) throws Exception {
            try (Connection connection = database.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM audio_analysis_cache")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
