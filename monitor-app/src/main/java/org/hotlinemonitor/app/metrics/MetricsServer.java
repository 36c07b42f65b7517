package org.hotlinemonitor.app.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Predicate;
import io.prometheus.client.SampleNameFilter;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's one HTTP server (Jetty, without servlets): {@code /metrics} from a Micrometer registry, and, once
 * {@link #api(Handler) given}, the probes ({@code /healthz}, {@code /readyz}) and the HTTP API ({@code /api/v1/}),
 * and once {@link #page(Handler) given}, the status page ({@code /}, {@code /api/v1/status}).
 * Every other path is 404, every error a JSON body of ours ({@code {"status":404,"message":"..."}}), never a page of
 * the server's.
 *
 * <p>With an {@link SSLContext} every path, {@code /metrics} included, is HTTPS only.
 *
 * <p>Against slow and hostile clients ({@link Limits}): connections are read by a selector, so an idle or half-sent
 * request holds no thread; a connection that sends nothing for {@link Limits#idleTimeout} is closed, and a body not
 * received within {@link Limits#bodyTimeout} of the request's headers is refused (408); requests run on a pool of at most
 * {@link Limits#maxThreads}; at most {@link Limits#maxConnections} connections are open at once (beyond that the
 * server stops accepting until one closes: an idle one after its time-out, one with a half-sent request after
 * twice that, as Jetty answers it 408 first). The
 * pool's queue is bounded by the connection limit: HTTP/1.1 has one request in flight per connection. Sockets have
 * TCP_NODELAY.
 *
 * <p>Before the API is given, a server {@link #start started} for a command that serves one answers {@code /healthz}
 * 200, {@code /readyz} 503 ("starting") and {@code /api/v1/...} 503 with {@code Retry-After}; a server for a command
 * without API answers those paths 404.
 *
 * <p>Thread-safe. Whoever starts it closes it; closing stops the server at once (requests in flight are dropped), not
 * the registry.
 */
@SuppressWarnings("deprecation") // the simpleclient registry is deprecated upstream in favour of prometheus-metrics
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    /** The default port, that of {@code --http-port}. */
    public static final int DEFAULT_PORT = 9400;

    /** The only path of the metrics. */
    public static final String METRICS_PATH = "/metrics";

    /**
     * The server's limits.
     *
     * @param idleTimeout            a connection that sends nothing (no byte of a request line, header or body) for this
     *                               long is closed; also the longest a handler waits for the next bytes of a body
     * @param bodyTimeout            a request body must be received within this long of the request's headers; a slower
     *                               one is refused 408 (at the next bytes it sends, or at the idle time-out) and its
     *                               connection closed
     * @param maxConnections         connections open at once; beyond, new ones wait in the listen backlog
     * @param maxThreads             threads that run requests (and Jetty's selector and acceptor)
     * @param maxHeaderBytes         the request line and headers, at most; beyond, 431
     */
    public record Limits(Duration idleTimeout, Duration bodyTimeout, int maxConnections, int maxThreads, int maxHeaderBytes) {

        /** 10 s idle, bodies within 10 s, 2,000 connections, 64 threads, 8 KiB headers. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), 2000, 64, 8192);

        public Limits {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
            }
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
            if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
                throw new IllegalArgumentException("bodyTimeout must be positive, was " + bodyTimeout);
            }
            if (maxConnections < 1 || maxThreads < 8 || maxHeaderBytes < 1024) {
                throw new IllegalArgumentException("maxConnections >= 1, maxThreads >= 8, maxHeaderBytes >= 1024; was "
                        + maxConnections + ", " + maxThreads + ", " + maxHeaderBytes);
            }
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final CollectorRegistry registry;
    /** Run before each scrape of /metrics, in order: binders that bring their meters up to the moment. */
    private final List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final boolean tls;
    private final boolean apiExpected;
    private volatile Handler api;
    private volatile Handler page;

    private MetricsServer(Server server, ServerConnector connector, CollectorRegistry registry, boolean tls, boolean apiExpected) {
        this.server = server;
        this.connector = connector;
        this.registry = registry;
        this.tls = tls;
        this.apiExpected = apiExpected;
    }

    /** As {@link #start(String, int, PrometheusMeterRegistry, SSLContext, boolean, Limits)}: plain HTTP, no API, the default limits. */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry) {
        return start(host, port, registry, null, false, Limits.DEFAULT);
    }

    /** As {@link #start(String, int, PrometheusMeterRegistry, SSLContext, boolean, Limits)}, with the default limits. */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry, SSLContext tls, boolean apiExpected) {
        return start(host, port, registry, tls, apiExpected, Limits.DEFAULT);
    }

    /**
     * Starts serving on {@code host} (null or empty: every interface) and {@code port} (0: any free port).
     *
     * @param tls         the server's TLS identity ({@code TlsFiles#serverContext}): HTTPS only; or {@code null}: plain HTTP
     * @param apiExpected whether an API will be {@link #api given}: until then the probes and the API's paths say
     *                    "starting" instead of 404
     * @throws MetricsServerException when the port is taken or the address cannot be bound; one line, naming
     *                                {@code --http-port}
     */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry, SSLContext tls, boolean apiExpected,
                                      Limits limits) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        QueuedThreadPool pool = new QueuedThreadPool(limits.maxThreads(), 4, 60_000);
        pool.setName("http");
        pool.setDaemon(true);
        Server server = new Server(pool, new ScheduledExecutorScheduler("http-timeouts", true), null);
        server.setStopTimeout(0); // close drops what is in flight, as a stopping monitor should not wait on a slow client

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server, 1, 1, plain);
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, plain.getProtocol()), plain);
        }
        connector.setHost(host == null || host.isEmpty() ? null : host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptedTcpNoDelay(true);
        connector.setAcceptQueueSize(512); // the listen backlog: a burst of connections waits there instead of SYN retries
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
        server.setErrorHandler(new JsonErrors());

        MetricsServer s = new MetricsServer(server, connector, registry.getPrometheusRegistry(), tls != null, apiExpected);
        server.setHandler(s.new Root(limits.bodyTimeout()));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new MetricsServerException("port " + port + " is already in use (HTTP server for /metrics and the API"
                        + (host == null || host.isEmpty() ? "" : ", on " + host) + "); choose another with --http-port", e);
            }
            throw new MetricsServerException("cannot start the HTTP server on " + (host == null ? "*" : host) + ":" + port + ": "
                    + e.getMessage(), e);
        }
        LOG.debug("HTTP server on {}: metrics at {}", s.address(), s.metricsUri());
        return s;
    }

    /**
     * Serves the probes and the API with {@code handler} from now on. It is asked first, for every request: it answers
     * its own paths (and may refuse a {@code /metrics} request, for access) and returns {@code false} for the others.
     */
    public void api(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        start(handler, "the API's");
        this.api = handler;
    }

    /**
     * Serves the status page with {@code handler} from now on ({@code StatusPage}). It is asked first, before the API,
     * for every request: it answers its own paths ({@code /}, its files, {@code /api/v1/status}) and returns
     * {@code false} for the others.
     */
    public void page(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        start(handler, "the status page's");
        this.page = handler;
    }

    private void start(Handler handler, String whose) {
        if (!handler.isStarted()) {
            try {
                handler.setServer(server);
                handler.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start " + whose + " handler", e);
            }
        }
    }

    /** The port it listens on (the one chosen when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    private InetSocketAddress address() {
        try {
            return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server's address", e);
        }
    }

    /**
     * Where to scrape: {@code http://HOST:PORT/metrics} ({@code https} with TLS), HOST the bound address, or
     * {@code localhost} if wildcard.
     */
    public URI metricsUri() {
        InetAddress a = address().getAddress();
        String host;
        if (a.isAnyLocalAddress()) {
            host = "localhost";
        } else {
            host = a.getHostAddress();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port() + METRICS_PATH);
    }

    /** Stops the server and its threads. Idempotent. */
    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
    }

    /** Routes a request: the status page first, then the API, then {@code /metrics}, then "starting" or 404. */
    private final class Root extends Handler.Abstract {
        private final Duration bodyTimeout;

        Root(Duration bodyTimeout) {
            this.bodyTimeout = bodyTimeout;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            request = new BodyDeadline(request, bodyTimeout);
            Handler p = page;
            if (p != null && p.handle(request, response, callback)) {
                return true;
            }
            Handler a = api;
            if (a != null && a.handle(request, response, callback)) {
                return true;
            }
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            boolean read = method.equals("GET") || method.equals("HEAD");
            if (path.equals(METRICS_PATH)) {
                if (!read) {
                    writeJson(response, callback, 405, problem(405, method + " is not allowed here; allowed: GET, HEAD"),
                            Map.of("Allow", "GET, HEAD"));
                } else {
                    scrape(request, response, callback);
                }
                return true;
            }
            if (a == null && apiExpected && (path.equals("/healthz") || path.equals("/readyz") || path.startsWith("/api/"))) {
                starting(path, method, read, response, callback);
                return true;
            }
            writeJson(response, callback, 404, problem(404, "no such resource: " + path), Map.of());
            return true;
        }
    }

    /**
     * A request whose body must be read by a deadline: past it, a read gives a failure (an {@link IOException} from
     * the request's input stream). Checked at every read, so a body dribbled in a byte at a time is cut off at the
     * deadline, and one that stops coming at the idle time-out.
     */
    private static final class BodyDeadline extends Request.Wrapper {
        private final long deadline;
        private final Duration timeout;

        BodyDeadline(Request request, Duration timeout) {
            super(request);
            this.timeout = timeout;
            this.deadline = request.getHeadersNanoTime() + timeout.toNanos();
        }

        @Override
        public Content.Chunk read() {
            if (System.nanoTime() - deadline > 0) {
                return Content.Chunk.from(new TimeoutException("request body not received within " + timeout));
            }
            return super.read();
        }
    }

    private static void starting(String path, String method, boolean read, Response response, Callback callback) {
        if (!path.startsWith("/api/") && !read) {
            writeJson(response, callback, 405, problem(405, method + " is not allowed here; allowed: GET, HEAD"), Map.of("Allow", "GET, HEAD"));
        } else if (path.equals("/healthz")) {
            writeJson(response, callback, 200, Map.of("status", "alive"), Map.of());
        } else if (path.equals("/readyz")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "not ready");
            body.put("reasons", List.of("the monitor is starting"));
            writeJson(response, callback, 503, body, Map.of());
        } else {
            writeJson(response, callback, 503, problem(503, "the monitor is starting; retry in a few seconds"), Map.of("Retry-After", "5"));
        }
    }

    /**
     * Runs {@code hook} before each scrape of {@code /metrics} from now on (e.g. {@link MonitorMeters#beforeScrape}),
     * on the scraping thread: keep it in proportion to what the scrape writes.
     */
    public void beforeScrape(Runnable hook) {
        beforeScrape.add(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * The Prometheus text, as simpleclient's exporter wrote it: the format the {@code Accept} header asks for (text
     * 0.0.4, or OpenMetrics), only the families named by {@code name[]} parameters if any, gzip when accepted.
     */
    private void scrape(Request request, Response response, Callback callback) throws IOException {
        for (Runnable hook : beforeScrape) {
            hook.run();
        }
        String contentType = TextFormat.chooseContentType(request.getHeaders().get(HttpHeader.ACCEPT));
        ByteArrayOutputStream text = new ByteArrayOutputStream(1 << 16);
        try (Writer w = new OutputStreamWriter(text, StandardCharsets.UTF_8)) {
            Set<String> names = names(request.getHttpURI().getQuery());
            Predicate<String> filter = SampleNameFilter.restrictToNamesEqualTo(null, names);
            TextFormat.writeFormat(contentType, w, filter == null ? registry.metricFamilySamples() : registry.filteredMetricFamilySamples(filter));
        }
        byte[] body = text.toByteArray();
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, contentType);
        if (acceptsGzip(request.getHeaders())) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 64);
            try (OutputStream gz = new GZIPOutputStream(zipped)) {
                gz.write(body);
            }
            body = zipped.toByteArray();
            headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap(body), callback); // nothing is sent for HEAD
    }

    private static boolean acceptsGzip(HttpFields headers) {
        for (String value : headers.getValuesList(HttpHeader.ACCEPT_ENCODING)) {
            for (String encoding : value.split(",")) {
                String e = encoding.trim();
                int semicolon = e.indexOf(';');
                if ((semicolon < 0 ? e : e.substring(0, semicolon).trim()).equalsIgnoreCase("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The values of {@code name[]} in a raw query; a malformed escape makes the pair count for nothing. */
    private static Set<String> names(String rawQuery) {
        Set<String> names = new HashSet<>();
        if (rawQuery == null) {
            return names;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            try {
                if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals("name[]")) {
                    names.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException e) {
                // not a name we could have
            }
        }
        return names;
    }

    static Map<String, Object> problem(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("message", message);
        return m;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialize", e);
        }
    }

    private static void writeJson(Response response, Callback callback, int status, Object body, Map<String, String> extra) {
        byte[] bytes = json(body);
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        extra.forEach(headers::put);
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * The answer to what the server refuses before any handler sees it (a malformed request line, escape or
     * {@code Content-Length}, headers too large, a body too slow) and to a handler's failure: our JSON, in our words.
     */
    static final class JsonErrors extends ErrorHandler {

        static String message(int status) {
            return switch (status) {
                case 400 -> "malformed request: check the request line, the %-escapes of the path, the headers and Content-Length";
                case 408 -> "the request did not arrive in time";
                case 413 -> "request body too large";
                case 414 -> "request URI too long";
                case 431 -> "request headers too large";
                case 500 -> "internal error";
                case 501 -> "not implemented";
                case 503 -> "the server is busy; retry in a few seconds";
                case 505 -> "HTTP version not supported; use HTTP/1.1";
                default -> "request refused (HTTP " + status + ")";
            };
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
            if (status < 400) {
                status = 500;
            }
            writeJson(response, callback, status, problem(status, message(status)), Map.of());
            return true;
        }

    }
}
