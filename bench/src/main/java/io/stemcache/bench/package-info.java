/**
 * Benchmarks of stemcache against what a team would otherwise pick, measured side by side in one run
 * on the same payloads: {@code compression}, {@code latency}, {@code writebehind}, {@code hitrate} and
 * {@code http}.
 * {@link io.stemcache.bench.StemcacheBench} is the entry point ({@code java -jar stemcache-bench.jar}).
 *
 * <p>Each command prints a table and, as its last line, {@code RESULT key=value ...}. Each creates and
 * drops its own PostgreSQL database; its Hazelcast members run on loopback, in-process, except for
 * {@code http}, which starts members and an API node in JVMs of their own.
 */
package io.stemcache.bench;
