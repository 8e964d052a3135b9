package io.stemcache.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;

/** A growable little-endian output buffer for one payload, with the format's varints, strings and planes. */
final class PayloadWriter {

    /** Plane modes, see the package documentation. */
    static final int RAW = 0;

    static final int LZ4 = 1;
    static final int CONST = 2;

    private static final LZ4Compressor COMPRESSOR = Lz4.FACTORY.fastCompressor();
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final boolean dense;
    private byte[] buf;
    private int pos;

    PayloadWriter(long initialCapacity) {
        this(initialCapacity, false);
    }

    /**
     * A writer that, when {@code dense}, stores no plane CONST and no Q16 column as a bare range: what the encoder
     * falls back to for an analysis whose constant runs would otherwise compress beyond
     * {@link AnalysisCodec#MAX_COMPRESSION_RATIO} (an LZ4 block holds at most about 255 bytes per byte).
     */
    PayloadWriter(long initialCapacity, boolean dense) {
        this.dense = dense;
        buf = new byte[(int) Math.max(256, Math.min(initialCapacity, MAX_ARRAY))];
    }

    /** Whether constant runs are written as LZ4 blocks rather than one repeated byte (see the constructor). */
    boolean dense() {
        return dense;
    }

    int position() {
        return pos;
    }

    /** Leaves {@code n} bytes to be filled in later (the header). */
    void skip(int n) {
        ensure(n);
        pos += n;
    }

    void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void i32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    void i64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    void f64(double v) {
        i64(Double.doubleToRawLongBits(v));
    }

    /** Unsigned LEB128 of all 64 bits of {@code v}. */
    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void bytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    /** A varint byte length and the UTF-8 bytes; refuses text that is not valid Unicode or is too long. */
    void string(String s, int maxBytes, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // getBytes would silently turn a lone surrogate into '?': the round trip must be exact.
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " holds an unpaired surrogate at index " + i);
            }
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > maxBytes) {
            throw new IllegalArgumentException(
                    what + " is " + utf8.length + " UTF-8 bytes, over the format's limit of " + maxBytes);
        }
        varint(utf8.length);
        bytes(utf8, 0, utf8.length);
    }

    /**
     * One plane: CONST when every byte is equal (never in a {@link #dense()} writer), LZ4 when the block saves more
     * than 4 bytes, else RAW. The block is compressed straight into the output, then slid back over the unused length
     * bytes.
     */
    void plane(byte[] src, int off, int len) {
        if (!dense && len > 0 && allEqual(src, off, len)) {
            ensure(2);
            buf[pos++] = CONST;
            buf[pos++] = src[off];
            return;
        }
        int bound = COMPRESSOR.maxCompressedLength(len);
        int reserved = varintSize(bound);
        ensure(1 + reserved + bound);
        int blockAt = pos + 1 + reserved;
        int compressed = len == 0 ? Integer.MAX_VALUE : COMPRESSOR.compress(src, off, len, buf, blockAt, bound);
        if ((long) compressed + 4 < len) {
            buf[pos++] = LZ4;
            varint(compressed);
            System.arraycopy(buf, blockAt, buf, pos, compressed);
            pos += compressed;
        } else {
            buf[pos++] = RAW;
            System.arraycopy(src, off, buf, pos, len);
            pos += len;
        }
    }

    /** The written bytes, exactly. */
    byte[] toByteArray() {
        return buf.length == pos ? buf : Arrays.copyOf(buf, pos);
    }

    private static boolean allEqual(byte[] src, int off, int len) {
        byte first = src[off];
        for (int i = off + 1, end = off + len; i < end; i++) {
            if (src[i] != first) {
                return false;
            }
        }
        return true;
    }

    private static int varintSize(int v) {
        return (38 - Integer.numberOfLeadingZeros(v | 1)) / 7;
    }

    private void ensure(int n) {
        if (n <= buf.length - pos) {
            return;
        }
        long needed = (long) pos + n;
        if (needed > MAX_ARRAY) {
            throw new PayloadTooLargeException(
                    "payload would exceed " + MAX_ARRAY + " bytes, the largest array Java holds");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, Math.max(needed, 2L * buf.length)));
    }
}
