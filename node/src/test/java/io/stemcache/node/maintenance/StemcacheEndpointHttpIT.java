package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.liquibase.testing.FreshDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import io.stemcache.node.IsolatedCluster;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The node as it runs serves {@code /actuator/stemcache} with the commands its Javadoc documents. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"stemcache.client.enabled=false", "stemcache.cleanup.enabled=false"})
@DirtiesContext
class StemcacheEndpointHttpIT {

    private static final FreshDatabase DATABASE = FreshDatabase.create("endpoint_http");
    private static final String CLUSTER = "endpoint-it-" + UUID.randomUUID();
    private static final int HAZELCAST_PORT = 16811;

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
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
            return IsolatedCluster.on(CLUSTER, HAZELCAST_PORT);
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/stemcache" + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void curlCommands_answerAsDocumented() throws Exception {
        HttpResponse<String> cleanup = send("POST", "/cleanup");
        assertThat(cleanup.statusCode()).as(cleanup.body()).isEqualTo(200);
        assertThat(cleanup.body()).contains("\"outcome\":\"COMPLETED\"");

        HttpResponse<String> status = send("GET", "");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"cacheVersion\":1").contains("\"completed\":1").contains("\"lastCleanup\":{");

        UUID file = UUID.randomUUID();
        HttpResponse<String> invalidate = send("POST", "/invalidate/" + file);
        assertThat(invalidate.statusCode()).as(invalidate.body()).isEqualTo(200);
        assertThat(invalidate.body()).contains("\"fileMetadataId\":\"" + file + "\"").contains("\"removed\":0");
    }

    @Test
    void badRequests_areAnswered400() throws Exception {
        assertThat(send("POST", "/invalidate/not-a-uuid").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/vacuum").statusCode()).isEqualTo(400);
    }
}
