package io.stemcache.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Reads a payload body without trusting it: every read is bounds-checked, every length is checked against
 * the bytes left and against the values the header still allows, and every failure is a
 * {@link CorruptPayloadException} naming the byte offset and what was being read.
 */
final class PayloadReader {

    // Only the safe decompressor: the fast one trusts the block and has had CVEs on hostile input.
    private static final LZ4SafeDecompressor DECOMPRESSOR = Lz4.FACTORY.safeDecompressor();

    private final byte[] buf;
    private final int end;
    private final long valueCount;
    private int pos;
    private long valuesLeft;
    private String context = "envelope";

    PayloadReader(byte[] buf, int start, long valueCount) {
        this.buf = buf;
        this.end = buf.length;
        this.pos = start;
        this.valueCount = valueCount;
        this.valuesLeft = valueCount;
    }

    /**
     * A reader of one column that an earlier pass has checked and skipped: it reads the same bytes from
     * {@code start}, its budget the column's own {@code values}, so columns can be decoded apart (and at once).
     */
    PayloadReader column(int start, long values, String what) {
        PayloadReader column = new PayloadReader(buf, start, values);
        column.context = what;
        return column;
    }

    int position() {
        return pos;
    }

    long valuesLeft() {
        return valuesLeft;
    }

    /** Names what is being read, for error messages ("series 'rms'"). */
    void context(String what) {
        context = what;
    }

    int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    int i32(String what) {
        need(4, what);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    long i64(String what) {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (buf[pos++] & 0xFFL) << (8 * i);
        }
        return v;
    }

    double f64(String what) {
        return Double.longBitsToDouble(i64(what));
    }

    /** Unsigned LEB128, at most 10 bytes and 64 bits. */
    long varint(String what) {
        int at = pos;
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            need(1, what);
            int b = buf[pos++];
            if (shift == 63 && (b & 0xFE) != 0) {
                throw corrupt("varint " + what + " at byte " + at + " overflows 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    /** A varint that must be at most {@code max}. */
    int count(String what, long max) {
        int at = pos;
        long v = varint(what);
        if (v < 0 || v > max) {
            throw corrupt(what + " " + Long.toUnsignedString(v) + " at byte " + at + " exceeds the limit of " + max
                    + " (" + context + ")");
        }
        return (int) v;
    }

    /**
     * The length of a column that holds new values; it is taken from what the header's value count still
     * allows, so no column can make the decoder allocate beyond the header (and so the codec's limit).
     */
    int valueLength() {
        int at = pos;
        long n = varint("length");
        long limit = Math.min(valuesLeft, FloatColumns.MAX_LENGTH);
        if (n < 0 || n > limit) {
            throw corrupt(context + " length " + Long.toUnsignedString(n) + " exceeds the limit of " + limit
                    + " values (at byte " + at + "; " + valuesLeft + " of the header's " + valueCount + " are left)");
        }
        valuesLeft -= n;
        return (int) n;
    }

    /** Takes {@code n} values from the header's budget (markers hold three values each). */
    void claimValues(String what, long n) {
        if (n > valuesLeft) {
            throw corrupt(
                    what + " hold " + n + " values, over the " + valuesLeft + " left of the header's " + valueCount);
        }
        valuesLeft -= n;
    }

    String string(String what, int maxBytes) {
        int len = count(what + " length", maxBytes);
        need(len, what);
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(buf, pos, len))
                    .toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw corrupt(what + " at byte " + pos + " is not valid UTF-8 (" + context + ")", e);
        }
    }

    void bytes(byte[] dst, int off, int len, String what) {
        need(len, what);
        System.arraycopy(buf, pos, dst, off, len);
        pos += len;
    }

    /** Decodes plane number {@code index} of the current column into {@code dst[off, off + len)}. */
    void plane(byte[] dst, int off, int len, int index) {
        int at = pos;
        int mode = u8("plane mode");
        switch (mode) {
            case PayloadWriter.RAW -> {
                need(len, "raw plane", index);
                System.arraycopy(buf, pos, dst, off, len);
                pos += len;
            }
            case PayloadWriter.CONST -> {
                need(1, "constant plane", index);
                Arrays.fill(dst, off, off + len, buf[pos++]);
            }
            case PayloadWriter.LZ4 -> lz4(dst, off, len, index);
            default ->
                throw corrupt(
                        "unknown plane mode " + mode + " at byte " + at + " (" + context + ", plane " + index + ")");
        }
    }

    /**
     * Checks and steps over plane number {@code index} of the current column without decoding it; the bytes an
     * LZ4 block decompresses to are checked when the column is read.
     */
    void skipPlane(int len, int index) {
        int at = pos;
        int mode = u8("plane mode");
        switch (mode) {
            case PayloadWriter.RAW -> {
                need(len, "raw plane", index);
                pos += len;
            }
            case PayloadWriter.CONST -> {
                need(1, "constant plane", index);
                pos++;
            }
            case PayloadWriter.LZ4 -> {
                int compressed = lz4BlockLength(len, index, pos);
                pos += compressed;
            }
            default ->
                throw corrupt(
                        "unknown plane mode " + mode + " at byte " + at + " (" + context + ", plane " + index + ")");
        }
    }

    /** Fails unless the body ended exactly and held exactly the header's value count. */
    void expectEnd() {
        if (pos != end) {
            throw corrupt((end - pos) + " unexpected bytes after the markers, at byte " + pos);
        }
        if (valuesLeft != 0) {
            throw corrupt("the body holds " + (valueCount - valuesLeft) + " values but the header says " + valueCount);
        }
    }

    /** A failure in what is being read, at the current byte. */
    CorruptPayloadException corruptHere(String problem) {
        return new CorruptPayloadException(problem + " (" + context + ", byte " + pos + ")");
    }

    CorruptPayloadException corrupt(String message) {
        return new CorruptPayloadException(message);
    }

    CorruptPayloadException corrupt(String message, Throwable cause) {
        return new CorruptPayloadException(message, cause);
    }

    private void lz4(byte[] dst, int off, int len, int index) {
        int compressed = lz4BlockLength(len, index, pos);
        int produced;
        try {
            produced = DECOMPRESSOR.decompress(buf, pos, compressed, dst, off, len);
        } catch (LZ4Exception e) {
            throw corrupt(
                    "malformed LZ4 block at byte " + pos + " (" + context + ", plane " + index + "): " + e.getMessage(),
                    e);
        }
        if (produced != len) {
            throw corrupt("LZ4 block at byte " + pos + " (" + context + ", plane " + index + ") holds " + produced
                    + " bytes, expected " + len);
        }
        pos += compressed;
    }

    /** Reads an LZ4 block's length and checks it against the bytes left; {@code at} is the plane's first byte. */
    private int lz4BlockLength(int len, int index, int at) {
        long length = varint("LZ4 block length");
        if (length < 0 || length > end - pos) {
            throw corrupt("truncated at byte " + pos + ": " + context + " LZ4 block of plane " + index + " needs "
                    + Long.toUnsignedString(length) + " bytes, " + (end - pos) + " left");
        }
        int compressed = (int) length;
        if (compressed == 0 || len == 0) {
            throw corrupt("empty LZ4 block for a plane of " + len + " bytes at byte " + at + " (" + context + ", plane "
                    + index + ")");
        }
        return compressed;
    }

    private void need(int n, String what) {
        need(n, what, -1);
    }

    private void need(int n, String what, int plane) {
        if (n > end - pos) {
            throw corrupt("truncated at byte " + pos + ": " + context + " " + what + (plane < 0 ? "" : " " + plane)
                    + " needs " + n + " bytes, " + (end - pos) + " left");
        }
    }
}
