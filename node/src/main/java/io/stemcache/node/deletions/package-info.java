/**
 * The product's own deletes of {@code audio_analysis_cache} rows (a deleted file or user, a direct
 * {@code DELETE}) reaching the members' memory and the clients' near caches: one member at a time holds an
 * advisory lock, listens for the log's wake-ups and applies the log of deleted rows in batches.
 */
package io.stemcache.node.deletions;
