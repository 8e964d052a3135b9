package io.stemcache.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problems of the API: the factories controllers throw, and the 401/403 bodies Spring Security
 * writes before any controller runs. Details name the field or part at fault and never echo a token.
 */
final class Problems {

    static final String TYPE_BASE = "https://stemcache.io/problems/";

    private Problems() {}

    static ErrorResponseException of(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        return new ErrorResponseException(status, problem, null);
    }

    /** A request part (path variable, parameter, header, JSON path) that is wrong. */
    static ErrorResponseException badRequest(String part, String detail) {
        ErrorResponseException e = of(HttpStatus.BAD_REQUEST, "invalid-request", detail);
        e.getBody().setProperty("part", part);
        return e;
    }

    static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, "analysis-not-found", detail);
    }

    static ErrorResponseException tooLarge(long limitBytes) {
        ErrorResponseException e = of(
                HttpStatus.CONTENT_TOO_LARGE,
                "body-too-large",
                "the request body is larger than stemcache.client.max-analysis-mb (" + (limitBytes >> 20) + " MB)");
        e.getBody().setProperty("part", "body");
        return e;
    }

    static AuthenticationEntryPoint entryPoint() {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            write(
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    request.getHeader("Authorization") == null
                            ? "a bearer token is required"
                            : "the bearer token is invalid or expired");
        };
    }

    static AccessDeniedHandler accessDenied() {
        return (request, response, e) -> write(
                response,
                HttpStatus.FORBIDDEN,
                "forbidden",
                "this operation needs the admin role (stemcache.api.jwt.admin-role)");
    }

    /**
     * The 503 of a cluster this node cannot reach: {@code Retry-After} tells the caller when to try again. Written
     * by {@link ClusterGate} before any controller runs, and by {@link ApiErrors} when a call times out.
     */
    static ProblemDetail clusterUnavailable(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setType(URI.create(TYPE_BASE + "cluster-unavailable"));
        return problem;
    }

    static void write(HttpServletResponse response, HttpStatus status, String type, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        String body = "{\"type\":\"" + TYPE_BASE + type + "\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
