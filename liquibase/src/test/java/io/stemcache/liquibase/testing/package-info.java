/**
 * Test support shipped in this module's test-jar: {@link io.stemcache.liquibase.testing.FreshDatabase},
 * a throw-away PostgreSQL database per test class. Depend on {@code stemcache-liquibase} with
 * {@code <type>test-jar</type>} and {@code com.zaxxer:HikariCP}, both in test scope.
 */
package io.stemcache.liquibase.testing;
