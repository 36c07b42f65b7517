package org.hotlinemonitor.app.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.hotlinemonitor.app.deploy.DebianBinary;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real browser for the tests of the status page and the HTML replay report: Debian's {@code chromium}, headless,
 * driven through Debian's {@code chromidriver} ({@code chromium-driver}) by Selenium. Skipped with a message on a
 * machine without them, failed under {@code CI=true} ({@link DebianBinary}; {@code .ci/run} installs both).
 *
 * <p>What a page did is kept for the assertions: every request the page made ({@link #requests()}, from Chrome's
 * performance log), and what it wrote to the console at error level ({@link #consoleErrors()}). Screenshots go
 * under {@code target/screenshots/} ({@link #screenshot(String)}), kept as test output.
 *
 * <p>Not thread-safe: one test thread. Close it (quits chromium).
 */
public final class Browser implements AutoCloseable {

    /** Where screenshots are kept: the module's build directory, as test output. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final List<String> requests = new ArrayList<>();
    private final List<String> consoleErrors = new ArrayList<>();

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts headless chromium (1400 x 1000), or skips (fails under CI=true) when it is not installed. */
    public static Browser start() {
        Path chromium = DebianBinary.require("hotline.chromium", "/usr/bin/chromium", "chromium chromium-driver");
        Path chromedriver = DebianBinary.require("hotline.chromedriver", "/usr/bin/chromedriver", "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens {@code url} and waits for the page's load event. */
    public void open(String url) {
        driver.get(url);
    }

    /** The URLs of every request the pages made so far (documents, scripts, styles, images, fetches, event streams). */
    public List<String> requests() {
        drainLogs();
        return List.copyOf(requests);
    }

    /** The console's messages at error level so far, and uncaught exceptions, as chromium reports them. */
    public List<String> consoleErrors() {
        drainLogs();
        return List.copyOf(consoleErrors);
    }

    private void drainLogs() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                consoleErrors.add(e.getMessage());
            }
        }
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON.readTree(e.getMessage()).path("message");
                if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                    requests.add(message.path("params").path("request").path("url").asText());
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("chromium's performance log: " + e.getMessage(), ex);
            }
        }
    }

    /** Saves a PNG of the window as {@code target/screenshots/<name>.png} and returns its path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("a screenshot to " + SCREENSHOTS, e);
        }
    }

    /** Saves a PNG of the whole page (its full height, not only the window) as {@code target/screenshots/<name>.png}. */
    public Path fullPageScreenshot(String name) {
        Object height = driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
        // The window's frame takes some of its height in headless chromium too: make it taller than the document.
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, Math.min(8000,
                Math.max(1000, ((Number) height).intValue() + 200))));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
