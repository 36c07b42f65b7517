package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the dashboards against a real Prometheus that scrapes a running monitor ({@link LiveStack}: the
 * demo on an accelerated clock, three lines down for a while and restored, two answering every call), with the
 * variables as Grafana would substitute them for the whole scenario's time range: each query returns data (a finite
 * value at some point of the range), except the few of {@link #MAY_BE_EMPTY}, each with its reason. And the panels
 * say what the scenario did: the states, the outages' starts, the availability of each channel as the scenario's
 * script gives it, the monitor ready and running.
 *
 * <p>Skipped when Prometheus or Alertmanager is missing, unless {@code CI=true}: then it fails.
 */
class DashboardsLiveTest {

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

    /** A sample of hotline_channel_slots_total in the monitor's text: channel, verdict, value. */
    private static final Pattern SLOTS = Pattern.compile(
            "(?m)^hotline_channel_slots_total\\{channel=\"([^\"]+)\",verdict=\"([A-Z_]+)\",?} (\\S+)$");

    @TempDir
    Path dir;

    @Test
    void everyPanelQueryReturnsDataFromARealPrometheusScrapingARunningMonitor() throws Exception {
        Instant from = Instant.now().minusSeconds(5);
        try (LiveStack s = LiveStack.start(dir)) {
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

            assertThat(values(s, query(queries, "hotlines-overview.json: variable channel"), "channel"))
                    .as("the channel variable offers every channel").isEqualTo(channels);
            assertThat(values(s, query(queries, "monitor-health.json: variable job"), "job")).containsExactly("hotline-monitor");
            assertThat(values(s, query(queries, "monitor-health.json: variable instance"), "instance")).hasSize(1);

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
            System.out.println("DashboardsLiveTest, " + queries.size() + " queries over " + range + ":\n"
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

            // The health dashboard: the one instance ready, scraped, its Streams client RUNNING (2).
            assertThat(lastValues(s, queries, "monitor-health.json: panel \"Ready\" A")).containsExactly(1.0);
            assertThat(lastValues(s, queries, "monitor-health.json: panel \"Scraped (up)\" A")).containsExactly(1.0);
            assertThat(lastValues(s, queries, "monitor-health.json: panel \"Kafka Streams state\" A")).containsExactly(2.0);
        }
    }

    /** Answered / (answered + missed) per channel, from the monitor's own /metrics (not through Prometheus). */
    private static Map<String, Double> monitorAvailability(LiveStack s) {
        String text;
        try {
            text = s.scrapeMonitor();
        } catch (Exception e) {
            throw new AssertionError("scraping the monitor", e);
        }
        Map<String, double[]> counts = new TreeMap<>();
        Matcher m = SLOTS.matcher(text);
        while (m.find()) {
            double[] c = counts.computeIfAbsent(m.group(1), k -> new double[2]);
            switch (m.group(2)) {
                case "ANSWERED" -> c[0] += Double.parseDouble(m.group(3));
                case "MISSED" -> c[1] += Double.parseDouble(m.group(3));
                default -> { } // NOT_PLACED counts for neither
            }
        }
        Map<String, Double> out = new TreeMap<>();
        counts.forEach((channel, c) -> out.put(channel, c[0] + c[1] == 0 ? Double.NaN : c[0] / (c[0] + c[1])));
        return out;
    }

    private static Query query(List<Query> queries, String name) {
        return queries.stream().filter(q -> q.toString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + name));
    }

    private static Set<String> values(LiveStack s, Query variable, String label) {
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
