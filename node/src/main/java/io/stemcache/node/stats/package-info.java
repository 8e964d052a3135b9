/**
 * The member's share of the cache statistics: a local entry listener counting what happens to the entries
 * this member owns, published for {@link io.stemcache.core.stats.ClusterStats}; the periodic row in
 * {@code cache_statistics} written by the oldest member; and the {@code stemcache.*} Micrometer meters.
 */
package io.stemcache.node.stats;
