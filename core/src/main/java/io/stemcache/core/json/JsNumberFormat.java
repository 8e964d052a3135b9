package io.stemcache.core.json;

import tools.jackson.core.io.NumberOutput;

/**
 * Formats a double the way JavaScript's {@code Number.prototype.toString} does, which is what
 * {@code JSON.stringify} writes: shortest round-trip digits, integers without ".0", exponents only
 * below 1e-6 or from 1e21, written {@code 1.2e-7} and {@code 1e+21}.
 */
final class JsNumberFormat {

    /** Enough for any finite double in this format; the longest (sign, "0.", five zeros, 17 digits) take 25. */
    static final int MAX_LENGTH = 32;

    private JsNumberFormat() {}

    /** Writes finite {@code v} into {@code out} (at least {@link #MAX_LENGTH} long); returns the length. */
    static int format(double v, char[] out) {
        if (v == 0) {
            // JSON.stringify writes -0 as "0", which would lose the sign bit; "-0.0" keeps it and is still JSON.
            return copy(Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0", out);
        }
        // Schubfach gives the shortest digits that round-trip, as ECMAScript asks for.
        String shortest = NumberOutput.toString(v, true);
        int length = shortest.length();
        boolean negative = shortest.charAt(0) == '-';
        char[] digits = new char[20];
        int k = 0;
        int integerDigits = 0;
        int leadingZeros = 0;
        int exponent = 0;
        boolean afterPoint = false;
        for (int i = negative ? 1 : 0; i < length; i++) {
            char c = shortest.charAt(i);
            if (c == '.') {
                afterPoint = true;
            } else if (c == 'E') {
                exponent = Integer.parseInt(shortest, i + 1, length, 10);
                break;
            } else {
                if (!afterPoint) {
                    integerDigits++;
                }
                if (c == '0' && k == 0) {
                    leadingZeros++;
                } else {
                    digits[k++] = c;
                }
            }
        }
        while (digits[k - 1] == '0') {
            k--;
        }
        // The value is 0.<digits> x 10^n.
        int n = integerDigits + exponent - leadingZeros;
        if (k == 2) {
            // Java's shortest form has at least two digits (4.9E-324) where ECMAScript wants one (5e-324)
            // if a single digit also rounds to v.
            int len = oneDigit(v, negative, digits, n, out);
            if (len > 0) {
                return len;
            }
        }
        return layout(negative, digits, k, n, out);
    }

    private static int oneDigit(double v, boolean negative, char[] digits, int n, char[] out) {
        char first = digits[0];
        boolean upFirst = digits[1] >= '5';
        for (int attempt = 0; attempt < 2; attempt++) {
            boolean up = upFirst == (attempt == 0);
            char[] candidate = {up ? (char) (first + 1) : first};
            int exponent = n;
            if (candidate[0] > '9') {
                candidate[0] = '1';
                exponent++;
            }
            int len = layout(negative, candidate, 1, exponent, out);
            if (Double.doubleToRawLongBits(Double.parseDouble(new String(out, 0, len)))
                    == Double.doubleToRawLongBits(v)) {
                return len;
            }
        }
        return 0;
    }

    /** ECMAScript Number::toString, step 6 onwards: k digits, value 0.digits x 10^n. */
    private static int layout(boolean negative, char[] digits, int k, int n, char[] out) {
        int p = 0;
        if (negative) {
            out[p++] = '-';
        }
        if (k <= n && n <= 21) {
            p = put(digits, 0, k, out, p);
            p = zeros(n - k, out, p);
        } else if (0 < n && n <= 21) {
            p = put(digits, 0, n, out, p);
            out[p++] = '.';
            p = put(digits, n, k, out, p);
        } else if (-6 < n && n <= 0) {
            out[p++] = '0';
            out[p++] = '.';
            p = zeros(-n, out, p);
            p = put(digits, 0, k, out, p);
        } else {
            out[p++] = digits[0];
            if (k > 1) {
                out[p++] = '.';
                p = put(digits, 1, k, out, p);
            }
            int e = n - 1;
            out[p++] = 'e';
            out[p++] = e < 0 ? '-' : '+';
            p = copy(Integer.toString(Math.abs(e)), out, p);
        }
        return p;
    }

    private static int put(char[] digits, int from, int to, char[] out, int p) {
        System.arraycopy(digits, from, out, p, to - from);
        return p + to - from;
    }

    private static int zeros(int count, char[] out, int p) {
        for (int i = 0; i < count; i++) {
            out[p++] = '0';
        }
        return p;
    }

    private static int copy(String text, char[] out) {
        return copy(text, out, 0);
    }

    private static int copy(String text, char[] out, int p) {
        text.getChars(0, text.length(), out, p);
        return p + text.length();
    }
}
