package io.stemcache.bench;

import io.stemcache.core.AudioAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One measured page load of the {@code pageload} command, read from the page's own report and the bench's probe
 * (both in the page, times in ms from its navigation start): when all the stems' analyses were decoded in the
 * page's memory, the bytes the load moved (resource timing's {@code transferSize}, the document's included), and
 * the main thread's long tasks. Built only from a load that shows exactly the expected stems with their frames and
 * markers; anything else fails naming what the page got.
 *
 * @param decodedMs       navigation start to the last of the stems decoded in memory
 * @param bytes           bytes transferred: the document and every resource of the page's timeline
 * @param analysisBytes   of those, the analyses' requests (the rows, or the payloads and their 304s)
 * @param firstCallMs     when the page made its first API call: its scripts were loaded and run by then
 * @param decodeSumMs     the stems' decoding added up: JSON.parse on the main thread, or the worker's decodes
 * @param longestTaskMs   the main thread's longest task of the load (0 when none passed 50 ms)
 * @param notDrawingMs    the longest task's time outside the project page's drawing of stems (decodedAt to
 *                        shownAt of each; the product page draws nothing, so all of its tasks' time counts)
 * @param sources         how the analyses arrived, counted: the project page's sources, or {@code JSON rows}
 * @param fingerprints    per stem, the project page's checksum of every number (empty for the product page)
 */
record PageLoad(
        double decodedMs,
        long bytes,
        long analysisBytes,
        double firstCallMs,
        double decodeSumMs,
        double longestTaskMs,
        double notDrawingMs,
        Map<String, Integer> sources,
        Map<String, String> fingerprints) {

    /** The product page's load ({@code window.productReport}): every stem's row parsed, with its frames and markers. */
    static PageLoad ofProductPage(Map<String, Object> report, Map<String, Object> probe, List<AudioAnalysis> stems) {
        requireNoErrors("product page", report);
        List<Map<String, Object>> rows = list(report, "rows");
        double decoded = requireStems("product page", rows, stems);
        double parse = rows.stream()
                .mapToDouble(r -> number(r, "parseMs").doubleValue())
                .sum();
        return measured(decoded, probe, parse, List.of(), Map.of("JSON rows", rows.size()), Map.of());
    }

    /**
     * The project page's load ({@code window.stemcacheReport}): ready, no errors, no analysis run, every stem read
     * from the cache with its frames and markers.
     */
    static PageLoad ofProjectPage(Map<String, Object> report, Map<String, Object> probe, List<AudioAnalysis> stems) {
        requireNoErrors("project page", report);
        long analysesRun = number(report, "analysesRun").longValue();
        if (analysesRun != 0) {
            throw new IllegalStateException("the project page ran " + analysesRun + " analyses; every stem was cached");
        }
        List<Map<String, Object>> reads = list(report, "reads");
        double decoded = requireStems("project page", reads, stems);
        Map<String, Integer> sources = new TreeMap<>();
        Map<String, String> fingerprints = new TreeMap<>();
        List<double[]> drawing = new ArrayList<>();
        double decodeSum = 0;
        for (Map<String, Object> read : reads) {
            sources.merge(String.valueOf(read.get("source")), 1, Integer::sum);
            fingerprints.put(String.valueOf(read.get("stem")), String.valueOf(read.get("fingerprint")));
            drawing.add(new double[] {
                number(read, "decodedAt").doubleValue(), number(read, "shownAt").doubleValue()
            });
            decodeSum += number(read, "decodeMs").doubleValue();
        }
        return measured(decoded, probe, decodeSum, drawing, sources, fingerprints);
    }

    private static PageLoad measured(
            double decodedMs,
            Map<String, Object> probe,
            double decodeSumMs,
            List<double[]> drawing,
            Map<String, Integer> sources,
            Map<String, String> fingerprints) {
        if (probe.get("error") != null) {
            throw new IllegalStateException("the browser cannot observe long tasks: " + probe.get("error"));
        }
        double longest = 0;
        double notDrawing = 0;
        for (Map<String, Object> task : PageLoad.<Map<String, Object>>list(probe, "longTasks")) {
            double start = number(task, "start").doubleValue();
            double duration = number(task, "duration").doubleValue();
            longest = Math.max(longest, duration);
            notDrawing = Math.max(notDrawing, duration - overlap(start, start + duration, drawing));
        }
        long bytes = number(probe, "navigationBytes").longValue()
                + number(probe, "resourceBytes").longValue();
        Object firstCall = probe.get("firstCallAt");
        if (!(firstCall instanceof Number call)) {
            throw new IllegalStateException("the page made no API call that resource timing saw");
        }
        return new PageLoad(
                decodedMs,
                bytes,
                number(probe, "analysisBytes").longValue(),
                call.doubleValue(),
                decodeSumMs,
                longest,
                notDrawing,
                sources,
                fingerprints);
    }

    /** How much of [from, to] the intervals cover (they do not overlap: the main thread does one thing at a time). */
    static double overlap(double from, double to, List<double[]> intervals) {
        double covered = 0;
        for (double[] interval : intervals) {
            covered += Math.max(0, Math.min(to, interval[1]) - Math.max(from, interval[0]));
        }
        return covered;
    }

    private static void requireNoErrors(String page, Map<String, Object> report) {
        List<Object> errors = list(report, "errors");
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the " + page + " reported errors: " + errors);
        }
    }

    /** Checks that the page shows each expected stem once, with its frames and markers; returns the last decodedAt. */
    private static double requireStems(String page, List<Map<String, Object>> shown, List<AudioAnalysis> stems) {
        Map<String, AudioAnalysis> expected = new TreeMap<>();
        stems.forEach(a -> expected.put(a.stemType().code(), a));
        TreeSet<String> got = new TreeSet<>();
        double last = 0;
        for (Map<String, Object> stem : shown) {
            String name = String.valueOf(stem.get("stem"));
            AudioAnalysis analysis = expected.get(name);
            if (analysis == null || !got.add(name)) {
                throw new IllegalStateException("the " + page + " shows stem '" + name + "' "
                        + (analysis == null ? "it was not asked for" : "twice") + "; it shows " + names(shown));
            }
            if (!String.valueOf(stem.get("fileId"))
                    .equals(analysis.fileMetadataId().toString())) {
                throw new IllegalStateException("the " + page + " shows stem " + name + " of file " + stem.get("fileId")
                        + ", not of " + analysis.fileMetadataId());
            }
            long frames = number(stem, "frames").longValue();
            long markers = number(stem, "markers").longValue();
            int expectedFrames = analysis.analysisData().values().iterator().next().length;
            int expectedMarkers = analysis.waveformData().markers().size();
            if (frames != expectedFrames || markers != expectedMarkers) {
                throw new IllegalStateException("the " + page + " shows stem " + name + " with " + frames
                        + " frames and " + markers + " markers; it has " + expectedFrames + " and " + expectedMarkers);
            }
            last = Math.max(last, number(stem, "decodedAt").doubleValue());
        }
        if (!got.equals(expected.keySet())) {
            throw new IllegalStateException("the " + page + " shows the stems " + got + " of " + expected.keySet());
        }
        return last;
    }

    private static List<String> names(List<Map<String, Object>> shown) {
        return shown.stream().map(s -> String.valueOf(s.get("stem"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof List<?>)) {
            throw new IllegalStateException("the page's report has no list '" + key + "': " + map.keySet());
        }
        return (List<T>) value;
    }

    private static Number number(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("the page's report has no number '" + key + "' (got " + value + ")");
        }
        return n;
    }
}
