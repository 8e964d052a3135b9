package io.stemcache.core.codec;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.testing.Analyses;
import java.util.Map;

/** The lossy precisions' stated error bounds, checked value by value. */
final class CodecAssertions {

    private CodecAssertions() {}

    /** FLOAT32: relative error at most 2^-24 (absolute 2^-150 below float32's normal range). */
    static void assertWithinFloat32Bound(AudioAnalysis expected, AudioAnalysis actual) {
        assertSameShape(expected, actual);
        for (Map.Entry<String, double[]> series : expected.analysisData().entrySet()) {
            double[] x = series.getValue();
            double[] y = actual.analysisData().get(series.getKey());
            for (int i = 0; i < x.length; i++) {
                double bound = Math.max(Math.abs(x[i]) * 0x1p-24, 0x1p-150);
                if (!(Math.abs(x[i] - y[i]) <= bound) && Double.compare(x[i], y[i]) != 0) {
                    throw new AssertionError("series '" + series.getKey() + "'[" + i + "]: " + x[i] + " decoded as "
                            + y[i] + ", error over " + bound);
                }
            }
        }
        exactExceptSeries(expected, actual);
    }

    /** Q16: absolute error at most (max - min) / 131070 of each series. */
    static void assertWithinQ16Bound(AudioAnalysis expected, AudioAnalysis actual) {
        assertWithinQ16Bound(expected, actual, false);
    }

    /**
     * Q16, optionally allowing half an ulp of the series' largest magnitude on top: the float64 rounding
     * of the decoded value itself, which matters only for ranges narrow for their magnitude.
     */
    static void assertWithinQ16Bound(AudioAnalysis expected, AudioAnalysis actual, boolean plusHalfUlp) {
        assertSameShape(expected, actual);
        for (Map.Entry<String, double[]> series : expected.analysisData().entrySet()) {
            double[] x = series.getValue();
            double[] y = actual.analysisData().get(series.getKey());
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : x) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double bound =
                    (max - min) / 131070 + (plusHalfUlp ? Math.ulp(Math.max(Math.abs(min), Math.abs(max))) / 2 : 0);
            for (int i = 0; i < x.length; i++) {
                if (!(Math.abs(x[i] - y[i]) <= bound)) {
                    throw new AssertionError("series '" + series.getKey() + "'[" + i + "]: " + x[i] + " decoded as "
                            + y[i] + ", error " + Math.abs(x[i] - y[i]) + " over " + bound);
                }
            }
        }
        exactExceptSeries(expected, actual);
    }

    private static void assertSameShape(AudioAnalysis expected, AudioAnalysis actual) {
        if (!expected.analysisData().keySet().stream()
                .toList()
                .equals(actual.analysisData().keySet().stream().toList())) {
            throw new AssertionError(
                    "series names differ: " + expected.analysisData().keySet() + " vs "
                            + actual.analysisData().keySet());
        }
        expected.analysisData().forEach((name, values) -> {
            if (values.length != actual.analysisData().get(name).length) {
                throw new AssertionError("series '" + name + "' length differs");
            }
        });
    }

    private static void exactExceptSeries(AudioAnalysis expected, AudioAnalysis actual) {
        Analyses.assertBitExact(expected.waveformData(), actual.waveformData());
        if (!expected.metadata().equals(actual.metadata())
                || !expected.fileMetadataId().equals(actual.fileMetadataId())
                || expected.stemType() != actual.stemType()
                || !expected.analysisVersion().equals(actual.analysisVersion())) {
            throw new AssertionError("envelope differs: " + expected + " vs " + actual);
        }
    }
}
