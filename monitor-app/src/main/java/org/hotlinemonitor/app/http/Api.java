package org.hotlinemonitor.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
import org.hotlinemonitor.app.kafka.DetectorView;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.app.schedule.OperatorRecord;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.Silence;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP API (docs/api.md), on the JDK's {@link HttpServer}: probes ({@code /healthz}, {@code /readyz}),
 * channels, recording a call, recent alerts, silences. {@link #register} adds its contexts to a server someone else
 * owns (the one that serves {@code /metrics}).
 *
 * <p>The decisions are pure and tested apart: routes ({@link Router}), access ({@link Auth}), request bodies
 * ({@link CallRequest}, {@link SilenceRequest}), queries ({@link AlertQuery}), channel JSON ({@link ChannelViews}).
 * This class reads requests (bodies at most {@link #MAX_BODY} bytes, else 413) and writes answers. It never logs a
 * request's headers or body (the {@code Authorization} header holds the token).
 *
 * <p>Thread-safety: handlers run on the server's executor, any number at once. {@code POST /api/v1/calls} blocks its
 * thread until Kafka acknowledges (at most the publisher's time-out): give the server an executor with a few
 * threads, or a slow broker holds up {@code /metrics} too. The API closes nothing it is given.
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

    /** Adds the API's contexts ({@code /healthz}, {@code /readyz}, {@code /api/v1/}) to {@code server}. */
    public void register(HttpServer server) {
        server.createContext("/healthz", this::handle);
        server.createContext("/readyz", this::handle);
        server.createContext(Router.PREFIX, this::handle);
    }

    private record Answer(int status, Object body, Map<String, String> headers) {
        static Answer json(int status, Object body) {
            return new Answer(status, body, Map.of());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Answer answer;
        try {
            answer = answer(exchange, method, path);
        } catch (ApiProblem p) {
            answer = Answer.json(p.status(), p.body());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            answer = Answer.json(500, new ApiProblem(500, null, "internal error").body());
        }
        try (exchange) {
            byte[] bytes = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (answer.body() != null) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
        LOG.debug("{} {} -> {}", method, path, answer.status());
    }

    private Answer answer(HttpExchange exchange, String method, String path) throws ApiProblem, IOException {
        Router.Route route = Router.route(method, path);
        if (route instanceof Router.NotFound) {
            throw new ApiProblem(404, null, "no such resource: " + path);
        }
        if (route instanceof Router.MethodNotAllowed m) {
            return new Answer(405, new ApiProblem(405, null, method + " is not allowed here; allowed: " + String.join(", ", m.allowed())).body(),
                    Map.of("Allow", String.join(", ", m.allowed())));
        }
        Router.Match match = (Router.Match) route;
        Auth.Decision decision = Auth.decide(match.endpoint().scope(), exchange.getRequestHeaders().getFirst("Authorization"), access);
        if (decision instanceof Auth.Unauthorized u) {
            return new Answer(401, new ApiProblem(401, null, u.message()).body(), Map.of("WWW-Authenticate",
                    "Bearer realm=\"hotline-monitor\"" + (u.error() == null ? "" : ", error=\"" + u.error() + "\"")));
        }
        if (decision instanceof Auth.Forbidden f) {
            return new Answer(403, new ApiProblem(403, null, f.message()).body(), f.scope() == null ? Map.of()
                    : Map.of("WWW-Authenticate", "Bearer realm=\"hotline-monitor\", error=\"insufficient_scope\", scope=\""
                            + f.scope().id() + "\""));
        }
        ApiToken token = ((Auth.Allowed) decision).token(); // null on open endpoints; never for writes
        return switch (match.endpoint()) {
            case HEALTH -> Answer.json(200, Map.of("status", "alive"));
            case READY -> ready();
            case CHANNELS -> channels();
            case CHANNEL -> channel(match.id());
            case RECORD_CALL -> recordCall(body(exchange), token.name());
            case ALERTS -> alerts(query(exchange));
            case SILENCES -> Answer.json(200, Map.of("silences", silences.entries().stream().map(this::silenceJson).toList()));
            case CREATE_SILENCE -> createSilence(body(exchange), token.name());
            case SILENCE -> Answer.json(200, silenceJson(silences.get(match.id())
                    .orElseThrow(() -> new ApiProblem(404, null, "no silence '" + match.id() + "'"))));
            case DELETE_SILENCE -> deleteSilence(match.id());
        };
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

    private Answer channels() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channels", config.channels().stream()
                .map(c -> ChannelViews.json(c, view.channel(c.id()).orElse(null), view.silentSince(c.id()))).toList());
        Map<String, Object> ourSide = new LinkedHashMap<>();
        ourSide.put("lastHeartbeat", instant(view.lastHeartbeat()));
        ourSide.put("silentSince", instant(view.ourSideSilentSince()));
        body.put("ourSide", ourSide);
        return Answer.json(200, body);
    }

    private static String instant(long epochMillis) {
        return epochMillis == ChannelState.NONE ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** @param source the token's name, the event's {@code source} */
    private Answer recordCall(byte[] body, String source) throws ApiProblem, IOException {
        OperatorRecord.Result result = CallRequest.parse(body, config, source, clock.instant());
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

    private Answer alerts(Map<String, String> params) throws ApiProblem, JsonProcessingException {
        AlertQuery q = AlertQuery.parse(params);
        AlertLog.Page page = alerts.since(q.since(), q.limit());
        List<Object> list = new ArrayList<>(page.alerts().size());
        for (Alert a : page.alerts()) {
            list.add(JSON.readTree(AlertCodec.toJson(a)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", list);
        out.put("more", page.more());
        out.put("complete", page.complete());
        return Answer.json(200, out);
    }

    /** @param createdBy the token's name */
    private Answer createSilence(byte[] body, String createdBy) throws ApiProblem {
        Instant now = clock.instant();
        SilenceRequest.Parsed request = SilenceRequest.parse(body, config, createdBy,
                () -> "s-" + UUID.randomUUID().toString().substring(0, 13), now);
        Silence s = request.silence();
        boolean added;
        try {
            added = silences.add(s, request.createdBy(), now);
        } catch (SilenceStore.NotWritten e) {
            LOG.warn("silence {}: {}", s.id(), e.getMessage());
            return notWritten(e);
        }
        if (!added) {
            throw new ApiProblem(409, "id", "a silence with id '" + s.id() + "' exists");
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
     * The body, at most {@link #MAX_BODY} bytes; 413 beyond. A body announced (Content-Length) or found larger is
     * drained up to {@link #DRAIN_LIMIT} before the answer, so that the client, still sending, reads the 413 instead of
     * a broken connection; a larger announced one is answered at once.
     */
    private static byte[] body(HttpExchange exchange) throws ApiProblem, IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long announced;
            try {
                announced = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new ApiProblem(400, null, "bad Content-Length");
            }
            if (announced > DRAIN_LIMIT) {
                throw tooLarge();
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
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

    private static Map<String, String> query(HttpExchange exchange) throws ApiProblem {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.put(key, value) != null) {
                throw ApiProblem.badField(key, "parameter '" + key + "' given twice");
            }
        }
        return params;
    }
}
