package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document the node serves, fetched over a socket without a token, against the node's own request
 * mappings: every mapping under {@code /api/} (new endpoints included, with no list to keep up to date) must be
 * documented with its method, its errors as problems, and the bearer scheme.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocsIT {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiCluster cluster;
    private JsonNode document;

    @BeforeAll
    void start() throws Exception {
        cluster = ApiCluster.start("apidocs", Map.of());
        HttpResponse<String> docs = get(cluster.base() + "/v3/api-docs");
        assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
        assertThat(docs.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        document = JsonMapper.builder().build().readTree(docs.body());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyRequestMappingUnderApi_isDocumentedWithItsMethod() {
        List<String> expected = new ArrayList<>();
        RequestMappingHandlerMapping mappings =
                cluster.api().getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                assertThat(methods).as("%s declares its HTTP method", pattern).isNotEmpty();
                methods.forEach(method -> expected.add(method.name().toLowerCase() + " " + pattern));
            }
        }
        assertThat(expected)
                .as("the node's /api/ mappings")
                .hasSizeGreaterThanOrEqualTo(7)
                .contains(
                        "get /api/v1/analyses/{fileId}/{stem}",
                        "put /api/v1/analyses/{fileId}/{stem}",
                        "post /api/v1/guest-sessions");
        JsonNode paths = document.path("paths");
        for (String operation : expected) {
            String[] parts = operation.split(" ", 2);
            assertThat(paths.path(parts[1]).has(parts[0]))
                    .as("%s in /v3/api-docs", operation)
                    .isTrue();
        }
        Set<String> documented = new TreeSet<>(paths.propertyNames());
        assertThat(documented).as("only the API is documented").allMatch(path -> path.startsWith("/api/"));
    }

    @Test
    void securityScheme_bearerJwtEverywhere_butGuestSessions() {
        JsonNode scheme = document.path("components").path("securitySchemes").path(OpenApiDocument.BEARER);
        assertThat(scheme.path("type").asString()).isEqualTo("http");
        assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
        assertThat(scheme.path("bearerFormat").asString()).isEqualTo("JWT");
        assertThat(document.path("security").get(0).has(OpenApiDocument.BEARER)).isTrue();
        JsonNode guest = document.path("paths").path("/api/v1/guest-sessions").path("post");
        assertThat(guest.path("security").isArray()).isTrue();
        assertThat(guest.path("security")).isEmpty();
    }

    @Test
    void analysis_jsonAndPayloadMediaTypes_putTakesJson() {
        JsonNode analysis = document.path("paths").path("/api/v1/analyses/{fileId}/{stem}");
        JsonNode ok = analysis.path("get").path("responses").path("200").path("content");
        assertThat(ok.has("application/json")).as(ok.toString()).isTrue();
        assertThat(ok.has("application/vnd.stemcache.analysis"))
                .as(ok.toString())
                .isTrue();
        assertThat(analysis.path("get").path("responses").has("304")).isTrue();
        assertThat(analysis.path("put").path("requestBody").path("content").has("application/json"))
                .isTrue();
    }

    @Test
    void everyError_isAProblemJson_andEveryOperationNames401And503() {
        List<String> checked = new ArrayList<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    JsonNode responses = operation.getValue().path("responses");
                    String name = operation.getKey() + " " + path.getKey();
                    boolean open = operation.getValue().path("security").isArray()
                            && operation.getValue().path("security").isEmpty();
                    assertThat(responses.has("401"))
                            .as("%s documents 401 (unless it takes no token)", name)
                            .isEqualTo(!open);
                    assertThat(responses.has("503"))
                            .as("%s documents 503", name)
                            .isTrue();
                    responses.properties().forEach(response -> {
                        if (response.getKey().startsWith("4")
                                || response.getKey().startsWith("5")) {
                            assertThat(response.getValue().path("content").has(OpenApiDocument.PROBLEM_JSON))
                                    .as("%s %s is a problem", name, response.getKey())
                                    .isTrue();
                            checked.add(name + " " + response.getKey());
                        }
                    });
                }));
        assertThat(checked).hasSizeGreaterThan(14);
        assertThat(document.path("components")
                        .path("schemas")
                        .path("Problem")
                        .path("properties")
                        .has("detail"))
                .isTrue();
    }

    @Test
    void swaggerUi_servedWithoutAToken() throws Exception {
        HttpResponse<String> ui = get(cluster.base() + "/swagger-ui/index.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        HttpResponse<String> redirect = get(cluster.base() + "/swagger-ui.html");
        assertThat(redirect.statusCode()).isIn(200, 302);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
