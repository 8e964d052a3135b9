package io.stemcache.core.codec;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import java.util.Collection;

/**
 * Turns an {@link AudioAnalysis} into the compact, checksummed, LZ4-compressed payload the cache stores,
 * and back. Lossless ({@link Precision#FLOAT64}) payloads decode bit-exactly.
 *
 * <p>Decoding never trusts the payload: a truncated, corrupt or lying payload throws
 * {@link CorruptPayloadException}, and no decode allocates more than the codec's limit.
 */
public interface AnalysisCodec {

    /**
     * Default of a process's {@code max-analysis-mb} ({@code stemcache.max-analysis-mb} on a member,
     * {@code stemcache.client.max-analysis-mb} on an API node): 256 MiB of raw values.
     */
    int DEFAULT_MAX_ANALYSIS_MB = 256;

    /** Largest {@code max-analysis-mb} a process accepts: the decoded values must fit one Java array. */
    int MAX_ANALYSIS_MB = 2047;

    /** Default limit on the decoded size of one analysis: {@link #DEFAULT_MAX_ANALYSIS_MB} MiB of raw values. */
    long DEFAULT_MAX_DECODED_BYTES = (long) DEFAULT_MAX_ANALYSIS_MB << 20;

    /**
     * Most decoded bytes (8 per float64 value) a payload may hold per byte of its own, beyond
     * {@link #RATIO_ALLOWANCE_BYTES}. A constant plane costs 2 bytes and a constant Q16 column 16 whatever their
     * length, so without this bound a payload of a hundred bytes could claim the whole limit. The encoder keeps to it
     * (long constant runs are written as LZ4 blocks, at most about 255 bytes per byte, when the analysis would
     * otherwise pass it); an honest analysis at any precision stays far below (the corpus: under 10).
     */
    int MAX_COMPRESSION_RATIO = 4096;

    /** Decoded bytes every payload may hold whatever its length: small analyses of constant values. */
    long RATIO_ALLOWANCE_BYTES = 64L << 10;

    /** The most decoded bytes a payload of {@code payloadLength} bytes may hold, before any codec's own limit. */
    static long maxDecodedBytes(int payloadLength) {
        return RATIO_ALLOWANCE_BYTES + (long) MAX_COMPRESSION_RATIO * payloadLength;
    }

    /** The codec with the default limit. */
    static AnalysisCodec standard() {
        return Lz4ShuffleCodec.STANDARD;
    }

    /** A codec that refuses to encode or decode analyses whose raw values exceed {@code maxDecodedBytes}. */
    static AnalysisCodec withMaxDecodedBytes(long maxDecodedBytes) {
        return new Lz4ShuffleCodec(maxDecodedBytes);
    }

    /** A codec whose limit is {@code maxAnalysisMb} MiB of raw values (a process's {@code max-analysis-mb}). */
    static AnalysisCodec withMaxAnalysisMb(int maxAnalysisMb) {
        return withMaxDecodedBytes((long) maxAnalysisMb << 20);
    }

    /** The most decoded bytes (8 per float64 value) this codec encodes or decodes. */
    long limit();

    /**
     * Encodes at the given precision; throws {@link PayloadTooLargeException} over the limit, and
     * IllegalArgumentException, naming the series or field, for values the precision cannot hold (NaN or
     * infinities at Q16, beyond float32's range at FLOAT32) or text the format cannot hold.
     */
    byte[] encode(AudioAnalysis analysis, Precision precision);

    /** Decodes a payload made by {@link #encode}; throws {@link CorruptPayloadException} if it is not one. */
    AudioAnalysis decode(byte[] payload);

    /**
     * Checks a payload's header and body checksum and reads its envelope, without decompressing its columns:
     * about a millisecond for a full stem, where a decode takes several. Throws {@link CorruptPayloadException}.
     */
    PayloadSummary verify(byte[] payload);

    /**
     * A payload of the same format and precision holding only the named series, bit-exact, with the original's
     * envelope, waveform points and markers: what a member sends when a caller wants a few feature curves. The
     * series' compressed bytes are copied, not decoded, so a projection costs about a {@link #verify} (hashing the
     * payload dominates): 0.8 ms for 4 features of a 3.6 MB FLOAT64 corpus stem, whose decode takes 3 to 7 ms. The
     * header and checksum are new.
     *
     * <p>Series keep the payload's order, not the order of {@code features}, and a name given twice is taken
     * once, so one set of names always gives the same bytes. The envelope is the original's, so the metadata's
     * featuresExtracted still lists every feature the analysis extracted.
     *
     * <p>The payload is checked first as {@link #verify} does, its whole body's structure too (the series' LZ4
     * blocks are copied unopened; a decoder checks them), within the codec's limit: a damaged or lying
     * payload throws {@link CorruptPayloadException}, and no projection is longer than its payload.
     *
     * @throws IllegalArgumentException if {@code features} is null or empty or holds null, or names a series the
     *         payload lacks (the message names every unknown name and every series the payload holds)
     */
    byte[] project(byte[] payload, Collection<String> features);

    /** Reads and checks a payload's header without decompressing it or verifying the body's checksum. */
    PayloadHeader header(byte[] payload);

    /** The raw size of an analysis: 8 bytes per float64 value it holds. */
    default long rawSize(AudioAnalysis analysis) {
        return analysis.valueCount() * Double.BYTES;
    }

    /**
     * The LZ4 implementation encoding and decoding run on: "JNI" (native, the fast one) where the platform has
     * lz4-java's library, else a Java fallback's name, several times slower. Members and API nodes log it.
     */
    static String lz4Implementation() {
        return Lz4.implementation();
    }
}
