package io.stemcache.core.codec;

import io.stemcache.core.Precision;
import java.util.Arrays;

/**
 * The three encodings of a column of float64 values: exact (bit-shuffled planes), rounded to float32
 * (4 byte planes) and quantised to 16 bits between the column's minimum and maximum (2 byte planes).
 */
final class FloatColumns {

    /** Longest column the format holds; keeps a column's planes within one Java array. */
    static final int MAX_LENGTH = (1 << 28) - 64;

    private static final int Q16_STEPS = 65535;

    private FloatColumns() {}

    static void writeExact(PayloadWriter out, double[] values, int pre) {
        out.varint(values.length);
        out.u8(pre);
        byte[] planes = Scratch.bytes(BitPlanes.size(values.length));
        BitPlanes.shuffle(values, pre, planes);
        writePlanes(out, planes, 6, values.length);
        writePlanes(out, planes, BitPlanes.bitPlaneOffset(values.length, 0), 16, BitPlanes.groups(values.length));
    }

    /** An exact column holding new values, counted against the header. */
    static double[] readExact(PayloadReader in) {
        return readExactPlanes(in, in.valueLength());
    }

    /** An exact column whose values the caller has already counted: its length must be {@code expected}. */
    static double[] readExact(PayloadReader in, int expected) {
        long n = in.varint("column length");
        if (n != expected) {
            throw in.corruptHere(
                    "column length " + Long.toUnsignedString(n) + " does not match the " + expected + " expected");
        }
        return readExactPlanes(in, expected);
    }

    static void writeFloat32(PayloadWriter out, String name, double[] values) {
        int n = values.length;
        out.varint(n);
        byte[] planes = Scratch.bytes(4 * n);
        for (int i = 0; i < n; i++) {
            double x = values[i];
            float f = (float) x;
            if (Float.isInfinite(f) && !Double.isInfinite(x)) {
                throw new IllegalArgumentException("series '" + name + "' value " + x + " at index " + i
                        + " is outside the float32 range; store the analysis at FLOAT64");
            }
            int bits = Float.floatToRawIntBits(f);
            planes[i] = (byte) bits;
            planes[n + i] = (byte) (bits >>> 8);
            planes[2 * n + i] = (byte) (bits >>> 16);
            planes[3 * n + i] = (byte) (bits >>> 24);
        }
        writePlanes(out, planes, 4, n);
    }

    static double[] readFloat32(PayloadReader in) {
        int n = in.valueLength();
        byte[] planes = Scratch.bytes(4 * n);
        readPlanes(in, planes, 0, 4, n, 0);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Float.intBitsToFloat((planes[i] & 0xFF)
                    | (planes[n + i] & 0xFF) << 8
                    | (planes[2 * n + i] & 0xFF) << 16
                    | (planes[3 * n + i] & 0xFF) << 24);
        }
        return values;
    }

    /**
     * Codes {@code round((x - min) / (max - min) * 65535)}, nudged by one when that brings the decoded value
     * closer, so the stated bound (max - min) / 131070 holds after the decoder's own rounding too.
     */
    static void writeQ16(PayloadWriter out, String name, double[] values) {
        int n = values.length;
        out.varint(n);
        if (n == 0) {
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double x = values[i];
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("series '" + name + "' holds " + x + " at index " + i
                        + ": Q16 needs finite values; store the analysis at FLOAT64 or FLOAT32");
            }
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (min == max && out.dense() && min < Double.MAX_VALUE) {
            // A range one ulp wide and codes 0: the same values, stored as planes an LZ4 block holds (see dense()).
            max = Math.nextUp(min);
        }
        out.f64(min);
        out.f64(max);
        if (min == max) {
            return; // a constant column: no planes
        }
        double step = (max - min) / Q16_STEPS;
        if (!Double.isFinite(step)) {
            throw new IllegalArgumentException("series '" + name + "' spans " + min + " to " + max
                    + ", wider than float64 can quantise; store the analysis at FLOAT64 or FLOAT32");
        }
        double bound = (max - min) / (2.0 * Q16_STEPS);
        byte[] planes = Scratch.bytes(2 * n);
        for (int i = 0; i < n; i++) {
            double x = values[i];
            int code = (int) Math.round((x - min) / (max - min) * Q16_STEPS);
            if (Math.abs(min + code * step - x) > bound) {
                code = nearestCode(x, min, step, code);
            }
            planes[i] = (byte) code;
            planes[n + i] = (byte) (code >>> 8);
        }
        writePlanes(out, planes, 2, n);
    }

    static double[] readQ16(PayloadReader in) {
        int n = in.valueLength();
        double[] values = new double[n];
        if (n == 0) {
            return values;
        }
        double min = in.f64("minimum");
        double max = in.f64("maximum");
        double step = q16Step(in, min, max);
        if (min == max) {
            Arrays.fill(values, min);
            return values;
        }
        byte[] planes = Scratch.bytes(2 * n);
        readPlanes(in, planes, 0, 2, n, 0);
        for (int i = 0; i < n; i++) {
            values[i] = min + ((planes[i] & 0xFF) | (planes[n + i] & 0xFF) << 8) * step;
        }
        return values;
    }

    /** The step of a Q16 column's range (0 for a constant column); fails unless the range is finite and ordered. */
    private static double q16Step(PayloadReader in, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw in.corruptHere("Q16 range " + min + " to " + max + " is not a finite, ordered range");
        }
        double step = (max - min) / Q16_STEPS;
        if (!Double.isFinite(step)) {
            throw in.corruptHere("Q16 range " + min + " to " + max + " is too wide to quantise");
        }
        return step;
    }

    /**
     * Checks and steps over a column of new values as {@link #readExact(PayloadReader)}, {@link #readFloat32} or
     * {@link #readQ16} would read it, claiming its values, without decoding its planes.
     */
    static void skip(PayloadReader in, Precision precision) {
        int n = in.valueLength();
        switch (precision) {
            case FLOAT64 -> {
                checkPre(in);
                skipPlanes(in, 6, n, 0);
                skipPlanes(in, 16, BitPlanes.groups(n), 6);
            }
            case FLOAT32 -> skipPlanes(in, 4, n, 0);
            case Q16 -> {
                if (n == 0) {
                    return;
                }
                double min = in.f64("minimum");
                double max = in.f64("maximum");
                q16Step(in, min, max);
                if (min != max) {
                    skipPlanes(in, 2, n, 0);
                }
            }
        }
    }

    private static void skipPlanes(PayloadReader in, int count, int length, int first) {
        for (int k = 0; k < count; k++) {
            in.skipPlane(length, first + k);
        }
    }

    private static int checkPre(PayloadReader in) {
        int pre = in.u8("pre-transform");
        if (pre != BitPlanes.NONE && pre != BitPlanes.DELTA) {
            throw in.corruptHere("unknown pre-transform " + pre + " in a float64 column");
        }
        return pre;
    }

    private static int nearestCode(double x, double min, double step, int code) {
        int best = Math.max(0, Math.min(Q16_STEPS, code));
        for (int c = Math.max(0, code - 1); c <= Math.min(Q16_STEPS, code + 1); c++) {
            if (Math.abs(min + c * step - x) < Math.abs(min + best * step - x)) {
                best = c;
            }
        }
        return best;
    }

    private static double[] readExactPlanes(PayloadReader in, int n) {
        int pre = checkPre(in);
        byte[] planes = Scratch.bytes(BitPlanes.size(n));
        readPlanes(in, planes, 0, 6, n, 0);
        readPlanes(in, planes, BitPlanes.bitPlaneOffset(n, 0), 16, BitPlanes.groups(n), 6);
        double[] values = new double[n];
        BitPlanes.unshuffle(planes, pre, values);
        return values;
    }

    private static void writePlanes(PayloadWriter out, byte[] planes, int count, int length) {
        writePlanes(out, planes, 0, count, length);
    }

    private static void writePlanes(PayloadWriter out, byte[] planes, int offset, int count, int length) {
        for (int k = 0; k < count; k++) {
            out.plane(planes, offset + k * length, length);
        }
    }

    private static void readPlanes(PayloadReader in, byte[] planes, int offset, int count, int length, int first) {
        for (int k = 0; k < count; k++) {
            in.plane(planes, offset + k * length, length, first + k);
        }
    }
}
