package org.hotlinemonitor.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hotlinemonitor.app.cli.Main;

/**
 * The monitor, a real Prometheus and a real Alertmanager, as an operator would run them from deploy/, for tests that
 * query them: the monitor's {@code demo} (its own embedded broker, the simulated far side, an accelerated clock) in a
 * child JVM, scraped every second by Prometheus (Debian's {@code prometheus}) that loads the shipped rules and sends
 * its alerts to Alertmanager (Debian's {@code prometheus-alertmanager}) with the shipped routes, whose webhooks deliver
 * to a receiver in this JVM ({@link #notifications()}).
 *
 * <p>What is changed from the shipped files, and only that (so the rules and routes under test are the shipped ones):
 * <ul>
 *   <li>prometheus.yml: the scrape and evaluation intervals (1 s), the monitor's target, the Alertmanager's target,
 *       and the rule files' paths (copies in the stack's directory);</li>
 *   <li>the rules: every {@code for:} becomes {@value #FOR} (the scenario's outage lasts seconds, not hours);</li>
 *   <li>alertmanager.yml: the webhooks' URL prefix {@value #PAGER_PLACEHOLDER} becomes the test receiver's, so that a
 *       notification's path says which receiver it went to ({@code /hotline/page}, {@code /hotline/ticket}, ...); and
 *       every {@code group_wait:} becomes {@value #GROUP_WAIT} (the routes, receivers, grouping and inhibitions are the
 *       shipped ones; only how long Alertmanager holds a new group's first notification changes, as {@code for:}
 *       does for the rules).</li>
 * </ul>
 *
 * <p>The scenario ({@link #DEFAULT}): the demo's bundled channels and far side from Thursday 2023-04-06 15:00 to
 * Friday 18:00 in Seoul at {@value #SPEED}x (an hour in 2 s): the pink phone answers at Thursday 15:30; the three
 * inter-Korean lines miss Thursday's afternoon and Friday's 09:00 calls and are down from Friday 10:00 (about 38 s
 * after the start) until their afternoon answers (east and west coast restored at 16:00, the liaison office at 17:00:
 * 12 s and 14 s later); the ship and the pink phone answer every call. Then the demo stays ({@code --stay}): no more
 * calls, counters steady, /metrics served until {@link #stopMonitor()}. Expected availability over the scenario:
 * {@link #EXPECTED_AVAILABILITY}.
 *
 * <p>Use: {@code try (LiveStack s = LiveStack.start(tempDir)) { s.awaitScenarioOver(); s.query("..."); }}. Skipped
 * when the programs are missing, failed under {@code CI=true} ({@link DebianBinary}). Not thread-safe, except
 * {@link #notifications()}. Closing stops everything it started; the directory (logs, data) is the caller's.
 */
public final class LiveStack implements AutoCloseable {

    /**
     * The demo's clock speed: an hour of clock time in 2 s. The outage (12 to 14 s at this speed) must outlast
     * Alertmanager's {@code group_wait} with margin, or Alertmanager may see HotlineDown resolved before it sends the
     * firing page: with the shipped page route's 10 s, one full run at this speed missed the page, hence
     * {@link #GROUP_WAIT} (the scenario took twice as long at 900x with the shipped 10 s).
     */
    public static final long SPEED = 1800;
    public static final String START = "2023-04-06T15:00+09:00";
    public static final String DURATION = "PT27H";
    /** The substitute of every {@code for:} of the shipped rules. */
    public static final String FOR = "1s";
    /** The substitute of every {@code group_wait:} of the shipped alertmanager.yml. */
    public static final String GROUP_WAIT = "1s";
    public static final String PAGER_PLACEHOLDER = "http://pager.example.invalid/";
    /** The channels the scenario takes down (and restores). */
    public static final List<String> DOWN_CHANNELS = List.of("liaison-office", "east-coast-military", "west-coast-military");
    /**
     * Answered / (answered + missed) per channel over the scenario, from its script: the three inter-Korean lines miss
     * two of three calls, the others answer all.
     */
    public static final Map<String, Double> EXPECTED_AVAILABILITY = Map.of("liaison-office", 1.0 / 3,
            "east-coast-military", 1.0 / 3, "west-coast-military", 1.0 / 3, "ship-to-ship", 1.0, "unc-pink-phone", 1.0);

    static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Notification> notifications = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private Process prometheus;
    private Process alertmanager;
    private Process monitor;
    private int prometheusPort;
    private int alertmanagerPort;
    private int monitorPort;

    /** A notification Alertmanager delivered to a webhook: the path (which receiver) and the JSON body. */
    public record Notification(String path, JsonNode body) {
        /** The alerts of the notification with this name and status ({@code firing}, {@code resolved}). */
        public List<JsonNode> alerts(String alertname, String status) {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode a : body.path("alerts")) {
                if (alertname.equals(a.path("labels").path("alertname").asText()) && status.equals(a.path("status").asText())) {
                    out.add(a);
                }
            }
            return out;
        }
    }

    /** One sample of an instant vector (a scalar answer is one sample without labels). */
    public record Sample(Map<String, String> labels, double value) {
    }

    /** One series of a range query. */
    public record Series(Map<String, String> labels, List<Point> points) {
    }

    public record Point(Instant at, double value) {
    }

    private LiveStack(Path dir) {
        this.dir = dir;
    }

    /**
     * Starts the receiver, Alertmanager, Prometheus and then the demo (so that Prometheus scrapes the monitor from its
     * first second: the counters' first samples are 0); returns once Prometheus has scraped the monitor's channels.
     */
    public static LiveStack start(Path dir) throws Exception {
        Path prometheusBinary = DebianBinary.require("hotline.prometheus", "/usr/bin/prometheus", "prometheus");
        Path alertmanagerBinary = DebianBinary.require("hotline.alertmanager", "/usr/bin/prometheus-alertmanager",
                "prometheus-alertmanager");
        LiveStack s = new LiveStack(dir);
        try {
            s.startReceiver();
            s.startAlertmanager(alertmanagerBinary);
            s.monitorPort = freePort();
            s.startPrometheus(prometheusBinary);
            s.startMonitor();
            s.await("Prometheus scraping the monitor's channels", WAIT,
                    () -> s.query("hotline_channel_slots_total{job=\"hotline-monitor\"}").size() == 15);
            return s;
        } catch (Exception | AssertionError e) {
            s.close();
            throw e;
        }
    }

    /** Prometheus' base URL ({@code http://127.0.0.1:PORT}). */
    public URI prometheusUrl() {
        return URI.create("http://127.0.0.1:" + prometheusPort);
    }

    public URI alertmanagerUrl() {
        return URI.create("http://127.0.0.1:" + alertmanagerPort);
    }

    /** The monitor's /metrics. */
    public URI metricsUrl() {
        return URI.create("http://127.0.0.1:" + monitorPort + "/metrics");
    }

    /** The stack's directory: logs ({@code demo.log}, {@code prometheus.log}, {@code alertmanager.log}) and data. */
    public Path dir() {
        return dir;
    }

    /** Waits until the scenario is over and the demo stays (its counters no longer move but for NOT_PLACED). */
    public void awaitScenarioOver() {
        await("the demo's scenario to end", Duration.ofSeconds(200), () -> log("demo.log").contains("scenario over at"));
    }

    /** An instant query now; the vector (or scalar) it answers. Fails on a query Prometheus refuses. */
    public List<Sample> query(String promql) {
        JsonNode data = api("/api/v1/query?query=" + encode(promql));
        List<Sample> out = new ArrayList<>();
        String type = data.path("resultType").asText();
        if (type.equals("scalar")) {
            out.add(new Sample(Map.of(), value(data.path("result").get(1))));
            return out;
        }
        if (!type.equals("vector")) {
            throw new AssertionError("'" + promql + "' answers a " + type + ", not an instant vector");
        }
        for (JsonNode r : data.path("result")) {
            out.add(new Sample(labels(r.path("metric")), value(r.path("value").get(1))));
        }
        return out;
    }

    /** A range query from {@code start} to {@code end}, a point every {@code step}. */
    public List<Series> queryRange(String promql, Instant start, Instant end, Duration step) {
        JsonNode data = api("/api/v1/query_range?query=" + encode(promql) + "&start=" + seconds(start) + "&end="
                + seconds(end) + "&step=" + (step.toMillis() / 1000.0));
        List<Series> out = new ArrayList<>();
        for (JsonNode r : data.path("result")) {
            List<Point> points = new ArrayList<>();
            for (JsonNode v : r.path("values")) {
                points.add(new Point(Instant.ofEpochMilli(Math.round(v.get(0).asDouble() * 1000)), value(v.get(1))));
            }
            out.add(new Series(labels(r.path("metric")), points));
        }
        return out;
    }

    /** The notifications Alertmanager delivered so far, in order. */
    public List<Notification> notifications() {
        return Collections.unmodifiableList(new ArrayList<>(notifications));
    }

    /** The monitor's own /metrics, as text. */
    public String scrapeMonitor() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metricsUrl()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode());
        }
        return r.body();
    }

    /** Stops the monitor (SIGTERM, as an operator's {@code systemctl stop}); Prometheus and Alertmanager go on. */
    public void stopMonitor() throws InterruptedException {
        stoppedOnPurpose = true;
        if (monitor != null && monitor.isAlive()) {
            monitor.destroy();
            if (!monitor.waitFor(60, TimeUnit.SECONDS)) {
                monitor.destroyForcibly();
            }
        }
    }

    public boolean monitorAlive() {
        return monitor != null && monitor.isAlive();
    }

    /** Waits for {@code condition}, failing with {@code what} and the logs' tails after {@code wait}. */
    public void await(String what, Duration wait, BooleanSupplier condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + wait + " for " + what + "\n" + tails());
            }
            if (monitor != null && !monitor.isAlive() && !stoppedOnPurpose) {
                // the monitor stops only when told: anything else is a failure to report now
                throw new AssertionError("the demo exited (" + monitor.exitValue() + ") while waiting for " + what
                        + "\n" + tails());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private boolean stoppedOnPurpose;

    /** The last lines of each log, for a failure's message. */
    public String tails() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("demo.log", "prometheus.log", "alertmanager.log")) {
            List<String> lines = log(name).lines().toList();
            b.append("--- ").append(name).append(" (last 30 lines)\n");
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> b.append(l).append('\n'));
        }
        return b.toString();
    }

    @Override
    public void close() {
        stoppedOnPurpose = true;
        for (Process p : new Process[] {monitor, prometheus, alertmanager}) {
            if (p != null && p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    // ---- starting

    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                notifications.add(new Notification(exchange.getRequestURI().getPath(), JSON.readTree(body)));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
    }

    private void startAlertmanager(Path binary) throws Exception {
        String shipped = Files.readString(DeployFiles.alertmanager(), StandardCharsets.UTF_8);
        if (!shipped.contains(PAGER_PLACEHOLDER)) {
            throw new AssertionError("alertmanager.yml has no webhook under " + PAGER_PLACEHOLDER + " to point at the test");
        }
        if (!shipped.matches("(?s).*\\bgroup_wait: \\S+.*")) {
            throw new AssertionError("alertmanager.yml has no group_wait to shorten for the test");
        }
        String config = shipped.replace(PAGER_PLACEHOLDER, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/")
                .replaceAll("(?m)^(\\s+)group_wait: \\S+$", "$1group_wait: " + GROUP_WAIT);
        Path file = Files.writeString(dir.resolve("alertmanager.yml"), config);
        alertmanagerPort = freePort();
        alertmanager = new ProcessBuilder(binary.toString(), "--config.file=" + file,
                "--storage.path=" + dir.resolve("alertmanager-data"),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort,
                "--cluster.listen-address=") // a single instance: no gossip port
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        awaitReady("Alertmanager", alertmanager, alertmanagerUrl());
    }

    private void startPrometheus(Path binary) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        List<String> ruleFiles = new ArrayList<>();
        for (Path shipped : DeployFiles.ruleFiles()) {
            String text = Files.readString(shipped, StandardCharsets.UTF_8);
            Path copy = rules.resolve(shipped.getFileName());
            Files.writeString(copy, text.replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: " + FOR));
            ruleFiles.add(copy.toString());
        }
        ObjectNode config = (ObjectNode) DeployFiles.read(DeployFiles.prometheus().resolve("prometheus.yml"));
        ObjectNode global = (ObjectNode) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        ArrayNode files = config.putArray("rule_files");
        ruleFiles.forEach(files::add);
        setTargets(config.path("alerting").path("alertmanagers").get(0), "127.0.0.1:" + alertmanagerPort);
        JsonNode job = null;
        for (JsonNode j : config.path("scrape_configs")) {
            if (j.path("job_name").asText().equals("hotline-monitor")) {
                job = j;
            }
        }
        if (job == null) {
            throw new AssertionError("prometheus.yml has no job hotline-monitor");
        }
        setTargets(job, "127.0.0.1:" + monitorPort);
        Path file = dir.resolve("prometheus.yml");
        DeployFiles.YAML.writeValue(file.toFile(), config);
        prometheusPort = freePort();
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        awaitReady("Prometheus", prometheus, prometheusUrl());
    }

    private static void setTargets(JsonNode scrapeOrAlerting, String target) {
        ArrayNode configs = ((ObjectNode) scrapeOrAlerting).putArray("static_configs");
        configs.addObject().putArray("targets").add(target);
    }

    private void startMonitor() throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "demo", "--json", "--stay", "--speed", Long.toString(SPEED), "--start", START, "--duration", DURATION,
                "--http-port", Integer.toString(monitorPort));
        monitor = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("demo.log").toFile()).start();
    }

    private void awaitReady(String name, Process p, URI base) {
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
        await(name + " ready at " + base, WAIT, () -> {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited (" + p.exitValue() + ")\n" + tails());
            }
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    // ---- helpers

    private JsonNode api(String pathAndQuery) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(prometheusUrl().resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new AssertionError("Prometheus refused " + pathAndQuery + ": " + r.statusCode() + " " + r.body());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    private static double value(JsonNode v) {
        return Double.parseDouble(v.asText()); // "NaN", "+Inf" included
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant t) {
        return Double.toString(t.toEpochMilli() / 1000.0);
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
