package io.stemcache.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code /api/**} with 503, {@code Retry-After} and a problem at once while the Hazelcast client is not
 * connected (before it first reaches the cluster, and after a loss until it reconnects), instead of letting each
 * call wait out the invocation timeout. Runs after Spring Security, so a bad token is still a 401. A cluster that
 * is connected but does not answer is the invocation timeout's, turned into the same 503 by {@link ApiErrors}.
 */
final class ClusterGate extends OncePerRequestFilter {

    private final ClusterHealth cluster;
    private final int retryAfterSeconds;

    ClusterGate(ClusterHealth cluster, int retryAfterSeconds) {
        this.cluster = cluster;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/") || HttpMethod.OPTIONS.matches(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (cluster.connected()) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        Problems.write(
                response,
                HttpStatus.SERVICE_UNAVAILABLE,
                "cluster-unavailable",
                "this API node is not connected to the cache cluster; retry later");
    }
}
