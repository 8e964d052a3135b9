package io.stemcache.api;

import io.stemcache.client.StemcacheClientProperties;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/guest-sessions}: signs a guest session for a caller without an account. Its {@code sub}
 * is 192 random bits (base64url), which is the guest's owner id; it expires with the guest's entries
 * ({@code stemcache.client.guest-ttl}).
 */
@RestController
final class GuestSessions {

    static final String AUDIENCE = "stemcache-guest";
    private static final int RANDOM_BYTES = 24;

    private final SecureRandom random = new SecureRandom();
    private final JwtEncoder encoder;
    private final JwtDecoder decoder;
    private final AudioCacheService cache;
    private final String issuer;
    private final StemcacheClientProperties client;
    private final Clock clock = Clock.systemUTC();

    GuestSessions(
            JwtEncoder encoder,
            JwtDecoder decoder,
            AudioCacheService cache,
            ApiProperties properties,
            StemcacheClientProperties client) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.cache = cache;
        this.issuer = properties.jwt().guestIssuer();
        this.client = client;
    }

    @PostMapping("/api/v1/guest-sessions")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> create() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String sub = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Instant expires = now.plus(client.guestTtl());
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .audience(java.util.List.of(AUDIENCE))
                .subject(sub)
                .issuedAt(now)
                .expiresAt(expires)
                .claim(Callers.ANONYMOUS_CLAIM, true)
                .build();
        String token = encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("tokenType", "Bearer");
        body.put("expiresAt", expires.toString());
        return body;
    }

    /** The guest session whose entries a signed-in user claims. */
    record ClaimRequest(String guestToken) {
        @Override
        public String toString() {
            return "ClaimRequest[guestToken=(hidden)]";
        }
    }

    /**
     * {@code POST /api/v1/guest-sessions/claim}: a user who signed up after working as a guest takes the guest's
     * entries. It needs both credentials: the user's bearer token (the request's) and the guest's session token (the
     * body's), each verified; the user can never name a guest by its id alone. Answers how many entries moved.
     */
    @PostMapping("/api/v1/guest-sessions/claim")
    Map<String, Object> claim(@AuthenticationPrincipal Jwt user, @RequestBody(required = false) ClaimRequest request) {
        Owner claimant = Callers.owner(user);
        if (claimant.kind() != Owner.Kind.USER) {
            throw Problems.of(
                    HttpStatus.FORBIDDEN, "forbidden", "claiming a guest's entries needs a signed-in user's token");
        }
        if (request == null
                || request.guestToken() == null
                || request.guestToken().isBlank()) {
            throw Problems.badRequest("$.guestToken", "$.guestToken must carry the guest's session token");
        }
        Owner guest;
        try {
            guest = Callers.owner(decoder.decode(request.guestToken()));
        } catch (JwtException | IllegalArgumentException e) {
            // Never echoes the token or why it failed in detail: the answer is the same for every bad token.
            throw Problems.badRequest("$.guestToken", "$.guestToken is not a valid, unexpired guest session");
        }
        if (guest.kind() != Owner.Kind.GUEST) {
            throw Problems.badRequest("$.guestToken", "$.guestToken is not a valid, unexpired guest session");
        }
        int moved = cache.claimGuest(guest.id(), UUID.fromString(claimant.id()));
        return Map.of("moved", moved);
    }
}
