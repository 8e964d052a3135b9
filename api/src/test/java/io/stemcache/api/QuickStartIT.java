package io.stemcache.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md's Quick start, kept true. The script of its first command, {@code bin/stemcache-local}, runs a member
 * and an API node from the jars the package phase built, on ports, a cluster and a database of its own
 * ({@link LocalStackScript}); the README's curl calls then run with bash against it as written, but for the URL
 * the script printed and this build's corpus folder. The script's refusals and failures are checked here too.
 * In the api module because the reactor has packaged both jars by its integration tests.
 */
class QuickStartIT {

    private static final Path ROOT = Path.of(System.getProperty("stemcache.repository", ".."))
            .toAbsolutePath()
            .normalize();
    private static final Path RUNS = Path.of("target", "quick-start").toAbsolutePath();
    private static final String SCRIPT = "bin/stemcache-local";
    private static final String README_URL = "http://localhost:8090";
    private static final String README_CORPUS = "../shared/corpus/";
    private static final Pattern CORPUS_FILE = Pattern.compile(Pattern.quote(README_CORPUS) + "([\\w.-]+\\.json\\.gz)");
    /** What the calls print of each response: its status, alone or between spaces. */
    private static final Pattern STATUS = Pattern.compile("(?m)(?:^| )([1-5]\\d\\d)(?= |$)");

    private static final Duration START = Duration.ofMinutes(4);
    private static final Duration STOP = Duration.ofMinutes(2);
    private static final Duration REFUSAL = Duration.ofSeconds(30);

    @Test
    void readme_twoCommands_buildThenThisScript_andTheTests() throws IOException {
        ReadmeQuickStart readme = readme();

        assertThat(readme.commands()).hasSize(2);
        assertThat(build(readme)).startsWith("./mvnw ").contains(" -pl node,api ", " -am ", " package");
        assertThat(run(readme)).isEqualTo(SCRIPT);
        assertThat(ROOT.resolve(SCRIPT)).isExecutable();
        assertThat(readme.commands().get(1)).isEqualTo("./mvnw -B verify");
    }

    @Test
    void readmeCalls_againstTheScriptsStack_guestStoresAndReadsACorpusStem_thenSigtermStopsTheApiNodeBeforeTheMember()
            throws Exception {
        ReadmeQuickStart readme = readme();
        String calls = readme.calls();
        assertThat(calls)
                .as("the calls name the README's URL once, in API=")
                .contains("API=" + README_URL + "\n")
                .containsOnlyOnce(README_URL);
        Matcher corpusFile = CORPUS_FILE.matcher(calls);
        assertThat(corpusFile.find())
                .as("the calls PUT a file of " + README_CORPUS)
                .isTrue();
        Path file = Corpus.dir().resolve(corpusFile.group(1));
        AudioAnalysis analysis = Corpus.load(file);
        assertThat(calls)
                .as("the URL names the body's fileMetadataId and stemType")
                .contains("/api/v1/analyses/" + analysis.fileMetadataId() + "/"
                        + analysis.stemType().code() + "\n");

        try (FreshDatabase database = FreshDatabase.create("quick_start");
                LocalStackScript stack = new LocalStackScript(runDir("stack"), database.jdbcUrl())) {
            long started = System.nanoTime();
            String url = stack.start(ROOT, run(readme)).awaitUp(START);
            long up = System.nanoTime();
            assertThat(url).isEqualTo("http://localhost:" + stack.environment.get("STEMCACHE_LOCAL_API_PORT"));
            String secret = secretOfTheApiNodeAlone(stack);

            Path work = Files.createDirectories(stack.dir.resolve("calls").resolve("target"))
                    .getParent();
            Path script = work.resolve("calls.sh");
            Files.writeString(script, calls.replace(README_URL, url).replace(README_CORPUS, Corpus.dir() + "/"));
            Path out = work.resolve("calls.out");
            Process bash = new ProcessBuilder(LocalStackScript.bash(), "-eo", "pipefail", script.toString())
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            assertThat(bash.waitFor(2, TimeUnit.MINUTES))
                    .as("the calls finished within 2 minutes")
                    .isTrue();
            long called = System.nanoTime();
            String printed = Files.readString(out);
            assertThat(bash.exitValue()).as(printed).isZero();
            assertThat(statuses(printed)).as(printed).containsExactly(201, 200, 200, 304);
            assertThat(printed).contains("same JSON");
            assertThat(work.resolve(written(calls, ".json"))).hasBinaryContent(Corpus.json(file));
            assertThat(AnalysisCodec.standard().decode(Files.readAllBytes(work.resolve(written(calls, ".bin")))))
                    .isEqualTo(analysis);

            assertThat(stack.terminate(STOP)).as(stack.output()).isZero();
            long stopped = System.nanoTime();
            String output = stack.output();
            assertThat(output.indexOf("stopping the API node"))
                    .as(output)
                    .isPositive()
                    .isLessThan(output.indexOf("stopping the member"));
            assertThat(stack.log("node.log")).contains("Flushed write-behind queue");
            assertThat(guestRows(database, analysis))
                    .as("the stem, stored when the member left")
                    .isEqualTo(1);
            assertThat(stack.leftovers()).isEmpty();
            if (secret != null) {
                assertNowhereIn(stack.dir, secret);
            }
            System.out.printf(
                    "RESULT quickstart up_ms=%d calls_ms=%d stop_ms=%d secret_checked=%b%n",
                    millis(started, up), millis(up, called), millis(called, stopped), secret != null);
        }
    }

    @Test
    void apiNodeThatDies_theScriptStopsTheMemberAndExits1NamingIt() throws Exception {
        try (FreshDatabase database = FreshDatabase.create("quick_start_dies");
                LocalStackScript stack = new LocalStackScript(runDir("dies"), database.jdbcUrl())) {
            stack.start(ROOT, SCRIPT).awaitUp(START);

            stack.child("stemcache-api-exec.jar").destroyForcibly();

            assertThat(stack.awaitExit(STOP)).as(stack.output()).isEqualTo(1);
            assertThat(stack.output())
                    .contains(
                            "the API node exited (status 137); from " + stack.dir.resolve("api.log"),
                            "stopping the member");
            assertThat(stack.leftovers()).isEmpty();
        }
    }

    @Test
    void memberThatCannotStart_itsErrorShownWithoutStackFrames_noApiNode_exit1() throws Exception {
        int closed = LocalStackScript.freePort();
        try (LocalStackScript stack =
                new LocalStackScript(runDir("no-database"), "jdbc:postgresql://127.0.0.1:" + closed + "/stemcache")) {
            stack.start(ROOT, SCRIPT);

            assertThat(stack.awaitExit(START)).as(stack.output()).isEqualTo(1);
            assertThat(stack.output())
                    .contains(
                            "the member exited (status 1) before it was ready; from " + stack.dir.resolve("node.log"),
                            "Connection to 127.0.0.1:" + closed + " refused")
                    .doesNotContain("starting an API node")
                    .doesNotContainPattern("(?m)^\\s+at ");
            assertThat(stack.leftovers()).isEmpty();
        }
    }

    @Test
    void memberNotReadyInTime_stoppedAndExit1NamingTheTimeout() throws Exception {
        try (LocalStackScript stack = new LocalStackScript(
                runDir("slow"), "jdbc:postgresql://127.0.0.1:" + LocalStackScript.freePort() + "/stemcache")) {
            stack.environment.put("STEMCACHE_LOCAL_READY_TIMEOUT", "1");
            stack.start(ROOT, SCRIPT);

            assertThat(stack.awaitExit(START)).as(stack.output()).isEqualTo(1);
            assertThat(stack.output())
                    .contains(
                            "the member was not ready within 1 s (http://127.0.0.1:"
                                    + stack.environment.get("STEMCACHE_LOCAL_NODE_PORT")
                                    + "/actuator/health/readiness)",
                            "stopping the member");
            assertThat(stack.leftovers()).isEmpty();
        }
    }

    @Test
    void badSettings_missingCommands_orNoBuild_refusedNamingTheFix() throws Exception {
        assertRefused(
                Map.of("STEMCACHE_LOCAL_API_PORT", "80a"),
                "STEMCACHE_LOCAL_API_PORT must be a port number (1-65535), not '80a'");
        assertRefused(
                Map.of("STEMCACHE_LOCAL_MEMBER_PORT", "70000"),
                "STEMCACHE_LOCAL_MEMBER_PORT must be a port number (1-65535), not '70000'");
        assertRefused(
                Map.of("STEMCACHE_LOCAL_NODE_PORT", "0"),
                "STEMCACHE_LOCAL_NODE_PORT must be a port number (1-65535), not '0'");
        assertRefused(
                Map.of("STEMCACHE_LOCAL_READY_TIMEOUT", "0"),
                "STEMCACHE_LOCAL_READY_TIMEOUT must be a whole number of seconds above 0, not '0'");
        assertRefused(
                Map.of("STEMCACHE_LOCAL_CLUSTER", "my cluster"),
                "STEMCACHE_LOCAL_CLUSTER must be letters, digits, '.', '_' or '-', not 'my cluster'");
        assertRefused(Map.of("JAVA_HOME", "/no/such/jdk"), "JAVA_HOME is /no/such/jdk, which has no bin/java");
        assertRefused(
                Map.of("STEMCACHE_LOCAL_DIR", "/proc/no-such-dir"),
                "cannot create /proc/no-such-dir (STEMCACHE_LOCAL_DIR)");

        Path onlyCurl = Files.createDirectories(runDir("only-curl").resolve("path"));
        Files.createSymbolicLink(
                onlyCurl.resolve("curl"),
                Path.of(LocalStackScript.onPath("curl")
                        .orElseThrow(() -> new IllegalStateException("curl is not on the PATH"))));
        Map<String, String> noJava = new HashMap<>();
        noJava.put("PATH", onlyCurl.toString());
        noJava.put("JAVA_HOME", null);
        assertRefused(noJava, "java is not on the PATH (or set JAVA_HOME)");
        Path empty = Files.createDirectories(runDir("empty-path").resolve("path"));
        assertRefused(Map.of("PATH", empty.toString()), "curl is needed (readiness checks) and is not on the PATH");

        // A copy of the script outside this repository finds no jars beside it.
        Path elsewhere = Files.createDirectories(runDir("no-build").resolve("bin"));
        Path copy = Files.copy(
                ROOT.resolve(SCRIPT), elsewhere.resolve("stemcache-local"), StandardCopyOption.COPY_ATTRIBUTES);
        try (LocalStackScript stack = new LocalStackScript(runDir("no-build-run"), "jdbc:postgresql://127.0.0.1/x")) {
            stack.start(ROOT, copy.toString());
            assertThat(stack.awaitExit(REFUSAL)).as(stack.output()).isEqualTo(1);
            assertThat(stack.output())
                    .contains(elsewhere.getParent().resolve("node/target/stemcache-node-exec.jar")
                            + " is missing: build it first with " + build(readme()));
        }
    }

    /**
     * The script, run by bash itself (the PATH given may not have it), exits 1 at once, its last line
     * {@code message}, having started nothing.
     */
    private static void assertRefused(Map<String, String> settings, String message) throws Exception {
        try (LocalStackScript stack = new LocalStackScript(runDir("refused"), "jdbc:postgresql://127.0.0.1/x")) {
            stack.environment.putAll(settings);
            stack.start(ROOT, LocalStackScript.bash() + " " + ROOT.resolve(SCRIPT));
            assertThat(stack.awaitExit(REFUSAL)).as(stack.output()).isEqualTo(1);
            assertThat(stack.output())
                    .endsWith("stemcache-local: " + message + "\n")
                    .doesNotContain("starting");
        }
    }

    /**
     * The API node's JWT secret, read from its environment (Linux shows it in /proc; elsewhere null): random, and
     * not in the member's environment nor on any command line.
     */
    private static String secretOfTheApiNodeAlone(LocalStackScript stack) throws IOException {
        ProcessHandle api = stack.child("stemcache-api-exec.jar");
        ProcessHandle member = stack.child("stemcache-node-exec.jar");
        Path environ = Path.of("/proc", Long.toString(api.pid()), "environ");
        if (!Files.isReadable(environ)) {
            return null;
        }
        String secret = environment(api.pid()).get("STEMCACHE_API_JWT_SECRET");
        assertThat(secret).as("the API node's secret").matches("[0-9a-f]{64}");
        assertThat(environment(member.pid())).doesNotContainKey("STEMCACHE_API_JWT_SECRET");
        assertThat(api.info().commandLine().orElse("")).doesNotContain(secret);
        assertThat(member.info().commandLine().orElse("")).doesNotContain(secret);
        return secret;
    }

    private static Map<String, String> environment(long pid) throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String entry : Files.readString(Path.of("/proc", Long.toString(pid), "environ"))
                .split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return environment;
    }

    private static void assertNowhereIn(Path dir, String secret) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                    .as(file.toString())
                    .doesNotContain(secret);
        }
    }

    private static List<Integer> statuses(String printed) {
        List<Integer> statuses = new ArrayList<>();
        Matcher status = STATUS.matcher(printed);
        while (status.find()) {
            statuses.add(Integer.parseInt(status.group(1)));
        }
        return statuses;
    }

    /** The file the calls write with {@code -o} whose name ends in {@code suffix}. */
    private static String written(String calls, String suffix) {
        Matcher output =
                Pattern.compile("-o (\\S+" + Pattern.quote(suffix) + ")\\s").matcher(calls);
        assertThat(output.find())
                .as("the calls write a " + suffix + " file with -o")
                .isTrue();
        return output.group(1);
    }

    private static int guestRows(FreshDatabase database, AudioAnalysis analysis) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM audio_analysis_guest_cache"
                        + " WHERE file_metadata_id = ? AND stem_type = ?")) {
            select.setObject(1, analysis.fileMetadataId());
            select.setString(2, analysis.stemType().code());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static ReadmeQuickStart readme() throws IOException {
        return ReadmeQuickStart.read(ROOT.resolve("README.md"));
    }

    /** The first command's build, before its {@code &&}. */
    private static String build(ReadmeQuickStart readme) {
        return parts(readme)[0].strip();
    }

    /** The first command's run, after its {@code &&}. */
    private static String run(ReadmeQuickStart readme) {
        return parts(readme)[1].strip();
    }

    private static String[] parts(ReadmeQuickStart readme) {
        String[] parts = readme.commands().get(0).split("&&");
        assertThat(parts).as("the first command: build && run").hasSize(2);
        return parts;
    }

    private static Path runDir(String name) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(RUNS), name + "-");
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
