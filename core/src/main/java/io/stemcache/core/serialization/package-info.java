/**
 * Hazelcast Compact serializers for keys and entries: explicit, versioned schemas instead of Java
 * serialization. {@link io.stemcache.core.serialization.StemcacheSerialization} registers them.
 */
package io.stemcache.core.serialization;
