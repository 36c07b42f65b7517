package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hotlinemonitor.app.deploy.DashboardQueries.Query;
import org.hotlinemonitor.app.deploy.LiveStack.Point;
import org.hotlinemonitor.app.deploy.LiveStack.Sample;
import org.hotlinemonitor.app.deploy.LiveStack.Series;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything under deploy/ against the real programs, on one run of them ({@link LiveStack}: the monitor's demo on an
 * accelerated clock, three lines down for a while and restored, two answering every call, scraped every second by a
 * real Prometheus with the shipped rules, whose alerts go through a real Alertmanager with the shipped routes to a
 * test webhook). One run for all the checks, in this order, because the scenario takes a minute of real time:
 *
 * <ol>
 *   <li>the rules: HotlineDown fires in Prometheus for the scenario's three down channels, and for no other, and
 *       Alertmanager delivers it to the pager webhook of each channel's route; the recorded availability of every
 *       channel, over every window, equals the monitor's own counters (answered / (answered + missed) from its
 *       /metrics) and the scenario's figures; every metric the rules read is served;</li>
 *   <li>the dashboards: every query of both, with the variables as Grafana would substitute them for the whole run,
 *       returns data (a finite value at some point of the range), except the few of {@link #MAY_BE_EMPTY}, each with
 *       its reason; and the panels say what the scenario did: the states, the outages' starts, the availability of
 *       each channel as the scenario's script gives it, each channel's answer latency, the monitor ready and
 *       running;</li>
 *   <li>last, because it stops the monitor: the second line of defence, MonitorDown fires and is delivered.</li>
 * </ol>
 * Each step waits for what it needs itself, so that a failure in one still lets the next report its own. About a
 * minute and a quarter: the scenario plays 27 hours of clock time at 1800x.
 *
 * <p>Skipped when Prometheus or Alertmanager is missing, unless {@code CI=true}: then it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Tag("integration")
class DeployLiveTest {

    private static final String NO_NOTIFIER = "the demo has no notify: section, so it runs no notifier and serves no "
            + "hotline_notify_* series (NotifierTest and AlertmanagerTest cover the notifier's meters)";

    /** Queries that return nothing in this scenario, and why. */
    static final Map<String, String> MAY_BE_EMPTY = Map.of(
            "monitor-health.json: panel \"Pager deliveries, by sink and result\" A", NO_NOTIFIER,
            "monitor-health.json: panel \"Pager dead letters (time range)\" A", NO_NOTIFIER,
            "monitor-health.json: panel \"Deadline → pager 2xx, by sink\" A", NO_NOTIFIER,
            "monitor-health.json: panel \"Deadline → pager 2xx, by sink\" B", NO_NOTIFIER);

    /** Thursday 17:00 and 16:00 in Seoul: the first missed slots of the liaison office's and the military lines' outages. */
    private static final Map<String, Instant> OUTAGE_START = Map.of(
            "liaison-office", Instant.parse("2023-04-06T08:00:00Z"),
            "east-coast-military", Instant.parse("2023-04-06T07:00:00Z"),
            "west-coast-military", Instant.parse("2023-04-06T07:00:00Z"));

    private static final Pattern SLOTS = Pattern.compile("(?m)^hotline_channel_slots_total\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @TempDir
    static Path dir;

    /** The one stack of the class; {@code from}: just before it started, the start of the dashboards' time range. */
    private LiveStack s;
    private Instant from;

    @BeforeAll
    void startTheStack() throws Exception {
        from = Instant.now().minusSeconds(5);
        s = LiveStack.start(dir);
    }

    @AfterAll
    void stopTheStack() {
        if (s != null) {
            s.close();
        }
    }

    @Test
    @Order(1)
    void rulesFireInPrometheusReachTheWebhookAndAgreeWithTheMonitor() {
        assertThat(s.query("up{job=\"hotline-monitor\"}")).singleElement()
                .satisfies(x -> assertThat(x.value()).isEqualTo(1.0));
        s.await("hotline_ready 1", LiveStack.WAIT, () -> values(s, "hotline_ready{job=\"hotline-monitor\"}", "job")
                .equals(Map.of("hotline-monitor", 1.0)));

        // The outage: HotlineDown firing in Prometheus for the three lines (down for about 24 s of real time).
        Set<String> down = new TreeSet<>(LiveStack.DOWN_CHANNELS);
        s.await("HotlineDown firing for " + down, Duration.ofSeconds(180), () -> firing(s, "HotlineDown").containsAll(down));
        // ... and delivered by Alertmanager: the liaison office to its team's pager (route by channel), the others
        // to the default pager.
        s.await("HotlineDown delivered for " + down, LiveStack.WAIT, () -> delivered(s, "HotlineDown").keySet().containsAll(down));
        Map<String, String> receivers = delivered(s, "HotlineDown");
        assertThat(receivers).containsEntry("liaison-office", "/hotline/page-liaison")
                .containsEntry("east-coast-military", "/hotline/page")
                .containsEntry("west-coast-military", "/hotline/page");

        s.awaitScenarioOver();
        assertThat(s.query("max by (channel) (max_over_time(ALERTS{alertname=\"HotlineDown\", alertstate=\"firing\"}[1h]))"))
                .extracting(x -> x.labels().get("channel")).as("HotlineDown fired for the down channels only")
                .containsExactlyInAnyOrderElementsOf(down);
        // Restored at the scenario's last answers, 4 s (liaison office) before its end: awaited over the rule's next evaluations.
        s.await("HotlineDown resolved after the scenario's restores", LiveStack.WAIT, () -> firing(s, "HotlineDown").isEmpty());

        // Availability: Prometheus' recording rules against the monitor's own counters, once they are steady (no
        // more calls after the scenario; the last answered slots are decided within a second or two).
        Map<String, Double> expected = new TreeMap<>(LiveStack.EXPECTED_AVAILABILITY);
        s.await("the monitor's counters to give the scenario's availability", LiveStack.WAIT,
                () -> monitorAvailability(s).equals(expected));
        for (String window : List.of("1d", "7d", "30d", "90d")) {
            String rule = "channel:hotline_availability:ratio_" + window;
            s.await(rule + " equal to the monitor's", LiveStack.WAIT, () -> close(values(s, rule, "channel"), expected));
        }
        Map<String, Double> recorded = values(s, "channel:hotline_availability:ratio_30d", "channel");
        Map<String, Double> monitor = monitorAvailability(s);
        System.out.println("availability, Prometheus (30d) " + recorded + ", monitor's counters " + monitor);
        monitor.forEach((channel, a) -> assertThat(recorded.get(channel)).as(channel).isCloseTo(a, within(1e-9)));

        // Every metric the rules read is one the monitor serves (a misspelt name would make a rule that never fires),
        // but the notifier's: the demo has no notifier.
        Set<String> read = DeployRulesTest.metricsReadByRules();
        read.removeAll(Set.of("hotline_notify_deliveries_total"));
        Set<String> served = s.query("count by (__name__) ({job=\"hotline-monitor\"})").stream()
                .map(x -> x.labels().get("__name__")).collect(Collectors.toSet());
        assertThat(served).as("metrics the rules read, served by the demo").containsAll(read);
    }

    @Test
    @Order(2)
    void everyPanelQueryReturnsDataFromARealPrometheusScrapingARunningMonitor() throws Exception {
        s.awaitScenarioOver();
        // The scenario's last answers are decided a second or two after its end: wait until the monitor's own
        // counters say so, then take the whole run as the dashboards' time range (a minute to spare before it).
        s.await("the monitor's counters to give the scenario's availability", LiveStack.WAIT,
                () -> monitorAvailability(s).equals(LiveStack.EXPECTED_AVAILABILITY));
        Thread.sleep(2_000); // two scrapes, so that Prometheus has the final counts too
        Instant to = Instant.now();
        Duration range = Duration.between(from, to).plusSeconds(60);
        Set<String> channels = new TreeSet<>(LiveStack.EXPECTED_AVAILABILITY.keySet());

        // The variables first: what Grafana offers, then what it substitutes for "All".
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("channel", "(" + String.join("|", channels) + ")"); // All, without allValue: every value
        variables.put("job", ".+");                                         // All, allValue .+
        variables.put("instance", ".+");
        variables.put("__range", range.toSeconds() + "s");
        variables.put("__range_s", Long.toString(range.toSeconds()));
        variables.put("__range_ms", Long.toString(range.toMillis()));
        variables.put("__interval", "1s");     // one point a second over a few minutes
        variables.put("__interval_ms", "1000");
        variables.put("__rate_interval", "4s"); // Grafana: at least four scrape intervals (1 s here)
        List<Query> queries = DashboardQueries.substituted(DashboardQueries.DASHBOARDS, variables);

        assertThat(labelValues(s, query(queries, "hotlines-overview.json: variable channel"), "channel"))
                .as("the channel variable offers every channel").isEqualTo(channels);
        assertThat(labelValues(s, query(queries, "monitor-health.json: variable job"), "job")).containsExactly("hotline-monitor");
        assertThat(labelValues(s, query(queries, "monitor-health.json: variable instance"), "instance")).hasSize(1);

        // Every query: data somewhere in the range, unless allowed to be empty.
        List<String> empty = new ArrayList<>();
        List<String> report = new ArrayList<>();
        for (Query q : queries) {
            List<Series> series = s.queryRange(q.expr(), from, to, Duration.ofSeconds(1));
            long finite = series.stream().flatMap(x -> x.points().stream()).filter(p -> Double.isFinite(p.value())).count();
            report.add(String.format("%-75s %3d series %5d finite points", q, series.size(), finite));
            if (finite == 0 && !MAY_BE_EMPTY.containsKey(q.toString())) {
                empty.add(q + "\n    " + q.expr());
            }
            if (q.instant()) {
                s.query(q.expr()); // as Grafana asks for it: at the end of the range; refused would throw
            }
        }
        System.out.println("DeployLiveTest, " + queries.size() + " dashboard queries over " + range + ":\n"
                + String.join("\n", report));
        assertThat(empty).as("queries without data (allowed empty: " + MAY_BE_EMPTY.keySet() + ")").isEmpty();
        assertThat(MAY_BE_EMPTY.keySet()).as("the allow-list names queries that exist")
                .isSubsetOf(queries.stream().map(Query::toString).collect(Collectors.toSet()));

        // The overview says what happened. State: 3 DOWN, 1 UP (value mappings of the panels).
        Map<String, List<Point>> state = byChannel(s.queryRange(query(queries,
                "hotlines-overview.json: panel \"Channels by state\" A").expr(), from, to, Duration.ofSeconds(1)));
        assertThat(state.keySet()).isEqualTo(channels);
        for (String c : channels) {
            List<Point> points = state.get(c);
            boolean wentDown = LiveStack.DOWN_CHANNELS.contains(c);
            assertThat(points.stream().anyMatch(p -> p.value() == 3)).as(c + " was DOWN in the scenario").isEqualTo(wentDown);
            assertThat(points.get(points.size() - 1).value()).as(c + " UP at the end").isEqualTo(1.0);
        }
        Map<String, List<Point>> downSince = byChannel(s.queryRange(query(queries,
                "hotlines-overview.json: panel \"Down since\" A").expr(), from, to, Duration.ofSeconds(1)));
        assertThat(downSince.keySet()).as("channels with a Down since").isEqualTo(OUTAGE_START.keySet());
        OUTAGE_START.forEach((c, since) -> assertThat(downSince.get(c))
                .as(c + " down since").allMatch(p -> p.value() == since.toEpochMilli()));
        assertThat(s.query(query(queries, "hotlines-overview.json: panel \"Down since\" A").expr()))
                .as("nothing down at the end").isEmpty();
        assertThat(s.query(query(queries, "hotlines-overview.json: panel \"Open incident\" A").expr()))
                .as("no open incident at the end").isEmpty();

        // Availability over the time range, and over the last day: the scenario's, which the monitor's own
        // counters give too (checked above), per channel.
        for (String ref : List.of("A", "B")) {
            Map<String, Double> availability = new LinkedHashMap<>();
            for (Sample x : s.query(query(queries, "hotlines-overview.json: panel \"Availability\" " + ref).expr())) {
                availability.put(x.labels().get("channel"), x.value());
            }
            assertThat(availability.keySet()).as("availability " + ref).isEqualTo(channels);
            LiveStack.EXPECTED_AVAILABILITY.forEach((c, expected) -> assertThat(availability.get(c))
                    .as("availability " + ref + " of " + c).isCloseTo(expected, within(1e-9)));
        }
        assertThat(lastValues(s, queries, "hotlines-overview.json: panel \"Our side\" A")).containsExactly(1.0); // HEARD

        // Answer latency per channel: every channel answered some of its slots, so each has its quantiles where it
        // did, between the histogram's bounds (the demo's far side answers within minutes of clock time).
        for (String ref : List.of("A", "B", "C")) {
            Map<String, List<Point>> latency = byChannel(s.queryRange(query(queries,
                    "hotlines-overview.json: panel \"Answer latency, this channel\" " + ref).expr(), from, to, Duration.ofSeconds(1)));
            assertThat(latency.keySet()).as("answer latency " + ref + ", channels").isEqualTo(channels);
            latency.forEach((c, points) -> {
                List<Double> finite = points.stream().map(Point::value).filter(Double::isFinite).toList();
                assertThat(finite).as("answer latency " + ref + " of " + c).isNotEmpty().allMatch(v -> v > 0 && v <= 7200);
            });
        }

        // The health dashboard: the one instance ready, scraped, its Streams client RUNNING (2).
        assertThat(lastValues(s, queries, "monitor-health.json: panel \"Ready\" A")).containsExactly(1.0);
        assertThat(lastValues(s, queries, "monitor-health.json: panel \"Scraped (up)\" A")).containsExactly(1.0);
        assertThat(lastValues(s, queries, "monitor-health.json: panel \"Kafka Streams state\" A")).containsExactly(2.0);
    }

    @Test
    @Order(3)
    void monitorDownFiresAndReachesThePagerOnceTheMonitorStops() throws Exception {
        // The second line of defence: the monitor stops; Prometheus pages for it. Last: nothing runs after the stop.
        assertThat(firing(s, "MonitorDown")).isEmpty();
        s.stopMonitor();
        s.await("MonitorDown firing", LiveStack.WAIT, () -> !s.query(
                "ALERTS{alertname=\"MonitorDown\", alertstate=\"firing\", job=\"hotline-monitor\"}").isEmpty());
        s.await("MonitorDown delivered to the pager", LiveStack.WAIT, () -> s.notifications().stream()
                .anyMatch(n -> n.path().equals("/hotline/page") && !n.alerts("MonitorDown", "firing").isEmpty()));
    }

    /** The channels for which {@code alertname} is firing in Prometheus now. */
    private static Set<String> firing(LiveStack s, String alertname) {
        return s.query("ALERTS{alertname=\"" + alertname + "\", alertstate=\"firing\"}").stream()
                .map(x -> x.labels().getOrDefault("channel", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** For each channel with a firing {@code alertname} delivered to a webhook: the path (receiver) it went to. */
    private static Map<String, String> delivered(LiveStack s, String alertname) {
        Map<String, String> out = new HashMap<>();
        for (LiveStack.Notification n : s.notifications()) {
            n.alerts(alertname, "firing").forEach(a -> out.put(a.path("labels").path("channel").asText(), n.path()));
        }
        return out;
    }

    /** The query's answer as label value to sample value. */
    private static Map<String, Double> values(LiveStack s, String promql, String label) {
        Map<String, Double> out = new TreeMap<>();
        s.query(promql).forEach(x -> out.put(x.labels().get(label), x.value()));
        return out;
    }

    private static boolean close(Map<String, Double> actual, Map<String, Double> expected) {
        return actual.keySet().equals(expected.keySet())
                && expected.entrySet().stream().allMatch(e -> Math.abs(actual.get(e.getKey()) - e.getValue()) < 1e-9);
    }

    /**
     * Answered / (answered + missed) per channel, from the monitor's own /metrics (not through Prometheus); a channel
     * with no judged slot yet is left out.
     */
    static Map<String, Double> monitorAvailability(LiveStack s) {
        String text;
        try {
            text = s.scrapeMonitor();
        } catch (Exception e) {
            throw new AssertionError("scraping the monitor", e);
        }
        Map<String, double[]> counts = new TreeMap<>();
        Matcher m = SLOTS.matcher(text);
        while (m.find()) {
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            double[] c = counts.computeIfAbsent(labels.get("channel"), k -> new double[2]);
            switch (labels.get("verdict")) {
                case "ANSWERED" -> c[0] += Double.parseDouble(m.group(2));
                case "MISSED" -> c[1] += Double.parseDouble(m.group(2));
                default -> { } // NOT_PLACED counts for neither
            }
        }
        Map<String, Double> out = new TreeMap<>();
        counts.forEach((channel, c) -> {
            if (c[0] + c[1] > 0) {
                out.put(channel, c[0] / (c[0] + c[1]));
            }
        });
        return out;
    }

    private static Query query(List<Query> queries, String name) {
        return queries.stream().filter(q -> q.toString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + name));
    }

    private static Set<String> labelValues(LiveStack s, Query variable, String label) {
        return s.query(variable.expr()).stream().map(x -> x.labels().get(label)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Double> lastValues(LiveStack s, List<Query> queries, String name) {
        return s.query(query(queries, name).expr()).stream().map(Sample::value).toList();
    }

    private static Map<String, List<Point>> byChannel(List<Series> series) {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        for (Series x : series) {
            out.put(x.labels().get("channel"), x.points());
        }
        return out;
    }
}
