package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotlinemonitor.app.deploy.DashboardQueries;
import org.hotlinemonitor.app.deploy.DashboardQueries.Query;
import org.hotlinemonitor.app.deploy.DebianBinary;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History in Prometheus, for real: {@code replay --openmetrics-out} on the April 2023 example, {@code promtool tsdb
 * create-blocks-from openmetrics} (Debian package {@code prometheus}) into a data directory, a real Prometheus started on
 * it, and PromQL at instants in 2023 through its HTTP API: each channel is {@code down} exactly from its
 * {@code CHANNEL_DOWN} to its {@code CHANNEL_RESTORED} (or the end), and the availability computed from
 * {@code hotline_channel_slots_total} as the dashboards do agrees with the replay's report; and the Hotlines overview,
 * unchanged, shows the replayed period: every one of its queries returns data there, but a short list of panels on
 * series the backfill does not write ({@link #NOT_BACKFILLED}), and its availability panel gives the report's figures.
 *
 * <p>Skipped when promtool or Prometheus is missing, unless {@code CI=true}: then it fails.
 */
@org.junit.jupiter.api.Tag("integration")
class BackfillPrometheusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> STATES = List.of("up", "missed", "down", "unknown");
    /** Grafana's {@code $__interval} for the overview over the replayed period, and the range queries' step. */
    private static final Duration INTERVAL = Duration.ofMinutes(10);

    private static final String NO_OUR_SIDE = "our side's series (hotline_our_side_state, "
            + "hotline_last_heartbeat_timestamp_seconds) are process-wide, not per channel: the backfill does not write them";
    private static final String NO_LATENCY = "the backfill does not write the answer latency histograms "
            + "(hotline_slot_answer_latency_seconds, hotline_channel_answer_latency_seconds)";
    private static final String NO_COUNTS = "the counts by state (hotline_channels) are the live detector's, per instance: "
            + "the backfill writes the channels' own series";
    /** The overview's queries that have no data on a backfill, and why (docs/dashboards.md says so too). */
    static final Map<String, String> NOT_BACKFILLED = Map.of(
            "panel \"Our side\" A", NO_OUR_SIDE,
            "panel \"Last heartbeat from our side\" A", NO_OUR_SIDE,
            "panel \"Channels now, by state\" A", NO_COUNTS,
            "panel \"Answer latency, all channels\" A", NO_LATENCY,
            "panel \"Answer latency, all channels\" B", NO_LATENCY,
            "panel \"Answer latency, all channels\" C", NO_LATENCY,
            "panel \"Answer latency, this channel\" A", NO_LATENCY,
            "panel \"Answer latency, this channel\" B", NO_LATENCY,
            "panel \"Answer latency, this channel\" C", NO_LATENCY);

    @TempDir
    Path tmp;

    @Test
    void theReplayedMonthInPrometheusShowsEachOutageExactlyAndTheReportsAvailability() throws Exception {
        Path promtool = DebianBinary.require("hotline.promtool", "/usr/bin/promtool", "prometheus");
        Path prometheus = DebianBinary.require("hotline.prometheus", "/usr/bin/prometheus", "prometheus");
        Path om = tmp.resolve("april-2023.om.txt");
        Path alertsFile = tmp.resolve("alerts.jsonl");
        Path reportFile = tmp.resolve("report.json");
        CliTest.Result r = CliTest.run("replay", "--channels", CliTest.CHANNELS.toString(), "--alerts-out", alertsFile.toString(),
                "--report-out", reportFile.toString(), "--report-format", "json", "--openmetrics-out", om.toString(),
                CliTest.LOG.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("sample(s) of OpenMetrics to " + om);

        List<Alert> alerts = Files.readAllLines(alertsFile).stream().map(AlertCodec::fromJson).toList();
        JsonNode report = JSON.readTree(reportFile.toFile());
        Instant start = Instant.parse(report.at("/input/firstEvent").asText());
        Instant end = Instant.parse(report.at("/input/end").asText());
        List<String> channels = new ArrayList<>();
        report.get("channels").forEach(c -> channels.add(c.get("id").asText()));

        checkExposition(om, channels);

        Path data = tmp.resolve("data");
        ProcessResult blocks = exec(List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                "--max-block-duration=1458h", om.toString(), data.toString()));
        assertThat(blocks.code()).as(blocks.out()).isZero();

        // Where each channel must be down: from each CHANNEL_DOWN to its CHANNEL_RESTORED, or to the end.
        Map<String, List<Instant[]>> outages = new LinkedHashMap<>();
        Map<String, Instant> openDown = new HashMap<>();
        for (Alert a : alerts) {
            if (a.type() == AlertType.CHANNEL_DOWN) {
                openDown.put(a.channel(), a.at());
            } else if (a.type() == AlertType.CHANNEL_RESTORED) {
                outages.computeIfAbsent(a.channel(), c -> new ArrayList<>()).add(new Instant[] {openDown.remove(a.channel()), a.at()});
            }
        }
        openDown.forEach((c, at) -> outages.computeIfAbsent(c, x -> new ArrayList<>()).add(new Instant[] {at, null}));
        assertThat(outages).as("the example's known outages").containsKeys("ship-to-ship", "liaison-office",
                "east-coast-military", "west-coast-military");
        assertThat(outages.get("ship-to-ship").get(0)[1]).as("ship-to-ship is restored").isNotNull();

        try (Prometheus p = Prometheus.start(prometheus, data, tmp)) {
            for (String channel : channels) {
                List<Instant[]> down = outages.getOrDefault(channel, List.of());
                // Every 2 minutes over the whole replay (deadlines fall on whole hours, so on this grid).
                JsonNode range = p.get("/api/v1/query_range", Map.of("query",
                        "hotline_channel_state{channel=\"" + channel + "\",state=\"down\"}",
                        "start", seconds(start), "end", seconds(end), "step", "120"));
                JsonNode values = single(range, channel).get("values");
                assertThat(values.size()).as(channel + ": a point every 2 min").isEqualTo(
                        (int) (Duration.between(start, end).toSeconds() / 120) + 1);
                for (JsonNode v : values) {
                    Instant t = Instant.ofEpochMilli(Math.round(v.get(0).asDouble() * 1000));
                    assertThat(v.get(1).asText()).as(channel + " down at " + t).isEqualTo(inOutage(down, t) ? "1" : "0");
                }
                for (Instant[] o : down) {
                    // To the millisecond at both ends, and up before it.
                    assertThat(state(p, channel, "down", o[0].minusMillis(1))).as(channel + " before " + o[0]).isEqualTo(0);
                    assertThat(state(p, channel, "down", o[0])).as(channel + " down at " + o[0]).isEqualTo(1);
                    Instant since = alerts.stream().filter(a -> a.type() == AlertType.CHANNEL_DOWN && a.at().equals(o[0])
                            && a.channel().equals(channel)).findFirst().orElseThrow().since();
                    assertThat(state(p, channel, "up", since)).as(channel + " up at its outage's first missed slot " + since)
                            .isEqualTo(1);
                    if (o[1] != null) {
                        assertThat(state(p, channel, "down", o[1].minusMillis(1))).as(channel + " still down").isEqualTo(1);
                        assertThat(state(p, channel, "down", o[1])).as(channel + " restored at " + o[1]).isEqualTo(0);
                        assertThat(state(p, channel, "up", o[1])).as(channel + " up at " + o[1]).isEqualTo(1);
                    } else {
                        assertThat(state(p, channel, "down", end)).as(channel + " down at the end").isEqualTo(1);
                    }
                }
                // One state at a time, at every moment.
                JsonNode sum = p.get("/api/v1/query_range", Map.of("query",
                        "sum(hotline_channel_state{channel=\"" + channel + "\"})",
                        "start", seconds(start), "end", seconds(end), "step", "300"));
                single(sum, channel).get("values").forEach(v -> assertThat(v.get(1).asText()).isEqualTo("1"));
            }

            // Availability as the dashboards compute it, over a window that holds the whole replay.
            JsonNode availability = p.get("/api/v1/query", Map.of("time", seconds(end), "query",
                    "sum by (channel) (increase(hotline_channel_slots_total{verdict=\"ANSWERED\"}[30d]))"
                            + " / sum by (channel) (increase(hotline_channel_slots_total{verdict=~\"ANSWERED|MISSED\"}[30d]))"));
            Map<String, Double> promql = new HashMap<>();
            availability.at("/data/result").forEach(s -> promql.put(s.at("/metric/channel").asText(),
                    Double.parseDouble(s.at("/value/1").asText())));
            JsonNode counters = p.get("/api/v1/query", Map.of("time", seconds(end), "query", "hotline_channel_slots_total"));
            Map<String, Long> counts = new HashMap<>();
            counters.at("/data/result").forEach(s -> counts.put(s.at("/metric/channel").asText() + "/"
                    + s.at("/metric/verdict").asText(), Long.parseLong(s.at("/value/1").asText())));
            for (JsonNode c : report.get("channels")) {
                String id = c.get("id").asText();
                assertThat(counts.get(id + "/ANSWERED")).as(id + " answered").isEqualTo(c.get("answered").asLong());
                assertThat(counts.get(id + "/MISSED")).as(id + " missed").isEqualTo(c.at("/missed/total").asLong());
                assertThat(counts.get(id + "/NOT_PLACED")).as(id + " not placed").isEqualTo(c.get("notPlaced").asLong());
                if (c.get("availability").isNull()) {
                    assertThat(promql.get(id)).as(id + ": no judged slot").isNaN();
                } else {
                    assertThat(promql.get(id)).as(id + " availability").isCloseTo(c.get("availability").asDouble(), within(1e-9));
                }
            }
            assertThat(promql.values()).as("availability below 1 for the channels that went down").anyMatch(a -> a < 0.9);

            JsonNode alertCounts = p.get("/api/v1/query", Map.of("time", seconds(end), "query", "hotline_alerts_total"));
            Map<String, Long> byType = new HashMap<>();
            alertCounts.at("/data/result").forEach(s -> byType.put(s.at("/metric/type").asText(),
                    Long.parseLong(s.at("/value/1").asText())));
            for (AlertType t : AlertType.values()) {
                assertThat(byType.get(t.name())).as("alerts of type " + t)
                        .isEqualTo(alerts.stream().filter(a -> a.type() == t).count());
            }

            theOverviewShowsTheReplayedPeriod(p, report, channels, start, end);
        }
    }

    /**
     * The Hotlines overview, unchanged, on the backfilled history ("the same dashboards show the replayed period"):
     * every query of {@code hotlines-overview.json}, with its variables as Grafana substitutes them for a time range
     * from the replay's first event to its end and All channels, returns data over that range, but those of
     * {@link #NOT_BACKFILLED} (and those do return nothing, so that the list stays true); the channel variable offers
     * the replayed channels; and the availability panel over the time range gives each channel the report's
     * availability.
     */
    private static void theOverviewShowsTheReplayedPeriod(Prometheus p, JsonNode report, List<String> channels,
                                                          Instant start, Instant end) throws Exception {
        long rangeSeconds = (Duration.between(start, end).toMillis() + 999) / 1000; // the whole period, rounded up
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("channel", "(" + String.join("|", channels) + ")"); // All: every value the variable offers
        variables.put("job", ".+");      // the health dashboard's, substituted with the rest, not queried here
        variables.put("instance", ".+");
        variables.put("__range", rangeSeconds + "s");
        variables.put("__range_s", Long.toString(rangeSeconds));
        variables.put("__range_ms", Long.toString(rangeSeconds * 1000));
        // Grafana's interval for a range of days on a panel ~1000 px wide; the rate window as Grafana makes it with
        // the data source's scrape interval set to the backfill's step (5 min): max(interval + 5m, 4 x 5m).
        variables.put("__interval", INTERVAL.toMinutes() + "m");
        variables.put("__interval_ms", Long.toString(INTERVAL.toMillis()));
        variables.put("__rate_interval", "20m");
        List<Query> queries = DashboardQueries.substituted(DashboardQueries.DASHBOARDS, variables).stream()
                .filter(q -> q.dashboard().equals("hotlines-overview.json")).toList();
        assertThat(queries).as("the overview's queries").hasSizeGreaterThan(10);

        JsonNode offered = p.get("/api/v1/query", Map.of("time", seconds(end), "query",
                query(queries, "variable channel").expr()));
        List<String> values = new ArrayList<>();
        offered.at("/data/result").forEach(x -> values.add(x.at("/metric/channel").asText()));
        assertThat(values).as("the channel variable offers the replayed channels").containsExactlyInAnyOrderElementsOf(channels);

        List<String> empty = new ArrayList<>();
        List<String> notEmpty = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Query q : queries) {
            // Over the time range, as a graph asks for it; an instant query too, at the range's end, as a stat does.
            JsonNode range = p.get("/api/v1/query_range", Map.of("query", q.expr(), "start", seconds(start),
                    "end", seconds(end), "step", Long.toString(INTERVAL.toSeconds())));
            assertThat(range.get("status").asText()).as(q + ": " + range).isEqualTo("success");
            long finite = 0;
            for (JsonNode series : range.at("/data/result")) {
                for (JsonNode v : series.get("values")) {
                    if (Double.isFinite(Double.parseDouble(v.get(1).asText()))) {
                        finite++;
                    }
                }
            }
            if (q.instant()) {
                JsonNode instant = p.get("/api/v1/query", Map.of("query", q.expr(), "time", seconds(end)));
                assertThat(instant.get("status").asText()).as(q + " at the end: " + instant).isEqualTo("success");
            }
            lines.add(String.format("%-65s %3d series %5d finite points", q, range.at("/data/result").size(), finite));
            String name = q.source();
            if (finite == 0 && !NOT_BACKFILLED.containsKey(name)) {
                empty.add(q + "\n    " + q.expr());
            } else if (finite > 0 && NOT_BACKFILLED.containsKey(name)) {
                notEmpty.add(q.toString());
            }
        }
        System.out.println("BackfillPrometheusTest, the overview's " + queries.size() + " queries from " + start + " to "
                + end + ":\n" + String.join("\n", lines));
        assertThat(empty).as("overview queries without data on the backfill (allowed: " + NOT_BACKFILLED.keySet() + ")")
                .isEmpty();
        assertThat(notEmpty).as("allowed empty, yet with data: take them off the list").isEmpty();
        assertThat(NOT_BACKFILLED.keySet()).as("the allow-list names queries of the overview")
                .isSubsetOf(queries.stream().map(Query::source).toList());

        // Availability over the time range (the replayed period), as the stat shows it at the range's end.
        JsonNode availability = p.get("/api/v1/query", Map.of("time", seconds(end), "query",
                query(queries, "panel \"Availability\" A").expr()));
        Map<String, Double> panel = new HashMap<>();
        availability.at("/data/result").forEach(s -> panel.put(s.at("/metric/channel").asText(),
                Double.parseDouble(s.at("/value/1").asText())));
        assertThat(panel.keySet()).as("availability over the time range, channels").containsExactlyInAnyOrderElementsOf(channels);
        for (JsonNode c : report.get("channels")) {
            String id = c.get("id").asText();
            if (c.get("availability").isNull()) {
                assertThat(panel.get(id)).as(id + ": no judged slot, availability panel").isNaN();
            } else {
                assertThat(panel.get(id)).as(id + " availability panel over the replayed period")
                        .isCloseTo(c.get("availability").asDouble(), within(1e-9));
            }
        }
    }

    private static Query query(List<Query> queries, String source) {
        return queries.stream().filter(q -> q.source().equals(source)).findFirst()
                .orElseThrow(() -> new AssertionError("the overview has no " + source));
    }

    /** The file as promtool wants it: families once, each series' samples together and in increasing time, # EOF. */
    private static void checkExposition(Path om, List<String> channels) throws IOException {
        List<String> lines = Files.readAllLines(om);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("# EOF");
        List<String> families = lines.stream().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
        assertThat(families).containsExactly("hotline_channel_state", "hotline_channel_consecutive_missed_slots",
                "hotline_channel_last_answer_timestamp_seconds", "hotline_channel_outage_start_timestamp_seconds",
                "hotline_channel_slots", "hotline_alerts");
        Map<String, Double> lastTime = new HashMap<>();
        String current = null;
        List<String> seen = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("#")) {
                continue;
            }
            int space = l.lastIndexOf(' ');
            String series = l.substring(0, l.lastIndexOf(' ', space - 1));
            double t = Double.parseDouble(l.substring(space + 1));
            if (!series.equals(current)) {
                assertThat(seen).as("series " + series + " in one run").doesNotContain(series);
                seen.add(series);
                current = series;
            } else {
                assertThat(t).as(series).isGreaterThan(lastTime.get(series));
            }
            lastTime.put(series, t);
        }
        assertThat(seen).hasSize(channels.size() * (STATES.size() + 3 + 3) + AlertType.values().length);
        assertThat(seen).contains("hotline_channel_slots_total{channel=\"liaison-office\",verdict=\"ANSWERED\"}",
                "hotline_channel_state{channel=\"liaison-office\",state=\"down\"}", "hotline_alerts_total{type=\"CHANNEL_DOWN\"}");
    }

    private static boolean inOutage(List<Instant[]> outages, Instant t) {
        for (Instant[] o : outages) {
            if (!t.isBefore(o[0]) && (o[1] == null || t.isBefore(o[1]))) {
                return true;
            }
        }
        return false;
    }

    private static int state(Prometheus p, String channel, String state, Instant at) throws Exception {
        JsonNode r = p.get("/api/v1/query", Map.of("time", seconds(at),
                "query", "hotline_channel_state{channel=\"" + channel + "\",state=\"" + state + "\"}"));
        return Integer.parseInt(single(r, channel + " " + state + " at " + at).at("/value/1").asText());
    }

    private static JsonNode single(JsonNode answer, String what) {
        assertThat(answer.get("status").asText()).as(what).isEqualTo("success");
        JsonNode result = answer.at("/data/result");
        assertThat(result.size()).as(what + ": one series in " + answer).isEqualTo(1);
        return result.get(0);
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%d.%03d", t.getEpochSecond(), t.getNano() / 1_000_000);
    }

    private record ProcessResult(int code, String out) {
    }

    private static ProcessResult exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new ProcessResult(p.exitValue(), out);
    }

    /** A real Prometheus on the backfilled data directory, scraping nothing; stopped at close. */
    private static final class Prometheus implements AutoCloseable {
        private final Process process;
        private final URI base;
        private final Path log;
        private final HttpClient http = HttpClient.newHttpClient();

        private Prometheus(Process process, URI base, Path log) {
            this.process = process;
            this.base = base;
            this.log = log;
        }

        static Prometheus start(Path binary, Path data, Path dir) throws Exception {
            Files.createDirectories(data.resolve("wal")); // promtool writes blocks only; Prometheus wants its WAL folder
            Path config = Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: []\n");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = dir.resolve("prometheus.log");
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=100y",
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Prometheus p = new Prometheus(process, URI.create("http://127.0.0.1:" + port), log);
            try {
                p.awaitReady();
            } catch (Exception | AssertionError e) {
                p.close();
                throw e;
            }
            return p;
        }

        private void awaitReady() throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("Prometheus exited:\n" + Files.readString(log)).isTrue();
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if it exits
            }
            throw new AssertionError("Prometheus not ready within " + WAIT + ":\n" + Files.readString(log));
        }

        JsonNode get(String path, Map<String, String> params) throws Exception {
            StringBuilder q = new StringBuilder();
            params.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path + "?" + q)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + "?" + q + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
