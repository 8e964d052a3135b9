package io.stemcache.core;

import java.util.Locale;

/** The kinds of event marker the analysis finds in a stem. */
public enum MarkerType {
    BEAT,
    ONSET,
    PEAK,
    DROP;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The name used in the product's JSON ({@code "beat"}). */
    public String code() {
        return code;
    }

    public static MarkerType fromCode(String code) {
        for (MarkerType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("marker type must be one of beat, onset, peak, drop; got '" + code + "'");
    }
}
