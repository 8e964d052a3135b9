package io.stemcache.node.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;

/**
 * The member's actuator, on its management port ({@code management.server.port}; the member serves no other HTTP):
 * health (status only), Prometheus and {@code GET /actuator/stemcache} for whoever the network admits (the chart's
 * NetworkPolicy: the monitoring peers); the write operations ({@code POST /actuator/stemcache/invalidate/...},
 * {@code /cleanup}) and health details for user {@value #OPERATOR} over HTTP Basic, with
 * {@code stemcache.management.password}. Without that password no one signs in, so a member as it ships has no
 * write operation at all.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ManagementProperties.class)
public class ActuatorSecurity {

    /** The one user of the management port. */
    public static final String OPERATOR = "operator";

    /** Its role; health details are shown to it ({@code management.endpoint.health.roles}). */
    public static final String ROLE = "OPERATOR";

    private static final Logger log = LoggerFactory.getLogger(ActuatorSecurity.class);

    @Bean
    SecurityFilterChain actuator(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.requestMatchers(EndpointRequest.to("health", "prometheus"))
                        .permitAll()
                        .requestMatchers(new AndRequestMatcher(
                                EndpointRequest.to("stemcache"),
                                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**")))
                        .permitAll()
                        .anyRequest()
                        .hasRole(ROLE))
                .httpBasic(basic -> basic.realmName("stemcache member"));
        return http.build();
    }

    /**
     * The operator, when a password is set; else nobody (and Spring Security's generated password, which it would
     * print in the log, is never made).
     */
    @Bean
    UserDetailsService operators(ManagementProperties properties) {
        if (!properties.writesEnabled()) {
            log.info(
                    "Actuator write operations are off: set stemcache.management.password to run "
                            + "POST /actuator/stemcache/... as user '{}' (HTTP Basic)",
                    OPERATOR);
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(OPERATOR)
                .password(PasswordEncoderFactories.createDelegatingPasswordEncoder()
                        .encode(properties.password()))
                .roles(ROLE)
                .build());
    }
}
