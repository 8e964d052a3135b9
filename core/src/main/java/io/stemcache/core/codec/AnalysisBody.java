package io.stemcache.core.codec;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.Waveform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The payload body: the envelope (ids and metadata), the series, the waveform points and the markers. */
final class AnalysisBody {

    /** Longest name or version in UTF-8 bytes: 64 characters of up to 4 bytes. */
    static final int MAX_NAME_BYTES = 4 * AudioAnalysis.MAX_FEATURE_NAME_LENGTH;

    /** Most series, and most entries in featuresExtracted, one payload holds. */
    static final int MAX_SERIES = 4096;

    /** Stem codes 0-4, in this order. */
    private static final StemType[] STEMS = {
        StemType.MASTER, StemType.DRUMS, StemType.BASS, StemType.VOCALS, StemType.OTHER
    };

    private AnalysisBody() {}

    static void write(PayloadWriter out, AudioAnalysis analysis, Precision precision) {
        UUID id = analysis.fileMetadataId();
        out.i64(Long.reverseBytes(id.getMostSignificantBits()));
        out.i64(Long.reverseBytes(id.getLeastSignificantBits()));
        out.u8(stemCode(analysis.stemType()));
        out.string(analysis.analysisVersion(), MAX_NAME_BYTES, "analysisVersion");
        AnalysisMetadata metadata = analysis.metadata();
        out.i32(metadata.sampleRate());
        out.f64(metadata.duration());
        out.i32(metadata.bufferSize());
        out.f64(metadata.analysisDuration());
        List<String> features = metadata.featuresExtracted();
        checkCount(features.size(), "metadata featuresExtracted");
        out.varint(features.size());
        for (String feature : features) {
            out.string(feature, MAX_NAME_BYTES, "metadata featuresExtracted entry");
        }
        Waveform waveform = analysis.waveformData();
        out.i32(waveform.sampleRate());
        out.f64(waveform.duration());

        checkCount(analysis.analysisData().size(), "analysisData");
        out.varint(analysis.analysisData().size());
        for (Map.Entry<String, double[]> series : analysis.analysisData().entrySet()) {
            String name = series.getKey();
            double[] values = series.getValue();
            if (values.length > FloatColumns.MAX_LENGTH) {
                throw new PayloadTooLargeException("series '" + name + "' holds " + values.length
                        + " values, over the format's " + FloatColumns.MAX_LENGTH + " per series");
            }
            out.string(name, MAX_NAME_BYTES, "series name");
            switch (precision) {
                case FLOAT64 -> FloatColumns.writeExact(out, values, BitPlanes.DELTA);
                case FLOAT32 -> FloatColumns.writeFloat32(out, name, values);
                case Q16 -> FloatColumns.writeQ16(out, name, values);
            }
        }
        // Points are float32 samples: without a delta their 3 low bytes are constant zero planes.
        FloatColumns.writeExact(out, waveform.points(), BitPlanes.NONE);
        MarkerColumns.write(out, waveform.markers(), metadata);
    }

    /** The envelope: everything before the columns. */
    private record Envelope(
            UUID fileMetadataId,
            StemType stemType,
            String analysisVersion,
            AnalysisMetadata metadata,
            int waveformSampleRate,
            double waveformDuration) {}

    /** Reads and checks the envelope, leaving {@code in} at the series count. */
    static PayloadSummary summary(PayloadReader in, PayloadHeader header) {
        Envelope envelope = readEnvelope(in);
        return new PayloadSummary(
                header,
                envelope.fileMetadataId(),
                envelope.stemType(),
                envelope.analysisVersion(),
                envelope.metadata());
    }

    private static Envelope readEnvelope(PayloadReader in) {
        byte[] uuid = new byte[16];
        in.bytes(uuid, 0, 16, "fileMetadataId");
        UUID id = new UUID(bigEndian(uuid, 0), bigEndian(uuid, 8));
        int stem = in.u8("stem code");
        if (stem >= STEMS.length) {
            throw in.corruptHere("unknown stem code " + stem);
        }
        String version = in.string("analysisVersion", MAX_NAME_BYTES);
        int sampleRate = in.i32("metadata sampleRate");
        double duration = in.f64("metadata duration");
        int bufferSize = in.i32("metadata bufferSize");
        double analysisDuration = in.f64("metadata analysisDuration");
        int featureCount = in.count("featuresExtracted count", MAX_SERIES);
        List<String> features = new ArrayList<>(Math.min(featureCount, 64));
        for (int i = 0; i < featureCount; i++) {
            features.add(in.string("featuresExtracted entry", MAX_NAME_BYTES));
        }
        int waveformSampleRate = in.i32("waveform sampleRate");
        double waveformDuration = in.f64("waveform duration");
        try {
            return new Envelope(
                    id,
                    STEMS[stem],
                    version,
                    new AnalysisMetadata(sampleRate, duration, bufferSize, features, analysisDuration),
                    waveformSampleRate,
                    waveformDuration);
        } catch (IllegalArgumentException e) {
            throw in.corrupt("payload envelope is invalid: " + e.getMessage(), e);
        }
    }

    static AudioAnalysis read(PayloadReader in, Precision precision) {
        Envelope envelope = readEnvelope(in);
        AnalysisMetadata metadata = envelope.metadata();
        try {
            Map<String, double[]> series = readSeries(in, precision);
            Waveform waveform = readWaveform(in, envelope);
            in.expectEnd();
            return new AudioAnalysis(
                    envelope.fileMetadataId(),
                    envelope.stemType(),
                    envelope.analysisVersion(),
                    series,
                    waveform,
                    metadata);
        } catch (IllegalArgumentException e) {
            throw in.corrupt("payload decodes to an invalid analysis: " + e.getMessage(), e);
        }
    }

    /** Where the parts of a checked body start: the series count, each series, the waveform points. */
    record Layout(int seriesAt, SeriesIndex series, int pointsAt) {}

    /**
     * Checks a body as {@link #read} does, except that the series columns are checked and stepped over as
     * {@link AnalysisCodec#verify} would, not decoded (their LZ4 blocks are not opened), and says where its parts are.
     */
    static Layout layout(PayloadReader in, Precision precision) {
        Envelope envelope = readEnvelope(in);
        int seriesAt = in.position();
        SeriesIndex series = indexSeries(in, precision);
        int pointsAt = in.position();
        try {
            readWaveform(in, envelope);
        } catch (IllegalArgumentException e) {
            throw in.corrupt("payload decodes to an invalid waveform: " + e.getMessage(), e);
        }
        in.expectEnd();
        return new Layout(seriesAt, series, pointsAt);
    }

    private static Waveform readWaveform(PayloadReader in, Envelope envelope) {
        in.context("waveform points");
        double[] points = FloatColumns.readExact(in);
        if (points.length > Waveform.MAX_POINTS) {
            throw in.corruptHere(points.length + " waveform points, over the " + Waveform.MAX_POINTS + " allowed");
        }
        return new Waveform(
                points,
                envelope.waveformSampleRate(),
                envelope.waveformDuration(),
                MarkerColumns.read(in, envelope.metadata()));
    }

    private static Map<String, double[]> readSeries(PayloadReader in, Precision precision) {
        SeriesIndex index = indexSeries(in, precision);
        double[][] values = SeriesColumns.decode(in, precision, index.contexts(), index.columnStarts(), index.sizes());
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            series.put(index.names().get(k), values[k]);
        }
        return series;
    }

    /**
     * Where each series is in a payload body: its name, where its name starts ({@code starts}), where its
     * column starts, where it ends, and how many values it holds; indexed in the payload's order.
     */
    record SeriesIndex(
            List<String> names, String[] contexts, int[] starts, int[] columnStarts, int[] ends, long[] sizes) {}

    /**
     * The first pass over the series: names and column structure checked, columns stepped over (their values
     * claimed from the header's budget) without being decoded. Leaves {@code in} at the waveform points.
     */
    static SeriesIndex indexSeries(PayloadReader in, Precision precision) {
        int count = in.count("series count", MAX_SERIES);
        Set<String> names = new LinkedHashSet<>();
        String[] contexts = new String[count];
        int[] starts = new int[count];
        int[] columnStarts = new int[count];
        int[] ends = new int[count];
        long[] sizes = new long[count];
        for (int k = 0; k < count; k++) {
            in.context("series " + k);
            starts[k] = in.position();
            String name = in.string("name", MAX_NAME_BYTES);
            if (name.isEmpty() || name.length() > AudioAnalysis.MAX_FEATURE_NAME_LENGTH || !names.add(name)) {
                throw in.corruptHere("series name '" + printable(name) + "' is empty, too long or repeated");
            }
            contexts[k] = "series '" + printable(name) + "'";
            in.context(contexts[k]);
            columnStarts[k] = in.position();
            long left = in.valuesLeft();
            FloatColumns.skip(in, precision);
            sizes[k] = left - in.valuesLeft();
            ends[k] = in.position();
        }
        return new SeriesIndex(List.copyOf(names), contexts, starts, columnStarts, ends, sizes);
    }

    private static void checkCount(int count, String what) {
        if (count > MAX_SERIES) {
            throw new IllegalArgumentException(what + " holds " + count + " entries, over the format's " + MAX_SERIES);
        }
    }

    /** The name with control characters replaced, safe in a message or a log line. */
    static String printable(String name) {
        return name.chars().anyMatch(Character::isISOControl) ? name.replaceAll("\\p{Cntrl}", "?") : name;
    }

    private static int stemCode(StemType stem) {
        return switch (stem) {
            case MASTER -> 0;
            case DRUMS -> 1;
            case BASS -> 2;
            case VOCALS -> 3;
            case OTHER -> 4;
        };
    }

    private static long bigEndian(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
