package io.stemcache.api;

import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json}: Spring MVC's own (via {@link ResponseEntityExceptionHandler}),
 * ours ({@link Problems}), and a cluster that does not answer as 503 with {@code Retry-After}.
 */
@RestControllerAdvice
final class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private final ApiProperties properties;

    ApiErrors(ApiProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        if (clusterUnavailable(e)) {
            // The exception's message may describe the call (and so a key with its owner): log its kind only.
            LOG.warn("The cluster did not answer ({})", e.getClass().getSimpleName());
            ProblemDetail problem =
                    Problems.clusterUnavailable("the cache cluster did not answer in time; retry later");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(properties.retryAfterSeconds()))
                    .body(problem);
        }
        LOG.error("Request failed", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    static boolean clusterUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OperationTimeoutException
                    || t instanceof HazelcastClientOfflineException
                    || t instanceof TargetDisconnectedException
                    || t instanceof HazelcastInstanceNotActiveException
                    || t instanceof TimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
