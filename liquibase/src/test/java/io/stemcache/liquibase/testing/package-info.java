/**
 * Test support shipped in this module's test-jar: {@link io.stemcache.liquibase.testing.FreshDatabase},
 * a throw-away PostgreSQL database per test class, and {@link io.stemcache.liquibase.testing.ProductSchema},
 * the product's production schema to create in one. Depend on {@code stemcache-liquibase} with
 * {@code <type>test-jar</type>} and {@code com.zaxxer:HikariCP}, both in test scope.
 */
package io.stemcache.liquibase.testing;
