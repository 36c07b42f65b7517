package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run} as a user runs it: its own JVM, the embedded broker in a fresh data directory on free ports, the
 * simulated far side never answering a channel that is checked every ten minutes, on a clock running 600 times
 * faster from the past (a slot a second). Alerts flow to stdout; SIGTERM stops it with exit code 0.
 */
@org.junit.jupiter.api.Tag("integration")
@org.junit.jupiter.api.Tag("timing") // no warning in a normal run; a broker slowed by another test makes some: run alone
class RunCommandTest {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommandTest.class);

    static final String CHANNELS = """
            channels:
              - {id: test-line, zone: UTC, cron: '*/10 * * * *', answerWithin: PT5M, downAfter: 2}
            """;
    static final String SILENT_FAR_SIDE = """
            disruptions:
              - {from: 2023-04-06T00:00:00Z, outcome: NO_ANSWER, note: nobody there}
            """;

    @TempDir
    Path tmp;

    @Test
    void runsTheLiveMonitorOnTheEmbeddedBrokerPrintingAlertsUntilSigterm() throws Exception {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS);
        Path script = Files.writeString(tmp.resolve("simulation.yaml"), SILENT_FAR_SIDE);
        Path stderr = tmp.resolve("stderr.txt");
        long t0 = System.nanoTime();
        // The shipped logging set-up, not the tests' (logback-test.xml comes first on the test class path).
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + org.hotlinemonitor.app.logging.LogSetup.SHIPPED + "=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--channels", channels.toString(), "--placer", "simulated", "--simulation", script.toString(),
                "--data-dir", tmp.resolve("data").toString(), "--broker-port", "0", "--controller-port", "0", "--http-port", "0",
                "--clock-start", "2023-04-06T00:00:00Z", "--clock-speed", "600", "--channel-metrics", "failing")
                .redirectError(stderr.toFile())
                .start();
        try {
            // SLOT_MISSED for the first slot, then CHANNEL_DOWN at the second: read until the down.
            Alert down = firstDown(run);
            assertThat(down).as(() -> read(stderr)).isNotNull();
            assertThat(down.channel()).isEqualTo("test-line");
            assertThat(down.missedSlots()).isEqualTo(2);
            String log = read(stderr);
            assertThat(log).containsPattern("ready in \\d+\\.\\d s: broker 127\\.0\\.0\\.1:\\d+ \\(embedded, data in .*\\), "
                    + "detector RUNNING, producer placing 1 channel\\(s\\) \\(simulated placer\\); alerts on stdout; "
                    + "metrics at http://localhost:\\d+/metrics, API at http://localhost:\\d+/api/v1/channels");
            Matcher url = Pattern.compile("metrics at (http://localhost:\\d+/metrics)").matcher(log);
            assertThat(url.find()).isTrue();
            // The line is down (the far side never answers): /metrics says so, and since when (--channel-metrics
            // failing: a line not up has its series, given before the scrape).
            String metrics = get(url.group(1));
            assertThat(metrics).contains("hotline_channels{state=\"down\",} 1.0", "hotline_channels{state=\"up\",} 0.0");
            Matcher since = Pattern.compile("(?m)^hotline_channel_outage_start_timestamp_seconds\\{channel=\"test-line\",} (\\S+)$")
                    .matcher(metrics);
            assertThat(since.find()).as(metrics).isTrue();
            assertThat(Double.parseDouble(since.group(1))).isEqualTo(down.since().getEpochSecond());
            assertThat(metrics).contains("hotline_channel_state{channel=\"test-line\",state=\"down\",} 1.0",
                    "hotline_alerts_total{type=\"CHANNEL_DOWN\",} ",
                    "jvm_memory_used_bytes{", "kafka_stream_thread_", "kafka_producer_record_send_total{client_id=\"scheduler\",", "hotline_detector_watermark_lag_seconds{partition=");
            // what /readyz says below, as a gauge; the scheduler's calls, per channel
            assertThat(metrics).contains("\nhotline_ready 1.0\n", "hotline_placer_calls_total{channel=\"test-line\",result=\"placed\",} ",
                    "hotline_channel_slots_total{channel=\"test-line\",verdict=\"MISSED\",} ");
            // The HTTP API on the same server: ready, and the channel down since the outage's first missed slot.
            String base = url.group(1).replace("/metrics", "");
            assertThat(get(base + "/readyz")).contains("ready");
            String channel = get(base + "/api/v1/channels/test-line");
            assertThat(channel).contains("\"state\":\"down\"", down.since().toString());
            // The start ends with the status page's address (after the ready line); the page says the same.
            int statusLine = log.indexOf(" INFO  RunCommand - open the status page: " + base + "/\n");
            assertThat(statusLine).as(log).isGreaterThan(log.indexOf("ready in "));
            assertThat(get(base + "/")).contains("<title>Hotline status</title>");
            String status = get(base + "/api/v1/status");
            assertThat(status).contains("\"id\":\"test-line\"", "\"state\":\"down\"", "\"downSince\":\"" + down.since() + "\"",
                    "\"kind\":\"missed\"");
            LOG.info("run: {}; first CHANNEL_DOWN after {} ms", log.lines().filter(l -> l.contains("ready in")).findFirst().orElse(""),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

            run.toHandle().destroy(); // SIGTERM
            assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
            assertThat(run.exitValue()).as(() -> read(stderr)).isZero();
            assertThat(read(stderr)).contains("Stopping", "Embedded Kafka broker stopped").doesNotContain("Exception");
            assertThat(read(stderr).lines().filter(l -> l.matches("^\\S+ (WARN|ERROR) .*")))
                    .as("a normal run and stop log no warning and no error").isEmpty();
            // The broker's data is kept; the detector's stores are in memory, rebuilt from their changelogs (on the
            // broker) at start, so Kafka Streams needs no state of its own on disk.
            assertThat(tmp.resolve("data/kafka/meta.properties")).exists();
        } finally {
            run.destroyForcibly();
        }
    }

    /**
     * {@code run} on the embedded broker in SASL/SCRAM mode, from the channel file's {@code kafka: broker:} section with
     * passwords from the environment: the monitor works as before (it logs in as the broker's own user), a user of the
     * replay role may read events but not write them, and no password reaches the log.
     */
    @Test
    void runsOnTheEmbeddedBrokerWithSaslScramAndAcls() throws Exception {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS + """
                kafka:
                  broker:
                    superUser: admin
                    users:
                      admin: { password: '${TEST_ADMIN_PW}' }
                      watcher: { password: '${TEST_WATCHER_PW}', roles: [replay] }
                """);
        Path script = Files.writeString(tmp.resolve("simulation.yaml"), SILENT_FAR_SIDE);
        Path stderr = tmp.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--channels", channels.toString(), "--placer", "simulated", "--simulation", script.toString(),
                "--data-dir", tmp.resolve("data").toString(), "--broker-port", "0", "--controller-port", "0", "--http-port", "0",
                "--clock-start", "2023-04-06T00:00:00Z", "--clock-speed", "600")
                .redirectError(stderr.toFile());
        builder.environment().put("TEST_ADMIN_PW", "admin-pw-4c1d");
        builder.environment().put("TEST_WATCHER_PW", "watcher-pw-77e2");
        builder.environment().put("HOTLINE_CHANNEL_METRICS", "none");
        Process run = builder.start();
        try {
            Alert down = firstDown(run);
            assertThat(down).as(() -> read(stderr)).isNotNull();
            String log = read(stderr);
            Matcher ready = Pattern.compile("broker 127\\.0\\.0\\.1:(\\d+) \\(embedded, SASL/SCRAM and ACLs, data in ").matcher(log);
            assertThat(ready.find()).as(log).isTrue();
            assertThat(log).contains("SASL/SCRAM users [admin, watcher], ");
            String bootstrap = "127.0.0.1:" + ready.group(1);
            // HOTLINE_CHANNEL_METRICS=none: the counts by state, no per-channel series
            Matcher url = Pattern.compile("metrics at (http://localhost:\\d+/metrics)").matcher(log);
            assertThat(url.find()).as(log).isTrue();
            String metrics = get(url.group(1));
            assertThat(metrics).contains("hotline_channels{state=\"down\",} 1.0").doesNotContain("hotline_channel_state{",
                    "hotline_channel_slots_total{", "hotline_channel_answer_latency_seconds_bucket{");

            Path watcher = Files.writeString(tmp.resolve("watcher.properties"), """
                    security.protocol=SASL_PLAINTEXT
                    sasl.mechanism=SCRAM-SHA-512
                    sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="watcher" password="watcher-pw-77e2";
                    """);
            Result replay = CliTest.run("replay", "--channels", channels.toString(), "--no-progress", "--bootstrap-servers", bootstrap,
                    "--kafka-config", watcher.toString(), "--since", "2023-04-06T00:00:00Z", "--until", down.at().toString(),
                    "--alerts-out", tmp.resolve("alerts.jsonl").toString(), "--report-out", tmp.resolve("report.md").toString(),
                    "--rejects-out", tmp.resolve("rejects.jsonl").toString());
            assertThat(replay.code()).as(replay.err()).isIn(ExitCodes.OK, ExitCodes.REFUSED);
            assertThat(Files.readString(tmp.resolve("alerts.jsonl"))).as("the watcher reads the events")
                    .contains("test-line/SLOT_MISSED/2023-04-06T00:00:00Z");
            Result record = CliTest.run("record", "--bootstrap-servers", bootstrap, "--kafka-config", watcher.toString(),
                    "--channels", channels.toString(), "--channel", "test-line", "--answered", "--at", "2023-04-06T00:01:00Z",
                    "--timeout", "PT5S");
            assertThat(record.code()).as("the watcher may not write events").isEqualTo(ExitCodes.FAILURE);
            assertThat(record.err()).contains("AuthorizationException");

            run.toHandle().destroy();
            assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
            assertThat(run.exitValue()).as(() -> read(stderr)).isZero();
            assertThat(read(stderr)).doesNotContain("admin-pw-4c1d", "watcher-pw-77e2");
        } finally {
            run.destroyForcibly();
        }
    }

    @Test
    void aTakenPortIsOneLineOnStderrAndExitCode1() throws Exception {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = CliTest.run("run", "--channels", channels.toString(), "--data-dir", tmp.resolve("data").toString(),
                    "--broker-port", String.valueOf(port), "--http-port", "0");
            assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).isEqualTo("error: port " + port + " is already in use (embedded broker listener); choose another with --broker-port"
                    + System.lineSeparator());
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aTakenHttpPortIsOneLineOnStderrAndExitCode1BeforeKafkaStarts() throws Exception {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS);
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Result r = CliTest.run("run", "--channels", channels.toString(), "--data-dir", tmp.resolve("data").toString(),
                    "--broker-port", "0", "--controller-port", "0", "--http-port", String.valueOf(port));
            assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).isEqualTo("error: port " + port + " is already in use (HTTP server for /metrics and the API); "
                    + "choose another with --http-port" + System.lineSeparator());
            assertThat(r.out()).isEmpty();
            assertThat(tmp.resolve("data")).doesNotExist();
        }
        Result bad = CliTest.run("run", "--channels", channels.toString(), "--http-port", "94000");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--http-port (or HOTLINE_HTTP_PORT) must be a port, 0 to 65535, was '94000'");
    }

    @Test
    void unusableTlsOrTokensFilesStopRunBeforeKafkaStarts() throws Exception {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS);
        Path data = tmp.resolve("data");
        Path notPem = Files.writeString(tmp.resolve("cert.pem"), "not a certificate\n");
        Result half = CliTest.run("run", "--channels", channels.toString(), "--data-dir", data.toString(), "--broker-port", "0",
                "--controller-port", "0", "--http-port", "0", "--http-tls-cert", notPem.toString());
        assertThat(half.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(half.err()).contains("--http-tls-cert and --http-tls-key go together; --http-tls-key is missing");
        Result bad = CliTest.run("run", "--channels", channels.toString(), "--data-dir", data.toString(), "--broker-port", "0",
                "--controller-port", "0", "--http-port", "0", "--http-tls-cert", notPem.toString(), "--http-tls-key", notPem.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bad.err()).isEqualTo("error: cannot serve HTTPS: " + notPem + ": no -----BEGIN CERTIFICATE----- block"
                + System.lineSeparator());

        Path tokens = Files.writeString(tmp.resolve("api-tokens.txt"), "scheduler sha256:" + "ab".repeat(32) + " record\n");
        Path withTokens = Files.writeString(tmp.resolve("with-tokens.yaml"), CHANNELS + "api:\n  tokens: api-tokens.txt\n");
        Result reserved = CliTest.run("run", "--channels", withTokens.toString(), "--data-dir", data.toString(), "--broker-port", "0",
                "--controller-port", "0", "--http-port", "0");
        assertThat(reserved.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(reserved.err()).startsWith("error: invalid API tokens file: " + tokens.toAbsolutePath()
                + ":1: name: 'scheduler' is the source of the monitor's own events (run --source)");
        assertThat(data).doesNotExist();
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsOneLineOnStderrAndExitCode1() throws Exception {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS);
        Path dataDir = Files.writeString(tmp.resolve("a-file"), "").resolve("data");
        Result r = CliTest.run("run", "--channels", channels.toString(), "--data-dir", dataDir.toString(),
                "--broker-port", "0", "--controller-port", "0", "--http-port", "0");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).startsWith("error: data directory " + dataDir + " is not writable: ").hasLineCount(1);
    }

    @Test
    void usageErrors() throws Exception {
        assertThat(CliTest.run("run").err()).contains("missing --channels FILE");
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), CHANNELS);
        Result r = CliTest.run("run", "--channels", channels.toString(), "--placer", "robot");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--placer must be simulated or operator, was 'robot'");
        assertThat(CliTest.run("run", "--channels", channels.toString(), "--simulation", "x.yaml").err())
                .contains("--simulation needs --placer simulated");
        assertThat(CliTest.run("detect", "--channels", channels.toString()).err())
                .contains("missing --bootstrap-servers (or the environment variable HOTLINE_BOOTSTRAP_SERVERS)");
        assertThat(CliTest.run("produce", "--channels", channels.toString()).code()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliTest.run("demo", "--start", "2099-01-01T00:00Z").err()).contains("must be in the past");
    }

    @Test
    void everyLiveCommandIsListed() {
        assertThat(CliTest.run("--help").out()).contains("run", "demo", "produce", "detect");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Reads the alerts {@code run} prints on stdout until its first CHANNEL_DOWN (at most 120 s); null if it ended before one. */
    static Alert firstDown(Process run) throws Exception {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = stdout.readLine()) != null; ) {
                    Alert a = AlertCodec.fromJson(line);
                    if (a.type() == AlertType.CHANNEL_DOWN) {
                        return a;
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(120, TimeUnit.SECONDS);
    }
}
