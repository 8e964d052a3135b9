/**
 * stemcache's PostgreSQL record, in one place: Hazelcast's {@code MapStore} over PostgreSQL for cached analyses
 * ({@link io.stemcache.mapstore.PostgresAnalysisStore}: idempotent batched upserts that never let an older value
 * replace a newer row, batched loads that also read the product's old JSON rows, dead letters, counters of what
 * happened) and the member's maintenance of the same rows ({@link io.stemcache.mapstore.AnalysisRows}: reads
 * recorded, a file's rows deleted, an owner's keys, the cleanup's batches in a
 * {@link io.stemcache.mapstore.CleanupRun}), the log of the product's deletes
 * ({@link io.stemcache.mapstore.DeletionLog}) and the statistics history
 * ({@link io.stemcache.mapstore.StatisticsRows}). Every statement on {@code audio_analysis_cache}, the guest table,
 * the tombstones, the dead letters, the deleted-row log and {@code cache_statistics} is in
 * {@code AnalysisCacheTable}, {@code MaintenanceSql}, {@code DeadLetters}, {@code DeletionLog} or
 * {@code StatisticsRows}; every key is bound by {@code KeyColumns}; failures are {@code AnalysisStoreException}s.
 */
package io.stemcache.mapstore;
