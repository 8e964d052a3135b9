/** The stemcache model: keys, analyses, the codec and the cache service interface. */
package io.stemcache.core;
