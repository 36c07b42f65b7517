package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the one HTTP server answers, over real sockets: metrics on /metrics only, 404 elsewhere, HEAD where GET,
 * "starting" until the API is there, and every error a JSON body of ours, even for requests the server itself refuses.
 */
class ServerAnswersTest {

    TestServer t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    static JsonNode json(RawHttp.Reply r) throws Exception {
        assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/json");
        return ApiTest.JSON.readTree(r.body());
    }

    /** Our error JSON: the status again, and a message of ours (no server name, no HTML, no exception class). */
    static JsonNode problem(RawHttp.Reply r, int status) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode j = json(r);
        assertThat(j.get("status").asInt()).isEqualTo(status);
        assertThat(j.get("message").asText()).isNotBlank()
                .doesNotContainIgnoringCase("jetty").doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("<html");
        return j;
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> 404")
    @CsvSource({
            "GET, /", "GET, /favicon.ico", "DELETE, /etc/passwd", "POST, /metrics/", "GET, /metricsz", "PUT, /",
            "GET, /api/v1/nothing", "OPTIONS, /healthz/x", "HEAD, /index.html"})
    void unknownPathsAre404JsonWhateverTheMethod(String method, String path) throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi();
        RawHttp.Reply r = RawHttp.once(t.port(), method + " " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        assertThat(r.status()).isEqualTo(404);
        if (!method.equals("HEAD")) {
            assertThat(problem(r, 404).get("message").asText()).isEqualTo("no such resource: " + path);
            assertThat(r.body()).doesNotContain("# HELP");
        }
    }

    @Test
    void headIsAllowedWhereGetIsAndAnswersWithoutABody() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi();
        for (String path : new String[] {"/healthz", "/readyz", "/metrics", "/api/v1/channels", "/api/v1/channels/ship",
                "/api/v1/alerts?since=2023-04-07T00:00:00Z", "/api/v1/silences"}) {
            try (RawHttp c = new RawHttp(t.port())) {
                RawHttp.Reply get = c.exchange(TestServer.get(path), false);
                RawHttp.Reply head = c.exchange("HEAD " + path + " HTTP/1.1\r\nHost: t\r\n\r\n", true);
                assertThat(head.status()).as(path).isEqualTo(200).isEqualTo(get.status());
                assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
                assertThat(get.body()).as(path).isNotEmpty();
                // the same connection answers a GET next: had HEAD sent a body, this would read it as a status line
                assertThat(c.exchange(TestServer.get("/healthz"), false).status()).as(path).isEqualTo(200);
            }
        }
        RawHttp.Reply health = RawHttp.once(t.port(), "HEAD /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEmpty();
        RawHttp.Reply post = RawHttp.once(t.port(), "POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        assertThat(problem(post, 405).get("message").asText()).contains("allowed: GET, HEAD");
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(RawHttp.once(t.port(), "HEAD /api/v1/calls HTTP/1.1\r\nHost: t\r\n\r\n").header("Allow")).isEqualTo("POST");
    }

    @Test
    void untilTheApiIsThereReadyzIs503AndTheApiSaysStarting() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false);
        int port = t.port();
        RawHttp.Reply ready = RawHttp.once(port, TestServer.get("/readyz"));
        assertThat(ready.status()).isEqualTo(503);
        assertThat(json(ready).get("reasons").get(0).asText()).isEqualTo("the monitor is starting");
        RawHttp.Reply call = RawHttp.once(port, TestServer.call("{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}"));
        assertThat(problem(call, 503).get("message").asText()).contains("starting");
        assertThat(call.header("Retry-After")).isEqualTo("5");
        assertThat(RawHttp.once(port, TestServer.get("/api/v1/channels")).status()).isEqualTo(503);
        assertThat(RawHttp.once(port, TestServer.get("/healthz")).status()).as("alive while starting").isEqualTo(200);
        assertThat(RawHttp.once(port, TestServer.get("/metrics")).body()).contains("# HELP jvm_");
        assertThat(RawHttp.once(port, TestServer.get("/anything")).status()).isEqualTo(404);
        assertThat(t.published).isEmpty();

        t.registerApi();
        assertThat(RawHttp.once(port, TestServer.get("/readyz")).status()).isEqualTo(200);
        assertThat(RawHttp.once(port, TestServer.call("{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}")).status()).isEqualTo(202);
    }

    @Test
    void aServerWithoutApiAnswersOnlyMetrics() throws Exception {
        try (org.hotlinemonitor.app.metrics.Metrics metrics = new org.hotlinemonitor.app.metrics.Metrics();
             MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics.registry())) {
            assertThat(RawHttp.once(server.port(), TestServer.get("/metrics")).status()).isEqualTo(200);
            for (String path : new String[] {"/readyz", "/healthz", "/api/v1/channels", "/"}) {
                assertThat(problem(RawHttp.once(server.port(), TestServer.get(path)), 404).get("message").asText())
                        .isEqualTo("no such resource: " + path);
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // malformed %-escapes: in the path, where the server parses it, and where the API does
            "GET /%zz HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n",
            "GET /api/v1/channels/a%zz HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n",
            "GET /api/v1/channels/%C3%28 HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n",
            "GET /api/v1/alerts?since=%zz HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n",
            "GET /api/v1/alerts?since=2023-04-07T00:00:00Z&limit=1%2 HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n",
            // Content-Length that is not a length
            "POST /api/v1/calls HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: abc\\r\\n\\r\\n{}",
            "POST /api/v1/calls HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: -1\\r\\n\\r\\n{}",
            "POST /api/v1/calls HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 1e3\\r\\n\\r\\n{}",
            "POST /api/v1/calls HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\n{}",
            // a request line that is not one
            "GET /healthz HTTP/1.1 extra\\r\\nHost: t\\r\\n\\r\\n",
            "GET /healthz\\u0000 HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n",
    })
    void malformedRequestsAre400InOurJson(String request) throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi();
        String raw = request.replace("\\r\\n", "\r\n").replace("\\u0000", "\u0000");
        RawHttp.Reply r = RawHttp.once(t.port(), raw);
        System.out.printf("malformed request -> %d %s%n", r.status(), r.body());
        problem(r, 400);
        assertThat(t.published).isEmpty();
    }

    @Test
    void tooLargeHeadersAre431InOurJson() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi();
        problem(RawHttp.once(t.port(), "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n"), 431);
    }

    @Test
    void aPlusInATimestampParameterIsAnOffsetNotASpace() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi();
        RawHttp.Reply plus = RawHttp.once(t.port(), TestServer.get("/api/v1/alerts?since=2023-04-07T17:00:00+09:00&limit=5"));
        assertThat(plus.status()).as(plus.body()).isEqualTo(200);
        assertThat(json(plus).get("alerts").isArray()).isTrue();
        assertThat(RawHttp.once(t.port(), TestServer.get("/api/v1/alerts?since=2023-04-07T17:00:00%2B09:00")).status()).isEqualTo(200);
        JsonNode space = problem(RawHttp.once(t.port(), TestServer.get("/api/v1/alerts?since=2023-04-07T17:00:00%2009:00")), 400);
        assertThat(space.get("field").asText()).isEqualTo("since");
    }

    @Test
    void withProtectedReadsMetricsNeedAReadToken() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, true).registerApi();
        RawHttp.Reply anonymous = RawHttp.once(t.port(), TestServer.get("/metrics"));
        problem(anonymous, 401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(anonymous.body()).doesNotContain("hotline_").doesNotContain("# HELP");
        problem(RawHttp.once(t.port(), "GET /metrics HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer guess\r\n\r\n"), 401);
        RawHttp.Reply scraped = RawHttp.once(t.port(), "GET /metrics HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                + ApiTest.TOKEN + "\r\n\r\n");
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.body()).contains("# HELP jvm_");
        assertThat(RawHttp.once(t.port(), TestServer.get("/readyz")).status()).as("probes stay open").isEqualTo(200);
    }

    @Test
    void metricsAreTheSimpleclientTextWithItsNameFilterAndGzip() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi();
        RawHttp.Reply all = RawHttp.once(t.port(), TestServer.get("/metrics"));
        assertThat(all.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        RawHttp.Reply one = RawHttp.once(t.port(), TestServer.get("/metrics?name[]=jvm_threads_live_threads"));
        assertThat(one.body()).isEqualTo("# HELP jvm_threads_live_threads The current number of live threads including both daemon "
                + "and non-daemon threads\n# TYPE jvm_threads_live_threads gauge\njvm_threads_live_threads "
                + one.body().lines().skip(2).findFirst().orElseThrow().split(" ")[1] + "\n");
        RawHttp.Reply open = RawHttp.once(t.port(), "GET /metrics HTTP/1.1\r\nHost: t\r\nAccept: application/openmetrics-text\r\n\r\n");
        assertThat(open.header("Content-Type")).startsWith("application/openmetrics-text");
        assertThat(open.body()).endsWith("# EOF\n");
        RawHttp.Reply gz = RawHttp.once(t.port(), "GET /metrics HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
    }
}
