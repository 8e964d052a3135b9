/**
 * Hazelcast's {@code MapStore} over PostgreSQL for cached analyses: idempotent batched upserts that never
 * let an older value replace a newer row, batched loads that also read the product's old JSON rows, and
 * counters of what happened. {@link io.stemcache.mapstore.PostgresAnalysisStore} is the entry point.
 */
package io.stemcache.mapstore;
