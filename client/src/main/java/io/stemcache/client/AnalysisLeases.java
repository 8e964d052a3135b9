package io.stemcache.client;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.ops.DescribeEntry;
import io.stemcache.core.ops.EntryDescription;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One analysis per stem, cluster-wide: a caller that misses claims the key's lease before it analyses; every
 * other caller (tabs, API nodes, collaborators) is told the lease is taken and can {@link #await} the entry,
 * which it gets as soon as the holder writes it. A holder that dies lets its lease expire, and one waiter takes
 * it over. Leases live in the cluster ({@value #MAP}, an IMap: {@code putIfAbsent} with a time to live), not on
 * any API node; open-source Hazelcast has no FencedLock (CP is Enterprise in 5.7).
 */
public final class AnalysisLeases implements AutoCloseable {

    /** The map of leases: key to the holder's token, living the lease's time. */
    public static final String MAP = "stemcache-leases";

    /** How often a waiter checks again when no event came (events are not guaranteed to arrive). */
    static final Duration RECHECK = Duration.ofMillis(500);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The outcome of a claim: the caller holds the lease (and analyses), or another caller does. */
    public sealed interface Claim permits Granted, Taken {}

    /** The caller holds the lease: it analyses, writes the entry, then {@link #release}s with {@code holder}. */
    public record Granted(AnalysisKey key, String holder, Duration ttl) implements Claim {}

    /** Another caller holds the lease; it expires after {@code remaining} unless written and released first. */
    public record Taken(AnalysisKey key, Duration remaining) implements Claim {}

    /** How a wait ended: the entry is there, the caller took over an expired lease, or time ran out. */
    public sealed interface Outcome permits Ready, TookOver, TimedOut {}

    public record Ready(AnalysisKey key) implements Outcome {}

    public record TookOver(Granted lease) implements Outcome {}

    public record TimedOut(AnalysisKey key) implements Outcome {}

    private final IMap<AnalysisKey, String> leases;
    private final IMap<AnalysisKey, CachedAudioAnalysis> analyses;
    private final int cacheVersion;
    private final Duration ttl;
    private final ScheduledExecutorService timer;

    /**
     * Leases of {@code ttl} over the given client (or member) and analysis map, where an entry of {@code cacheVersion}
     * counts as written (one of an older cache version is a miss to readers, so it still needs an analysis).
     */
    public AnalysisLeases(HazelcastInstance hazelcast, String analysisMap, int cacheVersion, Duration ttl) {
        if (ttl == null || ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("stemcache.client.lease-ttl must be at least 1s, got " + ttl);
        }
        this.leases = hazelcast.getMap(MAP);
        this.analyses = hazelcast.getMap(Objects.requireNonNull(analysisMap, "analysisMap"));
        this.cacheVersion = cacheVersion;
        this.ttl = ttl;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stemcache-lease-waits");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Claims the key's lease: granted to exactly one caller at a time, cluster-wide. */
    public Claim claim(AnalysisKey key) {
        String holder = newHolderToken();
        if (leases.putIfAbsent(key, holder, ttl.toMillis(), TimeUnit.MILLISECONDS) == null) {
            return new Granted(key, holder, ttl);
        }
        var view = leases.getEntryView(key);
        long remaining = view == null ? 0 : Math.max(0, view.getExpirationTime() - System.currentTimeMillis());
        return new Taken(key, Duration.ofMillis(remaining));
    }

    /** Whether the key holds a current analysis (asked of its member, no payload moves). */
    public boolean isWritten(AnalysisKey key) {
        EntryDescription entry = analyses.executeOnKey(key, new DescribeEntry());
        return entry != null && entry.cacheVersion() == cacheVersion;
    }

    /** Of these keys, those whose lease someone holds now, in one call (holders' tokens stay in the cluster). */
    public Set<AnalysisKey> taken(Set<AnalysisKey> keys) {
        return leases.getAll(keys).keySet();
    }

    /** Whether someone holds the key's lease now (someone is analysing it). */
    public boolean isTaken(AnalysisKey key) {
        return leases.containsKey(key);
    }

    /** Ends the lease if {@code holder} still holds it; the holder calls it after writing the entry. */
    public boolean release(AnalysisKey key, String holder) {
        return leases.remove(key, holder);
    }

    /**
     * Ends the key's lease whoever holds it: called once the entry is written, when nobody needs to analyse the
     * stem any more (waiters see the entry first, so this only keeps {@link #isTaken} true to the moment).
     */
    public void end(AnalysisKey key) {
        leases.delete(key);
    }

    /** The lease time to live of this instance's claims. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Waits until the key holds an analysis ({@link Ready}), or until its lease is gone without one and this
     * caller gets it ({@link TookOver}: it must analyse now), or {@code timeout} passes ({@link TimedOut}).
     */
    public CompletableFuture<Outcome> await(AnalysisKey key, Duration timeout) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        // Events only wake the check up; it runs on this class's own thread, never on Hazelcast's event threads.
        Runnable wake = () -> timer.execute(() -> check(key, outcome));
        UUID onAnalysis = analyses.addEntryListener(new Written(wake), key, false);
        UUID onLease = leases.addEntryListener(new Gone(wake), key, false);
        ScheduledFuture<?> recheck =
                timer.scheduleWithFixedDelay(() -> check(key, outcome), 0, RECHECK.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> deadline =
                timer.schedule(() -> outcome.complete(new TimedOut(key)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        outcome.whenComplete((result, failure) -> {
            recheck.cancel(false);
            deadline.cancel(false);
            analyses.removeEntryListener(onAnalysis);
            leases.removeEntryListener(onLease);
        });
        return outcome;
    }

    private void check(AnalysisKey key, CompletableFuture<Outcome> outcome) {
        if (outcome.isDone()) {
            return;
        }
        try {
            if (isWritten(key)) {
                outcome.complete(new Ready(key));
            } else if (!leases.containsKey(key)
                    && claim(key) instanceof Granted granted
                    && !outcome.complete(new TookOver(granted))) {
                // Another path completed the wait first: give the lease back for the next waiter.
                release(key, granted.holder());
            }
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
    }

    private static String newHolderToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private record Written(Runnable onEvent)
            implements EntryAddedListener<AnalysisKey, CachedAudioAnalysis>,
                    EntryUpdatedListener<AnalysisKey, CachedAudioAnalysis> {
        @Override
        public void entryAdded(EntryEvent<AnalysisKey, CachedAudioAnalysis> event) {
            onEvent.run();
        }

        @Override
        public void entryUpdated(EntryEvent<AnalysisKey, CachedAudioAnalysis> event) {
            onEvent.run();
        }
    }

    private record Gone(Runnable onEvent)
            implements EntryRemovedListener<AnalysisKey, String>, EntryExpiredListener<AnalysisKey, String> {
        @Override
        public void entryRemoved(EntryEvent<AnalysisKey, String> event) {
            onEvent.run();
        }

        @Override
        public void entryExpired(EntryEvent<AnalysisKey, String> event) {
            onEvent.run();
        }
    }
}
