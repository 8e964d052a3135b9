package io.stemcache.core.codec;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.Marker;
import io.stemcache.core.MarkerType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The markers as columns: a type plane, the times (as frame indices when every time is exactly a frame
 * start, else a float64 column), the intensities, and the frequencies of the markers that have one.
 */
final class MarkerColumns {

    /** Type codes 0-3, in this order; bit 2 of a type byte says the frequency column holds the marker's. */
    private static final MarkerType[] TYPES = {MarkerType.BEAT, MarkerType.ONSET, MarkerType.PEAK, MarkerType.DROP};

    private static final int FREQUENCY_STORED = 4;
    private static final int TIMES_AS_SECONDS = 0;
    private static final int TIMES_AS_FRAMES = 1;
    // The one NaN that means "no frequency"; any other NaN is stored so its bits survive.
    private static final long ABSENT_FREQUENCY = Double.doubleToRawLongBits(Double.NaN);

    private MarkerColumns() {}

    static void write(PayloadWriter out, List<Marker> markers, AnalysisMetadata metadata) {
        int m = markers.size();
        out.varint(m);
        byte[] types = new byte[m];
        double[] times = new double[m];
        double[] intensities = new double[m];
        double[] frequencies = new double[m];
        int stored = 0;
        for (int i = 0; i < m; i++) {
            Marker marker = markers.get(i);
            boolean hasFrequency = Double.doubleToRawLongBits(marker.frequency()) != ABSENT_FREQUENCY;
            types[i] = (byte) (typeCode(marker.type()) | (hasFrequency ? FREQUENCY_STORED : 0));
            times[i] = marker.time();
            intensities[i] = marker.intensity();
            if (hasFrequency) {
                frequencies[stored++] = marker.frequency();
            }
        }
        out.plane(types, 0, m);
        if (areFrameStarts(times, metadata)) {
            out.u8(TIMES_AS_FRAMES);
            long previous = 0;
            for (double time : times) {
                long frame = frameOf(time, metadata);
                long d = frame - previous;
                out.varint((d << 1) ^ (d >> 63));
                previous = frame;
            }
        } else {
            out.u8(TIMES_AS_SECONDS);
            FloatColumns.writeExact(out, times, BitPlanes.NONE);
        }
        FloatColumns.writeExact(out, intensities, BitPlanes.NONE);
        FloatColumns.writeExact(out, Arrays.copyOf(frequencies, stored), BitPlanes.NONE);
    }

    static List<Marker> read(PayloadReader in, AnalysisMetadata metadata) {
        in.context("markers");
        int m = in.count("marker count", FloatColumns.MAX_LENGTH);
        in.claimValues(m + " markers", 3L * m);
        byte[] types = new byte[m];
        in.plane(types, 0, m, 0);
        int stored = 0;
        for (int i = 0; i < m; i++) {
            int code = types[i] & 0xFF;
            if ((code & ~(FREQUENCY_STORED | 3)) != 0) {
                throw in.corruptHere("unknown type code 0x" + Integer.toHexString(code) + " of marker " + i);
            }
            stored += (code & FREQUENCY_STORED) >>> 2;
        }
        double[] times = readTimes(in, m, metadata);
        in.context("marker intensities");
        double[] intensities = FloatColumns.readExact(in, m);
        in.context("marker frequencies");
        double[] frequencies = FloatColumns.readExact(in, stored);
        List<Marker> markers = new ArrayList<>(m);
        int next = 0;
        for (int i = 0; i < m; i++) {
            double frequency = (types[i] & FREQUENCY_STORED) != 0 ? frequencies[next++] : Double.NaN;
            markers.add(new Marker(times[i], TYPES[types[i] & 3], intensities[i], frequency));
        }
        return markers;
    }

    private static double[] readTimes(PayloadReader in, int m, AnalysisMetadata metadata) {
        in.context("marker times");
        int layout = in.u8("layout");
        if (layout == TIMES_AS_SECONDS) {
            return FloatColumns.readExact(in, m);
        }
        if (layout != TIMES_AS_FRAMES) {
            throw in.corruptHere("unknown marker time layout " + layout);
        }
        if (metadata.sampleRate() <= 0 || metadata.bufferSize() <= 0) {
            throw in.corruptHere("marker times are frame indices but the metadata's sampleRate " + metadata.sampleRate()
                    + " and bufferSize " + metadata.bufferSize() + " cannot make frames");
        }
        double[] times = new double[m];
        long frame = 0;
        for (int i = 0; i < m; i++) {
            long z = in.varint("frame delta");
            frame += (z >>> 1) ^ -(z & 1);
            times[i] = timeOf(frame, metadata);
        }
        return times;
    }

    /** True when every time is bit-exactly {@code frame * bufferSize / sampleRate} for a whole frame. */
    private static boolean areFrameStarts(double[] times, AnalysisMetadata metadata) {
        if (metadata.sampleRate() <= 0 || metadata.bufferSize() <= 0) {
            return false;
        }
        for (double time : times) {
            if (Double.doubleToRawLongBits(timeOf(frameOf(time, metadata), metadata))
                    != Double.doubleToRawLongBits(time)) {
                return false;
            }
        }
        return true;
    }

    private static long frameOf(double time, AnalysisMetadata metadata) {
        return Math.round(time * metadata.sampleRate() / metadata.bufferSize());
    }

    // The decoder computes exactly this expression; the encoder only uses frames when it gives every time back.
    private static double timeOf(long frame, AnalysisMetadata metadata) {
        return (double) (frame * metadata.bufferSize()) / metadata.sampleRate();
    }

    private static int typeCode(MarkerType type) {
        return switch (type) {
            case BEAT -> 0;
            case ONSET -> 1;
            case PEAK -> 2;
            case DROP -> 3;
        };
    }
}
