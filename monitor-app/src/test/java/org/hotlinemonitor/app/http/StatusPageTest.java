package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.status.StatusLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status page over real sockets, on the server as {@code run} has it (page, API, metrics): its files, HEAD like GET,
 * the JSON as a read (open, or with a {@code read} token when reads are protected), and the paths around it unchanged.
 */
class StatusPageTest {

    TestServer t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    static StatusLedger ledger() {
        StatusLedger ledger = new StatusLedger(ApiTest.CONFIG, 10);
        ledger.verdict(ApiTest.CONFIG.channels().get(0).id(), Instant.parse("2023-04-07T00:00:00Z"), Verdict.ANSWERED, null, false);
        return ledger;
    }

    @Test
    void servesThePageItsFilesAndTheStatusWithHeadLikeGet() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi().registerPage(ledger());
        RawHttp.Reply page = RawHttp.once(t.port(), TestServer.get("/"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(StatusPage.CONTENT_SECURITY_POLICY).contains("connect-src 'self'");
        assertThat(page.body()).contains("<title>Hotline status</title>", "src=\"/status.js\"", "href=\"/status.css\"")
                .doesNotContain("http://", "https://");
        RawHttp.Reply js = RawHttp.once(t.port(), TestServer.get("/status.js"));
        assertThat(js.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("fetch('/api/v1/status'").doesNotContain("http://", "https://");
        RawHttp.Reply css = RawHttp.once(t.port(), TestServer.get("/status.css"));
        assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(css.body()).doesNotContain("url(", "@import");

        RawHttp.Reply status = RawHttp.once(t.port(), TestServer.get("/api/v1/status"));
        JsonNode s = ServerAnswersTest.json(status);
        assertThat(status.header("Cache-Control")).isEqualTo("no-store");
        assertThat(s.get("now").asText()).isEqualTo(ApiTest.NOW.toString());
        assertThat(s.get("channels")).hasSize(ApiTest.CONFIG.channels().size());
        assertThat(s.get("channels").get(0).get("state").asText()).isEqualTo("up");

        for (String path : new String[] {"/", "/status.js", "/api/v1/status"}) {
            RawHttp.Reply head = RawHttp.once(t.port(), "HEAD " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
            RawHttp.Reply get = RawHttp.once(t.port(), TestServer.get(path));
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.header("Content-Length")).as(path).isEqualTo(String.valueOf(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        }
        RawHttp.Reply post = RawHttp.once(t.port(), "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        ServerAnswersTest.problem(post, 405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void unknownPathsStay404AndMetricsStayMetrics() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, false).registerApi().registerPage(ledger());
        for (String path : new String[] {"/index.html", "/favicon.ico", "/status", "/status.css/x", "/api/v1/status/x", "/api/v1/nothing"}) {
            ServerAnswersTest.problem(RawHttp.once(t.port(), TestServer.get(path)), 404);
        }
        RawHttp.Reply metrics = RawHttp.once(t.port(), TestServer.get("/metrics"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("# HELP").doesNotContain("<html", "\"channels\"");
        assertThat(RawHttp.once(t.port(), TestServer.get("/api/v1/channels")).status()).isEqualTo(200);
    }

    @Test
    void whenReadsAreProtectedThePageLoadsAndItsStatusNeedsAReadToken() throws Exception {
        t = new TestServer(MetricsServer.Limits.DEFAULT, true).registerApi().registerPage(ledger());
        assertThat(RawHttp.once(t.port(), TestServer.get("/")).status()).isEqualTo(200);
        assertThat(RawHttp.once(t.port(), TestServer.get("/status.js")).status()).isEqualTo(200);
        RawHttp.Reply refused = RawHttp.once(t.port(), TestServer.get("/api/v1/status"));
        assertThat(ServerAnswersTest.problem(refused, 401).get("message").asText()).contains("Authorization: Bearer");
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer realm=\"hotline-monitor\"");
        RawHttp.Reply wrong = RawHttp.once(t.port(), "GET /api/v1/status HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer nope\r\n\r\n");
        assertThat(ServerAnswersTest.problem(wrong, 401).get("message").asText()).contains("not valid");
        RawHttp.Reply allowed = RawHttp.once(t.port(), "GET /api/v1/status HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                + ApiTest.TOKEN + "\r\n\r\n");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(ServerAnswersTest.json(allowed).get("channels")).isNotEmpty();
    }
}
