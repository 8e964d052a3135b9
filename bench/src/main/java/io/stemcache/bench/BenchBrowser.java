package io.stemcache.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium for the {@code pageload} command, driven by Selenium through the machine's own
 * driver ({@value #CHROMEDRIVER}, browser {@value #CHROMIUM}), so Selenium never downloads a browser or a driver.
 * Each browser has a fresh profile (empty HTTP cache and storage), deleted when it closes. Before any script of a
 * page runs, every document gets the bench's probe ({@code pageload-probe.js}: the main thread's long tasks, and
 * the bytes of the load from resource timing), read by {@link #probe()}.
 */
final class BenchBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** The global the probe defines in every document. */
    static final String PROBE_GLOBAL = "__stemcacheBench";

    private static final String PROBE = probeScript();
    // Kept: java.util.logging holds its loggers weakly, and a collected logger forgets its level.
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    private final ChromeDriver driver;
    private final Path profile;

    private BenchBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser with a fresh profile; fails at once, naming what to install, without Debian's Chromium and driver. */
    static BenchBrowser start() {
        return start(CHROMIUM, CHROMEDRIVER);
    }

    /** The same with these binaries (a test names a missing one). */
    static BenchBrowser start(String chromium, String chromedriver) {
        for (String binary : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException("the pageload command needs Debian's chromium and chromium-driver, and "
                        + binary + " is missing: apt-get install chromium chromium-driver");
            }
        }
        SELENIUM_LOG.setLevel(Level.WARNING);
        System.setProperty("webdriver.chrome.driver", chromedriver);
        Path profile;
        try {
            profile = Files.createTempDirectory("stemcache-bench-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a browser profile folder", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1400",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(chromedriver).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            delete(profile);
            throw e;
        }
        BenchBrowser browser = new BenchBrowser(driver, profile);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120)).scriptTimeout(Duration.ofSeconds(60));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
            return browser;
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    /** The browser's version, as the driver reports it. */
    String version() {
        return driver.getCapabilities().getBrowserVersion();
    }

    /** Opens {@code url} and returns once its document has loaded (its module scripts have run). */
    void open(URI url) {
        driver.get(url.toString());
    }

    /** A reload, as the user's refresh button: the document and its resources revalidated, the HTTP cache kept. */
    void refresh() {
        driver.navigate().refresh();
    }

    /** Sets an item of the current document's origin's localStorage. */
    void setLocalStorage(String key, String value) {
        script("localStorage.setItem(arguments[0], arguments[1]); return null", key, value);
    }

    /**
     * Waits until the page's report {@code window[global]} says {@code ready: true}, and returns it as Selenium
     * converts it (maps, lists, Long, Double, Boolean, String). Fails naming the report's last state if it is late.
     */
    Map<String, Object> awaitReady(String global, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout, Duration.ofMillis(20))
                    .until(d -> Boolean.TRUE.equals(script(
                            "return window[arguments[0]] !== undefined && window[arguments[0]].ready === true",
                            global)));
        } catch (TimeoutException e) {
            throw new IllegalStateException("the page " + driver.getCurrentUrl().replaceAll("\\?.*", "")
                    + " was not ready within " + timeout.toSeconds() + " s; its report: " + global(global));
        }
        return global(global);
    }

    /** The probe's figures of this page load (see {@code pageload-probe.js}). */
    @SuppressWarnings("unchecked")
    Map<String, Object> probe() {
        Object read = script(
                "return window[arguments[0]] === undefined ? null"
                        + " : JSON.parse(JSON.stringify(window[arguments[0]].read()))",
                PROBE_GLOBAL);
        if (read == null) {
            throw new IllegalStateException("the bench's probe is missing from "
                    + driver.getCurrentUrl().replaceAll("\\?.*", "") + ": DevTools did not inject it");
        }
        return (Map<String, Object>) read;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> global(String name) {
        return (Map<String, Object>) script(
                "return window[arguments[0]] === undefined ? null"
                        + " : JSON.parse(JSON.stringify(window[arguments[0]]))",
                name);
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Quits the browser and its driver, and deletes the profile (its cache and storage: the run's token too). */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary profile left behind is harmless; the token in it expires with the run's secret.
        }
    }

    private static String probeScript() {
        try (InputStream in = BenchBrowser.class.getResourceAsStream("pageload-probe.js")) {
            if (in == null) {
                throw new IllegalStateException("pageload-probe.js is missing from the bench's classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pageload-probe.js", e);
        }
    }
}
