package io.stemcache.bench;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The {@code pageload} command's own pages on the bench's API node, from the bench jar's {@code static/pageload/}
 * (never the api jar's): the product's page today ({@code product.html}, its rows through {@link ProductRoute}) and
 * a blank page the driver opens to set the caller's token in the origin's storage. Public to GET, as the API node's
 * own pages are, under the same kind of Content-Security-Policy; the calls they make carry the token.
 */
@Configuration(proxyBeanMethods = false)
class BenchPages {

    /** Where the pages are served. */
    static final String PATH = "/pageload/";

    private static final String POLICY = "default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none';"
            + " base-uri 'none'; frame-ancestors 'none'";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain pageloadPages(HttpSecurity http) throws Exception {
        http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, PATH + "**"))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(POLICY)))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }
}
