package io.stemcache.core.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The float64 column transform: an optional delta of the raw bits, then the 6 low bytes of each value
 * byte-shuffled into 6 planes of {@code n} bytes and the 2 top bytes bit-shuffled into 16 planes of
 * {@code ceil(n / 8)} bytes. Both directions are one fused pass over groups of 8 values: an 8x8 byte
 * transpose turns 8 values into 8 rows (row k = byte k of each value), and an 8x8 bit transpose turns
 * rows 6 and 7 into one byte of each of their 8 bit planes.
 */
final class BitPlanes {

    /** Pre-transform codes: the raw bits, or the zigzag of the difference from the previous value's bits. */
    static final int NONE = 0;

    static final int DELTA = 2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BitPlanes() {}

    /** Bytes the planes of {@code n} values take (fits an int for every allowed column length). */
    static int size(int n) {
        return 6 * n + 16 * groups(n);
    }

    /** Offset of bit plane {@code q} (0-15: bits 48-63) in the planes of {@code n} values. */
    static int bitPlaneOffset(int n, int q) {
        return 6 * n + q * groups(n);
    }

    static int groups(int n) {
        return (n + 7) >>> 3;
    }

    /** Writes the planes of {@code values} into {@code planes[0, size(n))}. */
    static void shuffle(double[] values, int pre, byte[] planes) {
        final int n = values.length;
        final int nb = groups(n);
        final int p6 = 6 * n;
        final int p7 = p6 + 8 * nb;
        final boolean delta = pre == DELTA;
        final int full = n >>> 3;
        long[] rows = new long[8];
        long prev = 0;
        for (int g = 0; g < nb; g++) {
            int base = g << 3;
            int count = Math.min(8, n - base);
            for (int j = 0; j < count; j++) {
                long bits = Double.doubleToRawLongBits(values[base + j]);
                if (delta) {
                    long d = bits - prev;
                    prev = bits;
                    bits = (d << 1) ^ (d >> 63);
                }
                rows[j] = bits;
            }
            for (int j = count; j < 8; j++) {
                rows[j] = 0;
            }
            transposeBytes(rows);
            if (g < full) {
                for (int k = 0; k < 6; k++) {
                    LONGS.set(planes, k * n + base, rows[k]);
                }
            } else {
                for (int k = 0; k < 6; k++) {
                    for (int j = 0; j < count; j++) {
                        planes[k * n + base + j] = (byte) (rows[k] >>> (8 * j));
                    }
                }
            }
            long top6 = transpose8(rows[6]);
            long top7 = transpose8(rows[7]);
            for (int r = 0; r < 8; r++) {
                planes[p6 + r * nb + g] = (byte) (top6 >>> (8 * r));
                planes[p7 + r * nb + g] = (byte) (top7 >>> (8 * r));
            }
        }
    }

    /** Rebuilds {@code out.length} values from their planes. */
    static void unshuffle(byte[] planes, int pre, double[] out) {
        final int n = out.length;
        final int nb = groups(n);
        final boolean delta = pre == DELTA;
        final int full = n >>> 3;
        long[] rows = new long[8];
        long prev = 0;
        for (int g = 0; g < full; g++) {
            int base = g << 3;
            rows[0] = (long) LONGS.get(planes, base);
            rows[1] = (long) LONGS.get(planes, n + base);
            rows[2] = (long) LONGS.get(planes, 2 * n + base);
            rows[3] = (long) LONGS.get(planes, 3 * n + base);
            rows[4] = (long) LONGS.get(planes, 4 * n + base);
            rows[5] = (long) LONGS.get(planes, 5 * n + base);
            prev = unshuffleGroup(planes, n, nb, g, rows, 8, delta, prev, out);
        }
        if (full < nb) {
            int base = full << 3;
            for (int k = 0; k < 6; k++) {
                long row = 0;
                for (int j = 0; base + j < n; j++) {
                    row |= (planes[k * n + base + j] & 0xFFL) << (8 * j);
                }
                rows[k] = row;
            }
            unshuffleGroup(planes, n, nb, full, rows, n - base, delta, prev, out);
        }
    }

    /** Completes group {@code g} from its 6 low rows: gathers its bit planes, transposes, writes its values. */
    private static long unshuffleGroup(
            byte[] planes, int n, int nb, int g, long[] rows, int count, boolean delta, long prev, double[] out) {
        int p6 = 6 * n + g;
        int p7 = p6 + 8 * nb;
        long top6 = 0;
        long top7 = 0;
        for (int r = 0; r < 8; r++) {
            top6 |= (planes[p6 + r * nb] & 0xFFL) << (8 * r);
            top7 |= (planes[p7 + r * nb] & 0xFFL) << (8 * r);
        }
        rows[6] = transpose8(top6);
        rows[7] = transpose8(top7);
        transposeBytes(rows);
        int base = g << 3;
        for (int j = 0; j < count; j++) {
            long bits = rows[j];
            if (delta) {
                bits = prev + ((bits >>> 1) ^ -(bits & 1));
                prev = bits;
            }
            out[base + j] = Double.longBitsToDouble(bits);
        }
        return prev;
    }

    /** Transposes 8 longs seen as an 8x8 byte matrix (byte j of row k to byte k of row j), in place. */
    static void transposeBytes(long[] rows) {
        final long lo32 = 0x00000000FFFFFFFFL;
        final long lo16 = 0x0000FFFF0000FFFFL;
        final long lo8 = 0x00FF00FF00FF00FFL;
        // Straight-line on purpose: the JIT keeps all 8 rows in registers.
        long r0 = rows[0];
        long r1 = rows[1];
        long r2 = rows[2];
        long r3 = rows[3];
        long r4 = rows[4];
        long r5 = rows[5];
        long r6 = rows[6];
        long r7 = rows[7];
        // Swap the 4x4 blocks of bytes...
        long a0 = (r0 & lo32) | (r4 << 32);
        long a4 = (r0 >>> 32) | (r4 & ~lo32);
        long a1 = (r1 & lo32) | (r5 << 32);
        long a5 = (r1 >>> 32) | (r5 & ~lo32);
        long a2 = (r2 & lo32) | (r6 << 32);
        long a6 = (r2 >>> 32) | (r6 & ~lo32);
        long a3 = (r3 & lo32) | (r7 << 32);
        long a7 = (r3 >>> 32) | (r7 & ~lo32);
        // ...then the 2x2 blocks...
        long b0 = (a0 & lo16) | ((a2 & lo16) << 16);
        long b2 = ((a0 >>> 16) & lo16) | (a2 & ~lo16);
        long b1 = (a1 & lo16) | ((a3 & lo16) << 16);
        long b3 = ((a1 >>> 16) & lo16) | (a3 & ~lo16);
        long b4 = (a4 & lo16) | ((a6 & lo16) << 16);
        long b6 = ((a4 >>> 16) & lo16) | (a6 & ~lo16);
        long b5 = (a5 & lo16) | ((a7 & lo16) << 16);
        long b7 = ((a5 >>> 16) & lo16) | (a7 & ~lo16);
        // ...then single bytes.
        rows[0] = (b0 & lo8) | ((b1 & lo8) << 8);
        rows[1] = ((b0 >>> 8) & lo8) | (b1 & ~lo8);
        rows[2] = (b2 & lo8) | ((b3 & lo8) << 8);
        rows[3] = ((b2 >>> 8) & lo8) | (b3 & ~lo8);
        rows[4] = (b4 & lo8) | ((b5 & lo8) << 8);
        rows[5] = ((b4 >>> 8) & lo8) | (b5 & ~lo8);
        rows[6] = (b6 & lo8) | ((b7 & lo8) << 8);
        rows[7] = ((b6 >>> 8) & lo8) | (b7 & ~lo8);
    }

    /**
     * Transposes a 64-bit word seen as an 8x8 bit matrix (bit 8a+b to bit 8b+a); its own inverse.
     * Hacker's Delight, section 7-3.
     */
    static long transpose8(long x) {
        long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
        x = x ^ t ^ (t << 7);
        t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
        x = x ^ t ^ (t << 14);
        t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
        return x ^ t ^ (t << 28);
    }
}
