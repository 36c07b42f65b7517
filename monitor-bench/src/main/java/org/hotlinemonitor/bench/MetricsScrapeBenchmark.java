package org.hotlinemonitor.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.metrics.ChannelMetrics;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.metrics.MonitorMeters;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The cost of {@code /metrics} by {@code --channel-metrics} mode: a detector view holding every channel of a channel
 * file (98 % up, 1 % missed, 0.5 % down, 0.5 % unknown, on 6 partitions), the monitor's meters bound to the real
 * registry (with the JVM's) as {@code detect} binds them, scraped over HTTP from the real server (no gzip). Per mode:
 * the time to bind, then the scrape's bytes and lines, and its time (min and median of RUNS, after 2 unmeasured), and
 * the before-scrape hook's time alone (median of RUNS).
 * Run by {@code bench/metrics-scrape.sh}; see docs/benchmarks.md.
 *
 * <p>Usage: {@code MetricsScrapeBenchmark CHANNELS.yaml [RUNS]}
 */
public final class MetricsScrapeBenchmark {

    private static final int WARMUPS = 2;
    private static final int PARTITIONS = 6;

    private MetricsScrapeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: MetricsScrapeBenchmark CHANNELS.yaml [RUNS]");
            System.exit(2);
        }
        MonitorConfig config = ConfigLoader.load(Path.of(args[0]));
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Instant start = Instant.parse("2023-04-01T00:00:00Z");
        Map<String, Detector> detectors = new LinkedHashMap<>();
        Map<String, ChannelState> states = new LinkedHashMap<>();
        int i = 0;
        for (Channel c : config.channels()) {
            Detector d = new Detector(c);
            detectors.put(c.id(), d);
            states.put(c.id(), inState(d.initial(start), status(i++), start.toEpochMilli()));
        }
        System.out.printf(Locale.ROOT, "%,d channels, %d partitions, %d scrapes after %d warm-ups per mode%n",
                states.size(), PARTITIONS, runs, WARMUPS);
        System.out.println("| mode | channels with series | bind ms | bytes | lines | scrape ms min | scrape ms median | of which before-scrape ms median |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        HttpClient http = HttpClient.newHttpClient();
        for (ChannelMetrics mode : List.of(ChannelMetrics.ALL, ChannelMetrics.FAILING, ChannelMetrics.NONE)) {
            DetectorView view = DetectorView.of(states, detectors, PARTITIONS);
            try (Metrics metrics = new Metrics();
                 MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry())) {
                long t0 = System.nanoTime();
                MonitorMeters meters = metrics.bind(new MonitorMeters(Clock.systemUTC()).detector(view, new RejectCounter())
                        .channelMetrics(mode));
                server.beforeScrape(meters::beforeScrape);
                double bindMs = (System.nanoTime() - t0) / 1e6;
                URI uri = server.metricsUri();
                long[] size = null;
                double[] ms = new double[runs];
                for (int r = -WARMUPS; r < runs; r++) {
                    long s = System.nanoTime();
                    HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("/metrics answered " + response.statusCode());
                    }
                    size = measure(response.body()); // read as it comes: a 200 MB body held whole stalls the reader
                    double took = (System.nanoTime() - s) / 1e6;
                    if (r >= 0) {
                        ms[r] = took;
                    }
                }
                Arrays.sort(ms);
                // The before-scrape hook alone (failing's look at each channel; nothing in the other modes).
                double[] sweep = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long s = System.nanoTime();
                    meters.beforeScrape();
                    sweep[r] = (System.nanoTime() - s) / 1e6;
                }
                Arrays.sort(sweep);
                System.out.printf(Locale.ROOT, "| %s | %,d | %.0f | %,d | %,d | %.0f | %.0f | %.1f |%n", mode, size[2], bindMs,
                        size[0], size[1], ms[0],
                        ms[runs / 2], sweep[runs / 2]);
            }
        }
    }

    /** Reads a scrape to its end: its bytes, lines, and channels with a state series ({@code state="up"} lines). */
    static long[] measure(java.io.InputStream body) throws java.io.IOException {
        long bytes = 0;
        long lines = 0;
        long channels = 0;
        try (java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(body, java.nio.charset.StandardCharsets.UTF_8), 1 << 16)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                bytes += line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
                lines++;
                if (line.startsWith("hotline_channel_state{") && line.contains("state=\"up\"")) {
                    channels++;
                }
            }
        }
        return new long[] {bytes, lines, channels};
    }

    /** 98 % up, 1 % missed, 0.5 % down, 0.5 % unknown, spread evenly. */
    static ChannelStatus status(int index) {
        int k = index % 200;
        return k < 2 ? ChannelStatus.MISSED : k == 2 ? ChannelStatus.DOWN : k == 3 ? ChannelStatus.UNKNOWN : ChannelStatus.UP;
    }

    static ChannelState inState(ChannelState initial, ChannelStatus status, long at) {
        long none = Millis.NONE;
        boolean failing = status == ChannelStatus.MISSED || status == ChannelStatus.DOWN;
        return new ChannelState(initial.watermark(), initial.cursor(), status, failing ? (status == ChannelStatus.DOWN ? 2 : 1) : 0,
                failing ? at : none, status == ChannelStatus.UP ? at : none, none, 0, none, List.of());
    }
}
