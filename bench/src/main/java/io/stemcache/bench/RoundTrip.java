package io.stemcache.bench;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How a decoded analysis compares with the original: whether every value is bit-exact (compared with
 * {@link Double#doubleToRawLongBits}, so -0.0 and NaN payloads count) and the largest absolute error.
 *
 * @param bitExact    every number, name and field identical
 * @param maxAbsError largest |original - decoded| over all values; infinite if the shapes differ
 */
record RoundTrip(boolean bitExact, double maxAbsError) {

    static RoundTrip compare(AudioAnalysis original, AudioAnalysis decoded) {
        Errors errors = new Errors();
        errors.same(original.fileMetadataId().equals(decoded.fileMetadataId())
                && original.stemType() == decoded.stemType()
                && original.analysisVersion().equals(decoded.analysisVersion())
                && original.metadata().equals(decoded.metadata())
                && original.analysisData().size() == decoded.analysisData().size());
        Iterator<Map.Entry<String, double[]>> theirs =
                decoded.analysisData().entrySet().iterator();
        for (Map.Entry<String, double[]> mine : original.analysisData().entrySet()) {
            if (!theirs.hasNext()) {
                break;
            }
            Map.Entry<String, double[]> other = theirs.next();
            errors.same(mine.getKey().equals(other.getKey()));
            errors.values(mine.getValue(), other.getValue());
        }
        errors.values(original.waveformData().points(), decoded.waveformData().points());
        errors.same(
                original.waveformData().sampleRate() == decoded.waveformData().sampleRate());
        errors.value(original.waveformData().duration(), decoded.waveformData().duration());
        List<Marker> markers = original.waveformData().markers();
        List<Marker> others = decoded.waveformData().markers();
        errors.same(markers.size() == others.size());
        for (int i = 0; i < Math.min(markers.size(), others.size()); i++) {
            Marker a = markers.get(i);
            Marker b = others.get(i);
            errors.same(a.type() == b.type());
            errors.value(a.time(), b.time());
            errors.value(a.intensity(), b.intensity());
            errors.value(a.frequency(), b.frequency());
        }
        return new RoundTrip(errors.exact, errors.max);
    }

    private static final class Errors {
        boolean exact = true;
        double max;

        void same(boolean same) {
            if (!same) {
                exact = false;
                max = Double.POSITIVE_INFINITY;
            }
        }

        void values(double[] a, double[] b) {
            same(a.length == b.length);
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                value(a[i], b[i]);
            }
        }

        void value(double a, double b) {
            if (Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b)) {
                return;
            }
            exact = false;
            // Two NaNs with other payloads are equal in value; anything else counts by its distance.
            double error = Double.isNaN(a) && Double.isNaN(b) ? 0 : Math.abs(a - b);
            max = Double.isNaN(error) ? Double.POSITIVE_INFINITY : Math.max(max, error);
        }
    }
}
