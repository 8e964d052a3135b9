package io.stemcache.node.maintenance;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.ops.InvalidateFile;
import io.stemcache.core.ops.MemberServices;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The operator's cache management on a node, at {@code /actuator/stemcache} on its management port (exposed in
 * {@code application.yaml}; keep that port off the public network). Any node acts for the whole cluster. The
 * status is open to whoever reaches the port; the write operations need user {@code operator} and
 * {@code stemcache.management.password} (HTTP Basic, see {@link io.stemcache.node.security.ActuatorSecurity}),
 * without which no one may run them.
 *
 * <pre>
 * # last cleanup on this node, its run counts, the cache version
 * curl http://localhost:8080/actuator/stemcache
 * # remove every owner's stems of a file from memory, near caches and PostgreSQL
 * curl -u operator -X POST http://localhost:8080/actuator/stemcache/invalidate/7a1c0f4e-2b9d-4c3e-9f8a-1d2e3f4a5b6c
 * # run the cleanup of PostgreSQL now (skipped if another node's run is in progress)
 * curl -u operator -X POST http://localhost:8080/actuator/stemcache/cleanup
 * </pre>
 */
@Endpoint(id = "stemcache")
public final class StemcacheEndpoint {

    private final HazelcastInstance member;
    private final PostgresMemberServices services;

    public StemcacheEndpoint(HazelcastInstance member, PostgresMemberServices services) {
        this.member = Objects.requireNonNull(member, "member");
        this.services = Objects.requireNonNull(services, "services");
    }

    /** What {@code GET /actuator/stemcache} answers. */
    public record Status(int cacheVersion, CleanupReport lastCleanup, CleanupRuns cleanupRuns, int pendingReadKeys) {}

    /** What invalidating a file answers: the file and how many entries or rows it removed. */
    public record Invalidated(UUID fileMetadataId, int removed) {}

    @ReadOperation
    public Status status() {
        return new Status(
                services.settings().cacheVersion(),
                services.lastCleanup().orElse(null),
                services.cleanupRuns(),
                services.access().pendingKeys());
    }

    /** {@code POST /actuator/stemcache/cleanup}: runs the cleanup now and answers its report. */
    @WriteOperation
    public CleanupReport cleanup(@Selector String action) {
        expect("cleanup", action);
        return services.runCleanup();
    }

    /** {@code POST /actuator/stemcache/invalidate/{fileMetadataId}}: invalidates the file for every owner. */
    @WriteOperation
    public Invalidated invalidate(@Selector String action, @Selector String fileMetadataId) {
        expect("invalidate", action);
        UUID file;
        try {
            file = UUID.fromString(fileMetadataId);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(
                    "fileMetadataId must be a UUID, got '" + fileMetadataId + "'", "invalid fileMetadataId");
        }
        return new Invalidated(
                file,
                InvalidateFile.onEveryMember(
                        member.getExecutorService(MemberServices.EXECUTOR), file, INVALIDATE_TIMEOUT));
    }

    private static final Duration INVALIDATE_TIMEOUT = Duration.ofMinutes(2);

    private static void expect(String expected, String action) {
        if (!expected.equals(action)) {
            throw new InvalidEndpointRequestException(
                    "unknown operation '" + action + "': POST /actuator/stemcache/"
                            + "cleanup or /actuator/stemcache/invalidate/{fileMetadataId}",
                    "unknown operation");
        }
    }
}
