package io.stemcache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stemcache.core.AudioAnalysis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the {@code pageload} command reads from a page (its report and the bench's probe, as Selenium hands them
 * over) and what it refuses: a load that shows other stems, other frames, an analysis run, errors, or no long-task
 * observer. Reports are built here as the pages write them.
 */
class PageLoadTest {

    private static List<AudioAnalysis> stems;
    private static UUID file;

    @BeforeAll
    static void twoStemsOfOneFile() {
        Path corpus = Path.of(System.getProperty(CorpusFiles.PROPERTY));
        List<Path> files = CorpusFiles.first(corpus, 2);
        file = UUID.randomUUID();
        stems = files.stream()
                .map(f -> AnalysisSlices.slice(CorpusFiles.analysis(f), 0, 40, file))
                .toList();
        assertThat(stems.get(0).stemType()).isNotEqualTo(stems.get(1).stemType());
    }

    @Test
    void projectPage_givesTheLastDecodedStem_theBytes_andTheLongestTaskOutsideDrawing() {
        Map<String, Object> report =
                projectReport(read(0, 120.0, 160.0, "network"), read(1, 300.5, 330.0, "revalidated"));
        // A task of 80 ms from 100 ms, of which 120..160 is the first stem's drawing: 40 ms not drawing.
        Map<String, Object> probe = probe(List.of(task(100, 80), task(400, 55)));
        PageLoad load = PageLoad.ofProjectPage(report, probe, stems);
        assertThat(load.decodedMs()).isEqualTo(300.5);
        assertThat(load.bytes()).isEqualTo(1000 + 5000);
        assertThat(load.analysisBytes()).isEqualTo(4000);
        assertThat(load.firstCallMs()).isEqualTo(42.0);
        assertThat(load.decodeSumMs()).isEqualTo(2 * 17.0);
        assertThat(load.longestTaskMs()).isEqualTo(80.0);
        assertThat(load.notDrawingMs()).isEqualTo(55.0);
        assertThat(load.sources()).containsEntry("network", 1).containsEntry("revalidated", 1);
        assertThat(load.fingerprints()).hasSize(2);
    }

    @Test
    void productPage_countsAllOfItsTasks_andAddsUpTheParses() {
        Map<String, Object> report = new HashMap<>(
                Map.of("ready", true, "errors", List.of(), "rows", List.of(row(0, 250.0, 90.0), row(1, 260.0, 95.0))));
        PageLoad load = PageLoad.ofProductPage(report, probe(List.of(task(160, 91))), stems);
        assertThat(load.decodedMs()).isEqualTo(260.0);
        assertThat(load.decodeSumMs()).isEqualTo(185.0);
        assertThat(load.notDrawingMs()).isEqualTo(91.0);
        assertThat(load.sources()).containsEntry("JSON rows", 2);
    }

    @Test
    void projectPageThatRanAnAnalysis_isRefused() {
        Map<String, Object> report = projectReport(read(0, 1.0, 2.0, "network"), read(1, 3.0, 4.0, "analysed"));
        report.put("analysesRun", 1L);
        assertThatThrownBy(() -> PageLoad.ofProjectPage(report, probe(List.of()), stems))
                .hasMessageContaining("the project page ran 1 analyses; every stem was cached");
    }

    @Test
    void pageShowingAStemTwice_orMissingOne_isRefusedNamingWhatItShows() {
        Map<String, Object> twice = projectReport(read(0, 1.0, 2.0, "network"), read(0, 3.0, 4.0, "network"));
        assertThatThrownBy(() -> PageLoad.ofProjectPage(twice, probe(List.of()), stems))
                .hasMessageContaining("shows stem '" + code(0) + "' twice");
        Map<String, Object> missing = projectReport(read(0, 1.0, 2.0, "network"));
        assertThatThrownBy(() -> PageLoad.ofProjectPage(missing, probe(List.of()), stems))
                .hasMessageContaining("shows the stems [" + code(0) + "] of");
    }

    @Test
    void stemWithOtherFrames_isRefusedNamingBothCounts() {
        Map<String, Object> row = row(1, 10.0, 5.0);
        row.put("frames", 39L);
        Map<String, Object> report =
                new HashMap<>(Map.of("ready", true, "errors", List.of(), "rows", List.of(row(0, 10.0, 5.0), row)));
        assertThatThrownBy(() -> PageLoad.ofProductPage(report, probe(List.of()), stems))
                .hasMessageContaining("shows stem " + code(1) + " with 39 frames")
                .hasMessageContaining("it has 40 and");
    }

    @Test
    void stemOfAnotherFile_isRefused() {
        Map<String, Object> read = read(1, 3.0, 4.0, "network");
        read.put("fileId", UUID.randomUUID().toString());
        Map<String, Object> report = projectReport(read(0, 1.0, 2.0, "network"), read);
        assertThatThrownBy(() -> PageLoad.ofProjectPage(report, probe(List.of()), stems))
                .hasMessageContaining("shows stem " + code(1) + " of file")
                .hasMessageContaining("not of " + file);
    }

    @Test
    void pageThatReportedErrors_isRefusedWithThem() {
        Map<String, Object> report = projectReport(read(0, 1.0, 2.0, "network"), read(1, 3.0, 4.0, "network"));
        report.put("errors", List.of("status: stemcache API 503: the cluster is not reachable"));
        assertThatThrownBy(() -> PageLoad.ofProjectPage(report, probe(List.of()), stems))
                .hasMessageContaining("the project page reported errors: [status: stemcache API 503");
    }

    @Test
    void browserWithoutLongTasks_orWithoutAnApiCall_isRefused() {
        Map<String, Object> report = projectReport(read(0, 1.0, 2.0, "network"), read(1, 3.0, 4.0, "network"));
        Map<String, Object> noObserver = probe(List.of());
        noObserver.put("error", "TypeError: longtask is not supported");
        assertThatThrownBy(() -> PageLoad.ofProjectPage(report, noObserver, stems))
                .hasMessageContaining("the browser cannot observe long tasks: TypeError");
        Map<String, Object> noCall = probe(List.of());
        noCall.put("firstCallAt", null);
        assertThatThrownBy(() -> PageLoad.ofProjectPage(report, noCall, stems))
                .hasMessageContaining("the page made no API call that resource timing saw");
    }

    @Test
    void overlap_addsUpTheCoveredParts() {
        List<double[]> drawing = List.of(new double[] {10, 20}, new double[] {30, 60});
        assertThat(PageLoad.overlap(0, 100, drawing)).isEqualTo(40.0);
        assertThat(PageLoad.overlap(15, 35, drawing)).isEqualTo(10.0);
        assertThat(PageLoad.overlap(60, 70, drawing)).isZero();
    }

    @Test
    void medianAndSources_overTheRuns() {
        assertThat(PageLoadCommand.medianOf(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(PageLoadCommand.medianOf(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
        assertThat(PageLoadCommand.medianOf(new double[0])).isNaN();
        PageLoad network = new PageLoad(1, 1, 1, 1, 1, 0, 0, Map.of("network", 5), Map.of());
        PageLoad mixed = new PageLoad(1, 1, 1, 1, 1, 0, 0, Map.of("network", 2, "revalidated", 3), Map.of());
        assertThat(PageLoadCommand.sources(List.of(network, mixed))).isEqualTo("7 network, 3 revalidated");
    }

    @Test
    void restartWhoseMembersLoadedFewerEntriesThanStems_isRefused() {
        PageLoadCommand.requireFromDatabase(PageLoadCommand.Case.RESTART, List.of(5L, 10L), 5);
        assertThatThrownBy(() -> PageLoadCommand.requireFromDatabase(PageLoadCommand.Case.RESTART, List.of(5L, 3L), 5))
                .hasMessageContaining(
                        "(d)  stemcache, refresh after full restart: the members serving it loaded 3 entries")
                .hasMessageContaining("something kept them across the restart");
    }

    @Test
    void browserThatIsNotInstalled_failsNamingWhatToInstall() {
        assertThatThrownBy(() -> BenchBrowser.start("/nonexistent/chromium", BenchBrowser.CHROMEDRIVER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/chromium is missing: apt-get install chromium chromium-driver");
    }

    @Test
    void trackTheCorpusLacks_isAUsageErrorNamingItsTracks() {
        Path corpus = Path.of(System.getProperty(CorpusFiles.PROPERTY));
        assertThatThrownBy(() -> PageLoadCommand.trackStems(corpus, "no-such-track"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("option --track names 'no-such-track'")
                .hasMessageContaining("drascula-track01");
    }

    private static String code(int stem) {
        return stems.get(stem).stemType().code();
    }

    @SafeVarargs
    private static Map<String, Object> projectReport(Map<String, Object>... reads) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> read : reads) {
            all.add(read);
        }
        return new HashMap<>(Map.of("ready", true, "analysesRun", 0L, "errors", List.of(), "reads", all));
    }

    private static Map<String, Object> read(int stem, double decodedAt, double shownAt, String source) {
        Map<String, Object> read = shown(stem);
        read.putAll(Map.of(
                "decodedAt",
                decodedAt,
                "shownAt",
                shownAt,
                "source",
                source,
                "decodeMs",
                17.0,
                "fingerprint",
                "0badf00d"));
        return read;
    }

    private static Map<String, Object> row(int stem, double decodedAt, double parseMs) {
        Map<String, Object> row = shown(stem);
        row.putAll(Map.of("decodedAt", decodedAt, "parseMs", parseMs));
        return row;
    }

    private static Map<String, Object> shown(int stem) {
        AudioAnalysis analysis = stems.get(stem);
        return new HashMap<>(
                Map.of("stem", analysis.stemType().code(), "fileId", file.toString(), "frames", 40L, "markers", (long)
                        analysis.waveformData().markers().size()));
    }

    private static Map<String, Object> task(double start, double duration) {
        return Map.of("start", start, "duration", duration, "name", "self");
    }

    private static Map<String, Object> probe(List<Map<String, Object>> tasks) {
        Map<String, Object> probe = new HashMap<>();
        probe.put("longTasks", new ArrayList<>(tasks));
        probe.put("error", null);
        probe.put("navigationBytes", 1000L);
        probe.put("resourceBytes", 5000L);
        probe.put("analysisBytes", 4000L);
        probe.put("firstCallAt", 42.0);
        return probe;
    }
}
