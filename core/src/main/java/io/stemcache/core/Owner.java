package io.stemcache.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who an analysis belongs to: a signed-in user (by UUID) or a guest session (by an opaque token).
 * Every cache key carries its owner, so one owner can never reach another's entries.
 */
public final class Owner {

    /**
     * Default time a guest's analyses are kept after they were last read, in hours: in memory on the API nodes
     * ({@code stemcache.client.guest-ttl}) and in PostgreSQL by the members' cleanup ({@code stemcache.cleanup.guest-ttl}).
     */
    public static final int DEFAULT_GUEST_TTL_HOURS = 24;

    /**
     * Default stored MB one guest may hold, in memory on the API nodes ({@code stemcache.client.guest-quota-mb}) and in
     * PostgreSQL by the members' cleanup ({@code stemcache.cleanup.guest-quota-mb}).
     */
    public static final int DEFAULT_GUEST_QUOTA_MB = 64;

    /** Longest guest token accepted; matches the {@code owner_id} column. */
    public static final int MAX_GUEST_TOKEN_LENGTH = 128;

    /**
     * Shortest guest token accepted: 22 characters of base64url carry 132 bits, so a token made of 16 random bytes
     * (what this project's guest sessions and Supabase's anonymous UUIDs, as {@code anon-} + 32 hex, give) passes.
     */
    public static final int MIN_GUEST_TOKEN_LENGTH = 22;

    /**
     * Fewest distinct characters a guest token must hold. Length alone admits {@code "a".repeat(22)}; a random
     * 22-character base64url token holds fewer than 8 distinct characters with a probability below 10^-20.
     */
    public static final int MIN_GUEST_TOKEN_DISTINCT_CHARACTERS = 8;

    private static final Pattern GUEST_TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    /** The two kinds of owner; {@link #code()} is what the database and the serialized form store. */
    public enum Kind {
        USER("user"),
        GUEST("guest");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Kind fromCode(String code) {
            for (Kind kind : values()) {
                if (kind.code.equals(code)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("owner kind must be 'user' or 'guest', got '" + code + "'");
        }
    }

    private final Kind kind;
    private final String id;

    private Owner(Kind kind, String id) {
        this.kind = kind;
        this.id = id;
    }

    /** A signed-in user. */
    public static Owner user(UUID userId) {
        if (userId == null) {
            throw new IllegalArgumentException("owner user id must not be null");
        }
        return new Owner(Kind.USER, userId.toString());
    }

    /**
     * A guest session, identified by an unguessable token: 22 to 128 characters from [A-Za-z0-9_-], at least 8 of
     * them distinct. Whoever holds the token reads the guest's entries, so tokens must be random (16 bytes or more).
     */
    public static Owner guest(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("owner guest token must not be null or blank");
        }
        if (token.length() < MIN_GUEST_TOKEN_LENGTH || token.length() > MAX_GUEST_TOKEN_LENGTH) {
            throw new IllegalArgumentException("owner guest token must be " + MIN_GUEST_TOKEN_LENGTH + " to "
                    + MAX_GUEST_TOKEN_LENGTH + " characters long, got " + token.length());
        }
        if (!GUEST_TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("owner guest token may only hold letters, digits, '-' and '_'");
        }
        long distinct = token.chars().distinct().count();
        if (distinct < MIN_GUEST_TOKEN_DISTINCT_CHARACTERS) {
            throw new IllegalArgumentException("owner guest token must hold at least "
                    + MIN_GUEST_TOKEN_DISTINCT_CHARACTERS + " distinct characters (a random token of 16 bytes or "
                    + "more), got " + distinct);
        }
        return new Owner(Kind.GUEST, token);
    }

    /** Rebuilds an owner from its stored form, validating it like the factories do. */
    public static Owner of(Kind kind, String id) {
        if (kind == null) {
            throw new IllegalArgumentException("owner kind must not be null");
        }
        if (kind == Kind.USER) {
            return user(parseUuid("owner user id", id));
        }
        return guest(id);
    }

    public Kind kind() {
        return kind;
    }

    /** The user's UUID in canonical text form, or the guest token. */
    public String id() {
        return id;
    }

    public boolean isGuest() {
        return kind == Kind.GUEST;
    }

    static UUID parseUuid(String part, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(part + " must not be null or blank");
        }
        try {
            UUID uuid = UUID.fromString(text);
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException(part + " must be a canonical UUID, got '" + abbreviate(text) + "'");
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(part)) {
                throw e;
            }
            throw new IllegalArgumentException(part + " must be a UUID, got '" + abbreviate(text) + "'", e);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Owner other && kind == other.kind && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id);
    }

    /**
     * {@code user:<uuid>}, or for a guest {@code guest#} and the first 8 hex digits of the token's SHA-256: enough
     * to tell guests apart in a log, nothing of the token itself (whoever holds a token reads the guest's entries).
     */
    @Override
    public String toString() {
        return kind == Kind.USER ? "user:" + id : "guest#" + tokenDigest(id);
    }

    static String tokenDigest(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
