package io.stemcache.node.stats;

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
import io.stemcache.node.TestOperator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

/** The node as it runs: its statistics on {@code /actuator/prometheus} and in {@code cache_statistics}. */
@NodeUnderTest(database = "stats_endpoint", port = 16721)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stemcache.client.enabled=false",
            "stemcache.stats.publish-interval=200ms",
            "stemcache.stats.persist-interval=500ms",
            TestOperator.PASSWORD_PROPERTY
        })
class StatsEndpointIT {

    @Autowired
    FreshDatabase database;

    @Autowired
    HazelcastInstance hazelcast;

    @LocalManagementPort
    int port;

    @Test
    void prometheusEndpoint_andStatisticsTable_showTheMembersPuts() throws Exception {
        IMap<AnalysisKey, CachedAudioAnalysis> map = hazelcast.getMap("analyses");
        AudioAnalysis analysis = StatsCluster.analyses(1).get(0);
        AnalysisKey key = StatsCluster.keyOf(Owner.user(UUID.randomUUID()), analysis);
        map.set(
                key,
                CachedAudioAnalysis.of(
                        key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now()));

        String cluster = hazelcast.getConfig().getClusterName();
        String tags = "{cluster=\"" + cluster + "\",map=\"analyses\",scope=";
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(prometheus())
                        .contains(
                                "stemcache_puts_total" + tags + "\"member\"} 1.0",
                                "stemcache_puts_total" + tags + "\"cluster\"} 1.0",
                                "stemcache_entries" + tags + "\"cluster\"} 1.0",
                                "stemcache_hits_total" + tags + "\"cluster\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> puts(cluster) == 1);
        // Stored now: the member has nothing left to store when the context closes.
        map.flush();
    }

    @Test
    void cleanupRunByTheOperator_showsAsLastCleanup() throws Exception {
        HttpResponse<String> cleanup = TestOperator.asOperator(port, "POST", "/actuator/stemcache/cleanup");
        assertThat(cleanup.statusCode()).as(cleanup.body()).isEqualTo(200);

        String cluster = hazelcast.getConfig().getClusterName();
        String metric =
                "stemcache_cleanup_last_seconds{cluster=\"" + cluster + "\",map=\"analyses\",scope=\"cluster\"} ";
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(prometheus()).contains(metric).doesNotContain(metric + "NaN"));
        await().atMost(Duration.ofSeconds(30)).until(() -> lastCleanupRecorded(cluster));
    }

    private String prometheus() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Whether the latest {@code cache_statistics} row of the cluster has a last cleanup. */
    private boolean lastCleanupRecorded(String cluster) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery("SELECT last_cleanup FROM cache_statistics WHERE cluster_name = '"
                                + cluster + "' ORDER BY id DESC LIMIT 1")) {
            return row.next() && row.getObject(1) != null;
        }
    }

    /** Puts in the latest {@code cache_statistics} row of the cluster, -1 if there is none. */
    private long puts(String cluster) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT puts FROM cache_statistics WHERE cluster_name = '"
                        + cluster + "' ORDER BY id DESC LIMIT 1")) {
            return row.next() ? row.getLong(1) : -1;
        }
    }
}
