package io.stemcache.api;

import com.nimbusds.jwt.JWTParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what: a stateless OAuth2 resource server over HS256 JWTs (Supabase's, and the guest sessions
 * this node signs with the same secret), optionally RS256/ES256 ones from a JWK set, plus CORS for the product.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * The pages this node serves from {@code static/} (the project and management pages, their modules and the JS
     * client at {@code /js/}): public to GET, since they hold no data; every call they make carries a token.
     */
    static final String[] PAGES = {"/", "/index.html", "/admin.html", "/app/**", "/js/**"};

    /**
     * The pages' Content-Security-Policy: their own scripts, styles, workers and API only (no inline script or style,
     * no other origin, no framing); the charts are canvas, the audio a local file decoded by Web Audio.
     */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    @Bean
    SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, Callers callers, Environment environment)
            throws Exception {
        RequestMatcher prometheus = new AndRequestMatcher(
                onManagementPort(environment),
                PathPatternRequestMatcher.withDefaults().matcher("/actuator/prometheus"));
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(cors -> {})
                .headers(
                        headers -> headers.addHeaderWriter(new StaticHeadersWriter("X-Content-Type-Options", "nosniff"))
                                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                        pages(), new StaticHeadersWriter("Content-Security-Policy", PAGE_POLICY))))
                .authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.OPTIONS, "/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, PAGES)
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/guest-sessions")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/livez", "/readyz", "/error")
                        .permitAll()
                        .requestMatchers(
                                HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        // Scrapers on the management port need no token; that port is not the callers' one.
                        .requestMatchers(prometheus)
                        .permitAll()
                        .requestMatchers("/actuator/**")
                        .hasAuthority(Callers.ADMIN_AUTHORITY)
                        .requestMatchers("/api/v1/admin/**")
                        .hasAuthority(Callers.ADMIN_AUTHORITY)
                        .anyRequest()
                        .authenticated())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(Problems.entryPoint())
                        .accessDeniedHandler(Problems.accessDenied()))
                .oauth2ResourceServer(server -> server.authenticationEntryPoint(Problems.entryPoint())
                        .accessDeniedHandler(Problems.accessDenied())
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(callers::authenticate)));
        return http.build();
    }

    private static RequestMatcher pages() {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        List<RequestMatcher> matchers = new ArrayList<>();
        for (String page : PAGES) {
            matchers.add(paths.matcher(HttpMethod.GET, page));
        }
        return new OrRequestMatcher(matchers);
    }

    /**
     * A request that came in on the management server's own port ({@code management.server.port}, health and
     * Prometheus only); never true when management shares the main port.
     */
    static RequestMatcher onManagementPort(Environment environment) {
        return request -> {
            Integer management = environment.getProperty("local.management.port", Integer.class);
            return management != null
                    && !management.equals(environment.getProperty("local.server.port", Integer.class))
                    && request.getLocalPort() == management;
        };
    }

    static SecretKey hmacKey(ApiProperties properties) {
        return new SecretKeySpec(properties.jwt().secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    @Bean
    JwtEncoder guestSessionEncoder(ApiProperties properties) {
        return NimbusJwtEncoder.withSecretKey(hmacKey(properties))
                .algorithm(MacAlgorithm.HS256)
                .build();
    }

    @Bean
    JwtDecoder jwtDecoder(ApiProperties properties) {
        OAuth2TokenValidator<Jwt> validator = validator(properties.jwt());
        NimbusJwtDecoder hmac = NimbusJwtDecoder.withSecretKey(hmacKey(properties))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        hmac.setJwtValidator(validator);
        if (properties.jwt().jwkSetUri().isBlank()) {
            return hmac;
        }
        // Spring's JWK-set decoder takes RS256 only unless told: Supabase's asymmetric keys are ES256 by default.
        NimbusJwtDecoder jwks = NimbusJwtDecoder.withJwkSetUri(properties.jwt().jwkSetUri())
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .build();
        jwks.setJwtValidator(validator);
        return token -> {
            String algorithm;
            try {
                algorithm = JWTParser.parse(token).getHeader().getAlgorithm().getName();
            } catch (ParseException | RuntimeException e) {
                throw new BadJwtException("malformed token");
            }
            return (algorithm.startsWith("HS") ? hmac : jwks).decode(token);
        };
    }

    /**
     * exp and nbf always; the configured issuer and audience for the identity provider's tokens. This node's
     * guest sessions carry its own issuer ({@code stemcache.api.jwt.guest-issuer}) and must be anonymous.
     */
    static OAuth2TokenValidator<Jwt> validator(ApiProperties.Jwt settings) {
        List<OAuth2TokenValidator<Jwt>> provider = new ArrayList<>();
        if (!settings.issuer().isBlank()) {
            provider.add(new JwtIssuerValidator(settings.issuer()));
        }
        if (!settings.audience().isBlank()) {
            provider.add(new JwtAudienceValidator(settings.audience()));
        }
        OAuth2TokenValidator<Jwt> providers = new DelegatingOAuth2TokenValidator<>(provider);
        OAuth2TokenValidator<Jwt> guests = new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtAudienceValidator(GuestSessions.AUDIENCE),
                jwt -> Boolean.TRUE.equals(jwt.getClaim(Callers.ANONYMOUS_CLAIM))
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(
                                new OAuth2Error("invalid_token", "a guest session must be anonymous", null))));
        OAuth2TokenValidator<Jwt> timestamps = new JwtTimestampValidator();
        return jwt -> {
            OAuth2TokenValidatorResult time = timestamps.validate(jwt);
            if (time.hasErrors()) {
                return time;
            }
            if (jwt.getExpiresAt() == null) {
                return OAuth2TokenValidatorResult.failure(
                        new OAuth2Error("invalid_token", "the token has no exp", null));
            }
            String issuer = jwt.getClaimAsString("iss");
            return settings.guestIssuer().equals(issuer) ? guests.validate(jwt) : providers.validate(jwt);
        };
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(ApiProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.cors().allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "HEAD", "PUT", "POST", "DELETE"));
        cors.setAllowedHeaders(List.of(
                "Authorization",
                "Content-Type",
                "Accept",
                "If-None-Match",
                AnalysisHeaders.CONTENT_HASH,
                AnalysisHeaders.LEASE));
        cors.setExposedHeaders(List.of(
                "ETag",
                "Location",
                "Retry-After",
                AnalysisHeaders.PRECISION,
                AnalysisHeaders.RAW_SIZE,
                AnalysisHeaders.STORED_SIZE,
                AnalysisHeaders.CONTENT_HASH,
                AnalysisHeaders.ANALYSIS_VERSION,
                AnalysisHeaders.ENTRY_VERSION));
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", cors);
        return source;
    }
}
