package org.hotlinemonitor.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.app.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The status page of a running monitor, in chromium: the {@code demo} in a child JVM (its embedded Kafka broker, the
 * scheduler with the simulated far side, the detector) from Thursday 2023-04-06 06:00 in Seoul to Friday 12:00, an hour
 * per second, then staying. The three inter-Korean lines miss Thursday's afternoon call and Friday's 09:00 one, and go
 * down at 10:00 on Friday; the page, opened before, shows it without being reloaded.
 */
@org.junit.jupiter.api.Tag("integration")
class StatusPageBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(150);
    static final Pattern STATUS_LINE = Pattern.compile("open the status page: (http://127\\.0\\.0\\.1:\\d+/)");

    @TempDir
    Path tmp;

    @Test
    void showsTheOutageAsItHappensWithoutReload() throws Exception {
        Path log = tmp.resolve("demo.log");
        // The shipped logging configuration, as an operator runs it.
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-D" + org.hotlinemonitor.app.logging.LogSetup.SHIPPED + "=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "demo", "--stay", "--speed", "3600", "--duration", "PT30H", "--http-port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Browser browser = Browser.start()) {
            PageWait.until("the demo's status page line", WAIT, () -> {
                assertThat(demo.isAlive()).as(() -> "the demo exited:\n" + read(log)).isTrue();
                return STATUS_LINE.matcher(read(log)).find();
            });
            Matcher m = STATUS_LINE.matcher(read(log));
            assertThat(m.find()).isTrue();
            String base = m.group(1);

            browser.open(base);
            PageWait.drawn(browser, 1, Duration.ofSeconds(30));
            String before = state(browser, "east-coast-military");
            assertThat(before).as("opened before the outage").isIn("unknown", "up");
            browser.driver().executeScript("window.sameDocument = 'opened at ' + performance.timeOrigin");
            Object marker = browser.driver().executeScript("return window.sameDocument");

            PageWait.until("the east coast line shown down\n" + read(log), WAIT,
                    () -> state(browser, "east-coast-military").equals("down"));
            // the same document, redrawn: not reloaded
            assertThat(browser.driver().executeScript("return window.sameDocument")).isEqualTo(marker);
            assertThat(((Number) browser.driver().executeScript("return window.hotlineStatus.updates")).intValue()).isGreaterThan(1);

            // down since the first missed slot: Thursday 16:00 in Seoul (17:00 for the liaison office), in local time and UTC
            WebElement east = card(browser, "east-coast-military");
            WebElement since = east.findElement(By.cssSelector(".since"));
            assertThat(since.getAttribute("data-instant")).isEqualTo("2023-04-06T07:00:00Z");
            assertThat(since.getText()).isEqualTo("2023-04-06 16:00 Asia/Seoul (07:00 UTC, 2023-04-06)");
            PageWait.until("the other two lines shown down", Duration.ofSeconds(30),
                    () -> state(browser, "west-coast-military").equals("down") && state(browser, "liaison-office").equals("down"));
            assertThat(card(browser, "liaison-office").findElement(By.cssSelector(".since")).getAttribute("data-instant"))
                    .isEqualTo("2023-04-06T08:00:00Z");
            assertThat(state(browser, "ship-to-ship")).isEqualTo("up");
            assertThat(state(browser, "unc-pink-phone")).isEqualTo("up");
            assertThat(card(browser, "east-coast-military").findElement(By.cssSelector(".last-answered")).getText())
                    .isEqualTo("2023-04-06 09:00 Asia/Seoul (00:00 UTC, 2023-04-06)");

            // the outage's day strips: Friday missed, Thursday partly; the hover text names the slots
            WebElement friday = card(browser, "east-coast-military").findElement(By.cssSelector(".day[data-date='2023-04-07']"));
            assertThat(friday.getAttribute("data-kind")).isEqualTo("missed");
            assertThat(friday.getAttribute("title")).startsWith("Fri 2023-04-07: 09:00 missed (no answer)");
            WebElement thursday = card(browser, "east-coast-military").findElement(By.cssSelector(".day[data-date='2023-04-06']"));
            assertThat(thursday.getAttribute("data-kind")).isEqualTo("partly");
            assertThat(thursday.getAttribute("title")).isEqualTo("Thu 2023-04-06: 09:00 answered; 16:00 missed (no answer)");
            assertThat(card(browser, "east-coast-military").findElements(By.cssSelector(".day"))).hasSize(90);
            assertThat(card(browser, "ship-to-ship").findElement(By.cssSelector(".day[data-date='2023-04-06']"))
                    .getAttribute("data-kind")).isEqualTo("answered");

            // the incidents, open, and the alerts that opened them
            String incidents = browser.driver().findElement(By.id("incidents")).getText();
            assertThat(incidents).contains("East coast military communication line", "2023-04-06 16:00 Asia/Seoul", "ongoing");
            assertThat(browser.driver().findElement(By.id("alerts")).getText()).contains("CHANNEL_DOWN");
            assertThat(browser.driver().findElement(By.id("silences")).getText()).contains("No current or coming silence.");

            List<String> requests = browser.requests();
            assertThat(requests).isNotEmpty().allMatch(u -> u.startsWith(base), "every request to " + base)
                    .contains(base, base + "status.css", base + "status.js", base + "api/v1/status");
            assertThat(browser.consoleErrors()).isEmpty();
            Path shot = browser.fullPageScreenshot("status-page");
            assertThat(shot).exists().isNotEmptyFile();
        } finally {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    private static WebElement card(Browser browser, String channel) {
        return browser.driver().findElement(By.id("channel-" + channel));
    }

    private static String state(Browser browser, String channel) {
        return card(browser, channel).findElement(By.cssSelector(".state")).getAttribute("data-state");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
