package org.hotlinemonitor.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian package {@code prometheus}) on a free loopback port, its data and log in a directory the
 * caller owns (a test's temporary directory), with the scrape configuration given; stopped by {@link #close()}.
 * Queries go through its HTTP API, as Grafana's would.
 */
public final class RealPrometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);

    private final Process process;
    private final URI base;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RealPrometheus(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Starts Prometheus with {@code config} (the text of a prometheus.yml) and waits until {@code /-/ready} answers
     * 200. Fails naming the log when it exits or is not ready within a minute.
     */
    public static RealPrometheus start(Path binary, Path dir, String config) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RealPrometheus p = new RealPrometheus(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            p.awaitReady();
            return p;
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus not ready within " + START + ":\n" + log());
    }

    /** Its HTTP API's base, {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return base;
    }

    /**
     * {@code GET /api/v1/query} at {@code time}: the whole answer ({@code status}, {@code data} or
     * {@code errorType}/{@code error}), whatever the HTTP status (Prometheus answers 400 or 422 for a bad query).
     */
    public JsonNode query(String promql, Instant time) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + enc(promql) + "&time=" + seconds(time));
    }

    /** {@code GET /api/v1/query_range} from {@code start} to {@code end} every {@code step}: the whole answer. */
    public JsonNode queryRange(String promql, Instant start, Instant end, Duration step)
            throws IOException, InterruptedException {
        return get("/api/v1/query_range?query=" + enc(promql) + "&start=" + seconds(start) + "&end=" + seconds(end)
                + "&step=" + step.toMillis() / 1000.0);
    }

    /** {@code GET path} on the API, its body as JSON. */
    public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IOException("not JSON from " + pathAndQuery + " (HTTP " + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** Prometheus' log so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant t) {
        return String.valueOf(t.toEpochMilli() / 1000.0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
