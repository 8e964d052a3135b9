/**
 * The cache for API nodes: {@link io.stemcache.client.StemcacheClient} connects a Hazelcast client with a
 * near cache and gives an {@link io.stemcache.core.AudioCacheService}; Spring Boot applications get both
 * from {@link io.stemcache.client.StemcacheClientAutoConfiguration}.
 */
package io.stemcache.client;
