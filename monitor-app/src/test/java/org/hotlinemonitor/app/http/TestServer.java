package org.hotlinemonitor.app.http;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Secret;

/**
 * The monitor's HTTP server on a free loopback port, with the API of {@link ApiTest}'s configuration (Kafka replaced
 * by a list, the detector by an empty view) once {@link #registerApi} is called: the server as {@code run} has it.
 */
final class TestServer implements AutoCloseable {

    final Metrics metrics = new Metrics();
    final MetricsServer server;
    final List<CallEvent> published = new CopyOnWriteArrayList<>();
    final AtomicBoolean detectorRunning = new AtomicBoolean(true);
    private final ApiAccess access;

    TestServer(MetricsServer.Limits limits, boolean protectReads) {
        access = ApiAccess.single(new Secret("HOTLINE_API_TOKEN", ApiTest.TOKEN), protectReads);
        server = MetricsServer.start("127.0.0.1", 0, metrics.registry(), null, true, limits);
    }

    TestServer registerApi() {
        Api api = new Api(ApiTest.CONFIG, access, new DetectorView(), detectorRunning::get, java.util.Optional::empty,
                event -> {
                    published.add(event);
                    return new CallPublisher.Written("hotline.events", 0, published.size() - 1);
                }, new AlertLog(10), new SilenceStore(List.of()), Clock.fixed(ApiTest.NOW, ZoneOffset.UTC));
        server.api(api.handler());
        return this;
    }

    /** Serves the status page as {@code run} does, over {@code ledger}, with this server's access and no silences. */
    TestServer registerPage(org.hotlinemonitor.core.status.StatusLedger ledger) {
        server.page(new StatusPage(ledger, new SilenceStore(List.of()), access, Clock.fixed(ApiTest.NOW, ZoneOffset.UTC)).handler());
        return this;
    }

    int port() {
        return server.port();
    }

    static String call(String body) {
        return "POST /api/v1/calls HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + ApiTest.TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
        access.close();
    }
}
