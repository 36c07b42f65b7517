package org.hotlinemonitor.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.status.StatusLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page (docs/api.md): {@code GET /} (HTML), its style and script ({@code /status.css}, {@code /status.js}),
 * bundled in the jar, and {@code GET /api/v1/status}, the JSON it polls ({@link StatusView}). The page's files are
 * open; the JSON is a read like the API's others: when reads are protected it needs a token with the {@code read} scope
 * ({@link Auth}), and the page then asks for one. HEAD like GET. Every other request is left to the next handler
 * ({@link #handler} returns {@code false}).
 *
 * <p>The page makes no request but to this server: its {@code Content-Security-Policy} says so to the browser too.
 *
 * <p>Thread-safe; reads only. Closes nothing it is given.
 */
public final class StatusPage {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);
    private static final String RESOURCES = "/org/hotlinemonitor/app/http/status/";
    /** Only this server: scripts, styles, fetches; no inline script; images only as data URLs (the empty favicon). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(byte[] bytes, String contentType) {
    }

    private final StatusLedger ledger;
    private final SilenceStore silences;
    private final ApiAccess access;
    private final Clock clock;
    private final Map<String, File> files = new LinkedHashMap<>();

    /**
     * @param silences the maintenance windows to list, or {@code null} when the process has none
     * @param access   the API's tokens and whether reads need one, or {@code null}: reads open
     * @param clock    the monitor's clock: "now" for the page
     */
    public StatusPage(StatusLedger ledger, SilenceStore silences, ApiAccess access, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.silences = silences;
        this.access = access;
        this.clock = Objects.requireNonNull(clock, "clock");
        files.put("", new File(resource("index.html"), "text/html; charset=utf-8"));
        files.put("status.css", new File(resource("status.css"), "text/css; charset=utf-8"));
        files.put("status.js", new File(resource("status.js"), "text/javascript; charset=utf-8"));
        if (!files.keySet().containsAll(Router.PAGE_ASSETS)) {
            throw new IllegalStateException("the router names page files this page does not have: " + Router.PAGE_ASSETS);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCES + name, e);
        }
    }

    /** The JSON of {@code /api/v1/status} now. */
    Map<String, Object> status() {
        return StatusView.json(ledger, silences == null ? List.of() : silences.entries(), clock.instant());
    }

    /** The page as a Jetty handler: answers its own paths, returns {@code false} for the others. */
    public Handler handler() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return StatusPage.this.handle(request, response, callback);
            }
        };
    }

    private boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (!path.equals("/") && !path.equals(Router.PREFIX + "status") && !(path.length() > 1 && Router.PAGE_ASSETS.contains(path.substring(1)))) {
            return false;
        }
        Router.Route route = Router.route(request.getMethod(), path);
        if (route instanceof Router.MethodNotAllowed m) {
            Api.write(response, callback, Api.notAllowed(request.getMethod(), m), false, request.getMethod() + " " + path);
            return true;
        }
        Router.Match match = (Router.Match) route;
        switch (match.endpoint()) {
            case PAGE, PAGE_ASSET -> {
                File f = files.get(match.id() == null ? "" : match.id());
                HttpFields.Mutable h = response.getHeaders();
                h.put(HttpHeader.CONTENT_TYPE, f.contentType());
                h.put(HttpHeader.CACHE_CONTROL, "no-cache");
                h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                h.put("X-Content-Type-Options", "nosniff");
                h.put(HttpHeader.CONTENT_LENGTH, f.bytes().length);
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(f.bytes()), callback); // for HEAD, the headers only
            }
            case STATUS -> {
                Auth.Decision decision = Auth.decide(Scope.READ, request.getHeaders().get(HttpHeader.AUTHORIZATION), access);
                Api.Answer answer = decision instanceof Auth.Allowed ? new Api.Answer(200, status(), Map.of()) : Api.refusal(decision);
                Api.write(response, callback, answer, false, request.getMethod() + " " + path);
            }
            default -> throw new IllegalStateException("not the status page's: " + match.endpoint());
        }
        LOG.debug("{} {} answered", request.getMethod(), path);
        return true;
    }
}
