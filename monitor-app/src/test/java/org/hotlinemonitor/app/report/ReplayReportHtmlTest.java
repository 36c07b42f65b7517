package org.hotlinemonitor.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.config.OperatorConfigLoader;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.LogInput;
import org.hotlinemonitor.core.replay.Replay;
import org.hotlinemonitor.core.replay.ReplayReport;
import org.hotlinemonitor.core.status.StatusLedger;
import org.junit.jupiter.api.Test;

/** The HTML report's writer on a small replay: its structure, what it shows, and that hostile text stays text. */
class ReplayReportHtmlTest {

    static final String CONFIG = """
            channels:
              - id: evil
                name: "<b>\\"Kim's\\" & co</b>"
                zone: Asia/Seoul
                checks: ['09:00', '17:00']
                answerWithin: PT1H
                downAfter: 2
            silences:
              - id: works
                channels: [evil]
                start: 2023-04-05T00:00:00Z
                end: 2023-04-05T12:00:00Z
            """;

    // Seoul's 09:00 and 17:00 are 00:00 and 08:00 UTC. Monday answered; Tuesday's 17:00 missed; Wednesday both missed
    // in the maintenance window; Thursday answered. Then a line naming a channel that is a script.
    static final String LOG = """
            {"channel":"evil","kind":"ANSWERED","ts":"2023-04-03T00:00:30Z","slot":"2023-04-03T00:00:00Z"}
            {"channel":"evil","kind":"ANSWERED","ts":"2023-04-03T08:00:30Z","slot":"2023-04-03T08:00:00Z"}
            {"channel":"evil","kind":"ANSWERED","ts":"2023-04-04T00:00:30Z","slot":"2023-04-04T00:00:00Z"}
            {"channel":"evil","kind":"CALL_PLACED","ts":"2023-04-04T08:00:00Z","slot":"2023-04-04T08:00:00Z"}
            {"channel":"evil","kind":"CALL_PLACED","ts":"2023-04-05T00:00:00Z","slot":"2023-04-05T00:00:00Z"}
            {"channel":"evil","kind":"CALL_PLACED","ts":"2023-04-05T08:00:00Z","slot":"2023-04-05T08:00:00Z"}
            {"channel":"evil","kind":"ANSWERED","ts":"2023-04-06T00:00:30Z","slot":"2023-04-06T00:00:00Z"}
            {"channel":"evil","kind":"ANSWERED","ts":"2023-04-06T08:00:30Z","slot":"2023-04-06T08:00:00Z"}
            {"channel":"<script>alert(1)</script>","kind":"ANSWERED","ts":"2023-04-06T09:30:00Z","slot":"2023-04-06T08:00:00Z"}
            {"kind":"HEARTBEAT","ts":"2023-04-06T10:00:00Z","source":"s"}
            """;

    /** The small replay, its report, ledger, months and refused examples. */
    record Run(ReplayReport report, StatusLedger ledger, MonthlyAvailability monthly, RejectExamples examples) {
    }

    static Run replay() throws Exception {
        MonitorConfig config = ConfigLoader.load("monitor.yaml", new StringReader(CONFIG));
        var silences = OperatorConfigLoader.silences("monitor.yaml", new StringReader(CONFIG), Set.of("evil"));
        StatusLedger ledger = new StatusLedger(config, 0);
        MonthlyAvailability monthly = new MonthlyAvailability(config, silences);
        RejectExamples examples = new RejectExamples();
        Replay replay = new Replay(new Replay.Options(config, Duration.ofMinutes(5), null, false), alert -> { },
                examples, Replay.Progress.NONE,
                BothListeners.of(new LedgerListener(ledger, config, silences), monthly));
        ReplayReport report = replay.run(List.of(LogInput.of("-", null)),
                new ByteArrayInputStream(LOG.getBytes(StandardCharsets.UTF_8)));
        return new Run(report, ledger, monthly, examples);
    }

    static String page() throws Exception {
        Run run = replay();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("channels file", "<i>monitor.yaml</i>");
        StringWriter out = new StringWriter();
        HtmlReport.write(run.report(), run.ledger(), run.monthly(), run.examples(), settings, out);
        return out.toString();
    }

    @Test
    void theMonthsCountedAreTheLedgers() throws Exception {
        Run run = replay();
        java.time.ZoneId seoul = java.time.ZoneId.of("Asia/Seoul");
        var april = run.ledger().availability("evil", java.time.LocalDate.of(2023, 4, 1).atStartOfDay(seoul).toInstant(),
                java.time.LocalDate.of(2023, 5, 1).atStartOfDay(seoul).toInstant());
        assertThat(april).isEqualTo(new StatusLedger.Availability(5, 1));
        assertThat(run.monthly().months("evil")).containsExactly(java.util.Map.entry(java.time.YearMonth.of(2023, 4), april));
        assertThat(run.monthly().years("evil")).containsExactly(java.util.Map.entry(2023, april));
        assertThat(run.monthly().months("nobody")).isEmpty();
    }

    @Test
    void everyElementOpenedIsClosedInOrder() throws Exception {
        String html = page();
        assertThat(html).startsWith("<!doctype html>\n<html lang=\"en\">").endsWith("</html>\n");
        assertThat(unbalanced(html)).isEmpty();
        assertThat(unbalanced("<section><svg><g></svg></section>")).as("the check can fail").isNotEmpty();
    }

    @Test
    void hostileTextFromTheInputAndTheConfigurationIsShownAsText() throws Exception {
        String html = page();
        assertThat(Pattern.compile("<script").matcher(html).results().count()).as("the page's own script only").isEqualTo(1);
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)")
                .contains("<h2>&lt;b&gt;&quot;Kim&#39;s&quot; &amp; co&lt;/b&gt; <code>evil</code></h2>")
                .doesNotContain("<b>\"Kim's\"")
                .contains("&lt;i&gt;monitor.yaml&lt;/i&gt;");
        assertThat(html).contains("<tr><td>unknown-channel</td><td class=\"num\">1</td>", "<span class=\"where\">-:9</span>");
    }

    @Test
    void daysOutagesAndAvailabilityAreTheReplays() throws Exception {
        String html = page();
        assertThat(html)
                .contains("<rect class=\"day partly\" x=\"279\"><title>Tue 2023-04-04: 09:00 answered; 17:00 missed (no answer)</title>")
                .as("both slots in the maintenance window")
                .contains("<rect class=\"day maintenance\" x=\"282\"><title>Wed 2023-04-05: 09:00 missed (no answer), "
                        + "maintenance; 17:00 missed (no answer), maintenance</title>")
                .contains("<rect class=\"day answered\" x=\"276\"><title>Mon 2023-04-03: 09:00 answered; 17:00 answered</title>");
        // Outage from Tuesday 17:00 to Thursday's 09:00 answer (30 s after it), 3 missed slots.
        assertThat(html).contains("<tr><td>2023-04-04 17:00 KST</td><td>2023-04-04 08:00 UTC</td><td>2023-04-05 01:00 UTC</td>"
                + "<td>2023-04-06 09:00:30 KST</td><td>2023-04-06 00:00:30 UTC</td><td class=\"num\">1d 16h</td>"
                + "<td class=\"num\">3</td></tr>");
        assertThat(html).contains("data-duration=\"1d 16h\"", "<text class=\"duration\"");
        // April: 5 answered, 1 missed counted (the maintenance day's two left out).
        assertThat(html).contains("<td class=\"a80\" title=\"5 answered, 1 missed\">83.33%</td>");
        assertThat(html).contains("<option value=\"2023-04\">April 2023</option>");
        assertThat(html).contains("3 missed, 0 not placed by our side");
    }

    /** Tags left open or closed out of order, outside script and style; empty when the structure is sound. */
    static List<String> unbalanced(String html) {
        String body = html.replaceAll("(?s)<script>.*?</script>", "").replaceAll("(?s)<style>.*?</style>", "")
                .replaceFirst("(?i)<!doctype html>", "");
        Set<String> voids = Set.of("meta", "link", "br", "img", "input", "hr");
        Deque<String> open = new ArrayDeque<>();
        List<String> problems = new ArrayList<>();
        Matcher m = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>").matcher(body);
        while (m.find()) {
            String name = m.group(2).toLowerCase(java.util.Locale.ROOT);
            if (voids.contains(name) || m.group(3).endsWith("/")) {
                continue;
            }
            if (m.group(1).isEmpty()) {
                open.push(name);
            } else if (open.isEmpty() || !open.peek().equals(name)) {
                problems.add("</" + name + "> at " + m.start() + " closes " + open.peek());
                return problems;
            } else {
                open.pop();
            }
        }
        open.forEach(n -> problems.add("<" + n + "> not closed"));
        return problems;
    }
}
