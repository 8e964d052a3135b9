package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Payloads large enough that their columns are decoded in parallel. */
class SeriesColumnsTest {

    private static final int SERIES = 24;
    private static final int FRAMES = 20_000;

    private final AnalysisCodec codec = AnalysisCodec.standard();

    @Test
    void largeAnalysis_decodesEveryColumnInItsPlace() {
        AudioAnalysis analysis = randomWalks(new Random(11));
        assertThat(analysis.valueCount()).isGreaterThan(SeriesColumns.PARALLEL_MIN_VALUES);

        AudioAnalysis exact = codec.decode(codec.encode(analysis, Precision.FLOAT64));
        assertThat(exact.analysisData().keySet())
                .containsExactlyElementsOf(analysis.analysisData().keySet());
        analysis.analysisData()
                .forEach((name, values) ->
                        assertThat(exact.analysisData().get(name)).as(name).containsExactly(values));

        AudioAnalysis q16 = codec.decode(codec.encode(analysis, Precision.Q16));
        analysis.analysisData().forEach((name, values) -> {
            double[] decoded = q16.analysisData().get(name);
            for (int i = 0; i < values.length; i++) {
                assertThat(Math.abs(decoded[i] - values[i]))
                        .as(name + "[" + i + "]")
                        .isLessThanOrEqualTo(1.0 / 131_070);
            }
        });
    }

    @Test
    void twoCorruptColumns_theFirstIsNamed_howeverTheWorkWasSplit() {
        byte[] payload = withLyingColumns(5, 20);
        for (int attempt = 0; attempt < 20; attempt++) {
            assertThatThrownBy(() -> codec.decode(payload))
                    .isInstanceOf(CorruptPayloadException.class)
                    .hasMessageContaining("series 's5'")
                    .hasMessageContaining("malformed LZ4 block");
        }
    }

    /** Series s0..s23 of random walks in [0, 1]; series {@code lying} hold an LZ4 block that does not decode. */
    private static byte[] withLyingColumns(int... lying) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < SERIES; k++) {
            names.add("s" + k);
        }
        PayloadWriter body = TestPayloads.body(names);
        body.varint(SERIES);
        Random random = new Random(3);
        for (int k = 0; k < SERIES; k++) {
            body.string("s" + k, 256, "name");
            if (List.of(lying[0], lying[1]).contains(k)) {
                body.varint(FRAMES);
                body.u8(BitPlanes.NONE);
                body.u8(PayloadWriter.LZ4);
                body.bytes(new byte[] {3, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF}, 0, 4); // a literal run past the block
                for (int plane = 1; plane < 22; plane++) {
                    body.u8(PayloadWriter.CONST);
                    body.u8(0);
                }
            } else {
                FloatColumns.writeExact(body, walk(random), BitPlanes.DELTA);
            }
        }
        return TestPayloads.seal(body, Precision.FLOAT64, (long) SERIES * FRAMES);
    }

    private static AudioAnalysis randomWalks(Random random) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int k = 0; k < SERIES; k++) {
            series.put("s" + k, walk(random));
        }
        return TestPayloads.analysis(series, new double[] {0.5}, List.of());
    }

    private static double[] walk(Random random) {
        double[] values = new double[FRAMES];
        double x = random.nextDouble();
        for (int i = 0; i < FRAMES; i++) {
            x = Math.min(1, Math.max(0, x + (random.nextDouble() - 0.5) * 0.05));
            values[i] = x;
        }
        return values;
    }
}
