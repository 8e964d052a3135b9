/**
 * stemcache's PostgreSQL record, in one place: Hazelcast's {@code MapStore} over PostgreSQL for cached analyses
 * ({@link io.stemcache.mapstore.PostgresAnalysisStore}: idempotent batched upserts that never let an older value
 * replace a newer row, batched loads that also read the product's old JSON rows, dead letters, counters of what
 * happened) and the member's maintenance of the same rows ({@link io.stemcache.mapstore.AnalysisRows}: reads
 * recorded, a file's rows deleted, an owner's keys, the cleanup's batches in a
 * {@link io.stemcache.mapstore.CleanupRun}). Every statement on {@code audio_analysis_cache}, the guest table, the
 * tombstones and the dead letters is in {@code AnalysisCacheTable}, {@code MaintenanceSql} or {@code DeadLetters};
 * every key is bound by {@code KeyColumns}.
 */
package io.stemcache.mapstore;
