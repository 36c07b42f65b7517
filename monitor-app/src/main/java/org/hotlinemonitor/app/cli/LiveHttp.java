package org.hotlinemonitor.app.cli;

import java.time.Clock;
import org.hotlinemonitor.app.kafka.DetectorService;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.metrics.MonitorMeters;
import org.hotlinemonitor.app.notify.Notifier;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * A live command's HTTP side: the metrics registry and the HTTP server that serves it at {@code /metrics}. Started
 * first, so that a taken port fails the command before Kafka starts; the command then binds what it runs.
 *
 * <p>The HTTP API goes on the same server: register its contexts in {@link #start} (see the comment there). Closed by
 * the command, after what it binds has stopped.
 */
final class LiveHttp implements AutoCloseable {

    private final Metrics metrics;
    private final MetricsServer server;

    private LiveHttp(Metrics metrics, MetricsServer server) {
        this.metrics = metrics;
        this.server = server;
    }

    /** Starts the server on the options' port ({@code defaultPort} if none given). */
    static LiveHttp start(HttpOptions options, picocli.CommandLine commandLine, int defaultPort) {
        int port = options.port(commandLine, defaultPort);
        javax.net.ssl.SSLContext tls = options.tls(commandLine);
        Metrics metrics = new Metrics();
        try {
            MetricsServer server = MetricsServer.start(options.host(), port, metrics.registry(), tls);
            // The HTTP API joins this server once its Kafka clients exist: registerApi.
            return new LiveHttp(metrics, server);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The detector's meters (channels, slots, events, alerts, rejects, watermark lag) and its streams client's. */
    void bindDetector(DetectorService detector, MonitorConfig config, Clock clock) {
        metrics.bind(new MonitorMeters(clock).detector(detector.view(), detector.rejects(), config));
    }

    /** The detector's Kafka Streams client's metrics; once it has started. */
    void bindDetectorClient(DetectorService detector) {
        if (detector.streams() != null) {
            metrics.bindKafkaStreams(detector.streams());
        }
    }

    /** The scheduler's Kafka producer's metrics. */
    void bindProducer(org.hotlinemonitor.app.kafka.Producer producer) {
        metrics.bindKafkaProducer(producer.kafkaProducer());
    }

    /** The notifier's meters (deliveries by sink and result, delivery latency, its rejects). */
    void bindNotifier(Notifier notifier) {
        metrics.bind(new MonitorMeters(Clock.systemUTC()).notifier(notifier.deliveries(), notifier.rejects(), notifier.sinkNames()));
    }

    /** Adds the HTTP API's contexts ({@code /healthz}, {@code /readyz}, {@code /api/v1/}) to the server. */
    void registerApi(org.hotlinemonitor.app.http.Api api) {
        api.register(server.httpServer());
    }

    MetricsServer server() {
        return server;
    }

    /** For the ready line: {@code metrics at http://HOST:PORT/metrics} ({@code https} with TLS). */
    String describe() {
        return "metrics at " + server.metricsUri();
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
