package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rules and routes against the real programs ({@link LiveStack}): the monitor's demo scraped by Prometheus
 * every second, the alerts through Alertmanager to a webhook.
 *
 * <ul>
 *   <li>HotlineDown fires in Prometheus for the scenario's three down channels, and for no other, and Alertmanager
 *       delivers it to the pager webhook of each channel's route;</li>
 *   <li>the recorded availability of every channel, over every window, equals the monitor's own counters (answered /
 *       (answered + missed) from its /metrics) and the scenario's figures;</li>
 *   <li>the second line of defence: MonitorDown fires and is delivered once the monitor process is stopped.</li>
 * </ul>
 * About two and a half minutes: the scenario plays 27 hours of clock time at 900x.
 */
class DeployLiveTest {

    private static final Pattern SLOTS = Pattern.compile("(?m)^hotline_channel_slots_total\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void rulesFireInPrometheusReachTheWebhookAndAgreeWithTheMonitor() throws Exception {
        try (LiveStack s = LiveStack.start(dir)) {
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
            assertThat(firing(s, "HotlineDown")).as("restored by the end of the scenario").isEmpty();

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

            // The second line of defence: the monitor stops; Prometheus pages for it.
            assertThat(firing(s, "MonitorDown")).isEmpty();
            s.stopMonitor();
            s.await("MonitorDown firing", LiveStack.WAIT, () -> !s.query(
                    "ALERTS{alertname=\"MonitorDown\", alertstate=\"firing\", job=\"hotline-monitor\"}").isEmpty());
            s.await("MonitorDown delivered to the pager", LiveStack.WAIT, () -> s.notifications().stream()
                    .anyMatch(n -> n.path().equals("/hotline/page") && !n.alerts("MonitorDown", "firing").isEmpty()));
        }
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

    /** Answered / (answered + missed) per channel, from the monitor's own /metrics. */
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
                default -> { }
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
}
