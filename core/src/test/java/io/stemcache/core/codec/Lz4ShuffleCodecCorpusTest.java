package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every corpus file through the codec at every precision, and the stored size against the JSON. */
class Lz4ShuffleCodecCorpusTest {

    /** Measured 0.3499 when the format was fixed; the bound only catches a regression. */
    private static final double MAX_FLOAT64_TO_JSON = 0.352;

    private final AnalysisCodec codec = AnalysisCodec.standard();

    static List<Path> files() {
        return Corpus.files();
    }

    @ParameterizedTest
    @MethodSource("files")
    void encode_corpusFile_roundTripsAtEveryPrecisionWithinItsBound(Path file) {
        AudioAnalysis analysis = Corpus.load(file);

        byte[] exact = codec.encode(analysis, Precision.FLOAT64);
        assertThat(codec.header(exact).precision()).isEqualTo(Precision.FLOAT64);
        Analyses.assertBitExact(analysis, codec.decode(exact));

        byte[] float32 = codec.encode(analysis, Precision.FLOAT32);
        assertThat(codec.header(float32).precision()).isEqualTo(Precision.FLOAT32);
        CodecAssertions.assertWithinFloat32Bound(analysis, codec.decode(float32));

        byte[] q16 = codec.encode(analysis, Precision.Q16);
        assertThat(codec.header(q16).precision()).isEqualTo(Precision.Q16);
        CodecAssertions.assertWithinQ16Bound(analysis, codec.decode(q16));

        assertThat(q16.length).isLessThan(float32.length).isLessThan(exact.length);
    }

    @Test
    void encode_float64_storesAtMost0352OfTheJson() {
        long json = 0;
        long stored = 0;
        for (Path file : Corpus.files()) {
            json += Corpus.json(file).length;
            stored += codec.encode(Corpus.load(file), Precision.FLOAT64).length;
        }
        double ratio = (double) stored / json;
        System.out.printf("codec FLOAT64 stored/JSON over the corpus: %d / %d = %.4f%n", stored, json, ratio);
        assertThat(ratio).isLessThanOrEqualTo(MAX_FLOAT64_TO_JSON);
    }
}
