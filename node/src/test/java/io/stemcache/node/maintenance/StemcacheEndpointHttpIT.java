package io.stemcache.node.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.node.NodeUnderTest;
import io.stemcache.node.TestOperator;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The node as it runs serves {@code /actuator/stemcache} with the commands its Javadoc documents, to the operator
 * ({@code stemcache.management.password} set); {@code ActuatorSecurityIT} shows a node without it refusing them.
 */
@NodeUnderTest(database = "endpoint_http", port = 16811)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "stemcache.client.enabled=false",
            "stemcache.cleanup.enabled=false",
            TestOperator.PASSWORD_PROPERTY
        })
@DirtiesContext
class StemcacheEndpointHttpIT {

    @LocalManagementPort
    int port;

    private HttpResponse<String> send(String method, String path) throws Exception {
        return TestOperator.asOperator(port, method, "/actuator/stemcache" + path);
    }

    @Test
    void curlCommands_answerAsDocumented() throws Exception {
        HttpResponse<String> cleanup = send("POST", "/cleanup");
        assertThat(cleanup.statusCode()).as(cleanup.body()).isEqualTo(200);
        assertThat(cleanup.body()).contains("\"outcome\":\"COMPLETED\"");

        HttpResponse<String> status = send("GET", "");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body())
                .contains("\"cacheVersion\":1")
                .contains("\"completed\":1")
                .contains("\"lastCleanup\":{");

        UUID file = UUID.randomUUID();
        HttpResponse<String> invalidate = send("POST", "/invalidate/" + file);
        assertThat(invalidate.statusCode()).as(invalidate.body()).isEqualTo(200);
        assertThat(invalidate.body())
                .contains("\"fileMetadataId\":\"" + file + "\"")
                .contains("\"removed\":0");
    }

    @Test
    void writes_needTheOperatorsPassword() throws Exception {
        UUID file = UUID.randomUUID();
        for (String authorization : new String[] {
            null,
            TestOperator.basic("wrong-password"),
            "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + TestOperator.PASSWORD).getBytes())
        }) {
            assertThat(TestOperator.send(port, "POST", "/actuator/stemcache/invalidate/" + file, authorization)
                            .statusCode())
                    .isEqualTo(401);
            assertThat(TestOperator.send(port, "POST", "/actuator/stemcache/cleanup", authorization)
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void health_showsTheOperatorEveryComponent_andOthersTheStatus() throws Exception {
        HttpResponse<String> operator = TestOperator.asOperator(port, "GET", "/actuator/health");
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("\"components\"", "\"database\"", "\"member\"");
        assertThat(TestOperator.send(port, "GET", "/actuator/health", null).body())
                .contains("\"status\":\"UP\"")
                .doesNotContain("components", "details");
        for (String endpoint : new String[] {"/actuator/env", "/actuator/heapdump", "/actuator/loggers"}) {
            assertThat(TestOperator.asOperator(port, "GET", endpoint).statusCode())
                    .as(endpoint)
                    .isEqualTo(404);
        }
    }

    @Test
    void badRequests_areAnswered400() throws Exception {
        assertThat(send("POST", "/invalidate/not-a-uuid").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/vacuum").statusCode()).isEqualTo(400);
    }
}
