package io.stemcache.bench;

import java.util.Locale;

/** The machine-readable last line of a command: {@code RESULT key=value ...}, plain numbers, no units. */
final class ResultLine {

    private final StringBuilder line = new StringBuilder("RESULT");

    ResultLine put(String key, long value) {
        return append(key, Long.toString(value));
    }

    ResultLine put(String key, boolean value) {
        return append(key, Boolean.toString(value));
    }

    /** A decimal with {@code decimals} digits after the point; NaN and infinities are refused. */
    ResultLine put(String key, double value, int decimals) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("result " + key + " is " + value + ": the measurement failed");
        }
        return append(key, String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    private ResultLine append(String key, String value) {
        line.append(' ').append(key).append('=').append(value);
        return this;
    }

    @Override
    public String toString() {
        return line.toString();
    }
}
