package org.hotlinemonitor.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.hotlinemonitor.app.calls.OperatorRecord;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Silence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP API (docs/api.md): probes ({@code /healthz}, {@code /readyz}), channels, recording a call, recent
 * alerts, silences. {@link #handler} is its Jetty handler, for the server someone else owns
 * ({@code MetricsServer#api}, the one that serves {@code /metrics}); it also guards {@code /metrics} with the
 * {@code read} scope when reads are protected.
 *
 * <p>The decisions are pure and tested apart: routes ({@link Router}), access ({@link Auth}), request bodies
 * ({@link JsonBody}, {@link CallRequest}, {@link SilenceRequest}), queries and pages ({@link AlertQuery}, {@link Paging}),
 * channel JSON ({@link ChannelViews}).
 * This class reads requests (bodies at most {@link #MAX_BODY} bytes, else 413) and writes answers. It never logs a
 * request's headers or body (the {@code Authorization} header holds the token).
 *
 * <p>Thread-safety: requests run on the server's threads, any number at once. {@code POST /api/v1/calls} blocks its
 * thread until Kafka acknowledges (at most the publisher's time-out), and a body is read blocking (bounded by the
 * server's idle and body time-outs). The API closes nothing it is given.
 */
public final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The largest request body accepted (64 KiB); larger ones are answered 413. */
    public static final int MAX_BODY = 64 * 1024;

    /** How much of an oversized body is read and thrown away before answering 413 (1 MiB). */
    static final int DRAIN_LIMIT = 1024 * 1024;

    private final MonitorConfig config;
    private final ApiAccess access;
    private final DetectorView view;
    private final BooleanSupplier detectorRunning;
    private final BrokerProbe broker;
    private final CallPublisher calls;
    private final AlertLog alerts;
    private final SilenceStore silences;
    private final Clock clock;

    /**
     * @param config          the channels
     * @param access          the API's tokens and whether reads need one ({@link ApiAccess}), or {@code null}: reads open,
     *                        writes refused (403); not closed here
     * @param view            the detector's committed channel states ({@code DetectorService#view()})
     * @param detectorRunning whether the detector runs ({@code DetectorService::isRunning}), for {@code /readyz}
     * @param broker          whether the Kafka cluster answers, for {@code /readyz} ({@link BrokerProbe#admin})
     * @param calls           writes recorded calls to the events topic ({@link CallPublisher#kafka})
     * @param alerts          recent alerts ({@link AlertLog}, filled by an {@link AlertTail})
     * @param silences        the maintenance windows, shared with the notifier; API silences are written through its
     *                        journal (the silences topic) before the answer
     * @param clock           now: the default {@code ts} of a recorded call, whether a silence is active
     */
    public Api(MonitorConfig config, ApiAccess access, DetectorView view, BooleanSupplier detectorRunning, BrokerProbe broker,
               CallPublisher calls, AlertLog alerts, SilenceStore silences, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.access = access;
        this.view = Objects.requireNonNull(view, "view");
        this.detectorRunning = Objects.requireNonNull(detectorRunning, "detectorRunning");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The path of the metrics, which the API guards when reads are protected (and otherwise leaves to the server). */
    public static final String METRICS_PATH = "/metrics";

    /**
     * The API as a Jetty handler: it answers {@code /healthz}, {@code /readyz} and {@code /api/v1/...} (with a 404 of
     * its own under {@code /api/v1/}), refuses {@code /metrics} without a token of the {@code read} scope when reads are
     * protected, and returns {@code false} for every other request (the server's to answer).
     */
    public Handler handler() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return Api.this.handle(request, response, callback);
            }
        };
    }

    /** An answer of the API (and of the status page's JSON): a status, a JSON body or none, extra headers. */
    record Answer(int status, Object body, Map<String, String> headers) {
        static Answer json(int status, Object body) {
            return new Answer(status, body, Map.of());
        }
    }

    private boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        Answer answer;
        try {
            if (path.equals(METRICS_PATH)) {
                answer = metricsAccess(request);
                if (answer == null) {
                    return false;
                }
            } else if (!path.equals("/healthz") && !path.equals("/readyz") && !path.startsWith(Router.PREFIX)) {
                return false;
            } else {
                answer = answer(request, method, path);
            }
        } catch (ApiProblem p) {
            answer = Answer.json(p.status(), p.body());
        } catch (IOException e) {
            // the body could not be read: too slow (the server's time-outs) or the client went away
            LOG.debug("{} {}: body not read: {}", method, path, e.toString());
            answer = Answer.json(408, new ApiProblem(408, null, "the request body did not arrive in time").body());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            answer = Answer.json(500, new ApiProblem(500, null, "internal error").body());
        }
        write(response, callback, answer, declaresBody(request), method + " " + path);
        LOG.debug("{} {} -> {}", method, path, answer.status());
        return true;
    }

    /** Whether the request announces a body (a length above 0, or chunks). */
    private static boolean declaresBody(Request request) {
        HttpFields h = request.getHeaders();
        return h.contains(HttpHeader.TRANSFER_ENCODING) || h.getLongField(HttpHeader.CONTENT_LENGTH) > 0;
    }

    /**
     * Writes {@code answer}: its JSON body (none for 204 or a null body), {@code Cache-Control: no-store}, its headers; for
     * HEAD the headers only. {@code requestHasBody}: a refusal (4xx, 5xx) of a request that carries a body may come before
     * the body was read (401, 403, 413: not waiting for a body that may never come). Jetty then closes the connection
     * after the answer; saying so ({@code Connection: close}) keeps a client from sending its next request on a
     * connection that is closing (a keep-alive client would see it cut with no answer). {@code what} names the request
     * in the log.
     */
    static void write(Response response, Callback callback, Answer answer, boolean requestHasBody, String what) {
        byte[] bytes;
        try {
            bytes = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            LOG.error("{}: answer not serializable", what, e);
            answer = Answer.json(500, null);
            bytes = new byte[0];
        }
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        answer.headers().forEach(headers::put);
        if (answer.body() != null) {
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        }
        if (answer.status() != 204) {
            headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        }
        if (answer.status() >= 400 && requestHasBody) {
            headers.put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(bytes), callback); // for HEAD, the headers only
    }

    /** {@code null} when {@code /metrics} may be served; else the 401 or 403 (only when reads are protected). */
    private Answer metricsAccess(Request request) {
        Auth.Decision decision = Auth.decide(Scope.READ, request.getHeaders().get(HttpHeader.AUTHORIZATION), access);
        return decision instanceof Auth.Allowed ? null : refusal(decision);
    }

    /** The 405 of {@code method} where the route allows others, with its {@code Allow}. */
    static Answer notAllowed(String method, Router.MethodNotAllowed m) {
        return new Answer(405, new ApiProblem(405, null, method + " is not allowed here; allowed: " + String.join(", ", m.allowed())).body(),
                Map.of("Allow", String.join(", ", m.allowed())));
    }

    /** The 401 or 403 of a refused {@code decision}, with its {@code WWW-Authenticate} (RFC 6750). */
    static Answer refusal(Auth.Decision decision) {
        if (decision instanceof Auth.Unauthorized u) {
            return new Answer(401, new ApiProblem(401, null, u.message()).body(), Map.of("WWW-Authenticate",
                    "Bearer realm=\"hotline-monitor\"" + (u.error() == null ? "" : ", error=\"" + u.error() + "\"")));
        }
        Auth.Forbidden f = (Auth.Forbidden) decision;
        return new Answer(403, new ApiProblem(403, null, f.message()).body(), f.scope() == null ? Map.of()
                : Map.of("WWW-Authenticate", "Bearer realm=\"hotline-monitor\", error=\"insufficient_scope\", scope=\""
                        + f.scope().id() + "\""));
    }

    private Answer answer(Request request, String method, String path) throws ApiProblem, IOException {
        Router.Route route = Router.route(method, path);
        if (route instanceof Router.NotFound) {
            throw new ApiProblem(404, null, "no such resource: " + path);
        }
        if (route instanceof Router.BadPath b) {
            throw new ApiProblem(400, null, b.message());
        }
        if (route instanceof Router.MethodNotAllowed m) {
            return notAllowed(method, m);
        }
        Router.Match match = (Router.Match) route;
        Auth.Decision decision = Auth.decide(match.endpoint().scope(), request.getHeaders().get(HttpHeader.AUTHORIZATION), access);
        if (!(decision instanceof Auth.Allowed)) {
            return refusal(decision);
        }
        ApiToken token = ((Auth.Allowed) decision).token(); // null on open endpoints; never for writes
        return switch (match.endpoint()) {
            case HEALTH -> Answer.json(200, Map.of("status", "alive"));
            case READY -> ready();
            case CHANNELS -> channels(Paging.parse(query(request)));
            case CHANNEL -> channel(match.id());
            case RECORD_CALL -> recordCall(body(request), token.name());
            case ALERTS -> alerts(query(request));
            case SILENCES -> silences(Paging.parse(query(request)));
            case CREATE_SILENCE -> createSilence(body(request), token.name());
            case SILENCE -> Answer.json(200, silenceJson(silences.get(match.id())
                    .orElseThrow(() -> new ApiProblem(404, null, "no silence '" + match.id() + "'"))));
            case DELETE_SILENCE -> deleteSilence(match.id());
            // The status page's, answered by StatusPage, which the server asks before the API; never here but alone.
            case PAGE, PAGE_ASSET, STATUS -> throw new ApiProblem(404, null, "no status page in this process: " + path);
        };
    }

    /** Whether {@code /readyz} would answer 200 now: the Kafka cluster answers and the detector runs. May block up to the broker probe's time-out. */
    public boolean isReady() {
        return broker.problem().isEmpty() && detectorRunning.getAsBoolean();
    }

    private Answer ready() {
        List<String> reasons = new ArrayList<>();
        Optional<String> brokerProblem = broker.problem();
        brokerProblem.ifPresent(reasons::add);
        if (!detectorRunning.getAsBoolean()) {
            reasons.add("the detector is not running");
        }
        if (reasons.isEmpty()) {
            return Answer.json(200, Map.of("status", "ready"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "not ready");
        body.put("reasons", reasons);
        return Answer.json(503, body);
    }

    private Answer channel(String id) throws ApiProblem {
        Channel c = config.channel(id);
        if (c == null) {
            throw new ApiProblem(404, null, "unknown channel '" + id + "'");
        }
        return Answer.json(200, ChannelViews.json(c, view.channel(id).orElse(null), view.silentSince(id)));
    }

    /** A page of the configured channels, in the file's order. */
    private Answer channels(Paging paging) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channels", paging.of(config.channels()).stream()
                .map(c -> ChannelViews.json(c, view.channel(c.id()).orElse(null), view.silentSince(c.id()))).toList());
        body.put("total", config.channels().size());
        body.put("next", paging.next(Router.PREFIX + "channels", config.channels().size()));
        Map<String, Object> ourSide = new LinkedHashMap<>();
        ourSide.put("lastHeartbeat", instant(view.lastHeartbeat()));
        ourSide.put("silentSince", instant(view.ourSideSilentSince()));
        body.put("ourSide", ourSide);
        return Answer.json(200, body);
    }

    private static String instant(long epochMillis) {
        return epochMillis == Millis.NONE ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** @param source the token's name, the event's {@code source} */
    private Answer recordCall(byte[] body, String source) throws ApiProblem, IOException {
        Instant now = clock.instant();
        OperatorRecord.Result result = CallRequest.parse(body, config, source, now);
        ApiProblem late = CallRequest.late(result.event(), view.channel(result.event().channel()).orElse(null), now);
        if (late != null) {
            throw late;
        }
        CallPublisher.Written written;
        try {
            written = calls.publish(result.event());
        } catch (Exception e) {
            LOG.warn("a recorded call for {} was not written to Kafka: {}", result.event().channel(), e.toString());
            return new Answer(503, new ApiProblem(503, null, "not written to Kafka (" + e.getMessage()
                    + "); nothing is lost by retrying the same request").body(), Map.of("Retry-After", "5"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", JSON.readTree(EventWriter.toJson(result.event())));
        out.put("topic", written.topic());
        out.put("partition", written.partition());
        out.put("offset", written.offset());
        out.put("warnings", result.warnings());
        return Answer.json(202, out);
    }

    /**
     * A page of silences, in the store's order (the configuration's, then the API's as added). An offset into a list
     * that changes between requests can show a silence twice or skip one; docs/api.md says so.
     */
    private Answer silences(Paging paging) {
        List<SilenceStore.Entry> all = silences.entries();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("silences", paging.of(all).stream().map(this::silenceJson).toList());
        body.put("total", all.size());
        body.put("next", paging.next(Router.PREFIX + "silences", all.size()));
        return Answer.json(200, body);
    }

    private Answer alerts(Map<String, String> params) throws ApiProblem, JsonProcessingException {
        AlertQuery q = AlertQuery.parse(params);
        AlertLog.Page page = alerts.since(q.since(), q.after(), q.limit());
        List<Object> list = new ArrayList<>(page.alerts().size());
        for (Alert a : page.alerts()) {
            list.add(JSON.readTree(AlertCodec.toJson(a)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", list);
        out.put("more", page.more());
        out.put("complete", page.complete());
        Alert last = page.alerts().isEmpty() ? null : page.alerts().get(page.alerts().size() - 1);
        out.put("next", !page.more() ? null : Router.PREFIX + "alerts?since=" + Paging.encode(last.at().toString())
                + "&after=" + Paging.encode(last.id()) + "&limit=" + q.limit());
        return Answer.json(200, out);
    }

    /** @param createdBy the token's name */
    private Answer createSilence(byte[] body, String createdBy) throws ApiProblem {
        Instant now = clock.instant();
        SilenceRequest.Parsed request = SilenceRequest.parse(body, config, createdBy,
                () -> "s-" + UUID.randomUUID().toString().substring(0, 13), now);
        Silence s = request.silence();
        SilenceStore.Addition added;
        try {
            added = silences.add(s, request.createdBy(), now);
        } catch (SilenceStore.NotWritten e) {
            LOG.warn("silence {}: {}", s.id(), e.getMessage());
            return notWritten(e);
        }
        if (added == SilenceStore.Addition.EXISTS) {
            throw new ApiProblem(409, "id", "a silence with id '" + s.id() + "' exists");
        }
        if (added == SilenceStore.Addition.FULL) {
            long ended = silences.entries().stream()
                    .filter(e -> e.origin() == SilenceStore.Origin.API && e.silence().end() != null && !e.silence().end().isAfter(now))
                    .count();
            throw new ApiProblem(409, null, "too many silences: at most " + SilenceStore.MAX_API_SILENCES
                    + " added through the API, ended ones included (" + ended + " have ended); remove some "
                    + "(DELETE /api/v1/silences/{id}) first");
        }
        LOG.info("silence {} added through the API by {}", s.id(), request.createdBy());
        return new Answer(201, silenceJson(silences.get(s.id()).orElseThrow()), Map.of("Location", Router.PREFIX + "silences/" + s.id()));
    }

    private static Answer notWritten(SilenceStore.NotWritten e) {
        return new Answer(503, new ApiProblem(503, null, e.getMessage()
                + "; retry the same request (a 409 then means the write landed after all)").body(),
                Map.of("Retry-After", "5"));
    }

    private Answer deleteSilence(String id) throws ApiProblem {
        SilenceStore.Removal removal;
        try {
            removal = silences.remove(id);
        } catch (SilenceStore.NotWritten e) {
            LOG.warn("silence {}: {}", id, e.getMessage());
            return notWritten(e);
        }
        return switch (removal) {
            case REMOVED -> {
                LOG.info("silence {} removed through the API", id);
                yield new Answer(204, null, Map.of());
            }
            case NOT_FOUND -> throw new ApiProblem(404, null, "no silence '" + id + "'");
            case FROM_CONFIG -> throw new ApiProblem(409, null, "silence '" + id + "' comes from the configuration file; remove it there");
        };
    }

    private Map<String, Object> silenceJson(SilenceStore.Entry e) {
        Map<String, Object> m = SilenceRequest.json(e);
        m.put("activeNow", e.silence().activeAt(clock.instant()));
        return m;
    }

    /**
     * The body, at most {@link #MAX_BODY} bytes; 413 beyond; 415 when its declared charset is not UTF-8. A body announced (Content-Length) or found larger is
     * drained up to {@link #DRAIN_LIMIT} before the answer, so that the client, still sending, reads the 413 instead of
     * a broken connection; a larger announced one is answered at once.
     */
    private static byte[] body(Request request) throws ApiProblem, IOException {
        JsonBody.checkContentType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        // A malformed Content-Length never gets here: the server answers 400 (MetricsServer.JsonErrors).
        if (request.getLength() > DRAIN_LIMIT) {
            throw tooLarge();
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                byte[] discard = new byte[8192];
                long drained = 0;
                for (int n; drained < DRAIN_LIMIT && (n = in.read(discard)) >= 0; ) {
                    drained += n;
                }
                throw tooLarge();
            }
            return bytes;
        }
    }

    private static ApiProblem tooLarge() {
        return new ApiProblem(413, null, "request body larger than " + MAX_BODY + " bytes");
    }

    /**
     * The query's parameters, decoded: {@code %XX} escapes (UTF-8); a {@code +} stays a {@code +}, so that
     * {@code since=2023-04-07T17:00:00+09:00} need not be escaped. A malformed escape is a 400 naming the parameter.
     */
    private static Map<String, String> query(Request request) throws ApiProblem {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = request.getHttpURI().getQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawKey = eq < 0 ? pair : pair.substring(0, eq);
            String key;
            try {
                key = Router.decode(rawKey, false);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badField(rawKey, "parameter name: " + e.getMessage());
            }
            String value;
            try {
                value = eq < 0 ? "" : Router.decode(pair.substring(eq + 1), false);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badField(key, "parameter '" + key + "': " + e.getMessage());
            }
            if (params.put(key, value) != null) {
                throw ApiProblem.badField(key, "parameter '" + key + "' given twice");
            }
        }
        return params;
    }
}
