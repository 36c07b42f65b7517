package org.hotlinemonitor.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.hotlinemonitor.app.cli.Main;
import org.hotlinemonitor.core.replay.SyntheticLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The HTML replay report in a real browser: the report of examples/april-2023 loads from its file with no console
 * error and no request but its own, shows the liaison office's outage days as missed with hover text naming the
 * slots, zooms to a month; and a report of 20 channels over 5 years loads fast enough (measured and printed).
 */
@org.junit.jupiter.api.Tag("integration")
@org.junit.jupiter.api.Tag("timing") // bounds on how long things take: run with no other test class beside it (pom.xml)
class ReplayReportBrowserTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CHANNELS = ROOT.resolve("examples/channels.yaml");
    static final Path LOG = ROOT.resolve("examples/april-2023.jsonl");

    static final String HOSTILE = "{\"channel\":\"<script>alert(1)</script>\",\"kind\":\"ANSWERED\","
            + "\"ts\":\"2023-04-11T23:59:00Z\",\"slot\":\"2023-04-11T08:00:00Z\"}";

    /** The pages are kept as test output, next to the screenshots. */
    static final Path OUTPUT = Path.of("target", "replay-report");

    @TempDir
    Path tmp;

    @Test
    void theAprilReportShowsTheLiaisonOfficesOutageAndZoomsToApril() throws Exception {
        Path page = OUTPUT.resolve("replay-report.html");
        replay(CHANNELS, LOG, page, 0);
        try (Browser browser = Browser.start()) {
            String url = page.toUri().toString();
            browser.open(url);
            assertThat(browser.consoleErrors()).isEmpty();
            assertThat(browser.requests()).as("the page's own file only").contains(url)
                    .allMatch(u -> u.equals(url) || u.startsWith("data:"));

            // 2023-04-10, a Monday: both slots missed (the outage began at Friday's 17:00, declared down Monday 10:00).
            List<List<String>> days = days(browser, "section[data-channel='liaison-office'] g.year rect.day");
            assertThat(days).contains(
                    List.of("day partly", "Fri 2023-04-07: 09:00 answered; 17:00 missed (no answer)"),
                    List.of("day missed", "Mon 2023-04-10: 09:00 missed (no answer); 17:00 missed (no answer)"),
                    List.of("day missed", "Tue 2023-04-11: 09:00 missed (no answer); 17:00 missed (no answer)"));
            assertThat(width(browser, "section[data-channel='liaison-office'] g.year rect.day.run"))
                    .as("four days drawn as wide as four days (a day of a year row is 3 px in 1142)").isGreaterThan(8);
            assertThat(width(browser, "section[data-channel='liaison-office'] g.year rect.day.missed"))
                    .as("a day is drawn").isGreaterThan(2);
            assertThat(days).as("Monday to Thursday answered: one run, one title")
                    .contains(List.of("day answered run", "Mon 2023-04-03 to Thu 2023-04-06, 4 days, each: 09:00 answered; 17:00 answered"));
            WebElement outage = browser.driver().findElement(By.cssSelector("section[data-channel='liaison-office'] rect.outage"));
            assertThat(outage.findElement(By.tagName("title")).getAttribute("textContent"))
                    .startsWith("Outage from 2023-04-07 17:00 KST (2023-04-07 08:00 UTC) to ongoing")
                    .contains("so far, 5 missed slot(s)");

            zoomTo(browser, "2023-04");
            String zoomed = "section[data-channel='liaison-office'] .zoomed svg.month";
            List<List<String>> april = days(browser, zoomed + " rect.day");
            assertThat(april).as("the replayed days of April, 3 to 12 (Seoul), each with its own title").hasSize(10)
                    .contains(List.of("day missed", "Mon 2023-04-10: 09:00 missed (no answer); 17:00 missed (no answer)"),
                            List.of("day answered", "Thu 2023-04-06: 09:00 answered; 17:00 answered"));
            assertThat(width(browser, zoomed + " rect.day")).as("a day, zoomed, is wide (a year row's day is 3 px)")
                    .isGreaterThan(20);
            assertThat(browser.driver().findElement(By.cssSelector(zoomed + " text.duration")).getText()).endsWith("so far");
            assertThat(browser.driver().findElements(By.cssSelector(".zoomed svg.month"))).as("every channel zooms").hasSize(7);

            zoomTo(browser, "");
            assertThat(browser.driver().findElements(By.cssSelector(".zoomed svg.month"))).isEmpty();
            // Clicking a day in a year row zooms to its month.
            browser.driver().executeScript("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                    browser.driver().findElement(By.cssSelector("section[data-channel='ship-to-ship'] g.year rect.day")));
            assertThat(browser.driver().findElement(By.id("zoom")).getDomProperty("value"))
                    .isEqualTo("2023-04");
            assertThat(browser.driver().findElements(By.cssSelector(".zoomed svg.month"))).hasSize(7);
            assertThat(browser.consoleErrors()).isEmpty();
            browser.driver().executeScript("window.scrollTo(0, 0)");
            assertThat(browser.fullPageScreenshot("replay-report")).exists().isNotEmptyFile();
        }
    }

    @Test
    void aScriptInARefusedLineIsShownAsText() throws Exception {
        Path page = OUTPUT.resolve("replay-report-refused.html");
        Path log = tmp.resolve("april-2023.jsonl");
        Files.writeString(log, Files.readString(LOG) + HOSTILE + "\n");
        replay(CHANNELS, log, page, 4);
        try (Browser browser = Browser.start()) {
            browser.open(page.toUri().toString());
            assertThat(browser.driver().findElement(By.cssSelector("#rejects pre")).getText()).isEqualTo(HOSTILE);
            assertThat(browser.driver().executeScript("return document.scripts.length")).as("the page's own").isEqualTo(1L);
            assertThat(browser.driver().findElement(By.cssSelector("#rejects td")).getText()).isEqualTo("unknown-channel");
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aReportOfTwentyChannelsOverFiveYearsLoadsFast() throws Exception {
        SyntheticLog synthetic = new SyntheticLog(20, 1826, 7, LocalDate.of(2020, 1, 1));
        Path channels = tmp.resolve("channels.yaml");
        Files.writeString(channels, synthetic.channelsYaml());
        Path log = tmp.resolve("calls.jsonl.gz");
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(log), 1 << 16), StandardCharsets.UTF_8)) {
            synthetic.write(w);
        }
        Path page = OUTPUT.resolve("five-years.html");
        long started = System.nanoTime();
        replay(channels, log, page, 0);
        long replayMillis = (System.nanoTime() - started) / 1_000_000;
        long size = Files.size(page);
        try (Browser browser = Browser.start()) {
            // The first page a fresh chromium opens is slower (its own start-up); then five loads, as a user who
            // opens reports sees them: their median, and their range (the machine is shared).
            long cold = load(browser, page);
            long[] loads = new long[5];
            for (int i = 0; i < loads.length; i++) {
                loads[i] = load(browser, page);
            }
            java.util.Arrays.sort(loads);
            long warm = loads[loads.length / 2];
            Number rects = (Number) browser.driver().executeScript("return document.querySelectorAll('rect').length");
            Number titles = (Number) browser.driver().executeScript("return document.querySelectorAll('title').length");
            System.out.printf("replay report load: %d ms for 20 channels, 5 years (navigation start to load event, median "
                            + "of 5, %d to %d; %d ms as the first page of a fresh browser); file %.1f MB, %d SVG rects, "
                            + "%d titles; replay and report written in %d ms%n",
                    warm, loads[0], loads[loads.length - 1], cold, size / 1e6, rects.longValue(), titles.longValue(),
                    replayMillis);
            assertThat(browser.consoleErrors()).isEmpty();
            assertThat(rects.longValue()).as("a rectangle per run of alike days, not per day nor per slot")
                    .isLessThan(20 * 1830 / 3);
            zoomTo(browser, "2022-06");
            assertThat(browser.driver().findElements(By.cssSelector(".zoomed svg.month"))).hasSize(20);
            browser.driver().executeScript("document.querySelector('#c-1 h2').scrollIntoView()");
            assertThat(browser.screenshot("replay-report-five-years")).exists().isNotEmptyFile();
            // Generous: the target is 1 s; a shared machine under other tests' load must not fail it by chance.
            assertThat(warm).as("load time, ms").isLessThan(5_000);
        }
    }

    /** The width on screen, in CSS pixels, of the first element {@code selector} finds. */
    private static double width(Browser browser, String selector) {
        return ((Number) browser.driver().executeScript(
                "return document.querySelector(arguments[0]).getBoundingClientRect().width", selector)).doubleValue();
    }

    /** Opens the page and returns the time from navigation start to the end of its load event, in ms. */
    private static long load(Browser browser, Path page) {
        browser.open(page.toAbsolutePath().toUri().toString());
        Number load = (Number) browser.driver().executeScript(
                "var n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime");
        return load.longValue();
    }

    /** Picks a month in the zoom list as a user does (the empty value: the whole period). */
    private static void zoomTo(Browser browser, String month) {
        browser.driver().findElement(By.cssSelector("#zoom option[value='" + month + "']")).click();
    }

    /** Each day rectangle's class and hover text. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> days(Browser browser, String selector) {
        return (List<List<String>>) browser.driver().executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]))"
                        + ".map(r => [r.getAttribute('class'), r.querySelector('title').textContent])", selector);
    }

    /** The replay, in process, as a user runs it; its alerts and refused lines into the temporary directory. */
    private void replay(Path channels, Path log, Path page, int exitCode) throws java.io.IOException {
        Files.createDirectories(page.getParent());
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run("replay", "--channels", channels.toString(), "--alerts-out", tmp.resolve("alerts.jsonl").toString(),
                    "--rejects-out", tmp.resolve("rejects.jsonl").toString(), "--report-format", "html",
                    "--report", page.toString(), log.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(code).as(captured.toString(StandardCharsets.UTF_8)).isEqualTo(exitCode);
        assertThat(page).exists();
    }

}
