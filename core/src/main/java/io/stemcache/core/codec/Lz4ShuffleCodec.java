package io.stemcache.core.codec;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import net.jpountz.xxhash.XXHash32;

/**
 * The codec of format version 1 (see the package documentation): delta, bit-shuffled and byte-shuffled
 * planes, each stored raw, constant or as an LZ4 block, behind a checksummed header.
 * Thread-safe; each thread keeps one scratch array for the planes of a column.
 */
final class Lz4ShuffleCodec implements AnalysisCodec {

    static final Lz4ShuffleCodec STANDARD = new Lz4ShuffleCodec(DEFAULT_MAX_DECODED_BYTES);

    /** Where a deployment sets the limit, for messages. */
    static final String LIMIT_SETTING =
            "maxDecodedBytes, set by stemcache.max-analysis-mb" + " or stemcache.client.max-analysis-mb";

    /** Seed of the body checksum: "STMC" read as a big-endian int. */
    static final int CHECKSUM_SEED = 0x53544D43;

    private static final XXHash32 XXHASH = Lz4.HASHES.hash32();

    private final long maxDecodedBytes;

    Lz4ShuffleCodec(long maxDecodedBytes) {
        if (maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("maxDecodedBytes must be positive, got " + maxDecodedBytes);
        }
        this.maxDecodedBytes = maxDecodedBytes;
    }

    @Override
    public long limit() {
        return maxDecodedBytes;
    }

    @Override
    public byte[] encode(AudioAnalysis analysis, Precision precision) {
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(precision, "precision");
        long valueCount = analysis.valueCount();
        if (valueCount > maxDecodedBytes / Double.BYTES) {
            throw new PayloadTooLargeException("analysis " + analysis.fileMetadataId() + "/"
                    + analysis.stemType().code() + " holds " + valueCount * Double.BYTES
                    + " bytes of float64 values, over this codec's limit of " + maxDecodedBytes + " bytes ("
                    + LIMIT_SETTING + ")");
        }
        byte[] payload = write(analysis, precision, false);
        if (!withinRatio(valueCount, payload.length)) {
            // Long constant runs (a silent stem) compress beyond what decoders accept: write them as LZ4 blocks.
            payload = write(analysis, precision, true);
            if (!withinRatio(valueCount, payload.length)) {
                throw new PayloadTooLargeException("analysis " + analysis.fileMetadataId() + "/"
                        + analysis.stemType().code() + " of " + valueCount * Double.BYTES + " bytes of float64 values"
                        + " compresses to " + payload.length + " bytes, beyond the format's " + MAX_COMPRESSION_RATIO
                        + " decoded bytes per payload byte");
            }
        }
        return payload;
    }

    private static byte[] write(AudioAnalysis analysis, Precision precision, boolean dense) {
        long valueCount = analysis.valueCount();
        PayloadWriter out = new PayloadWriter(
                PayloadHeader.BYTES + 4096 + (dense ? 4096 : expectedBodyBytes(valueCount, precision)), dense);
        out.skip(PayloadHeader.BYTES);
        AnalysisBody.write(out, analysis, precision);
        byte[] payload = out.toByteArray();
        int bodyLength = payload.length - PayloadHeader.BYTES;
        new PayloadHeader(
                        PayloadHeader.FORMAT_VERSION, precision, valueCount, bodyLength, checksum(payload, bodyLength))
                .writeTo(payload);
        return payload;
    }

    private static boolean withinRatio(long valueCount, int payloadLength) {
        return valueCount <= AnalysisCodec.maxDecodedBytes(payloadLength) / Double.BYTES;
    }

    @Override
    public AudioAnalysis decode(byte[] payload) {
        PayloadHeader header = checkedHeader(payload);
        return AnalysisBody.read(
                new PayloadReader(payload, PayloadHeader.BYTES, header.valueCount()), header.precision());
    }

    @Override
    public PayloadSummary verify(byte[] payload) {
        PayloadHeader header = checkedHeader(payload);
        return AnalysisBody.summary(new PayloadReader(payload, PayloadHeader.BYTES, header.valueCount()), header);
    }

    @Override
    public byte[] project(byte[] payload, Collection<String> features) {
        PayloadProjection.checkRequest(features);
        byte[] projection = PayloadProjection.project(payload, checkedHeader(payload), features);
        if (withinRatio(PayloadHeader.valueCountOf(projection), projection.length)) {
            return projection;
        }
        // The series' bytes were copied: constant ones that rode along in the whole payload may be too compressed on
        // their own. Rare (a long silent series, silent points); then the projected values are written again, at
        // FLOAT64 (bit-exact to what the original decodes to, whatever its precision) with LZ4 for constant runs.
        AudioAnalysis whole = decode(payload);
        Map<String, double[]> kept = new LinkedHashMap<>();
        whole.analysisData().forEach((name, values) -> {
            if (features.contains(name)) {
                kept.put(name, values);
            }
        });
        return write(
                new AudioAnalysis(
                        whole.fileMetadataId(),
                        whole.stemType(),
                        whole.analysisVersion(),
                        kept,
                        whole.waveformData(),
                        whole.metadata()),
                Precision.FLOAT64,
                true);
    }

    private PayloadHeader checkedHeader(byte[] payload) {
        PayloadHeader header = header(payload);
        int actual = checksum(payload, header.bodyLength());
        if (actual != header.checksum()) {
            throw new CorruptPayloadException("checksum mismatch: the header says 0x"
                    + Integer.toHexString(header.checksum()) + " but the body hashes to 0x"
                    + Integer.toHexString(actual));
        }
        return header;
    }

    /** Checks the header only: the body's checksum is verified by {@link #decode} and {@link #verify}. */
    @Override
    public PayloadHeader header(byte[] payload) {
        return PayloadHeader.read(payload, maxDecodedBytes);
    }

    static int checksum(byte[] payload, int bodyLength) {
        return XXHASH.hash(payload, PayloadHeader.BYTES, bodyLength, CHECKSUM_SEED);
    }

    /** A first guess at the body size, from the ratios measured on the corpus, so the buffer rarely grows. */
    private static long expectedBodyBytes(long valueCount, Precision precision) {
        return switch (precision) {
            case FLOAT64 -> valueCount * 7;
            case FLOAT32 -> valueCount * 4;
            case Q16 -> valueCount * 5 / 2;
        };
    }

    @Override
    public String toString() {
        return "Lz4ShuffleCodec[maxDecodedBytes=" + maxDecodedBytes + "]";
    }
}
