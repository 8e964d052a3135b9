package io.stemcache.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (and the Swagger UI at {@code /swagger-ui.html}), both served
 * without a token. springdoc finds every request mapping under {@code /api/}; this adds what the handlers' signatures
 * cannot say: the bearer JWT scheme, the two representations of an analysis, and the {@code application/problem+json}
 * body of every error.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {

    static final String BEARER = "bearer-jwt";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM = "Problem";
    private static final String ANALYSIS_SCHEMA = "Analysis";
    private static final String ANALYSIS = "/api/v1/analyses/{fileId}/{stem}";

    @Bean
    OpenAPI stemcacheOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("stemcache API")
                        .version("v1")
                        .description("Callers' audio analyses, read "
                                + "through the cache cluster. The owner of every entry is the verified token's sub."))
                .components(
                        new Components()
                                .addSecuritySchemes(
                                        BEARER,
                                        new SecurityScheme()
                                                .type(SecurityScheme.Type.HTTP)
                                                .scheme("bearer")
                                                .bearerFormat("JWT")
                                                .description(
                                                        "HS256 (the identity provider's secret, and this "
                                                                + "node's guest sessions), or RS256/ES256 from stemcache.api.jwt.jwk-set-uri")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Runs on the generated document: schemas added here are not dropped as unreferenced. */
    @Bean
    OpenApiCustomizer stemcacheMediaTypes() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                    .addSchemas(
                            PROBLEM,
                            new ObjectSchema()
                                    .description("RFC 9457 problem details")
                                    .addProperty("type", new StringSchema().format("uri"))
                                    .addProperty("title", new StringSchema())
                                    .addProperty("status", new IntegerSchema())
                                    .addProperty("detail", new StringSchema())
                                    .addProperty("part", new StringSchema().description("the request part at fault")))
                    .addSchemas(
                            ANALYSIS_SCHEMA,
                            new ObjectSchema()
                                    .description(
                                            "An audio analysis as JSON "
                                                    + "(fileMetadataId, stemType, analysisVersion, analysisData, waveformData, metadata)"));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (path.equals("/api/v1/guest-sessions") && item.getPost() != null) {
                    item.getPost().setSecurity(List.of());
                }
                item.readOperationsMap().forEach((method, operation) -> problems(operation, path));
                if (path.equals(ANALYSIS)) {
                    analysis(item);
                }
            });
        };
    }

    /** Every error is a problem; springdoc's own guesses of error bodies are replaced. */
    private static void problems(Operation operation, String path) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "a path variable, parameter, header or the body is invalid (the problem names it)");
        boolean needsToken =
                operation.getSecurity() == null || !operation.getSecurity().isEmpty();
        if (needsToken) {
            errors.put("401", "no bearer token, or an invalid or expired one");
        }
        if (path.startsWith("/api/v1/admin/")) {
            errors.put("403", "the token lacks the admin role");
        }
        errors.put("503", "the cache cluster is not reachable; Retry-After says when to retry");
        errors.forEach((code, description) -> responses.addApiResponse(code, problem(description)));
        responses.keySet().stream()
                .filter(code -> code.startsWith("4") || code.startsWith("5"))
                .toList()
                .forEach(code -> {
                    ApiResponse response = responses.get(code);
                    if (response.getContent() == null || !response.getContent().containsKey(PROBLEM_JSON)) {
                        responses.addApiResponse(code, problem(response.getDescription()));
                    }
                });
        operation.setResponses(responses);
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                PROBLEM_JSON,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    private static void analysis(PathItem item) {
        Schema<?> json = new Schema<>().$ref("#/components/schemas/" + ANALYSIS_SCHEMA);
        Schema<?> payload = new BinarySchema().description("the stored payload (shuffled columns, LZ4)");
        if (item.getGet() != null) {
            item.getGet()
                    .getResponses()
                    .addApiResponse(
                            "200",
                            new ApiResponse()
                                    .description(
                                            "the analysis: JSON (gzip if accepted) or the stored payload, by Accept; with ETag")
                                    .content(new Content()
                                            .addMediaType(
                                                    org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                                                    new MediaType().schema(json))
                                            .addMediaType(
                                                    AnalysisController.BINARY.toString(),
                                                    new MediaType().schema(payload))));
            item.getGet()
                    .getResponses()
                    .addApiResponse("304", new ApiResponse().description("If-None-Match names the current version"));
            item.getGet().getResponses().addApiResponse("404", problem("no analysis of this stem is cached for you"));
            item.getGet().getResponses().addApiResponse("406", problem("Accept allows neither representation"));
        }
        if (item.getPut() != null) {
            item.getPut()
                    .setRequestBody(new RequestBody()
                            .required(true)
                            .content(new Content()
                                    .addMediaType(
                                            org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                                            new MediaType().schema(json))));
            item.getPut()
                    .getResponses()
                    .addApiResponse("413", problem("the body is larger than " + "stemcache.client.max-analysis-mb"));
        }
    }
}
