package io.stemcache.api;

import io.stemcache.core.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Turns a verified token into the cache {@link Owner} it speaks for: {@code sub} is the user's UUID; a token
 * with {@code is_anonymous: true} is a guest session, owned by {@code "anon-" + sub without dashes} when the
 * sub is a UUID (Supabase's anonymous sign-ins) or by the sub itself (this node's guest sessions). The owner
 * never comes from a path or a body.
 */
@Component
final class Callers {

    static final String ANONYMOUS_CLAIM = "is_anonymous";
    static final String ADMIN_AUTHORITY = "STEMCACHE_ADMIN";
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    private final String adminRole;

    Callers(ApiProperties properties) {
        this.adminRole = properties.jwt().adminRole();
    }

    AbstractAuthenticationToken authenticate(Jwt jwt) {
        try {
            owner(jwt);
        } catch (IllegalArgumentException e) {
            // Reported as an invalid token (401), never echoing the sub: a guest's sub is a credential. An
            // OAuth2AuthenticationException: a JwtException thrown here is no authentication failure (it was a 500).
            throw new InvalidBearerTokenException("the token's sub names no owner");
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        if (isAdmin(jwt)) {
            authorities.add(new SimpleGrantedAuthority(ADMIN_AUTHORITY));
        }
        return new JwtAuthenticationToken(jwt, authorities);
    }

    /** The owner a verified token speaks for. */
    static Owner owner(Jwt jwt) {
        String sub = jwt.getSubject();
        if (sub == null) {
            throw new IllegalArgumentException("no sub");
        }
        if (Boolean.TRUE.equals(jwt.getClaim(ANONYMOUS_CLAIM))) {
            return UUID_TEXT.matcher(sub).matches()
                    ? Owner.guest("anon-" + sub.replace("-", "").toLowerCase())
                    : Owner.guest(sub);
        }
        return Owner.user(UUID.fromString(sub));
    }

    /** An admin has the configured role in {@code app_metadata.role} (Supabase) or in a top-level {@code role}. */
    private boolean isAdmin(Jwt jwt) {
        Object appMetadata = jwt.getClaim("app_metadata");
        if (appMetadata instanceof Map<?, ?> metadata && adminRole.equals(metadata.get("role"))) {
            return true;
        }
        return adminRole.equals(jwt.getClaimAsString("role"));
    }
}
