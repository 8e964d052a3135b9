package io.stemcache.bench;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The floor of every path the {@code http} command times: an authenticated GET on the API node's stack (Tomcat,
 * the security filter chain, the token's check, Spring MVC) that does nothing else and answers 204.
 */
@RestController
final class NoContentRoute {

    static final String PATH = "/bench/no-content";

    @GetMapping(PATH)
    ResponseEntity<Void> get(@AuthenticationPrincipal Jwt jwt) {
        return ResponseEntity.noContent().build();
    }
}
