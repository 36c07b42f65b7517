package org.hotlinemonitor.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotlinemonitor.app.deploy.DebianBinary;
import org.hotlinemonitor.app.detect.Harness;
import org.hotlinemonitor.app.notify.DeliveryCounter;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus' own linter on what /metrics serves: {@code promtool check metrics} (Debian package {@code prometheus})
 * must report no problem for the monitor's families ({@code hotline_*}). Its complaints about other families (the JVM's,
 * Kafka's: Micrometer's names, not ours) are logged and ignored.
 *
 * <p>Skipped when promtool is missing, unless {@code CI=true}: then it fails (CI installs the package).
 */
@org.junit.jupiter.api.Tag("integration")
class PromtoolTest {


    @TempDir
    Path tmp;

    @Test
    void promtoolFindsNoProblemInTheMonitorsMetricFamilies() throws Exception {
        Path binary = DebianBinary.require("hotline.promtool", "/usr/bin/promtool", "prometheus");
        String scraped;
        try (Metrics metrics = new Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry());
             Harness h = new Harness(MonitorMetersTest.CHANNELS, MonitorMetersTest.LATENESS, MonitorMetersTest.START,
                     tmp.resolve("state"))) {
            server.beforeScrape(metrics.bind(new MonitorMeters(h.clock()).detector(h.view, h.rejects))::beforeScrape);
            metrics.bind(new MonitorMeters(Clock.systemUTC()).notifier(new DeliveryCounter(), new RejectCounter(), List.of("am")));
            metrics.bind(new MonitorMeters(Clock.systemUTC()).placer(List.of("east-coast", "ship"), (c, failed) -> failed ? 0 : 1));
            metrics.ready(() -> true);
            MonitorMetersTest.goesDown(h);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.metricsUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            scraped = r.body();
        }
        Scrape s = new Scrape(scraped);
        for (String family : List.of("hotline_channel_state", "hotline_channel_consecutive_missed_slots",
                "hotline_channel_last_answer_timestamp_seconds", "hotline_channel_next_deadline_timestamp_seconds",
                "hotline_channel_outage_start_timestamp_seconds", "hotline_slots_total", "hotline_alerts_total",
                "hotline_events_total", "hotline_rejected_records_total", "hotline_late_events_total",
                "hotline_detector_watermark_lag_seconds", "hotline_slot_answer_latency_seconds_bucket",
                "hotline_notify_deliveries_total", "hotline_notify_delivery_latency_seconds_bucket",
                "hotline_channel_slots_total", "hotline_channel_answer_latency_seconds_bucket", "hotline_placer_calls_total",
                "hotline_alert_delay_seconds_bucket",
                "hotline_ready")) {
            assertThat(s.hasFamily(family)).as(family + " scraped").isTrue();
        }

        Path file = Files.writeString(tmp.resolve("metrics.txt"), scraped);
        Process p = new ProcessBuilder(binary.toString(), "check", "metrics")
                .redirectInput(file.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> problems = out.lines().filter(l -> !l.isBlank()).toList();
        List<String> ours = problems.stream().filter(l -> l.contains("hotline_")).toList();
        System.out.println("promtool check metrics: exit " + p.exitValue() + ", " + problems.size()
                + " line(s), none about hotline_* expected; the others (JVM, Kafka):\n" + out);
        assertThat(problems).as("promtool could parse the text").noneMatch(l -> l.contains("error while linting"));
        assertThat(ours).as("promtool's problems with the monitor's own families").isEmpty();
        assertThat(p.exitValue()).as(out).isIn(0, 3); // 3: problems found, all in families not ours (checked above)
    }
}
