package io.stemcache.api;

import io.stemcache.client.AnalysisLeases;
import io.stemcache.client.AnalysisLeases.Granted;
import io.stemcache.client.AnalysisLeases.Ready;
import io.stemcache.client.AnalysisLeases.Taken;
import io.stemcache.client.AnalysisLeases.TookOver;
import io.stemcache.core.AnalysisKey;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One analysis per stem over HTTP. A caller that missed {@code POST}s the stem's lease before analysing:
 * <ul>
 * <li>{@code 201} {@code {"state":"granted","lease":...}}: analyse now, then {@code PUT} the analysis (which ends the
 * lease) or {@code DELETE} the lease with {@code Stemcache-Lease} if the analysis failed;</li>
 * <li>{@code 200} {@code {"state":"cached"}}: the entry is there (already, or written while waiting): {@code GET} it;</li>
 * <li>{@code 409} {@code lease-taken}: another caller analyses it; with {@code ?wait=N} (seconds) the answer waits up to
 * N seconds for its entry (then 200) or for its lease to expire unwritten, when this caller takes it over (then 201
 * with {@code "tookOver":true}): of all waiters exactly one does.</li>
 * </ul>
 * Waiting holds no request thread: the answer completes from the lease's cluster events.
 */
@RestController
@RequestMapping("/api/v1/analyses/{fileId}/{stem}/lease")
final class LeaseController {

    /** Longest {@code wait}; below the MVC async timeout of {@code application.yaml}. */
    static final int MAX_WAIT_SECONDS = 60;

    private final AnalysisLeases leases;

    LeaseController(AnalysisLeases leases) {
        this.leases = leases;
    }

    @PostMapping
    CompletableFuture<ResponseEntity<Object>> claim(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String fileId,
            @PathVariable String stem,
            @RequestParam(defaultValue = "0") int wait) {
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw Problems.badRequest("query wait", "wait must be 0 to " + MAX_WAIT_SECONDS + " seconds, got " + wait);
        }
        AnalysisKey key = AnalysisController.key(Callers.owner(jwt), fileId, stem);
        if (leases.isWritten(key)) {
            return CompletableFuture.completedFuture(cached(key));
        }
        AnalysisLeases.Claim claim = leases.claim(key);
        if (claim instanceof Granted granted) {
            return CompletableFuture.completedFuture(granted(granted, false));
        }
        if (wait == 0) {
            return CompletableFuture.completedFuture(taken(((Taken) claim).remaining()));
        }
        return leases.await(key, Duration.ofSeconds(wait)).thenApply(outcome -> {
            if (outcome instanceof Ready) {
                return cached(key);
            }
            if (outcome instanceof TookOver over) {
                return granted(over.lease(), true);
            }
            return taken(remaining(key));
        });
    }

    @DeleteMapping
    ResponseEntity<Object> release(
            @AuthenticationPrincipal Jwt jwt,
            @PathVariable String fileId,
            @PathVariable String stem,
            @RequestHeader(name = AnalysisHeaders.LEASE, required = false) String holder) {
        AnalysisKey key = AnalysisController.key(Callers.owner(jwt), fileId, stem);
        if (holder == null || holder.isBlank()) {
            throw Problems.badRequest(
                    "header " + AnalysisHeaders.LEASE,
                    AnalysisHeaders.LEASE + " must carry the lease the claim granted");
        }
        if (!leases.release(key, holder)) {
            throw Problems.of(
                    HttpStatus.CONFLICT,
                    "lease-not-held",
                    "this lease is not held: it expired, was ended by a PUT, or was never granted");
        }
        return ResponseEntity.noContent().build();
    }

    private Duration remaining(AnalysisKey key) {
        return leases.claim(key) instanceof Taken taken ? taken.remaining() : Duration.ZERO;
    }

    private static ResponseEntity<Object> cached(AnalysisKey key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", "cached");
        body.put(
                "href",
                "/api/v1/analyses/" + key.fileMetadataId() + "/"
                        + key.stemType().code());
        return ResponseEntity.ok(body);
    }

    private static ResponseEntity<Object> granted(Granted granted, boolean tookOver) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", "granted");
        body.put("lease", granted.holder());
        body.put("expiresInMs", granted.ttl().toMillis());
        body.put("tookOver", tookOver);
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(body);
    }

    private static ResponseEntity<Object> taken(Duration remaining) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONFLICT,
                "another caller is analysing this stem; wait for its entry with ?wait=N or retry later");
        problem.setType(URI.create(Problems.TYPE_BASE + "lease-taken"));
        problem.setProperty("state", "taken");
        problem.setProperty("expiresInMs", remaining.toMillis());
        long retryAfter = Math.max(1, (remaining.toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
                .body(problem);
    }
}
