package org.hotlinemonitor.app.metrics;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's HTTP server: a JDK {@link HttpServer} on which the Prometheus simpleclient's {@link HTTPServer} serves
 * {@code /metrics} (also {@code /} and {@code /-/healthy}, as simpleclient does) from a Micrometer registry. Other
 * handlers (the HTTP API) add their contexts on the same server through {@link #httpServer()}: more specific paths
 * win over simpleclient's {@code /}.
 *
 * <p>With an {@link SSLContext} it is an {@link HttpsServer}: every path, {@code /metrics} included, is then HTTPS only
 * (a plain HTTP request to the port fails its handshake and is dropped).
 *
 * <p>Requests are served by simpleclient's pool of five daemon threads. Whoever starts it closes it; closing stops
 * the server at once (requests in flight are dropped), not the registry.
 */
@SuppressWarnings("deprecation") // the simpleclient registry is deprecated upstream in favour of prometheus-metrics
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    /** The default port, that of {@code --http-port}. */
    public static final int DEFAULT_PORT = 9400;

    private final HttpServer server;
    private final HTTPServer prometheus;
    private boolean closed;

    private final boolean tls;

    private MetricsServer(HttpServer server, HTTPServer prometheus, boolean tls) {
        this.server = server;
        this.prometheus = prometheus;
        this.tls = tls;
    }

    /** As {@link #start(String, int, PrometheusMeterRegistry, SSLContext)}, plain HTTP. */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry) {
        return start(host, port, registry, null);
    }

    /**
     * Starts serving on {@code host} (null or empty: every interface) and {@code port} (0: any free port).
     *
     * @param tls the server's TLS identity ({@code TlsFiles#serverContext}): HTTPS only; or {@code null}: plain HTTP
     * @throws MetricsServerException when the port is taken or the address cannot be bound; one line, naming
     *                                {@code --http-port}
     */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry, SSLContext tls) {
        Objects.requireNonNull(registry, "registry");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        InetSocketAddress address = host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        HttpServer server;
        try {
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (BindException e) {
            throw new MetricsServerException("port " + port + " is already in use (HTTP server for /metrics and the API"
                    + (host == null || host.isEmpty() ? "" : ", on " + host) + "); choose another with --http-port", e);
        } catch (IOException e) {
            throw new MetricsServerException("cannot start the HTTP server on " + address + ": " + e.getMessage(), e);
        }
        try {
            HTTPServer prometheus = new HTTPServer.Builder()
                    .withHttpServer(server)
                    .withRegistry(registry.getPrometheusRegistry())
                    .withDaemonThreads(true)
                    .build();
            MetricsServer s = new MetricsServer(server, prometheus, tls != null);
            LOG.debug("HTTP server on {}: metrics at {}", server.getAddress(), s.metricsUri());
            return s;
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            throw new MetricsServerException("cannot start the HTTP server on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The JDK server, for more contexts ({@code Api.register(server)}); started; do not stop it, close this. */
    public HttpServer httpServer() {
        return server;
    }

    /** The port it listens on (the one chosen when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Where to scrape: {@code http://HOST:PORT/metrics} ({@code https} with TLS), HOST the bound address, or
     * {@code localhost} if wildcard.
     */
    public URI metricsUri() {
        InetAddress a = server.getAddress().getAddress();
        String host;
        if (a.isAnyLocalAddress()) {
            host = "localhost";
        } else {
            host = a.getHostAddress();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port() + "/metrics");
    }

    /** Stops the server (its contexts with it) and its threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            prometheus.close();
        }
    }
}
