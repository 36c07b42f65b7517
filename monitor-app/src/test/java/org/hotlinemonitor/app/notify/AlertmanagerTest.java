package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.deploy.DebianBinary;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.notify.Backoff;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.SinkConfig;
import org.hotlinemonitor.core.notify.SinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier against a real Alertmanager (Debian package {@code prometheus-alertmanager}), started on loopback
 * with a configuration that routes everything to a webhook receiver in this test: a line that goes down
 * (CHANNEL_DOWN) makes an Alertmanager alert that fires, and its restore (CHANNEL_RESTORED) resolves it; likewise
 * our own side's silence (OUR_SIDE_SILENT, then OUR_SIDE_RESUMED).
 *
 * <p>Skipped when the binary is missing, unless {@code CI=true}: then it fails (CI installs the package).
 */
@org.junit.jupiter.api.Tag("integration")
class AlertmanagerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aLineThatGoesDownFiresAnAlertmanagerAlertAndItsRestoreResolvesIt() throws Exception {
        Path binary = DebianBinary.require("hotline.alertmanager", "/usr/bin/prometheus-alertmanager", "prometheus-alertmanager");
        try (Receiver webhook = new Receiver();
             KafkaClusterTestKit cluster = TestCluster.startForStreams(Map.of());
             Alertmanager am = Alertmanager.start(binary, tmp, webhook.uri("/am-webhook"))) {
            String bootstrap = cluster.bootstrapServers();
            TestCluster.createTopic(cluster, "hotline.alerts", 3);
            TestCluster.createTopic(cluster, "hotline.rejects", 1);
            NotifyConfig config = new NotifyConfig("am-test", true, Duration.ofMillis(100),
                    new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                    List.of(new SinkConfig("am", SinkType.ALERTMANAGER, am.url(), null)),
                    List.of(new Route(Set.of(), List.of(), List.of("am"))));
            try (Notifier notifier = Notifier.create(new Notifier.Settings(bootstrap, "hotline.alerts", "hotline.rejects",
                    config), Clock.systemUTC())) {
                notifier.start();
                // What the detector raises when the line misses its second check in a row, and when it answers again.
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                Instant since = now.minus(Duration.ofHours(2));
                Alert down = Alert.channelDown("liaison-office", since, now.minus(Duration.ofMinutes(1)), 2);
                publish(bootstrap, down);

                JsonNode firing = awaitNotification(webhook, "firing");
                JsonNode alert = firing.get("alerts").get(0);
                assertThat(alert.get("status").asText()).isEqualTo("firing");
                assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("HotlineChannelDown");
                assertThat(alert.get("labels").get("channel").asText()).isEqualTo("liaison-office");
                assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
                assertThat(Instant.parse(alert.get("startsAt").asText())).isEqualTo(since);
                assertThat(alert.get("annotations").get("summary").asText()).contains("liaison-office is DOWN");

                Alert restored = Alert.channelRestored("liaison-office", since, Instant.now().truncatedTo(ChronoUnit.MILLIS), 3);
                publish(bootstrap, restored);
                JsonNode resolved = awaitNotification(webhook, "resolved");
                JsonNode r = resolved.get("alerts").get(0);
                assertThat(r.get("status").asText()).isEqualTo("resolved");
                assertThat(r.get("labels")).isEqualTo(alert.get("labels")); // the same alert
                assertThat(Instant.parse(r.get("endsAt").asText())).isEqualTo(restored.at());
                assertThat(notifier.deliveries().count("am", DeliveryCounter.DELIVERED)).isEqualTo(2);

                // Our own side goes silent (one alert for every channel), then is heard again.
                Instant lastBeat = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofMinutes(2));
                publish(bootstrap, Alert.ourSideSilent(lastBeat, lastBeat.plus(Duration.ofMinutes(1))));
                JsonNode silent = awaitNotification(webhook, "firing", "HotlineOurSideSilent").get("alerts").get(0);
                assertThat(silent.get("labels").get("channel").asText()).isEqualTo("our-side");
                assertThat(silent.get("labels").get("severity").asText()).isEqualTo("error");
                assertThat(Instant.parse(silent.get("startsAt").asText())).isEqualTo(lastBeat);
                assertThat(silent.get("annotations").get("summary").asText()).contains("our side is SILENT");
                Alert resumed = Alert.ourSideResumed(lastBeat, Instant.now().truncatedTo(ChronoUnit.MILLIS));
                publish(bootstrap, resumed);
                JsonNode heard = awaitNotification(webhook, "resolved", "HotlineOurSideSilent").get("alerts").get(0);
                assertThat(heard.get("labels")).isEqualTo(silent.get("labels"));
                assertThat(Instant.parse(heard.get("endsAt").asText())).isEqualTo(resumed.at());
                assertThat(notifier.deliveries().count("am", DeliveryCounter.DELIVERED)).isEqualTo(4);
            }
        }
    }

    private static JsonNode awaitNotification(Receiver webhook, String status) throws Exception {
        return awaitNotification(webhook, status, "HotlineChannelDown");
    }

    private static JsonNode awaitNotification(Receiver webhook, String status, String alertname) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Receiver.Request request = webhook.take(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            JsonNode body = JSON.readTree(request.body());
            if (status.equals(body.get("status").asText())
                    && alertname.equals(body.get("groupLabels").path("alertname").asText())) {
                return body;
            }
        }
        throw new AssertionError("no " + status + " notification from Alertmanager within " + WAIT);
    }

    private static void publish(String bootstrap, Alert alert) {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("hotline.alerts", alert.channel(), AlertCodec.toJson(alert)));
        }
    }

    /** A real Alertmanager on a free loopback port, clustering off, with its data in a temporary directory. */
    static final class Alertmanager implements AutoCloseable {
        private final Process process;
        private final int port;

        private Alertmanager(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Alertmanager start(Path binary, Path dir, URI webhook) throws Exception {
            Path config = Files.writeString(dir.resolve("alertmanager.yml"), """
                    global:
                      resolve_timeout: 5s
                    route:
                      receiver: test
                      group_by: [alertname, channel]
                      group_wait: 1s
                      group_interval: 1s
                      repeat_interval: 1h
                    receivers:
                      - name: test
                        webhook_configs:
                          - url: %s
                            send_resolved: true
                    """.formatted(webhook));
            int port = freePort();
            Process process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=") // no gossip port: a single instance
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("alertmanager.log").toFile())
                    .start();
            Alertmanager am = new Alertmanager(process, port);
            try {
                am.awaitReady(dir);
                return am;
            } catch (Exception | AssertionError e) {
                am.close();
                throw e;
            }
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        private void awaitReady(Path dir) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(url().resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
            TestCluster.await("Alertmanager ready on port " + port, WAIT, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Alertmanager exited: " + read(dir.resolve("alertmanager.log")));
                }
                try {
                    return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
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
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
