/**
 * The stemcache member: a Spring Boot application running a Hazelcast member whose analysis map is
 * written behind to PostgreSQL. Hazelcast's own settings live in {@code hazelcast.yaml}; stemcache's in
 * {@link io.stemcache.node.StemcacheProperties}.
 */
package io.stemcache.node;
