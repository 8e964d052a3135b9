/**
 * Benchmarks of stemcache against what a team would otherwise pick, measured side by side in one run
 * on the same payloads: {@code compression}, {@code latency}, {@code writebehind} and {@code hitrate}.
 * {@link io.stemcache.bench.StemcacheBench} is the entry point ({@code java -jar stemcache-bench.jar}).
 *
 * <p>Each command prints a table and, as its last line, {@code RESULT key=value ...}. Each creates and
 * drops its own PostgreSQL database and runs its Hazelcast members in-process on loopback.
 */
package io.stemcache.bench;
