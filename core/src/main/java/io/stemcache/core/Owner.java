package io.stemcache.core;

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

    private static final int MIN_GUEST_TOKEN_LENGTH = 16;
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

    /** A guest session, identified by an opaque token of 16 to 128 characters from [A-Za-z0-9_-]. */
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

    @Override
    public String toString() {
        // Guest tokens are credentials of a sort: never print them whole.
        return kind == Kind.USER ? "user:" + id : "guest:" + id.substring(0, 6) + "...";
    }
}
