package io.stemcache.core.codec;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cuts a payload down to some of its series without decoding them: each series is one contiguous run of
 * bytes (its name, then its column's planes), so the projection is the original's envelope, a new series count,
 * the chosen series' bytes copied as they are, and the original's waveform points and markers, behind a new
 * header (value count, body length, checksum).
 *
 * <p>The series keep the payload's order, whatever the order asked for, so the same set of names always
 * gives the same bytes; a name asked for twice is taken once. The envelope, featuresExtracted included, is
 * the original's: it says what the analysis extracted, not what this payload holds.
 */
final class PayloadProjection {

    private PayloadProjection() {}

    /**
     * Projects a payload whose header (and checksum) {@code header} has checked, for names
     * {@link #checkRequest} accepted: checks the body as
     * {@link AnalysisBody#layout} does, then copies. Allocates only the index of the series (at most 4096) and
     * the projection, which is never longer than the payload.
     */
    static byte[] project(byte[] payload, PayloadHeader header, Collection<String> features) {
        PayloadReader in = new PayloadReader(payload, PayloadHeader.BYTES, header.valueCount());
        AnalysisBody.Layout layout = AnalysisBody.layout(in, header.precision());
        AnalysisBody.SeriesIndex series = layout.series();
        boolean[] kept = select(series.names(), features);

        int keptCount = 0;
        long keptBytes = 0;
        long droppedValues = 0;
        for (int k = 0; k < kept.length; k++) {
            if (kept[k]) {
                keptCount++;
                keptBytes += series.ends()[k] - series.starts()[k];
            } else {
                droppedValues += series.sizes()[k];
            }
        }
        int envelopeEnd = layout.seriesAt();
        int tail = payload.length - layout.pointsAt();
        PayloadWriter out = new PayloadWriter(envelopeEnd + 10 + keptBytes + tail);
        out.skip(PayloadHeader.BYTES);
        out.bytes(payload, PayloadHeader.BYTES, envelopeEnd - PayloadHeader.BYTES);
        out.varint(keptCount);
        for (int k = 0; k < kept.length; k++) {
            if (kept[k]) {
                out.bytes(payload, series.starts()[k], series.ends()[k] - series.starts()[k]);
            }
        }
        out.bytes(payload, layout.pointsAt(), tail);
        byte[] projection = out.toByteArray();
        int bodyLength = projection.length - PayloadHeader.BYTES;
        new PayloadHeader(
                        PayloadHeader.FORMAT_VERSION,
                        header.precision(),
                        header.valueCount() - droppedValues,
                        bodyLength,
                        Lz4ShuffleCodec.checksum(projection, bodyLength))
                .writeTo(projection);
        return projection;
    }

    /** Fails on the caller's mistakes (no names, a null name); run before the payload is read. */
    static void checkRequest(Collection<String> features) {
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException(
                    "name at least one feature to project, got " + (features == null ? "null" : "none"));
        }
        for (String feature : features) {
            if (feature == null) {
                throw new IllegalArgumentException("feature names must not be null, got " + features);
            }
        }
    }

    /** Which series, in payload order, are asked for; fails naming every unknown name and the known ones. */
    private static boolean[] select(List<String> names, Collection<String> features) {
        Set<String> wanted = new HashSet<>(features);
        boolean[] kept = new boolean[names.size()];
        for (int k = 0; k < kept.length; k++) {
            kept[k] = wanted.remove(names.get(k));
        }
        if (!wanted.isEmpty()) {
            Set<String> unknown = new LinkedHashSet<>();
            for (String feature : features) {
                if (wanted.contains(feature)) {
                    unknown.add(feature);
                }
            }
            throw new IllegalArgumentException("unknown feature" + (unknown.size() == 1 ? " " : "s ") + quoted(unknown)
                    + "; this analysis holds " + (names.isEmpty() ? "no series" : quoted(names)));
        }
        return kept;
    }

    private static String quoted(Collection<String> names) {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            text.append(text.isEmpty() ? "" : ", ")
                    .append('\'')
                    .append(AnalysisBody.printable(name))
                    .append('\'');
        }
        return text.toString();
    }
}
