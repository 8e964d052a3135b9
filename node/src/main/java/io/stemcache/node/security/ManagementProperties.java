package io.stemcache.node.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may run the management port's write operations ({@code stemcache.management.*}).
 *
 * @param password the password of user {@value ActuatorSecurity#OPERATOR} (HTTP Basic): what
 *                 {@code POST /actuator/stemcache/...} and health details need. Empty (the default): nobody may
 *                 write, and invalidation and cleanup run through the API node's admin routes or on schedule
 */
@ConfigurationProperties("stemcache.management")
public record ManagementProperties(@DefaultValue("") String password) {

    /** Whether an operator can sign in at all. */
    public boolean writesEnabled() {
        return password != null && !password.isEmpty();
    }

    @Override
    public String toString() {
        return "ManagementProperties[password=" + (writesEnabled() ? "(set)" : "(none: writes off)") + "]";
    }
}
