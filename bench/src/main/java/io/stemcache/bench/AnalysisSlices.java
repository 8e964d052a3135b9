package io.stemcache.bench;

import io.stemcache.core.AnalysisMetadata;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.Marker;
import io.stemcache.core.Waveform;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Shorter analyses cut from real ones, for benchmarks that need many distinct entries: a window of
 * frames of every series, the markers inside it (times shifted to its start), the waveform kept whole.
 */
final class AnalysisSlices {

    private AnalysisSlices() {}

    static int frames(AudioAnalysis analysis) {
        return analysis.analysisData().values().stream()
                .mapToInt(s -> s.length)
                .max()
                .orElse(0);
    }

    /** Frames {@code [from, from + frames)} of {@code source} as the analysis of file {@code fileId}. */
    static AudioAnalysis slice(AudioAnalysis source, int from, int frames, UUID fileId) {
        int available = frames(source);
        if (from < 0 || frames < 1 || from + frames > available) {
            throw new IllegalArgumentException(
                    "frames " + from + " to " + (from + frames) + " of an analysis of " + available + " frames");
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        source.analysisData()
                .forEach((name, values) -> series.put(name, Arrays.copyOfRange(values, from, from + frames)));
        AnalysisMetadata metadata = source.metadata();
        double secondsPerFrame = (double) metadata.bufferSize() / metadata.sampleRate();
        double start = from * secondsPerFrame;
        double duration = frames * secondsPerFrame;
        Waveform waveform = source.waveformData();
        List<Marker> markers = waveform.markers().stream()
                .filter(m -> m.time() >= start && m.time() < start + duration)
                .map(m -> new Marker(m.time() - start, m.type(), m.intensity(), m.frequency()))
                .toList();
        return new AudioAnalysis(
                fileId,
                source.stemType(),
                source.analysisVersion(),
                series,
                new Waveform(waveform.points(), waveform.sampleRate(), duration, markers),
                new AnalysisMetadata(
                        metadata.sampleRate(),
                        duration,
                        metadata.bufferSize(),
                        metadata.featuresExtracted(),
                        metadata.analysisDuration()));
    }

    /**
     * The {@code index}-th of a family of distinct analyses of {@code frames} frames each: source
     * {@code index % sources.size()}, a window starting at a random frame, a file id drawn from {@code random}.
     * {@code frames} of 0, or more than a source holds, keeps the source's series whole.
     */
    static AudioAnalysis distinct(List<AudioAnalysis> sources, int index, int frames, Random random) {
        AudioAnalysis source = sources.get(index % sources.size());
        UUID fileId = new UUID(
                random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
        int available = frames(source);
        int window = frames <= 0 ? available : Math.min(frames, available);
        int from = window == available ? 0 : random.nextInt(available - window + 1);
        return slice(source, from, window, fileId);
    }
}
