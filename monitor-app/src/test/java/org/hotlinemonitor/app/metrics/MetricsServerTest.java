package org.hotlinemonitor.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The HTTP server: /metrics over HTTP, other contexts on the same server, a taken port, close. */
class MetricsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsAndOtherContextsOnTheSameServerUntilClosed() throws Exception {
        URI metricsUri;
        try (Metrics metrics = new Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry())) {
            Counter.builder("hotline.test.things").description("Things counted by the test").baseUnit("things")
                    .register(metrics.registry()).increment(3);
            metricsUri = server.metricsUri();
            assertThat(metricsUri.toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");
            assertThat(server.port()).isPositive();

            HttpResponse<String> r = get(metricsUri);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(r.body()).contains("# HELP hotline_test_things_total Things counted by the test",
                    "# TYPE hotline_test_things_total counter", "hotline_test_things_total 3.0",
                    "jvm_memory_used_bytes{", "jvm_threads_live_threads ", "process_uptime_seconds ");

            // the HTTP API's way in: a handler asked first, which answers its paths and leaves the others
            server.api(new org.eclipse.jetty.server.Handler.Abstract() {
                @Override
                public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                      org.eclipse.jetty.util.Callback callback) {
                    if (!request.getHttpURI().getPath().equals("/healthz")) {
                        return false;
                    }
                    org.eclipse.jetty.io.Content.Sink.write(response, true, "ok", callback);
                    return true;
                }
            });
            HttpResponse<String> health = get(metricsUri.resolve("/healthz"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok");
            assertThat(get(metricsUri).body()).as("/metrics still served").contains("hotline_test_things_total 3.0");
            assertThat(get(metricsUri.resolve("/")).statusCode()).as("metrics on /metrics only").isEqualTo(404);
        }
        assertThatThrownBy(() -> get(metricsUri)).as("closed").isInstanceOf(ConnectException.class);
    }

    @Test
    void aTakenPortIsOneLineNamingTheOption() throws Exception {
        try (Metrics metrics = new Metrics(); ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> MetricsServer.start(null, port, metrics.registry()))
                    .isInstanceOf(MetricsServerException.class)
                    .hasMessage("port " + port + " is already in use (HTTP server for /metrics and the API); choose another with --http-port");
        }
    }
}
