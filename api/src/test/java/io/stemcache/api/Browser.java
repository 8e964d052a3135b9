package io.stemcache.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven by Selenium, one per test class, with a profile of its own: the driver and the
 * browser are the machine's ({@value #CHROMEDRIVER}, {@value #CHROMIUM}), so Selenium Manager never downloads
 * anything; without them the test fails at once, naming what to install. Screenshots go to
 * {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser with a fresh profile (its HTTP cache, localStorage and sessionStorage start empty). */
    static Browser start(String name) {
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver, and "
                        + binary + " is missing: apt-get install chromium chromium-driver (.ci/run does)");
            }
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path profile;
        try {
            profile = Files.createTempDirectory("stemcache-chromium-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
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
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(60));
        return new Browser(driver, profile);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    void refresh() {
        driver.navigate().refresh();
    }

    /** The value of a script ({@code return ...}), converted by Selenium: maps, lists, Long, Double, Boolean, String. */
    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** A global of the page (e.g. {@code stemcacheReport}) as Selenium converts it; null when unset. */
    @SuppressWarnings("unchecked")
    Map<String, Object> global(String name) {
        return (Map<String, Object>) script(
                "return window[arguments[0]] === undefined ? null"
                        + " : JSON.parse(JSON.stringify(window[arguments[0]]))",
                name);
    }

    WebElement element(String id) {
        return driver.findElement(By.id(id));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** Submits a form as the user does: by clicking its submit button. */
    void submit(String formId) {
        driver.findElement(By.cssSelector("#" + formId + " button[type=submit]"))
                .click();
    }

    /** A DevTools command on the current tab (e.g. {@code Network.setCacheDisabled}). */
    Map<String, Object> cdp(String command, Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    /** Picks a file in an {@code <input type=file>}, as the user's file chooser would. */
    void pick(String inputId, Path file) {
        element(inputId).sendKeys(file.toAbsolutePath().toString());
    }

    /** Opens a new tab (same profile: HTTP cache, localStorage) and switches to it; returns its handle. */
    String newTab() {
        driver.switchTo().newWindow(WindowType.TAB);
        return driver.getWindowHandle();
    }

    String tab() {
        return driver.getWindowHandle();
    }

    /**
     * Switches to a tab and brings it to the front: headless Chromium sends typed keys to the front tab only, and
     * WebDriver's switch alone does not make it that.
     */
    void switchTo(String tab) {
        driver.switchTo().window(tab);
        driver.executeCdpCommand("Page.bringToFront", Map.of());
    }

    /** Closes every tab but {@code keep}, then switches to it. */
    void closeTabsBut(String keep) {
        for (String handle : driver.getWindowHandles()) {
            if (!handle.equals(keep)) {
                driver.switchTo().window(handle);
                driver.close();
            }
        }
        switchTo(keep);
    }

    /** A full-page PNG of the current tab in target/screenshots/{name}.png; returns its path. */
    Path screenshot(String name) {
        return save(
                name,
                driver.executeCdpCommand(
                        "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true)));
    }

    /** A PNG of one element (its box, scaled by {@code scale}) in target/screenshots/{name}.png; returns its path. */
    Path screenshotOf(String name, String css, double scale) {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) script(
                "const r = document.querySelector(arguments[0])"
                        + ".getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY, width: r.width,"
                        + " height: r.height}",
                css);
        Map<String, Object> clip = Map.of(
                "x",
                box.get("x"),
                "y",
                box.get("y"),
                "width",
                box.get("width"),
                "height",
                box.get("height"),
                "scale",
                scale);
        return save(
                name,
                driver.executeCdpCommand(
                        "Page.captureScreenshot",
                        Map.of("format", "png", "captureBeyondViewport", true, "clip", clip)));
    }

    private static Path save(String name, Map<String, Object> shot) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The browser console's messages since the last call (for a failure's message). */
    String console() {
        StringBuilder out = new StringBuilder();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            out.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
