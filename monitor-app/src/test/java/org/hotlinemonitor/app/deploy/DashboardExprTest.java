package org.hotlinemonitor.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotlinemonitor.app.deploy.DashboardQueries.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview's queries computed by Prometheus' own engine ({@code promtool test rules}, Debian package
 * {@code prometheus}) on series written by hand, a minute apart, for cases a live run does not reach: a channel that
 * goes UP, MISSED, DOWN, UNKNOWN, then our side SILENT (the state panels' value mappings: 1, 2, 3, 0, -1), its
 * outage's start and duration, its last answer, its availability; a channel that is not selected stays out; and the
 * same series without any of our side's (history backfilled by a replay has none).
 *
 * <p>Skipped when promtool is missing, unless {@code CI=true}: then it fails (CI installs the package).
 */
@org.junit.jupiter.api.Tag("integration")
class DashboardExprTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    /** Times of the samples, a minute apart: t0 ... t6. */
    private static final Map<String, String> CHANNEL_A = Map.of(
            "up", "1 1 0 0 0 0 1",
            "missed", "0 0 1 0 0 0 0",
            "down", "0 0 0 1 0 0 0",
            "unknown", "0 0 0 0 1 1 0");
    private static final Map<String, String> CHANNEL_B = Map.of(
            "up", "1 1 1 1 1 0 1",
            "missed", "0 0 0 0 0 0 0",
            "down", "0 0 0 0 0 0 0",
            "unknown", "0 0 0 0 0 1 0");

    @Test
    void theOverviewsQueriesGiveTheStatesOutagesAndAvailabilityOfHandWrittenSeries() throws Exception {
        Path promtool = DebianBinary.require("hotline.promtool", "/usr/bin/promtool", "prometheus");
        // Two channels selected; c is not, though it is down all along.
        List<Query> queries = DashboardQueries.substituted(DashboardQueries.DASHBOARDS,
                Map.of("channel", "a|b", "job", ".+", "instance", ".+", "__range", "10m"));

        List<Map<String, Object>> series = new ArrayList<>(channelSeries());
        series.add(series("hotline_our_side_state{state=\"heard\"}", "1 1 1 1 1 0 1"));
        series.add(series("hotline_our_side_state{state=\"silent\"}", "0 0 0 0 0 1 0"));
        series.add(series("hotline_our_side_state{state=\"unknown\"}", "0 0 0 0 0 0 0"));
        series.add(series("hotline_last_heartbeat_timestamp_seconds", "0 60 120 180 240 240 360"));
        // The counts by state of two instances: m1 (say --channel-metrics=none) has a channel down from t2 to t4.
        series.add(series("hotline_channels{instance=\"m1\",state=\"up\"}", "3 3 2 2 2 0 3"));
        series.add(series("hotline_channels{instance=\"m1\",state=\"missed\"}", "0 0 0 0 0 0 0"));
        series.add(series("hotline_channels{instance=\"m1\",state=\"down\"}", "0 0 1 1 1 0 0"));
        series.add(series("hotline_channels{instance=\"m1\",state=\"unknown\"}", "0 0 0 0 0 3 0"));
        series.add(series("hotline_channels{instance=\"m2\",state=\"up\"}", "5 5 5 5 5 0 5"));
        series.add(series("hotline_channels{instance=\"m2\",state=\"unknown\"}", "0 0 0 0 0 5 0"));

        List<Map<String, Object>> live = new ArrayList<>();
        String state = expr(queries, "panel \"State\" A");
        assertThat(expr(queries, "panel \"Channels by state\" A")).as("the state panels share one query").isEqualTo(state);
        live.add(test(state, "0m", sample("{channel=\"a\"}", 1), sample("{channel=\"b\"}", 1)));
        live.add(test(state, "2m", sample("{channel=\"a\"}", 2), sample("{channel=\"b\"}", 1)));
        live.add(test(state, "3m", sample("{channel=\"a\"}", 3), sample("{channel=\"b\"}", 1)));
        live.add(test(state, "4m", sample("{channel=\"a\"}", 0), sample("{channel=\"b\"}", 1)));
        live.add(test(state, "5m", sample("{channel=\"a\"}", -1), sample("{channel=\"b\"}", -1)));
        live.add(test(state, "6m", sample("{channel=\"a\"}", 1), sample("{channel=\"b\"}", 1)));
        String downSince = expr(queries, "panel \"Down since\" A");
        live.add(test(downSince, "2m"));
        live.add(test(downSince, "3m", sample("{channel=\"a\"}", 100_000)));
        live.add(test(downSince, "4m"));
        live.add(test(expr(queries, "panel \"Open incident\" A"), "2m", sample("{channel=\"a\",state=\"missed\"}", 1)));
        live.add(test(expr(queries, "panel \"Open incident\" A"), "3m", sample("{channel=\"a\",state=\"down\"}", 1)));
        live.add(test(expr(queries, "panel \"Open incident\" B"), "3m", sample("{channel=\"a\"}", 100_000)));
        live.add(test(expr(queries, "panel \"Open incident\" C"), "3m", sample("{channel=\"a\"}", 180 - 100)));
        live.add(test(expr(queries, "panel \"Open incident\" D"), "3m", sample("{channel=\"a\"}", 2)));
        live.add(test(expr(queries, "panel \"Open incident\" C"), "6m"));
        live.add(test(expr(queries, "panel \"Last answer\" A"), "6m", sample("{channel=\"a\"}", 350_000)));
        for (String ref : List.of("A", "B", "C", "D", "E")) { // the time range (10 min here), 1 d, 7 d, 30 d, 90 d
            live.add(test(expr(queries, "panel \"Availability\" " + ref), "6m",
                    sample("{channel=\"a\"}", 0.5), sample("{channel=\"b\"}", 1)));
        }
        String counts = expr(queries, "panel \"Channels now, by state\" A");
        live.add(test(counts, "3m", sample("{state=\"up\"}", 7), sample("{state=\"missed\"}", 0),
                sample("{state=\"down\"}", 1), sample("{state=\"unknown\"}", 0)));
        live.add(test(counts, "5m", sample("{state=\"up\"}", 0), sample("{state=\"missed\"}", 0),
                sample("{state=\"down\"}", 0), sample("{state=\"unknown\"}", 8)));
        String ourSide = expr(queries, "panel \"Our side\" A");
        live.add(test(ourSide, "0m", sample("{}", 1)));
        live.add(test(ourSide, "5m", sample("{}", 2)));
        live.add(test(expr(queries, "panel \"Last heartbeat from our side\" A"), "5m", sample("{}", 60)));

        // Backfilled history: the channels' series only. The states are the channels' own; our side has no data.
        List<Map<String, Object>> backfilled = new ArrayList<>();
        backfilled.add(test(state, "3m", sample("{channel=\"a\"}", 3), sample("{channel=\"b\"}", 1)));
        backfilled.add(test(state, "5m", sample("{channel=\"a\"}", 0), sample("{channel=\"b\"}", 0)));
        backfilled.add(test(downSince, "3m", sample("{channel=\"a\"}", 100_000)));
        backfilled.add(test(expr(queries, "panel \"Availability\" A"), "6m",
                sample("{channel=\"a\"}", 0.5), sample("{channel=\"b\"}", 1)));
        backfilled.add(test(ourSide, "5m"));

        Map<String, Object> file = new LinkedHashMap<>();
        file.put("rule_files", List.of());
        file.put("evaluation_interval", "1m");
        file.put("tests", List.of(group(series, live), group(channelSeries(), backfilled)));
        Path tests = tmp.resolve("dashboard-queries-test.yml");
        YAML.writeValue(tests.toFile(), file);

        Process p = new ProcessBuilder(promtool.toString(), "test", "rules", tests.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println("promtool test rules, " + (live.size() + backfilled.size()) + " query checks:\n" + out);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS");
    }

    /** The channels' series, as the monitor serves them and a backfill writes them (no job, no instance). */
    private static List<Map<String, Object>> channelSeries() {
        List<Map<String, Object>> s = new ArrayList<>();
        CHANNEL_A.forEach((st, v) -> s.add(series("hotline_channel_state{channel=\"a\",state=\"" + st + "\"}", v)));
        CHANNEL_B.forEach((st, v) -> s.add(series("hotline_channel_state{channel=\"b\",state=\"" + st + "\"}", v)));
        for (String st : List.of("up", "missed", "unknown")) {
            s.add(series("hotline_channel_state{channel=\"c\",state=\"" + st + "\"}", "0 0 0 0 0 0 0"));
        }
        s.add(series("hotline_channel_state{channel=\"c\",state=\"down\"}", "1 1 1 1 1 1 1"));
        s.add(series("hotline_channel_outage_start_timestamp_seconds{channel=\"a\"}", "NaN NaN 100 100 NaN NaN NaN"));
        s.add(series("hotline_channel_outage_start_timestamp_seconds{channel=\"b\"}", "NaN NaN NaN NaN NaN NaN NaN"));
        s.add(series("hotline_channel_outage_start_timestamp_seconds{channel=\"c\"}", "10 10 10 10 10 10 10"));
        s.add(series("hotline_channel_consecutive_missed_slots{channel=\"a\"}", "0 0 1 2 0 0 0"));
        s.add(series("hotline_channel_consecutive_missed_slots{channel=\"c\"}", "5 5 5 5 5 5 5"));
        s.add(series("hotline_channel_last_answer_timestamp_seconds{channel=\"a\"}", "50 50 50 50 50 50 350"));
        s.add(series("hotline_channel_last_answer_timestamp_seconds{channel=\"b\"}", "NaN NaN NaN NaN NaN NaN NaN"));
        s.add(series("hotline_channel_slots_total{channel=\"a\",verdict=\"ANSWERED\"}", "0 1 1 1 1 1 2"));
        s.add(series("hotline_channel_slots_total{channel=\"a\",verdict=\"MISSED\"}", "0 0 1 2 2 2 2"));
        s.add(series("hotline_channel_slots_total{channel=\"a\",verdict=\"NOT_PLACED\"}", "0 0 0 0 0 0 1"));
        s.add(series("hotline_channel_slots_total{channel=\"b\",verdict=\"ANSWERED\"}", "0 1 2 3 4 5 6"));
        s.add(series("hotline_channel_slots_total{channel=\"b\",verdict=\"MISSED\"}", "0 0 0 0 0 0 0"));
        s.add(series("hotline_channel_slots_total{channel=\"b\",verdict=\"NOT_PLACED\"}", "0 0 0 0 0 0 0"));
        s.add(series("hotline_channel_slots_total{channel=\"c\",verdict=\"MISSED\"}", "0 1 2 3 4 5 6"));
        return s;
    }

    private static String expr(List<Query> queries, String source) {
        return queries.stream().filter(q -> q.dashboard().equals("hotlines-overview.json") && q.source().equals(source))
                .findFirst().orElseThrow(() -> new AssertionError("no query " + source)).expr();
    }

    private static Map<String, Object> group(List<Map<String, Object>> series, List<Map<String, Object>> tests) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("interval", "1m");
        g.put("input_series", series);
        g.put("promql_expr_test", tests); // singular in Prometheus 2.x
        return g;
    }

    private static Map<String, Object> series(String name, String values) {
        return Map.of("series", name, "values", values);
    }

    @SafeVarargs
    private static Map<String, Object> test(String expr, String at, Map<String, Object>... samples) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("expr", expr);
        t.put("eval_time", at);
        t.put("exp_samples", List.of(samples));
        return t;
    }

    private static Map<String, Object> sample(String labels, double value) {
        return Map.of("labels", labels, "value", value);
    }
}
