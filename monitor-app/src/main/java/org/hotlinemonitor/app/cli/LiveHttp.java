package org.hotlinemonitor.app.cli;

import java.time.Clock;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.http.ApiAccess;
import org.hotlinemonitor.app.http.StatusFeed;
import org.hotlinemonitor.app.http.StatusPage;
import org.hotlinemonitor.app.metrics.ChannelMetrics;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.metrics.MonitorMeters;
import org.hotlinemonitor.app.notify.Notifier;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.status.StatusLedger;

/**
 * A live command's HTTP side: the metrics registry and the HTTP server that serves it at {@code /metrics}, and the
 * status page ({@link #serveStatusPage}). Started
 * first, so that a taken port fails the command before Kafka starts; the command then binds what it runs.
 *
 * <p>The HTTP API goes on the same server ({@link #registerApi}): a command that serves one says so at the start, so that
 * until then {@code /readyz} answers 503 and the API 503 "starting" (not 404). Closed by the command, after what it
 * binds has stopped.
 */
final class LiveHttp implements AutoCloseable {

    private final Metrics metrics;
    private final MetricsServer server;

    private LiveHttp(Metrics metrics, MetricsServer server) {
        this.metrics = metrics;
        this.server = server;
    }

    /** Starts the server on the options' port ({@code defaultPort} if none given), for a command without API. */
    static LiveHttp start(HttpOptions options, picocli.CommandLine commandLine, int defaultPort) {
        return start(options, commandLine, defaultPort, false);
    }

    /**
     * Starts the server on the options' port ({@code defaultPort} if none given).
     *
     * @param api whether the command will {@link #registerApi register} the HTTP API
     */
    static LiveHttp start(HttpOptions options, picocli.CommandLine commandLine, int defaultPort, boolean api) {
        int port = options.port(commandLine, defaultPort);
        javax.net.ssl.SSLContext tls = options.tls(commandLine);
        Metrics metrics = new Metrics();
        try {
            MetricsServer server = MetricsServer.start(options.host(), port, metrics.registry(), tls, api);
            // The HTTP API joins this server once its Kafka clients exist: registerApi.
            return new LiveHttp(metrics, server);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /**
     * The detector's meters (channels, counts by state, slots, events, alerts, rejects, watermark lag), with per-channel
     * series for the channels {@code channelMetrics} says.
     */
    void bindDetector(DetectorService detector, ChannelMetrics channelMetrics, Clock clock) {
        MonitorMeters meters = metrics.bind(new MonitorMeters(clock).detector(detector.view(), detector.rejects())
                .channelMetrics(channelMetrics).channelTopic(detector::channelTopic));
        server.beforeScrape(meters::beforeScrape);
    }

    /** The detector's Kafka Streams client's metrics; once it has started. */
    void bindDetectorClient(DetectorService detector) {
        if (detector.streams() != null) {
            metrics.bindKafkaStreams(detector.streams());
        }
    }

    /** The scheduler's Kafka producer's metrics, and its calls to the placer per channel; once it has started. */
    void bindProducer(org.hotlinemonitor.app.produce.SchedulerService producer) {
        metrics.bindKafkaProducer(producer.kafkaProducer());
        metrics.bind(new MonitorMeters(Clock.systemUTC()).placer(producer.channelIds(), producer::placerCalls));
    }

    /** {@code hotline_ready}: 1 while {@code ready} holds (what {@code /readyz} says), else 0. */
    void ready(java.util.function.BooleanSupplier ready) {
        metrics.ready(ready);
    }

    /** The notifier's meters (deliveries by sink and result, delivery latency, its rejects). */
    void bindNotifier(Notifier notifier) {
        metrics.bind(new MonitorMeters(Clock.systemUTC()).notifier(notifier.deliveries(), notifier.rejects(), notifier.sinkNames()));
    }

    /** How many of the latest alerts the status page lists. */
    static final int STATUS_RECENT_ALERTS = 20;

    /**
     * Serves the status page ({@code /}, {@code /api/v1/status}) from now on, from a ledger the detector feeds at each
     * commit ({@link StatusFeed}).
     *
     * @param silences the maintenance windows the process knows, or {@code null}: none
     * @param access   the API's tokens and whether reads need one, or {@code null}: reads open
     */
    void serveStatusPage(DetectorService detector, MonitorConfig config, SilenceStore silences, ApiAccess access, Clock clock) {
        StatusFeed feed = new StatusFeed(new StatusLedger(config, STATUS_RECENT_ALERTS), silences, clock);
        detector.view().decisions(feed);
        server.page(new StatusPage(feed.ledger(), silences, access, clock).handler());
    }

    /** Serves the HTTP API ({@code /healthz}, {@code /readyz}, {@code /api/v1/}) on the server from now on. */
    void registerApi(org.hotlinemonitor.app.http.Api api) {
        server.api(api.handler());
    }

    MetricsServer server() {
        return server;
    }

    /** For the ready line: {@code metrics at http://HOST:PORT/metrics} ({@code https} with TLS). */
    String describe() {
        return "metrics at " + server.metricsUri();
    }

    /** The status page's address: {@code http://HOST:PORT/} ({@code https} with TLS). */
    java.net.URI statusPageUri() {
        return server.metricsUri().resolve("/");
    }

    /** The line that ends a live command's start: where to look. */
    String statusPageLine() {
        return "open the status page: " + statusPageUri();
    }

    /** For the ready line of a command that serves the API too. */
    String describeWithApi() {
        return describe() + ", API at " + server.metricsUri().resolve("/api/v1/channels");
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
    }
}
