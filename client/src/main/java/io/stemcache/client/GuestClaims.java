package io.stemcache.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.Owner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * Who claimed which guest, cluster-wide ({@value #MAP}: the SHA-256 of the guest's token, never the token, to the
 * user's id, living as long as a guest's entries). The first user to claim a guest keeps it: a later claim by
 * anyone else moves nothing. Claims of one guest run one at a time under the record's key lock, so two claims
 * never split a guest's entries, and a repeated claim finds nothing left to move.
 */
final class GuestClaims {

    /** The cluster map of claim records (memory only, with a backup; see the member's hazelcast.yaml). */
    static final String MAP = "stemcache-guest-claims";

    /** How long a claim waits for another claim of the same guest before it gives up (the caller may retry). */
    static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    /** Longest a claim holds the guest's lock, should its API node die without the cluster noticing at once. */
    static final Duration LOCK_LEASE = Duration.ofMinutes(10);

    private final IMap<String, String> claims;
    private final Duration recordTtl;

    GuestClaims(HazelcastInstance hazelcast, Duration recordTtl) {
        this.claims = hazelcast.getMap(MAP);
        this.recordTtl = recordTtl;
    }

    /**
     * Runs {@code move} for {@code user} if the guest is unclaimed or already the user's, with no other claim of
     * the guest running; answers what {@code move} answers, or 0 where another user claimed the guest first.
     */
    int claim(Owner guest, UUID user, IntSupplier move) {
        String key = recordKey(guest);
        boolean locked;
        try {
            locked = claims.tryLock(
                    key, LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS, LOCK_LEASE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another claim of the guest", e);
        }
        if (!locked) {
            throw new IllegalStateException(
                    "another claim of this guest is still running; retry later",
                    new TimeoutException("guest claim lock not obtained in " + LOCK_WAIT));
        }
        try {
            // Recorded before anything moves: a claim that fails half-way is finished by its user's next try.
            String holder = claims.putIfAbsent(key, user.toString(), recordTtl.toSeconds(), TimeUnit.SECONDS);
            if (holder != null && !holder.equals(user.toString())) {
                return 0;
            }
            return move.getAsInt();
        } finally {
            claims.unlock(key);
        }
    }

    static String recordKey(Owner guest) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(guest.id().getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
