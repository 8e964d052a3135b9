/**
 * Cluster-wide cache statistics: every member and API node publishes its own counters into a small map
 * ({@link io.stemcache.core.stats.StatsPublisher}), and {@link io.stemcache.core.stats.ClusterStats} sums
 * them, with what the analysis map holds now, into a {@link io.stemcache.core.CacheStats}.
 */
package io.stemcache.core.stats;
