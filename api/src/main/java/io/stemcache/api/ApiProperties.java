package io.stemcache.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API node's own settings ({@code stemcache.api.*}); the cache client's are {@code stemcache.client.*}.
 *
 * @param jwt how callers' tokens are verified and guest sessions signed
 * @param cors which browser origins may call the API
 * @param retryAfterSeconds the {@code Retry-After} of a 503 when the cluster does not answer
 */
@ConfigurationProperties("stemcache.api")
public record ApiProperties(
        @DefaultValue Jwt jwt,
        @DefaultValue Cors cors,
        @DefaultValue("5") int retryAfterSeconds) {

    /** Shortest HS256 secret accepted (RFC 7518: a key at least as long as the hash). */
    public static final int MIN_SECRET_BYTES = 32;

    public ApiProperties {
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException(
                    "stemcache.api.retry-after-seconds must be at least 1, got " + retryAfterSeconds);
        }
    }

    /**
     * @param secret the HS256 secret (Supabase's project JWT secret) that signs users' and guests' tokens
     * @param jwkSetUri optional: also accept RS256/ES256 tokens whose keys this JWK set publishes
     * @param issuer required {@code iss} when set
     * @param audience required {@code aud} when set (Supabase: {@code authenticated})
     * @param adminRole the role that admin operations need, read from {@code app_metadata.role} or {@code role}
     * @param guestIssuer the {@code iss} of the guest sessions this node signs
     */
    public record Jwt(
            String secret,
            @DefaultValue("") String jwkSetUri,
            @DefaultValue("") String issuer,
            @DefaultValue("") String audience,
            @DefaultValue("stemcache-admin") String adminRole,
            @DefaultValue("stemcache-api") String guestIssuer) {

        public Jwt {
            if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("stemcache.api.jwt.secret must be set to at least "
                        + MIN_SECRET_BYTES
                        + " bytes (the project's JWT secret), got "
                        + (secret == null ? "none" : secret.getBytes(StandardCharsets.UTF_8).length + " bytes"));
            }
            if (adminRole == null || adminRole.isBlank()) {
                throw new IllegalArgumentException("stemcache.api.jwt.admin-role must not be blank");
            }
        }

        @Override
        public String toString() {
            // The secret never reaches a log.
            return "Jwt[issuer=" + issuer + ", audience=" + audience + ", adminRole=" + adminRole + "]";
        }
    }

    /** @param allowedOrigins origins (scheme://host[:port]) allowed to call the API from a browser */
    public record Cors(@DefaultValue List<String> allowedOrigins) {}
}
