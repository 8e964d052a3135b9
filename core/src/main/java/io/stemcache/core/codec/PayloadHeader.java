package io.stemcache.core.codec;

import io.stemcache.core.Precision;

/**
 * What a payload's fixed 24-byte header says: format version, precision, how many float64 values the
 * analysis holds, the body's length in bytes and its XXHash32 checksum. See the package documentation.
 */
public record PayloadHeader(int formatVersion, Precision precision, long valueCount, int bodyLength, int checksum) {

    /** Bytes of the header, before the body. */
    static final int BYTES = 24;

    static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = {'S', 'T', 'M', 'C'};

    /** Precision codes 0-2, in this order. */
    private static final Precision[] PRECISIONS = {Precision.FLOAT64, Precision.FLOAT32, Precision.Q16};

    /** The raw size of the analysis: 8 bytes per value, what the codec's limit is compared with. */
    /**
     * True when {@code payload} starts like a payload of a format version newer than this codec reads: written by
     * a newer stemcache (during a rolling upgrade, say), not damaged, so it must be kept, not put aside.
     */
    public static boolean isNewerFormat(byte[] payload) {
        if (payload == null || payload.length <= MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (payload[i] != MAGIC[i]) {
                return false;
            }
        }
        return (payload[MAGIC.length] & 0xFF) > FORMAT_VERSION;
    }

    /** The value count field of a payload this codec wrote, unchecked. */
    static long valueCountOf(byte[] payload) {
        return littleEndian(payload, 8, 8);
    }

    public long rawSize() {
        return valueCount * Double.BYTES;
    }

    /** Writes this header into {@code payload[0, BYTES)}. */
    void writeTo(byte[] payload) {
        System.arraycopy(MAGIC, 0, payload, 0, MAGIC.length);
        payload[4] = (byte) formatVersion;
        payload[5] = (byte) precisionCode(precision);
        payload[6] = 0;
        payload[7] = 0;
        putLittleEndian(payload, 8, valueCount, 8);
        putLittleEndian(payload, 16, bodyLength, 4);
        putLittleEndian(payload, 20, checksum, 4);
    }

    /**
     * Reads and checks a header, in the order the package documentation gives; the checksum is returned,
     * not verified.
     */
    static PayloadHeader read(byte[] payload, long maxDecodedBytes) {
        if (payload == null) {
            throw new CorruptPayloadException("payload is null");
        }
        if (payload.length < BYTES) {
            throw new CorruptPayloadException("payload is " + payload.length + " bytes, shorter than the " + BYTES
                    + "-byte header (truncated at byte " + payload.length + ")");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (payload[i] != MAGIC[i]) {
                throw new CorruptPayloadException("payload does not start with the magic 'STMC' but with 0x"
                        + String.format("%08x", Integer.reverseBytes((int) littleEndian(payload, 0, 4))));
            }
        }
        int version = payload[4] & 0xFF;
        if (version != FORMAT_VERSION) {
            throw new CorruptPayloadException(
                    "unsupported format version " + version + ": this codec reads version " + FORMAT_VERSION);
        }
        int precision = payload[5] & 0xFF;
        if (precision >= PRECISIONS.length) {
            throw new CorruptPayloadException("unknown precision code " + precision + " (0 FLOAT64, 1 FLOAT32, 2 Q16)");
        }
        int flags = (int) littleEndian(payload, 6, 2);
        if (flags != 0) {
            throw new CorruptPayloadException("unknown header flag bits 0x" + Integer.toHexString(flags));
        }
        long valueCount = littleEndian(payload, 8, 8);
        int bodyLength = (int) littleEndian(payload, 16, 4);
        if (bodyLength != payload.length - BYTES) {
            throw new CorruptPayloadException("header says the body is " + Integer.toUnsignedString(bodyLength)
                    + " bytes but " + (payload.length - BYTES) + " follow the header");
        }
        if (valueCount < 0 || valueCount > maxDecodedBytes / Double.BYTES) {
            throw new CorruptPayloadException("payload holds " + Long.toUnsignedString(valueCount)
                    + " float64 values, over this codec's limit of " + maxDecodedBytes + " decoded bytes ("
                    + Lz4ShuffleCodec.LIMIT_SETTING + ")");
        }
        long ratioLimit = AnalysisCodec.maxDecodedBytes(payload.length) / Double.BYTES;
        if (valueCount > ratioLimit) {
            throw new CorruptPayloadException("payload of " + payload.length + " bytes claims " + valueCount
                    + " float64 values (" + valueCount * Double.BYTES + " bytes decoded), more than " + ratioLimit
                    + ": a payload holds at most " + AnalysisCodec.MAX_COMPRESSION_RATIO
                    + " decoded bytes per payload byte"
                    + " beyond the first " + AnalysisCodec.RATIO_ALLOWANCE_BYTES
                    + " (a compression bomb, not an analysis)");
        }
        int checksum = (int) littleEndian(payload, 20, 4);
        return new PayloadHeader(version, PRECISIONS[precision], valueCount, bodyLength, checksum);
    }

    private static int precisionCode(Precision precision) {
        return switch (precision) {
            case FLOAT64 -> 0;
            case FLOAT32 -> 1;
            case Q16 -> 2;
        };
    }

    private static long littleEndian(byte[] b, int off, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (b[off + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    private static void putLittleEndian(byte[] b, int off, long v, int size) {
        for (int i = 0; i < size; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
