package io.stemcache.core;

import java.util.Locale;

/** The stems the product separates an upload into; {@link #code()} is the stored, lower-case name. */
public enum StemType {
    MASTER,
    DRUMS,
    BASS,
    VOCALS,
    OTHER;

    private final String code = name().toLowerCase(Locale.ROOT);

    public String code() {
        return code;
    }

    /** Parses a stored or requested stem name ({@code "drums"}); anything else names the problem. */
    public static StemType fromCode(String code) {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("stem type must not be null or blank");
        }
        for (StemType stem : values()) {
            if (stem.code.equals(code)) {
                return stem;
            }
        }
        throw new IllegalArgumentException(
                "stem type must be one of master, drums, bass, vocals, other; got '" + Owner.abbreviate(code) + "'");
    }
}
