package io.stemcache.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import io.stemcache.client.StemcacheClientProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.PostMapping;
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
    private final String issuer;
    private final StemcacheClientProperties client;
    private final Clock clock = Clock.systemUTC();

    GuestSessions(JwtEncoder encoder, ApiProperties properties, StemcacheClientProperties client) {
        this.encoder = encoder;
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
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(issuer).audience(java.util.List.of(AUDIENCE)).subject(sub)
                .issuedAt(now).expiresAt(expires).claim(Callers.ANONYMOUS_CLAIM, true).build();
        String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("tokenType", "Bearer");
        body.put("expiresAt", expires.toString());
        return body;
    }
}
