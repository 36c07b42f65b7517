package org.hotlinemonitor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.detect.DetectorTopics;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.metrics.MonitorMeters;
import org.hotlinemonitor.app.notify.Notifier;
import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.config.NotifyConfigLoader;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.NotifyConfig;

/**
 * Paging latency, live: from a slot's deadline to a webhook receiving the page, for the monitor's own notifier and,
 * on the same run, for the path a Prometheus rule on the monitor's metrics takes (scrape, rule evaluation,
 * Alertmanager). Run by {@code bench/paging-latency.sh}; see docs/benchmarks.md.
 *
 * <p>One JVM, as {@link AlertLatencyBenchmark} (the same channels, events and detector with its defaults on the system
 * clock), plus:
 * <ul>
 *   <li><b>ours</b>: the {@link Notifier} with its default settings (a {@code notify:} section with one webhook sink and
 *   one catch-all route, nothing else, read by {@link NotifyConfigLoader}), posting to a JDK {@link HttpServer} in this
 *   JVM. Each alert of a page is measured: the receive time less the alert's {@code at} (its deadline; for
 *   {@code CHANNEL_RESTORED}, the answer's time). A grouped page gives its receive time to every alert in it.</li>
 *   <li><b>the rule path</b>: the detector's meters ({@link MonitorMeters}, as {@code run} binds them) on a
 *   {@link MetricsServer}; two real {@code prometheus} processes scraping it, one with a 15 s scrape and evaluation
 *   interval, one with 1 s, each with the rules {@code HotlineLineDown} (docs/metrics.md) and {@code HotlineSlotMissed}
 *   (the same on {@code state="missed"}), {@code for: 0s}; both sending to one real {@code prometheus-alertmanager}
 *   ({@code group_wait} 1 s, {@code group_interval} 1 s, by {@code prom}, {@code alertname} and {@code channel}),
 *   whose webhook is the same HTTP server. Each firing alert is measured once (the first notification with its
 *   {@code startsAt}): the receive time less the deadline of the slot that made the state true, which is the
 *   {@code at} of the detector's latest {@code CHANNEL_DOWN} (for {@code HotlineLineDown}) or {@code SLOT_MISSED}
 *   (for {@code HotlineSlotMissed}) alert for that channel at or before the Prometheus alert's {@code startsAt}, read
 *   from {@code hotline.alerts}. Slots are a minute apart and the path takes well under a minute, so that is the
 *   slot that caused it.</li>
 * </ul>
 * The alerts whose deadline falls in the {@code MINUTES} minutes after a warm-up minute are measured.
 *
 * <p>Usage: {@code PagingLatencyBenchmark [CHANNELS] [MINUTES]} (defaults 500, 4). The binaries are
 * {@code /usr/bin/prometheus} and {@code /usr/bin/prometheus-alertmanager} (Debian packages {@code prometheus} and
 * {@code prometheus-alertmanager}), or those named by {@code PROMETHEUS} and {@code ALERTMANAGER}.
 */
public final class PagingLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The scrape (and evaluation) intervals of the Prometheus processes, in seconds. */
    private static final int[] INTERVALS = {15, 1};
    /** How long after the last measured deadline to wait for its pages: more than a 15 s scrape plus evaluation. */
    private static final long TAIL_MILLIS = 45_000;

    private PagingLatencyBenchmark() {
    }

    /** A POST the receiver got: when (epoch millis), on which path, and its body. */
    record Post(long receivedAt, String path, byte[] body) {
    }

    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path prometheus = binary("PROMETHEUS", "/usr/bin/prometheus", "prometheus");
        Path alertmanager = binary("ALERTMANAGER", "/usr/bin/prometheus-alertmanager", "prometheus-alertmanager");
        MonitorConfig config = AlertLatencyBenchmark.config(channels);
        Path dir = Files.createTempDirectory("paging-bench");
        DetectorTopics topics = DetectorTopics.DEFAULT;
        System.out.printf(Locale.ROOT, "%d channels checked every minute, %d measured minutes after one warm-up; %d cores; %s%n",
                channels, minutes, Runtime.getRuntime().availableProcessors(), BenchKafka.load());
        List<Post> posts = new ArrayList<>();
        List<AlertLatencyBenchmark.Received> alerts = new ArrayList<>();
        List<Child> children = new ArrayList<>();
        Thread cleanup = new Thread(() -> children.forEach(Child::close), "paging-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(4);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dir.resolve("kafka"), 0, 0));
             Admin admin = BenchKafka.admin(broker.bootstrapServers());
             Metrics metrics = new Metrics();
             MetricsServer metricsServer = MetricsServer.start("127.0.0.1", 0, metrics.registry())) {
            String bootstrap = broker.bootstrapServers();
            BenchKafka.createTopics(admin, 6, topics.events(), topics.alerts(), topics.rejects());
            receiver.createContext("/", exchange -> {
                long now = System.currentTimeMillis();
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                synchronized (posts) {
                    posts.add(new Post(now, exchange.getRequestURI().getPath(), body));
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            receiver.setExecutor(receiverThreads);
            receiver.start();
            URI base = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort());

            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> AlertLatencyBenchmark.readAlerts(bootstrap, topics.alerts(), alerts, stop), "alert-reader");
            reader.start();

            Child am = Child.alertmanager(alertmanager, dir.resolve("alertmanager"), base.resolve("/alertmanager"));
            children.add(am);
            for (int interval : INTERVALS) {
                children.add(Child.prometheus(prometheus, dir.resolve("prometheus-" + interval + "s"), interval,
                        metricsServer.port(), am.port()));
            }
            for (Child child : children) {
                child.awaitReady();
            }
            System.out.printf(Locale.ROOT, "%s; alertmanager: group_wait 1s, group_interval 1s, group_by [prom, alertname, channel]; "
                            + "prometheus: scrape and evaluation every %s s, rules for: 0s%n",
                    children.stream().map(Child::describe).collect(Collectors.joining(", ")),
                    Arrays.stream(INTERVALS).mapToObj(Integer::toString).collect(Collectors.joining(" and ")));

            NotifyConfig notify = notifyConfig(base.resolve("/webhook"), config);
            System.out.printf(Locale.ROOT, "notifier defaults: grouping %s, groupWait %s, retry %s to %s%n", notify.grouping(),
                    notify.groupWait(), notify.backoff().initial(), notify.backoff().max());
            DetectorSettings settings = DetectorSettings.of(bootstrap).withStateDir(dir.resolve("streams"));
            long start;
            long end;
            try (DetectorService detector = new DetectorService(settings, config);
                 Notifier notifier = Notifier.create(new Notifier.Settings(bootstrap, topics.alerts(), org.hotlinemonitor.app.broker.Topics.DEFAULT.notifyRejects(), notify),
                         Clock.systemUTC());
                 KafkaEventPublisher sink = new KafkaEventPublisher(KafkaEventPublisher.producerConfig(bootstrap, "paging-bench",
                         Duration.ofMinutes(1), Map.of()), topics.events(), Duration.ofMinutes(1))) {
                detector.start();
                if (!detector.awaitRunning(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the detector is not running after 2 minutes: " + detector.state());
                }
                // As run binds them: the detector's meters and its streams client's, the notifier's.
                metrics.bind(new MonitorMeters(Clock.systemUTC()).detector(detector.view(), detector.rejects()));
                metrics.bindKafkaStreams(detector.streams());
                notifier.start();
                metrics.bind(new MonitorMeters(Clock.systemUTC()).notifier(notifier.deliveries(), notifier.rejects(),
                        notifier.sinkNames()));
                start = (System.currentTimeMillis() / 60_000 + 1) * 60_000;
                if (start - System.currentTimeMillis() < 5_000) {
                    start += 60_000;
                }
                end = start + (minutes + 1) * 60_000L;
                AlertLatencyBenchmark.produce(sink, config, start, end);
                System.out.printf(Locale.ROOT, "events sent %,d, failed %,d; %s; waiting %d s for the last pages%n",
                        sink.delivered(), sink.failed(), BenchKafka.load(), TAIL_MILLIS / 1000);
                Thread.sleep(Math.max(0, end + TAIL_MILLIS - System.currentTimeMillis()));
                notifier.checkAlive();
                if (detector.failure().isPresent()) {
                    throw new IllegalStateException("the detector failed", detector.failure().get());
                }
                System.out.printf(Locale.ROOT, "rejected by the detector %,d; notifier deliveries %s; %s%n",
                        detector.rejects().total(), notifier.deliveries().snapshot(), BenchKafka.load());
            }
            stop.set(true);
            reader.join();
            for (Child child : children) {
                child.close();
            }
            List<Post> received;
            synchronized (posts) {
                received = List.copyOf(posts);
            }
            List<Alert> detected;
            synchronized (alerts) {
                detected = alerts.stream().map(AlertLatencyBenchmark.Received::alert).toList();
            }
            report(received, detected, start + 60_000, end);
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
            children.forEach(Child::close);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
            BenchKafka.deleteTree(dir);
        }
    }

    /** The notifier's configuration with every default: one webhook sink, one route for every alert. */
    static NotifyConfig notifyConfig(URI webhook, MonitorConfig config) throws Exception {
        String yaml = """
                notify:
                  sinks:
                    - name: hook
                      type: webhook
                      url: %s
                      secret: ${BENCH_WEBHOOK_SECRET}
                  routes:
                    - sinks: [hook]
                """.formatted(webhook);
        Set<String> ids = config.channels().stream().map(Channel::id).collect(Collectors.toSet());
        return NotifyConfigLoader.load("paging benchmark", new StringReader(yaml), ids, name -> "bench-secret")
                .orElseThrow();
    }

    private static Path binary(String variable, String fallback, String debianPackage) {
        String given = System.getenv(variable);
        Path path = Path.of(given == null || given.isEmpty() ? fallback : given);
        if (!Files.isExecutable(path)) {
            System.err.printf(Locale.ROOT, "error: %s is not installed or not executable (Debian: apt-get install %s; "
                    + "or set %s to the binary)%n", path, debianPackage, variable);
            System.exit(2);
        }
        return path;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Report

    static void report(List<Post> posts, List<Alert> detected, long from, long to) throws IOException {
        System.out.printf(Locale.ROOT, "measured: deadlines in [%s, %s)%n", Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
        Map<AlertType, Long> detectedInWindow = detected.stream().filter(a -> inWindow(a.at().toEpochMilli(), from, to))
                .collect(Collectors.groupingBy(Alert::type, TreeMap::new, Collectors.counting()));
        System.out.printf(Locale.ROOT, "detector alerts with at in the window: %s%n", detectedInWindow);

        // Ours: every alert of every page, once (a redelivery would count again: none is expected, and it is reported).
        Map<String, List<Long>> ours = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int pages = 0;
        int duplicates = 0;
        for (Post post : posts) {
            if (!post.path().equals("/webhook")) {
                continue;
            }
            pages++;
            for (JsonNode node : JSON.readTree(post.body()).get("alerts")) {
                Alert alert = AlertCodec.fromJson(node.toString());
                if (!seen.add(alert.id())) {
                    duplicates++;
                    continue;
                }
                if (inWindow(alert.at().toEpochMilli(), from, to)) {
                    long ms = post.receivedAt() - alert.at().toEpochMilli();
                    ours.computeIfAbsent("all", k -> new ArrayList<>()).add(ms);
                    ours.computeIfAbsent(alert.type().name(), k -> new ArrayList<>()).add(ms);
                    if (alert.type() == AlertType.SLOT_MISSED || alert.type() == AlertType.CHANNEL_DOWN) {
                        ours.computeIfAbsent("SLOT_MISSED + CHANNEL_DOWN", k -> new ArrayList<>()).add(ms);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "ours: %,d webhook pages, %,d alert(s) received twice%n", pages, duplicates);
        ours.forEach((what, ms) -> line("ours, " + what, ms));

        // The rule path: each firing alert once, against the deadline of the detector alert that made it true.
        Map<String, List<Instant>> deadlines = new HashMap<>(); // channel/TYPE -> ats, ascending
        for (Alert a : detected) {
            deadlines.computeIfAbsent(a.channel() + "/" + a.type(), k -> new ArrayList<>()).add(a.at());
        }
        deadlines.values().forEach(list -> list.sort(null));
        Map<String, List<Long>> rule = new TreeMap<>();
        Set<String> firing = new HashSet<>();
        int notifications = 0;
        int unexplained = 0;
        for (Post post : posts) {
            if (!post.path().equals("/alertmanager")) {
                continue;
            }
            notifications++;
            for (JsonNode a : JSON.readTree(post.body()).get("alerts")) {
                if (!"firing".equals(a.get("status").asText())) {
                    continue;
                }
                JsonNode labels = a.get("labels");
                String prom = labels.get("prom").asText();
                String name = labels.get("alertname").asText();
                String channel = labels.get("channel").asText();
                Instant startsAt = Instant.parse(a.get("startsAt").asText());
                if (!firing.add(prom + "/" + name + "/" + channel + "/" + startsAt)) {
                    continue; // the same alert in a later notification of its group
                }
                AlertType cause = name.equals("HotlineLineDown") ? AlertType.CHANNEL_DOWN : AlertType.SLOT_MISSED;
                Instant deadline = latestAtOrBefore(deadlines.getOrDefault(channel + "/" + cause, List.of()), startsAt);
                if (deadline == null) {
                    unexplained++;
                    continue;
                }
                if (inWindow(deadline.toEpochMilli(), from, to)) {
                    long ms = post.receivedAt() - deadline.toEpochMilli();
                    rule.computeIfAbsent("prometheus " + prom + ", all", k -> new ArrayList<>()).add(ms);
                    rule.computeIfAbsent("prometheus " + prom + ", " + name, k -> new ArrayList<>()).add(ms);
                }
            }
        }
        System.out.printf(Locale.ROOT, "rule path: %,d alertmanager notifications; firing alerts with no detector alert before "
                + "them: %d%n", notifications, unexplained);
        rule.forEach((what, ms) -> line(what, ms));
    }

    private static boolean inWindow(long at, long from, long to) {
        return at >= from && at < to;
    }

    private static Instant latestAtOrBefore(List<Instant> ascending, Instant limit) {
        Instant found = null;
        for (Instant at : ascending) {
            if (at.isAfter(limit)) {
                break;
            }
            found = at;
        }
        return found;
    }

    private static void line(String what, List<Long> values) {
        long[] ms = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (ms.length == 0) {
            System.out.printf(Locale.ROOT, "%s: none%n", what);
            return;
        }
        System.out.printf(Locale.ROOT, "%s (%,d), ms: min %d, p50 %d, p90 %d, p99 %d, max %d%n", what, ms.length, ms[0],
                BenchKafka.quantile(ms, 0.5), BenchKafka.quantile(ms, 0.9), BenchKafka.quantile(ms, 0.99), ms[ms.length - 1]);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The external processes

    /** A child process on a free loopback port, with its files in {@code dir}; {@link #close} stops it. Idempotent. */
    static final class Child implements AutoCloseable {
        private final String name;
        private final Process process;
        private final int port;
        private final Path log;

        private Child(String name, Process process, int port, Path log) {
            this.name = name;
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static Child alertmanager(Path binary, Path dir, URI webhook) throws IOException {
            Files.createDirectories(dir);
            Path config = Files.writeString(dir.resolve("alertmanager.yml"), """
                    route:
                      receiver: bench
                      group_by: [prom, alertname, channel]
                      group_wait: 1s
                      group_interval: 1s
                      repeat_interval: 1h
                    receivers:
                      - name: bench
                        webhook_configs:
                          - url: %s
                            send_resolved: false
                    """.formatted(webhook));
            int port = freePort();
            return start("alertmanager", dir, port, binary.toString(),
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address="); // no gossip port: a single instance
        }

        static Child prometheus(Path binary, Path dir, int intervalSeconds, int metricsPort, int alertmanagerPort) throws IOException {
            Files.createDirectories(dir);
            // HotlineLineDown as in docs/metrics.md; HotlineSlotMissed the same on the missed state.
            Path rules = Files.writeString(dir.resolve("rules.yml"), """
                    groups:
                      - name: hotline
                        rules:
                          - alert: HotlineLineDown
                            expr: |
                              max by (channel) (hotline_channel_state{state="down"}) == 1
                            for: 0s
                            labels:
                              severity: critical
                            annotations:
                              summary: 'Line {{ $labels.channel }} is down'
                              description: >-
                                Down since {{ with printf "max(hotline_channel_outage_start_timestamp_seconds{channel='%s'})" $labels.channel
                                | query }}{{ . | first | value | humanizeTimestamp }}{{ end }}
                                ({{ with printf "max(hotline_channel_consecutive_missed_slots{channel='%s'})" $labels.channel | query }}{{ . | first | value }}{{ end }} missed slots in a row).
                          - alert: HotlineSlotMissed
                            expr: |
                              max by (channel) (hotline_channel_state{state="missed"}) == 1
                            for: 0s
                            labels:
                              severity: warning
                            annotations:
                              summary: 'Line {{ $labels.channel }} missed its last slot'
                    """);
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: %1$ds
                      scrape_timeout: %2$ds
                      evaluation_interval: %1$ds
                      external_labels:
                        prom: '%1$ds'
                    rule_files: ['%3$s']
                    alerting:
                      alertmanagers:
                        - static_configs:
                            - targets: ['127.0.0.1:%4$d']
                    scrape_configs:
                      - job_name: hotline-monitor
                        static_configs:
                          - targets: ['127.0.0.1:%5$d']
                    """.formatted(intervalSeconds, Math.min(intervalSeconds, 10), rules, alertmanagerPort, metricsPort));
            int port = freePort();
            return start("prometheus (" + intervalSeconds + " s)", dir, port, binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port);
        }

        private static Child start(String name, Path dir, int port, String... command) throws IOException {
            Path log = dir.resolve("log.txt");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Child(name, process, port, log);
        }

        int port() {
            return port;
        }

        String describe() {
            return name + " pid " + process.pid() + " on 127.0.0.1:" + port;
        }

        /** Waits up to 30 s for {@code /-/ready} to answer 200; fails with the process's log if it does not. */
        void awaitReady() throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < limit) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logText());
                }
                try {
                    if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " was not ready within 30 s:\n" + logText());
        }

        private String logText() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
