package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notify}, and {@code run} with a notify section: bad configuration, and pages from a live run. */
@org.junit.jupiter.api.Tag("integration")
class NotifyCommandTest {

    private static final String WITH_NOTIFY = RunCommandTest.CHANNELS + """
            notify:
              sinks:
                - name: hook
                  type: webhook
                  url: %s
                  secret: ${HOTLINE_TEST_WEBHOOK_SECRET}
              routes:
                - sinks: [hook]
            """;

    @TempDir
    Path tmp;

    @Test
    void aBadNotifySectionIsBadInputNamingFileLineAndField() throws Exception {
        Path file = Files.writeString(tmp.resolve("monitor.yaml"), RunCommandTest.CHANNELS + """
                notify:
                  sinks:
                    - name: hook
                      type: webhok
                      url: http://127.0.0.1:1/
                  routes:
                    - sinks: [hook, pager]
                """);
        for (Result r : new Result[] {
            CliTest.run("notify", "--bootstrap-servers", "127.0.0.1:1", "--config", file.toString()),
            CliTest.run("run", "--channels", file.toString(), "--data-dir", tmp.resolve("data").toString())}) {
            assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.err()).contains("invalid notify configuration",
                    file + ":6:13: notify.sinks[0].type: unknown sink type 'webhok'",
                    file + ":9:21: notify.routes[0].sinks: unknown sink 'pager'");
        }
        assertThat(tmp.resolve("data")).doesNotExist(); // run refused before starting a broker
    }

    @Test
    void aSecretFromAnUnsetVariableIsNamedButNeverShown() throws Exception {
        Path file = Files.writeString(tmp.resolve("monitor.yaml"), WITH_NOTIFY.formatted("http://127.0.0.1:1/hook")
                .replace("HOTLINE_TEST_WEBHOOK_SECRET", "HOTLINE_TEST_SURELY_UNSET"));
        Result r = CliTest.run("notify", "--bootstrap-servers", "127.0.0.1:1", "--config", file.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains(file + ":8:15: notify.sinks[0].secret: the environment variable HOTLINE_TEST_SURELY_UNSET is not set");
    }

    @Test
    void usageAndMissingSection() throws Exception {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), RunCommandTest.CHANNELS);
        Result noSection = CliTest.run("notify", "--bootstrap-servers", "127.0.0.1:1", "--config", channels.toString());
        assertThat(noSection.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noSection.err()).contains(channels + ": no notify: section");
        assertThat(CliTest.run("notify", "--config", channels.toString()).err())
                .contains("missing --bootstrap-servers");
        assertThat(CliTest.run("--help").out()).contains("notify");
    }

    /** {@code run} with a notify section: the live monitor's CHANNEL_DOWN reaches a signed webhook; SIGTERM exits 0. */
    @Test
    void runDeliversItsAlertsToTheConfiguredWebhook() throws Exception {
        BlockingQueue<byte[]> bodies = new LinkedBlockingQueue<>();
        BlockingQueue<String> signatures = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                signatures.add(exchange.getRequestHeaders().getFirst("X-Signature"));
                bodies.add(body);
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        Path channels = Files.writeString(tmp.resolve("monitor.yaml"),
                WITH_NOTIFY.formatted("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
        Path script = Files.writeString(tmp.resolve("simulation.yaml"), RunCommandTest.SILENT_FAR_SIDE);
        Path stderr = tmp.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--quiet", "--channels", channels.toString(), "--placer", "simulated", "--simulation", script.toString(),
                "--data-dir", tmp.resolve("data").toString(), "--broker-port", "0", "--controller-port", "0", "--http-port", "0",
                "--clock-start", "2023-04-06T00:00:00Z", "--clock-speed", "600")
                .redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("HOTLINE_TEST_WEBHOOK_SECRET", "run-secret");
        Process run = builder.start();
        try {
            JsonNode down = null;
            ObjectMapper json = new ObjectMapper();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (down == null && System.nanoTime() < deadline) {
                byte[] body = bodies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (body == null) {
                    break;
                }
                String signature = signatures.take();
                assertThat(signature).isEqualTo("sha256=" + hmac("run-secret", body));
                for (JsonNode alert : json.readTree(body).get("alerts")) {
                    if (alert.get("type").asText().equals("CHANNEL_DOWN")) {
                        down = alert;
                    }
                }
            }
            assertThat(down).as(() -> read(stderr)).isNotNull();
            assertThat(down.get("channel").asText()).isEqualTo("test-line");
            String log = read(stderr);
            assertThat(log).containsPattern("ready in \\d+\\.\\d s: .*; notifier delivering to hook")
                    .doesNotContain("run-secret");

            run.toHandle().destroy(); // SIGTERM
            assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
            assertThat(run.exitValue()).as(() -> read(stderr)).isZero();
            assertThat(read(stderr)).contains("Stopping: producer, detector, notifier, then the broker")
                    .doesNotContain("Exception");
        } finally {
            run.destroyForcibly();
            server.stop(0);
        }
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
