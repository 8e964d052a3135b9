package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Analyses;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Hostile payloads: each one is refused with a {@link CorruptPayloadException} that names the problem. */
class Lz4ShuffleCodecRejectsTest {

    private static final List<String> RMS = List.of("rms");

    private final AnalysisCodec codec = AnalysisCodec.standard();
    private final byte[] valid = codec.encode(TestPayloads.awkward(), Precision.FLOAT64);

    @Test
    void decode_nullOrEmptyOrShort_namesTheLength() {
        rejects(null).hasMessage("payload is null");
        rejects(new byte[0]).hasMessageContaining("payload is 0 bytes, shorter than the 24-byte header");
        rejects(Arrays.copyOf(valid, 23)).hasMessageContaining("truncated at byte 23");
    }

    @Test
    void decode_wrongMagic_namesTheMagic() {
        byte[] payload = valid.clone();
        payload[0] = '{';
        rejects(payload).hasMessageContaining("does not start with the magic 'STMC' but with 0x7b544d43");
    }

    @Test
    void decode_unknownVersionPrecisionOrFlags_namesTheField() {
        rejects(withByte(4, 2)).hasMessageContaining("unsupported format version 2");
        rejects(withByte(5, 3)).hasMessageContaining("unknown precision code 3");
        rejects(withByte(6, 1)).hasMessageContaining("unknown header flag bits 0x1");
        rejects(withByte(7, 0x80)).hasMessageContaining("unknown header flag bits 0x8000");
    }

    @Test
    void decode_bodyLengthLie_namesBothLengths() {
        int body = valid.length - 24;
        rejects(TestPayloads.concat(valid, new byte[1]))
                .hasMessageContaining("header says the body is " + body + " bytes but " + (body + 1) + " follow");
    }

    @Test
    void decode_bodyChanged_failsTheChecksumBeforeParsing() {
        byte[] payload = valid.clone();
        payload[40] ^= 1;
        rejects(payload).hasMessageStartingWith("checksum mismatch: the header says 0x");
    }

    @Test
    void decode_valueCountOverTheLimit_namesTheLimitAndTheSetting() {
        AnalysisCodec small = AnalysisCodec.withMaxDecodedBytes(100);
        assertThatThrownBy(() -> small.decode(valid))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("over this codec's limit of 100 decoded bytes")
                .hasMessageContaining("stemcache.max-analysis-mb");
        assertThatThrownBy(() -> small.header(valid)).isInstanceOf(CorruptPayloadException.class);
        rejects(TestPayloads.reseal(valid.clone(), Precision.FLOAT64, -1)).hasMessageContaining("18446744073709551615");
    }

    @Test
    void decode_truncatedAtEvery50th_namesTheTruncation() {
        for (int k = 1; k < 50; k++) {
            byte[] cut = Arrays.copyOf(valid, valid.length * k / 50);
            if (cut.length < 24) {
                rejects(cut).hasMessageContaining("shorter than the 24-byte header");
                continue;
            }
            rejects(cut).hasMessageContaining("header says the body is");
            rejects(TestPayloads.reseal(cut)).hasMessageContaining("truncated at byte");
        }
    }

    @Test
    void decode_handMadeBody_decodes() {
        PayloadWriter body = TestPayloads.body(RMS);
        body.varint(1);
        body.string("rms", 256, "name");
        FloatColumns.writeExact(body, new double[] {1, 2, 3}, BitPlanes.DELTA);
        noPointsNoMarkers(body);

        AudioAnalysis decoded = codec.decode(TestPayloads.seal(body, Precision.FLOAT64, 3));

        Analyses.assertBitExact(
                TestPayloads.analysis(Map.of("rms", new double[] {1, 2, 3}), new double[0], List.of()), decoded);
    }

    @Test
    void decode_seriesLengthOverTheHeader_namesTheSeriesAndTheLimit() {
        PayloadWriter body = rmsHeader();
        body.varint(99_999_999);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 3))
                .hasMessageContaining("series 'rms' length 99999999 exceeds the limit of 3 values");
    }

    @Test
    void decode_tooManySeries_namesTheCount() {
        PayloadWriter body = TestPayloads.body(RMS);
        body.varint(5000);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 3))
                .hasMessageContaining("series count 5000")
                .hasMessageContaining("exceeds the limit of 4096");
    }

    @Test
    void decode_unknownPlaneModeOrPreTransform_namesIt() {
        PayloadWriter body = rmsHeader();
        body.varint(3);
        body.u8(BitPlanes.DELTA);
        body.u8(7);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 3))
                .hasMessageContaining("unknown plane mode 7")
                .hasMessageContaining("series 'rms', plane 0");

        body = rmsHeader();
        body.varint(3);
        body.u8(5);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 3)).hasMessageContaining("unknown pre-transform 5");
    }

    @Test
    void decode_lz4BlockLies_namesTheBlock() {
        // Claims 1000 compressed bytes with 3 left.
        rejects(lz4Plane(new byte[] {(byte) 0xE8, 0x07, 0, 0, 0}))
                .hasMessageContaining("truncated at byte")
                .hasMessageContaining("LZ4 block of plane 0 needs 1000 bytes");
        // A literal run longer than the block.
        rejects(lz4Plane(new byte[] {3, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF}))
                .hasMessageContaining("malformed LZ4 block");
        // A valid block of 2 bytes for a plane of 3.
        rejects(lz4Plane(new byte[] {3, 0x20, 1, 2})).hasMessageContaining("holds 2 bytes, expected 3");
        rejects(lz4Plane(new byte[] {0})).hasMessageContaining("empty LZ4 block");
    }

    @Test
    void decode_envelopeStringsLie_nameTheField() {
        PayloadWriter body = new PayloadWriter(64);
        body.skip(24);
        body.bytes(new byte[16], 0, 16);
        body.u8(1);
        body.varint(300);
        body.bytes(new byte[300], 0, 300);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 0))
                .hasMessageContaining("analysisVersion length 300 at byte 41 exceeds the limit of 256");

        body = TestPayloads.body(RMS);
        body.varint(1);
        body.varint(2);
        body.bytes(new byte[] {(byte) 0xC3, 0x28}, 0, 2);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 0)).hasMessageContaining("is not valid UTF-8");
    }

    @Test
    void decode_unknownStemCode_namesIt() {
        byte[] payload = valid.clone();
        payload[24 + 16] = 9;
        rejects(TestPayloads.reseal(payload)).hasMessageContaining("unknown stem code 9");
    }

    @Test
    void decode_repeatedSeriesName_namesIt() {
        PayloadWriter body = TestPayloads.body(RMS);
        body.varint(2);
        for (int k = 0; k < 2; k++) {
            body.string("rms", 256, "name");
            FloatColumns.writeExact(body, new double[] {1}, BitPlanes.DELTA);
        }
        noPointsNoMarkers(body);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 2))
                .hasMessageContaining("series name 'rms'")
                .hasMessageContaining("repeated");
    }

    @Test
    void decode_markersLie_nameTheMarkers() {
        rejects(markers(3, body -> body.varint(1_000_000)))
                .hasMessageContaining("1000000 markers hold 3000000 values, over the 3 left of the header's 3");
        rejects(markers(3, body -> {
                    body.varint(1);
                    body.u8(PayloadWriter.RAW);
                    body.u8(8);
                }))
                .hasMessageContaining("unknown type code 0x8 of marker 0");
        rejects(markers(3, body -> {
                    body.varint(1);
                    body.u8(PayloadWriter.CONST);
                    body.u8(0);
                    body.u8(2);
                }))
                .hasMessageContaining("unknown marker time layout 2");
        rejects(markers(3, body -> {
                    body.varint(1);
                    body.u8(PayloadWriter.CONST);
                    body.u8(0);
                    body.u8(1);
                    body.varint(4);
                    FloatColumns.writeExact(body, new double[] {0.5}, BitPlanes.NONE);
                    FloatColumns.writeExact(body, new double[] {440}, BitPlanes.NONE);
                }))
                .hasMessageContaining("column length 1 does not match the 0 expected")
                .hasMessageContaining("marker frequencies");
    }

    @Test
    void decode_frameTimesWithoutABufferSize_namesTheMetadata() {
        PayloadWriter body = TestPayloads.body(List.of(), 0);
        body.varint(0);
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
        body.varint(1);
        body.u8(PayloadWriter.CONST);
        body.u8(0);
        body.u8(1);
        body.varint(2);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 3))
                .hasMessageContaining("sampleRate 44100 and bufferSize 0 cannot make frames");
    }

    @Test
    void decode_q16RangeNotOrdered_namesTheRange() {
        PayloadWriter body = rmsHeader();
        body.varint(3);
        body.f64(2.0);
        body.f64(1.0);
        rejects(TestPayloads.seal(body, Precision.Q16, 3))
                .hasMessageContaining("Q16 range 2.0 to 1.0 is not a finite, ordered range");
    }

    @Test
    void decode_bodyAndHeaderDisagree_namesTheCounts() {
        long values = TestPayloads.awkward().valueCount();
        byte[] moreValues = TestPayloads.reseal(valid.clone(), Precision.FLOAT64, values + 1);
        rejects(moreValues)
                .hasMessageContaining("the body holds " + values + " values but the header says " + (values + 1));

        byte[] trailing = TestPayloads.reseal(TestPayloads.concat(valid, new byte[] {0, 0}));
        rejects(trailing).hasMessageContaining("2 unexpected bytes after the markers");
    }

    @Test
    void decode_varintOver64Bits_namesIt() {
        PayloadWriter body = TestPayloads.body(RMS);
        byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0xFF);
        body.bytes(eleven, 0, 11);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 0)).hasMessageContaining("overflows 64 bits");
    }

    @Test
    void decode_validStructureButInvalidAnalysis_namesTheModelRule() {
        PayloadWriter body = TestPayloads.body(RMS);
        body.varint(0);
        FloatColumns.writeExact(body, new double[2001], BitPlanes.NONE);
        rejects(TestPayloads.seal(body, Precision.FLOAT64, 2001))
                .hasMessageContaining("2001 waveform points, over the 2000 allowed");

        byte[] blankVersion = valid.clone();
        int version = 24 + 16 + 1 + 1;
        blankVersion[version] = ' ';
        blankVersion[version + 1] = ' ';
        blankVersion[version + 2] = ' ';
        rejects(TestPayloads.reseal(blankVersion))
                .hasMessageContaining("payload decodes to an invalid analysis")
                .hasMessageContaining("analysisVersion must be 1 to 20 characters");
    }

    private byte[] withByte(int index, int value) {
        byte[] payload = valid.clone();
        payload[index] = (byte) value;
        return payload;
    }

    /** A body up to the start of series 'rms''s column. */
    private static PayloadWriter rmsHeader() {
        PayloadWriter body = TestPayloads.body(RMS);
        body.varint(1);
        body.string("rms", 256, "name");
        return body;
    }

    /** A payload whose series 'rms' has 3 values and a first plane in LZ4 mode followed by {@code block}. */
    private static byte[] lz4Plane(byte[] block) {
        PayloadWriter body = rmsHeader();
        body.varint(3);
        body.u8(BitPlanes.NONE);
        body.u8(PayloadWriter.LZ4);
        body.bytes(block, 0, block.length);
        // The column's other 5 byte planes and 16 bit planes, constant: the column is whole, only the block lies.
        for (int plane = 1; plane < 22; plane++) {
            body.u8(PayloadWriter.CONST);
            body.u8(0);
        }
        return TestPayloads.seal(body, Precision.FLOAT64, 3);
    }

    private static byte[] markers(long valueCount, Consumer<PayloadWriter> markers) {
        PayloadWriter body = TestPayloads.body(RMS);
        body.varint(0);
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
        markers.accept(body);
        return TestPayloads.seal(body, Precision.FLOAT64, valueCount);
    }

    private static void noPointsNoMarkers(PayloadWriter body) {
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
        body.varint(0);
        body.u8(PayloadWriter.RAW);
        body.u8(1);
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
        FloatColumns.writeExact(body, new double[0], BitPlanes.NONE);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> rejects(byte[] payload) {
        return assertThatThrownBy(() -> codec.decode(payload)).isInstanceOf(CorruptPayloadException.class);
    }
}
