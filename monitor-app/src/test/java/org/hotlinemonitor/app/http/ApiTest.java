package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.app.detect.DetectorViewFixture;
import org.hotlinemonitor.app.detect.DetectorViewFixture.Arrival;
import org.hotlinemonitor.app.metrics.Metrics;
import org.hotlinemonitor.app.metrics.MetricsServer;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.Silence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API over HTTP, on a server of its own on a free loopback port; Kafka replaced by fakes (see ApiKafkaTest for the real thing). */
class ApiTest {

    /** 09:00 and 16:00 in Seoul are 00:00Z and 07:00Z. */
    static final String DETECTED = """
            channels:
              - id: east-coast
                name: East coast military line
                zone: Asia/Seoul
                checks: ['09:00', '16:00']
                answerWithin: PT1H
                downAfter: 2
              - id: ship
                zone: Asia/Seoul
                checks: ['09:00']
                answerWithin: PT1H
            """;
    /** The API's configuration: the detector's channels and one it does not run (another instance's). */
    static final MonitorConfig CONFIG = CallRequestTest.config(DETECTED + """
              - id: elsewhere
                zone: Europe/Moscow
                checks: ['12:00']
            """);
    static final Instant START = Instant.parse("2023-04-06T23:50:00Z");
    static final Instant NOW = Instant.parse("2023-04-07T08:30:00Z");
    static final String TOKEN = "s3cret-api-token";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path stateDir;
    static DetectorView view;

    final List<CallEvent> published = new CopyOnWriteArrayList<>();
    final AtomicReference<Exception> publishFails = new AtomicReference<>();
    final AtomicReference<Optional<String>> brokerProblem = new AtomicReference<>(Optional.empty());
    final AtomicBoolean detectorRunning = new AtomicBoolean(true);
    final AlertLog alerts = new AlertLog(100);
    SilenceStore silences;
    ApiAccess access;
    Metrics metrics;
    MetricsServer server;
    String base;

    static String event(String channel, String kind, String ts) {
        return "{\"channel\":\"" + channel + "\",\"kind\":\"" + kind + "\",\"ts\":\"" + ts + "\"}";
    }

    /** east-coast misses 09:00 (no answer) and 16:00 (line fault): DOWN since 00:00Z; ship answers at 09:00: UP. */
    @BeforeAll
    static void detect() {
        view = DetectorViewFixture.after(DETECTED, START, List.of(
                new Arrival(START, "scheduler", "{\"kind\":\"HEARTBEAT\",\"ts\":\"2023-04-06T23:50:00Z\",\"source\":\"s\"}"),
                new Arrival(Instant.parse("2023-04-07T00:00:02Z"), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T00:00:01Z")),
                new Arrival(Instant.parse("2023-04-07T00:00:31Z"), "ship", event("ship", "ANSWERED", "2023-04-07T00:00:30Z")),
                new Arrival(Instant.parse("2023-04-07T00:01:00Z"), "east-coast", event("east-coast", "NO_ANSWER", "2023-04-07T00:00:59Z")),
                new Arrival(Instant.parse("2023-04-07T07:00:02Z"), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T07:00:01Z")),
                new Arrival(Instant.parse("2023-04-07T07:00:31Z"), "east-coast", event("east-coast", "LINE_FAULT", "2023-04-07T07:00:30Z"))),
                Instant.parse("2023-04-07T08:00:10Z"), stateDir);
    }

    void start(ApiAccess access) throws Exception {
        start(access, view);
    }

    void start(ApiAccess access, DetectorView view) throws Exception {
        this.access = access;
        silences = new SilenceStore(List.of(new Silence("from-file", List.of(), null, null,
                Silence.Recurrence.daily(java.time.ZoneId.of("Asia/Seoul"), java.time.LocalTime.of(2, 0), java.time.LocalTime.of(3, 0)), null)));
        CallPublisher publisher = event -> {
            Exception e = publishFails.get();
            if (e != null) {
                throw e;
            }
            published.add(event);
            return new CallPublisher.Written("hotline.events", 0, published.size() - 1);
        };
        Api api = new Api(CONFIG, access, view, detectorRunning::get, brokerProblem::get, publisher, alerts, silences,
                Clock.fixed(NOW, ZoneOffset.UTC));
        metrics = new Metrics();
        server = MetricsServer.start("127.0.0.1", 0, metrics.registry(), null, true);
        server.api(api.handler());
        base = "http://127.0.0.1:" + server.port();
    }

    void start() throws Exception {
        start(ApiAccess.single(new Secret("HOTLINE_API_TOKEN", TOKEN), false));
    }

    @AfterEach
    void stop() {
        if (access != null) {
            access.close();
        }
        if (server != null) {
            server.close();
            metrics.close();
            server = null;
        }
    }

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    }

    Reply send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
    }

    Reply get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    Reply post(String path, String body) throws Exception {
        return send("POST", path, body, TOKEN);
    }

    // ---- probes ----

    @Test
    void healthAndReadiness() throws Exception {
        start();
        assertThat(get("/healthz").status()).isEqualTo(200);
        Reply ready = get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");

        brokerProblem.set(Optional.of("no answer from the Kafka cluster within PT2S"));
        detectorRunning.set(false);
        Reply notReady = get("/readyz");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.json().get("reasons")).extracting(JsonNode::asText)
                .containsExactly("no answer from the Kafka cluster within PT2S", "the detector is not running");
        assertThat(get("/healthz").status()).as("alive all the same").isEqualTo(200);

        brokerProblem.set(Optional.empty());
        assertThat(get("/readyz").json().get("reasons")).extracting(JsonNode::asText).containsExactly("the detector is not running");
    }

    // ---- channels ----

    @Test
    void channelsShowTheDetectorsCommittedStateAndSayWhatThisInstanceDoesNotOwn() throws Exception {
        start();
        Reply all = get("/api/v1/channels");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("channels")).extracting(c -> c.get("id").asText() + "=" + c.get("state").asText())
                .containsExactly("east-coast=down", "ship=up", "elsewhere=unknown");

        JsonNode east = get("/api/v1/channels/east-coast").json();
        assertThat(east.get("name").asText()).isEqualTo("East coast military line");
        assertThat(east.get("zone").asText()).isEqualTo("Asia/Seoul");
        assertThat(east.get("owner").asText()).isEqualTo("this instance");
        assertThat(east.get("streak").asInt()).isEqualTo(2);
        assertThat(east.get("lastAnswer").isNull()).isTrue();
        assertThat(east.get("outage").get("since").asText()).isEqualTo("2023-04-07T00:00:00Z");
        assertThat(east.get("outage").get("missedSlots").asInt()).isEqualTo(2);
        assertThat(east.get("outage").get("down").asBoolean()).isTrue();
        assertThat(east.get("nextSlot").asText()).isEqualTo("2023-04-08T00:00:00Z");
        assertThat(east.get("nextDeadline").asText()).isEqualTo("2023-04-08T01:00:00Z");

        JsonNode ship = get("/api/v1/channels/ship").json();
        assertThat(ship.get("state").asText()).isEqualTo("up");
        assertThat(ship.get("lastAnswer").asText()).isEqualTo("2023-04-07T00:00:30Z");
        assertThat(ship.get("streak").asInt()).isZero();
        assertThat(ship.get("outage").isNull()).isTrue();

        JsonNode elsewhere = get("/api/v1/channels/elsewhere").json();
        assertThat(elsewhere.get("state").asText()).isEqualTo("unknown");
        assertThat(elsewhere.get("owner").asText()).isEqualTo("other instance or not started");
        assertThat(elsewhere.has("nextSlot")).isFalse();

        Reply unknown = get("/api/v1/channels/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("unknown channel 'nope'");
    }

    @Test
    void whileOurSideIsSilentEveryOwnedChannelIsUnknownAndTheDetectorsOwnStateIsGiven() throws Exception {
        // The same arrivals, with silentAfter: the one heartbeat (23:50Z) is the last, so our side is silent at 00:20Z.
        DetectorView silent = DetectorViewFixture.after("silentAfter: PT30M\n" + DETECTED, START, List.of(
                new Arrival(START, "scheduler", "{\"kind\":\"HEARTBEAT\",\"ts\":\"2023-04-06T23:50:00Z\",\"source\":\"s\"}"),
                new Arrival(Instant.parse("2023-04-07T00:00:31Z"), "ship", event("ship", "ANSWERED", "2023-04-07T00:00:30Z"))),
                Instant.parse("2023-04-07T08:00:10Z"), stateDir.resolve("silent"));
        start(ApiAccess.single(new Secret("HOTLINE_API_TOKEN", TOKEN), false), silent);
        Reply all = get("/api/v1/channels");
        assertThat(all.json().get("channels")).extracting(c -> c.get("id").asText() + "=" + c.get("state").asText())
                .containsExactly("east-coast=unknown", "ship=unknown", "elsewhere=unknown");
        assertThat(all.json().get("ourSide").get("lastHeartbeat").asText()).isEqualTo("2023-04-06T23:50:00Z");
        assertThat(all.json().get("ourSide").get("silentSince").asText()).isEqualTo("2023-04-07T00:20:00Z");
        JsonNode ship = get("/api/v1/channels/ship").json();
        assertThat(ship.get("state").asText()).isEqualTo("unknown");
        assertThat(ship.get("detectorState").asText()).as("it did answer at 09:00").isEqualTo("up");
        assertThat(ship.get("ourSideSilentSince").asText()).isEqualTo("2023-04-07T00:20:00Z");

        stop();
        start(); // the view without the rule: heard, so the detector's state is shown
        JsonNode shipHeard = get("/api/v1/channels/ship").json();
        assertThat(shipHeard.get("state").asText()).isEqualTo("up");
        assertThat(shipHeard.get("ourSideSilentSince").isNull()).isTrue();
        assertThat(get("/api/v1/channels").json().get("ourSide").get("silentSince").isNull()).isTrue();
    }

    // ---- calls ----

    @Test
    void aRecordedCallIsPublishedAnd202Returns() throws Exception {
        start();
        Reply r = post("/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"note\":\"by hand\"}");
        assertThat(r.status()).isEqualTo(202);
        CallEvent expected = new CallEvent("ship", EventKind.ANSWERED, NOW, null,
                "ship/unscheduled/ANSWERED/@2023-04-07T08:30:00Z", "api-token", "by hand");
        assertThat(published).containsExactly(expected);
        assertThat(r.json().get("event").get("id").asText()).isEqualTo(expected.id());
        assertThat(r.json().get("topic").asText()).isEqualTo("hotline.events");
        assertThat(r.json().get("warnings").get(0).asText()).contains("unscheduled");
    }

    @Test
    void aCallNotWrittenIs503AndNot202() throws Exception {
        start();
        publishFails.set(new java.util.concurrent.TimeoutException("not acknowledged by the cluster within PT10S"));
        Reply r = post("/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"NO_ANSWER\",\"ts\":\"2023-04-07T08:10:00Z\"}");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("5");
        assertThat(r.json().get("message").asText()).contains("not acknowledged");
    }

    @ParameterizedTest(name = "[{index}] {0} -> 400 {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "{\"channel\":\"ship\"}                                        | kind",
            "{\"channel\":\"nope\",\"kind\":\"ANSWERED\"}                  | channel",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":42.5}      | ts",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"slot\":\"2023-04-07T00:30:00Z\"} | slot",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"note\":5}       | note",
            "{\"channel\":                                                | -",
    })
    void badCallsAre400NamingTheField(String body, String field) throws Exception {
        start();
        Reply r = post("/api/v1/calls", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("field").isMissingNode() ? null : r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("message").asText()).isNotBlank();
        assertThat(published).isEmpty();
    }

    /**
     * An event the detector would drop as late is refused at once (409 naming ts and the range it takes), judged by its
     * channel's committed state; the boundary is the detector's own: each event's fate is checked against
     * {@code Detector.onEvent} on the same state. A channel this instance does not run is not judged.
     */
    @Test
    void anEventTheDetectorWouldDropAsLateIsRefusedAtOnce() throws Exception {
        start();
        for (String channel : List.of("east-coast", "ship")) {
            org.hotlinemonitor.core.detect.ChannelState state = view.channel(channel).orElseThrow();
            Instant w = Instant.ofEpochMilli(state.watermark());
            // east-coast decided its 07:00Z slot at 08:00Z; ship's own time stays at its last deadline (01:00Z), as
            // nothing of ship happened since: an event of ship after that is still taken (docs/time.md)
            assertThat(w).isAfter(Instant.parse(channel.equals("ship") ? "2023-04-07T01:00:00Z" : "2023-04-07T08:00:00Z"));
            org.hotlinemonitor.core.detect.Detector detector = new org.hotlinemonitor.core.detect.Detector(CONFIG.channel(channel));
            for (Instant ts : List.of(Instant.parse("2023-04-07T00:10:00Z"), Instant.parse("2023-04-06T08:30:00Z"),
                    w.minusMillis(1), w, w.plusMillis(1), NOW)) {
                published.clear();
                Reply r = post("/api/v1/calls", event(channel, "ANSWERED", ts.toString()));
                CallEvent sent = new CallEvent(channel, EventKind.ANSWERED, ts, null, null, "api-token", null);
                boolean lateForTheDetector = detector.onEvent(state, sent).outcome() == org.hotlinemonitor.core.detect.EventOutcome.LATE;
                if (ts.isBefore(w)) {
                    assertThat(r.status()).as(channel + " " + ts).isEqualTo(409);
                    assertThat(r.json().get("field").asText()).isEqualTo("ts");
                    assertThat(r.json().get("message").asText()).contains("takes events of " + channel + " from "
                            + org.hotlinemonitor.core.codec.Timestamps.format(w.toEpochMilli()))
                            .contains("to 2023-04-07T08:30:10Z");
                    assertThat(published).isEmpty();
                } else {
                    assertThat(r.status()).as(channel + " " + ts + ": " + r.raw().body()).isEqualTo(202);
                }
                assertThat(r.status() == 409).as("refused exactly when the detector would drop it: " + channel + " " + ts)
                        .isEqualTo(lateForTheDetector);
            }
        }
        // not run here: taken, whatever its age (its own instance judges it)
        assertThat(post("/api/v1/calls", event("elsewhere", "ANSWERED", "2023-04-06T09:00:00Z")).status()).isEqualTo(202);
    }

    /**
     * Instants at the edges of what can be written: an event's {@code ts} is its Kafka record's timestamp, which cannot
     * be negative, so a {@code ts} before 1970 is the client's error (400 naming ts), not a 503 to retry.
     */
    @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":\"1969-12-31T23:59:59.999Z\"} | 400 | ts",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":-1}                          | 400 | ts",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":\"0000-01-01T00:00:00Z\"}   | 400 | ts",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":-9223372036854775808}        | 400 | ts",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":9223372036854775807}         | 400 | ts",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":99999999999999999999}        | 400 | ts",
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"ts\":\"9999-12-31T23:59:59Z\"}   | 400 | ts",
            // a channel this instance does not run: not judged late here
            "{\"channel\":\"elsewhere\",\"kind\":\"ANSWERED\",\"ts\":\"1970-01-01T00:00:00Z\"} | 202 | -",
            "{\"channel\":\"elsewhere\",\"kind\":\"ANSWERED\",\"ts\":0}                       | 202 | -",
            // 09:00 in Seoul on the last day before the epoch: a slot of ship's; the event is late, not unwritable
            "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"slot\":\"1969-12-31T00:00:00Z\"} | 202 | -",
    })
    void aTsBefore1970IsTheClientsErrorNamingTs(String body, int status, String field) throws Exception {
        start();
        Reply r = post("/api/v1/calls", body);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Retry-After")).isEmpty();
        if (status == 400) {
            assertThat(r.json().get("field").asText()).isEqualTo(field);
            assertThat(r.json().get("message").asText()).contains("ts").doesNotContain("--at").doesNotContain("Exception");
            assertThat(published).isEmpty();
        } else {
            assertThat(published).hasSize(1);
            // what was published is what the event codec writes and reads back
            CallEvent written = published.get(0);
            assertThat(decode(new JsonEventParser(), 
                    org.hotlinemonitor.core.codec.EventWriter.toJson(written))).isEqualTo(written);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
            "/api/v1/alerts?since=%2B999999999-12-31T23:59:59Z",
            "/api/v1/alerts?since=-999999999-01-01T00:00:00Z",
            "/api/v1/alerts?since=0000-01-01T00:00:00Z",
    })
    void sinceAtTheEdgesOfTimeIsAnswered(String path) throws Exception {
        start();
        Reply r = get(path);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.json().get("alerts")).isEmpty();
    }

    @Test
    void silencesAtTheEdgesOfTimeAreKeptAndShown() throws Exception {
        start();
        Reply r = post("/api/v1/silences", "{\"id\":\"forever\",\"start\":\"-999999999-01-01T00:00:00Z\","
                + "\"end\":\"+999999999-12-31T23:59:59Z\"}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        assertThat(get("/api/v1/silences/forever").json().get("end").asText()).isEqualTo("+999999999-12-31T23:59:59Z");
        Reply weekly = post("/api/v1/silences", "{\"id\":\"weekly\",\"zone\":\"Asia/Seoul\",\"from\":\"02:00\",\"to\":\"03:00\","
                + "\"end\":\"+999999999-12-31T23:59:59Z\"}");
        assertThat(weekly.status()).as(weekly.raw().body()).isEqualTo(201);
        assertThat(get("/api/v1/silences").status()).isEqualTo(200);
        assertThat(silences.test(Alert.channelDown("east-coast", Instant.parse("2023-04-07T00:00:00Z"), NOW, 2))).isTrue();
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        start();
        String note = "x".repeat(Api.MAX_BODY);
        Reply r = post("/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"note\":\"" + note + "\"}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(post("/api/v1/silences", "[" + "1,".repeat(Api.MAX_BODY / 2) + "1]").status()).isEqualTo(413);
        // Without Content-Length (chunked): judged by reading.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(base + "/api/v1/calls")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[Api.MAX_BODY + 10])))
                .build();
        assertThat(CLIENT.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        // A body of exactly the limit is read (and refused for what it says, not its size).
        String exact = "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"note\":\"\"}";
        exact = exact.replace("\"note\":\"\"", "\"note\":\"" + "y".repeat(Api.MAX_BODY - exact.length()) + "\"");
        Reply atLimit = post("/api/v1/calls", exact);
        assertThat(atLimit.status()).isEqualTo(400);
        assertThat(atLimit.json().get("field").asText()).isEqualTo("note");
        assertThat(published).isEmpty();
    }

    Reply sendBytes(String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + TOKEN);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
    }

    /** One JSON object per body, only known fields (with a did-you-mean), every string bounded: calls and silences alike. */
    @ParameterizedTest(name = "[{index}] {0} {1} -> 400 {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "calls    | {\"channel\":\"ship\",\"kind\":\"ANSWERED\"} x                                  | -       | more than one JSON value",
            "calls    | {\"channel\":\"ship\",\"kind\":\"ANSWERED\"}{\"channel\":\"ship\",\"kind\":\"NO_ANSWER\"} | - | more than one JSON value",
            "calls    | {\"channel\":\"ship\",\"kind\":\"ANSWERED\"} 5                                  | -       | more than one JSON value",
            "calls    | {\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"tss\":\"2023-04-07T08:00:00Z\"} | tss     | unknown field 'tss'; did you mean 'ts'?",
            "calls    | {\"chanel\":\"ship\",\"kind\":\"ANSWERED\"}                                     | chanel  | did you mean 'channel'?",
            "calls    | {\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"Note\":\"x\"}                   | Note    | did you mean 'note'?",
            "calls    | {\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"priority\":1}                     | priority | unknown field 'priority' (expected channel, kind, ts, slot, note, id)",
            "calls    | {\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"kind\":\"NO_ANSWER\"}           | kind    | given twice",
            "silences | {\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T10:00:00Z\"} []        | -       | more than one JSON value",
            "silences | {\"start\":\"2023-04-07T08:00:00Z\",\"ened\":\"2023-04-07T10:00:00Z\"}          | ened    | unknown field 'ened'; did you mean 'end'?",
            "silences | {\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T10:00:00Z\",\"coment\":\"x\"} | coment | did you mean 'comment'?",
    })
    void bodiesAreOneJsonObjectOfKnownFields(String endpoint, String body, String field, String message) throws Exception {
        start();
        Reply r = post("/api/v1/" + endpoint, body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("field").isMissingNode() ? null : r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("message").asText()).contains(message);
        assertThat(published).isEmpty();
        assertThat(silences.entries()).hasSize(1);
    }

    @Test
    void stringsAreBoundedAndErrorsDoNotEchoLargeValues() throws Exception {
        start();
        String base = "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"";
        Reply longId = post("/api/v1/calls", base + ",\"id\":\"" + "i".repeat(CallRequest.MAX_ID + 1) + "\"}");
        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.json().get("field").asText()).isEqualTo("id");
        assertThat(longId.json().get("message").asText()).contains("at most 200 characters, was 201");
        assertThat(post("/api/v1/calls", base + ",\"id\":\"" + "i".repeat(CallRequest.MAX_ID) + "\"}").status()).isEqualTo(202);
        Reply longNote = post("/api/v1/calls", base + ",\"note\":\"" + "n".repeat(1001) + "\"}");
        assertThat(longNote.json().get("field").asText()).isEqualTo("note");
        // an unknown field of 60 KB is named, not repeated
        Reply bigName = post("/api/v1/calls", base + ",\"" + "f".repeat(60_000) + "\":1}");
        assertThat(bigName.status()).isEqualTo(400);
        assertThat(bigName.raw().body().length()).isLessThan(60_000 / 100);
        Reply bigChannel = post("/api/v1/calls", "{\"channel\":\"" + "c".repeat(60_000) + "\",\"kind\":\"ANSWERED\"}");
        assertThat(bigChannel.json().get("field").asText()).isEqualTo("channel");
        assertThat(bigChannel.raw().body().length()).isLessThan(60_000 / 100);
        Reply bigZone = post("/api/v1/silences", "{\"zone\":\"" + "z".repeat(60_000) + "\",\"from\":\"02:00\",\"to\":\"03:00\"}");
        assertThat(bigZone.json().get("field").asText()).isEqualTo("zone");
        assertThat(bigZone.raw().body().length()).isLessThan(60_000 / 100);
        assertThat(published).hasSize(1);
    }

    /** UTF-8 only: a body in another encoding, with a byte order mark or with broken sequences is refused, naming the charset. */
    @Test
    void bodiesAreUtf8Only() throws Exception {
        start();
        String call = "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"note\":\"통화 연결됨\"}";
        Reply utf16 = sendBytes("/api/v1/calls", call.getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "application/json");
        assertThat(utf16.status()).isEqualTo(400);
        assertThat(utf16.json().get("message").asText()).contains("not UTF-8").contains("UTF-16");
        Reply utf16Bom = sendBytes("/api/v1/calls", call.getBytes(java.nio.charset.StandardCharsets.UTF_16), "application/json");
        assertThat(utf16Bom.status()).isEqualTo(400);
        assertThat(utf16Bom.json().get("message").asText()).contains("byte order mark");
        byte[] utf8 = call.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);
        assertThat(sendBytes("/api/v1/calls", withBom, "application/json").json().get("message").asText())
                .contains("byte order mark (EF BB BF)");
        byte[] broken = utf8.clone();
        broken[broken.length - 4] = (byte) 0xC3; // a lead byte followed by an ASCII '"'... : malformed
        Reply malformed = sendBytes("/api/v1/calls", broken, "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).contains("not UTF-8: a malformed byte sequence");
        Reply declared = sendBytes("/api/v1/calls", call.getBytes(java.nio.charset.StandardCharsets.UTF_16LE),
                "application/json; charset=UTF-16LE");
        assertThat(declared.status()).isEqualTo(415);
        assertThat(declared.json().get("message").asText()).contains("charset 'UTF-16LE'").contains("UTF-8 only");
        assertThat(sendBytes("/api/v1/silences", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json;charset=iso-8859-1")
                .status()).isEqualTo(415);
        assertThat(published).isEmpty();

        Reply ok = sendBytes("/api/v1/calls", utf8, "application/json; charset=utf-8");
        assertThat(ok.status()).isEqualTo(202);
        assertThat(published).singleElement().extracting(CallEvent::note).isEqualTo("통화 연결됨");
    }

    // ---- alerts ----

    @Test
    void recentAlertsSinceAnInstantWithALimit() throws Exception {
        start();
        Instant slot = Instant.parse("2023-04-07T00:00:00Z");
        Alert a1 = Alert.slotMissed("east-coast", slot, slot.plusSeconds(3600), MissCause.NO_ANSWER);
        Alert a2 = Alert.slotMissed("east-coast", Instant.parse("2023-04-07T07:00:00Z"), Instant.parse("2023-04-07T08:00:00Z"), MissCause.LINE_FAULT);
        Alert a3 = Alert.channelDown("east-coast", slot, Instant.parse("2023-04-07T08:00:00Z"), 2);
        alerts.add(a3);
        alerts.add(a1);
        alerts.add(a2);
        Reply r = get("/api/v1/alerts?since=2023-04-07T00:00:00Z");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("alerts")).extracting(JsonNode::toString)
                .containsExactly(AlertCodec.toJson(a1), AlertCodec.toJson(a3), AlertCodec.toJson(a2)); // by at, then id
        assertThat(r.json().get("more").asBoolean()).isFalse();
        assertThat(r.json().get("complete").asBoolean()).isTrue();

        Reply later = get("/api/v1/alerts?since=2023-04-07T17:00:00%2B09:00&limit=1");
        assertThat(later.json().get("alerts")).extracting(JsonNode::toString).containsExactly(AlertCodec.toJson(a3));
        assertThat(later.json().get("more").asBoolean()).isTrue();

        assertThat(get("/api/v1/alerts").json().get("field").asText()).isEqualTo("since");
        assertThat(get("/api/v1/alerts?since=today").json().get("field").asText()).isEqualTo("since");
        assertThat(get("/api/v1/alerts?since=2023-04-07T00:00:00Z&limit=0").json().get("field").asText()).isEqualTo("limit");
        assertThat(get("/api/v1/alerts?since=2023-04-07T00:00:00Z&limit=1001").status()).isEqualTo(400);
        assertThat(get("/api/v1/alerts?since=2023-04-07T00:00:00Z&until=x").json().get("field").asText()).isEqualTo("until");
    }

    // ---- silences ----

    @Test
    void silencesAreCreatedListedAndDeleted() throws Exception {
        start();
        Reply created = post("/api/v1/silences", """
                {"id":"switch-upgrade","channels":["east-*"],"start":"2023-04-07T08:00:00Z","end":"2023-04-07T10:00:00Z","comment":"firmware"}""");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/v1/silences/switch-upgrade");
        assertThat(created.json().get("origin").asText()).isEqualTo("api");
        assertThat(created.json().get("createdBy").asText()).as("the simple mode's token's name").isEqualTo("api-token");
        assertThat(created.json().get("createdAt").asText()).isEqualTo(NOW.toString());
        assertThat(created.json().get("activeNow").asBoolean()).isTrue();
        assertThat(silences.test(Alert.channelDown("east-coast", Instant.parse("2023-04-07T00:00:00Z"), NOW, 2)))
                .as("the notifier sees it").isTrue();

        Reply recurring = post("/api/v1/silences", """
                {"zone":"Asia/Seoul","from":"02:00","to":"03:00","days":["MON-FRI"],"channels":["ship"]}""");
        assertThat(recurring.status()).isEqualTo(201);
        String generated = recurring.json().get("id").asText();
        assertThat(generated).startsWith("s-");
        assertThat(recurring.json().get("days")).extracting(JsonNode::asText).containsExactly("MON", "TUE", "WED", "THU", "FRI");

        assertThat(get("/api/v1/silences").json().get("silences")).extracting(s -> s.get("id").asText() + "/" + s.get("origin").asText())
                .containsExactly("from-file/config", "switch-upgrade/api", generated + "/api");
        assertThat(get("/api/v1/silences/switch-upgrade").json().get("comment").asText()).isEqualTo("firmware");
        assertThat(get("/api/v1/silences").json().get("silences")).extracting(s -> s.get("createdBy").asText(null))
                .as("the file's has no creator; the API's are the token's")
                .containsExactly(null, "api-token", "api-token");

        assertThat(post("/api/v1/silences", "{\"id\":\"switch-upgrade\",\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T09:00:00Z\"}")
                .status()).as("the id exists").isEqualTo(409);
        assertThat(send("DELETE", "/api/v1/silences/from-file", null, TOKEN).status()).as("the file's").isEqualTo(409);
        Reply deleted = send("DELETE", "/api/v1/silences/switch-upgrade", null, TOKEN);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.json()).isNull();
        assertThat(send("DELETE", "/api/v1/silences/switch-upgrade", null, TOKEN).status()).isEqualTo(404);
        assertThat(get("/api/v1/silences/switch-upgrade").status()).isEqualTo(404);
        assertThat(silences.test(Alert.channelDown("east-coast", Instant.parse("2023-04-07T00:00:00Z"), NOW, 2))).isFalse();
    }

    /** The largest silence the API takes: every field at its limit. */
    static String largestSilence(String id) {
        List<String> globs = new java.util.ArrayList<>();
        for (int i = 0; i < SilenceStore.MAX_CHANNELS; i++) {
            String glob = i + "*";
            globs.add("\"" + glob + "x".repeat(SilenceStore.MAX_CHANNEL_LENGTH - glob.length()) + "\"");
        }
        return "{\"id\":\"" + id + "\",\"channels\":[" + String.join(",", globs) + "],\"start\":\"2023-04-07T08:00:00Z\","
                + "\"end\":\"2023-04-07T10:00:00Z\",\"comment\":\"" + "c".repeat(SilenceStore.MAX_COMMENT) + "\"}";
    }

    static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the least of three: a concurrent allocation may land between gc and reading
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /**
     * The silences are bounded in number and size, and listed a page at a time: the most silences of the largest size
     * cost a few MB of heap, and the largest list answer is bounded. The issue measured 2,000 silences of 60 KB taking
     * the heap from 65 to 567 MB, and 105 MB per unauthenticated list request.
     */
    @Test
    void silencesAreBoundedInNumberAndSizeAndListedInPages() throws Exception {
        start();
        String id64 = "x".repeat(60);
        long before = heapAfterGc();
        for (int i = 0; i < SilenceStore.MAX_API_SILENCES; i++) {
            Reply r = post("/api/v1/silences", largestSilence(id64 + String.format("%04d", i)));
            assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        }
        long after = heapAfterGc();
        Reply full = post("/api/v1/silences", largestSilence("one-more"));
        assertThat(full.status()).isEqualTo(409);
        assertThat(full.json().get("message").asText()).contains("too many silences: at most 1000");
        assertThat(silences.entries()).hasSize(SilenceStore.MAX_API_SILENCES + 1);

        Reply firstPage = get("/api/v1/silences");
        assertThat(firstPage.json().get("silences")).hasSize(Paging.DEFAULT_LIMIT);
        assertThat(firstPage.json().get("total").asInt()).isEqualTo(SilenceStore.MAX_API_SILENCES + 1);
        assertThat(firstPage.json().get("next").asText()).isEqualTo("/api/v1/silences?offset=100&limit=100");
        Reply largest = get("/api/v1/silences?limit=" + Paging.MAX_LIMIT);
        assertThat(largest.json().get("silences")).hasSize(Paging.MAX_LIMIT);
        int largestBytes = largest.raw().body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        // every silence once, following next
        List<String> ids = new java.util.ArrayList<>();
        String next = "/api/v1/silences?limit=300";
        int pages = 0;
        while (next != null) {
            Reply page = get(next);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("silences").forEach(x -> ids.add(x.get("id").asText()));
            next = page.json().get("next").isNull() ? null : page.json().get("next").asText();
            pages++;
        }
        assertThat(pages).isEqualTo(4);
        assertThat(ids).doesNotHaveDuplicates().hasSize(SilenceStore.MAX_API_SILENCES + 1).startsWith("from-file");
        assertThat(get("/api/v1/silences?offset=5000").json().get("silences")).isEmpty();

        assertThat(send("DELETE", "/api/v1/silences/" + id64 + "0000", null, TOKEN).status()).isEqualTo(204);
        assertThat(post("/api/v1/silences", largestSilence("one-more")).status()).as("a removal makes room").isEqualTo(201);
        System.out.printf("silences: %d of the largest size (%d bytes of JSON each) took the heap after GC from %.1f to %.1f MB "
                        + "(%+.1f MB); the largest list answer (limit=%d) is %d bytes, the default page %d bytes%n",
                SilenceStore.MAX_API_SILENCES, largestSilence(id64 + "0000").length(), before / 1e6, after / 1e6,
                (after - before) / 1e6, Paging.MAX_LIMIT, largestBytes, firstPage.raw().body().length());
        assertThat(largestBytes).isLessThan(Paging.MAX_LIMIT * 5_000);
    }

    @ParameterizedTest(name = "[{index}] {0} -> 400 {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/silences?limit=0       | limit",
            "/api/v1/silences?limit=1001    | limit",
            "/api/v1/silences?limit=ten     | limit",
            "/api/v1/silences?offset=-1     | offset",
            "/api/v1/silences?offset=99999999999 | offset",
            "/api/v1/silences?page=2        | page",
            "/api/v1/channels?limit=0       | limit",
            "/api/v1/channels?cursor=x      | cursor",
            "/api/v1/alerts?since=2023-04-07T00:00:00Z&after= | after",
    })
    void badPagingIs400NamingTheParameter(String path, String field) throws Exception {
        start();
        Reply r = get(path);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    @Test
    void channelsAreListedInPages() throws Exception {
        start();
        Reply all = get("/api/v1/channels");
        assertThat(all.json().get("channels")).extracting(c -> c.get("id").asText()).containsExactly("east-coast", "ship", "elsewhere");
        assertThat(all.json().get("total").asInt()).isEqualTo(3);
        assertThat(all.json().get("next").isNull()).isTrue();
        List<String> ids = new java.util.ArrayList<>();
        String next = "/api/v1/channels?limit=2";
        while (next != null) {
            Reply page = get(next);
            assertThat(page.json().get("ourSide")).as("each page has our side").isNotNull();
            page.json().get("channels").forEach(c -> ids.add(c.get("id").asText()));
            next = page.json().get("next").isNull() ? null : page.json().get("next").asText();
        }
        assertThat(ids).containsExactly("east-coast", "ship", "elsewhere");
    }

    @Test
    void alertsAreListedInPagesEvenWhenManyShareAnInstant() throws Exception {
        start();
        Instant slot = Instant.parse("2023-04-07T00:00:00Z");
        Instant at = slot.plusSeconds(3600);
        List<String> expected = new java.util.ArrayList<>();
        for (String channel : List.of("east-coast", "ship", "elsewhere", "a+b c")) {
            Alert a = Alert.slotMissed(channel, slot, at, MissCause.NO_ANSWER);
            alerts.add(a);
            expected.add(a.id());
        }
        expected.sort(null);
        List<String> ids = new java.util.ArrayList<>();
        String next = "/api/v1/alerts?since=2023-04-07T00:00:00Z&limit=1";
        int pages = 0;
        while (next != null && pages++ < 10) {
            Reply page = get(next);
            assertThat(page.status()).as(next).isEqualTo(200);
            page.json().get("alerts").forEach(a -> ids.add(a.get("id").asText()));
            next = page.json().get("next").isNull() ? null : page.json().get("next").asText();
        }
        assertThat(ids).as("each once, though all have the same at").containsExactlyElementsOf(expected);
    }

    @Test
    void alertsAreListedInTheAlertStreamsOrder() throws Exception {
        start();
        // The April 2023 replay's alerts, in the order replay prints them: by at, then channel, then each channel's own
        // order, where a slot's SLOT_MISSED comes before the CHANNEL_DOWN it completes, at the same instant.
        List<String> stream = java.nio.file.Files.readAllLines(java.nio.file.Path.of(
                "../monitor-core/src/test/resources/golden/april-2023/expected-alerts.jsonl"));
        List<Alert> expected = stream.stream().filter(l -> !l.isBlank())
                .map(org.hotlinemonitor.core.codec.AlertCodec::fromJson).toList();
        assertThat(expected).hasSize(15);
        // As they arrive when the ring is loaded at start: partition after partition, so channel after channel.
        java.util.Map<String, List<Alert>> byChannel = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        expected.forEach(a -> byChannel.computeIfAbsent(a.channel(), c -> new java.util.ArrayList<>()).add(a));
        byChannel.values().forEach(list -> list.forEach(alerts::add));

        List<String> ids = new java.util.ArrayList<>();
        String next = "/api/v1/alerts?since=2023-04-01T00:00:00Z&limit=1";
        int pages = 0;
        while (next != null && pages++ < 20) {
            Reply page = get(next);
            assertThat(page.status()).as(next).isEqualTo(200);
            page.json().get("alerts").forEach(a -> ids.add(a.get("id").asText()));
            next = page.json().get("next").isNull() ? null : page.json().get("next").asText();
        }
        assertThat(ids).as("a page at a time").containsExactlyElementsOf(expected.stream().map(Alert::id).toList());
        Reply all = get("/api/v1/alerts?since=2023-04-01T00:00:00Z&limit=100");
        List<String> lines = new java.util.ArrayList<>();
        all.json().get("alerts").forEach(a -> lines.add(a.toString()));
        assertThat(lines).as("in one page, each alert exactly as on the stream")
                .containsExactlyElementsOf(stream.stream().filter(l -> !l.isBlank()).toList());
    }

    @ParameterizedTest(name = "[{index}] {0} -> 400 {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "{\"start\":\"2023-04-07T08:00:00Z\"}                                                   | end",
            "{\"end\":\"2023-04-07T10:00:00Z\"}                                                     | start",
            "{\"start\":\"2023-04-07T10:00:00Z\",\"end\":\"2023-04-07T09:00:00Z\"}                  | end",
            "{\"start\":\"2023-04-07T06:00:00Z\",\"end\":\"2023-04-07T07:00:00Z\"}                  | end",
            "{\"start\":\"soon\",\"end\":\"2023-04-07T10:00:00Z\"}                                  | start",
            "{\"id\":\"Bad Id\",\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T10:00:00Z\"} | id",
            "{\"channels\":[\"nope\"],\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T10:00:00Z\"} | channels",
            "{\"channels\":\"ship\",\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T10:00:00Z\"} | channels",
            "{\"ened\":\"2023-04-07T10:00:00Z\",\"start\":\"2023-04-07T08:00:00Z\"}                 | ened",
            "{\"zone\":\"Asia/Seol\",\"from\":\"02:00\",\"to\":\"03:00\"}                            | zone",
            "{\"from\":\"02:00\",\"to\":\"03:00\"}                                                  | zone",
            "{\"zone\":\"Asia/Seoul\",\"from\":\"2am\",\"to\":\"03:00\"}                            | from",
            "{\"zone\":\"Asia/Seoul\",\"from\":\"02:00\"}                                           | to",
            "{\"zone\":\"Asia/Seoul\",\"from\":\"02:00\",\"to\":\"02:00\"}                          | to",
            "{\"zone\":\"Asia/Seoul\",\"from\":\"02:00\",\"to\":\"03:00\",\"days\":[\"MON-FRY\"]}   | days",
            "{\"createdBy\":\"ops\",\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T10:00:00Z\"} | createdBy",
            "[]                                                                                    | -",
    })
    void badSilencesAre400NamingTheField(String body, String field) throws Exception {
        start();
        Reply r = post("/api/v1/silences", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("field").isMissingNode() ? null : r.json().get("field").asText()).isEqualTo(field);
        assertThat(silences.entries()).hasSize(1);
    }

    @Test
    void aSilenceTheJournalDidNotAcknowledgeIs503AndChangesNothing() throws Exception {
        start();
        AtomicReference<Exception> failing = new AtomicReference<>(new java.util.concurrent.TimeoutException("no ack in 10 s"));
        List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        silences.journal(new SilenceStore.Journal() {
            @Override
            public void put(SilenceStore.Entry entry) throws Exception {
                if (failing.get() != null) {
                    throw failing.get();
                }
                written.add("put " + entry.silence().id() + " by " + entry.createdBy());
            }

            @Override
            public void delete(String id) throws Exception {
                if (failing.get() != null) {
                    throw failing.get();
                }
                written.add("delete " + id);
            }
        });
        String body = "{\"id\":\"maint\",\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T10:00:00Z\"}";
        Reply refused = post("/api/v1/silences", body);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.json().get("message").asText()).contains("silence maint: the write was not acknowledged", "no ack in 10 s");
        assertThat(get("/api/v1/silences/maint").status()).isEqualTo(404);
        assertThat(silences.test(Alert.channelDown("east-coast", Instant.parse("2023-04-07T00:00:00Z"), NOW, 2))).isFalse();

        failing.set(null);
        assertThat(post("/api/v1/silences", body).status()).isEqualTo(201);
        failing.set(new java.util.concurrent.TimeoutException("no ack in 10 s"));
        assertThat(send("DELETE", "/api/v1/silences/maint", null, TOKEN).status()).isEqualTo(503);
        assertThat(get("/api/v1/silences/maint").status()).as("still there").isEqualTo(200);
        failing.set(null);
        assertThat(send("DELETE", "/api/v1/silences/maint", null, TOKEN).status()).isEqualTo(204);
        assertThat(written).containsExactly("put maint by api-token", "delete maint");
    }

    // ---- auth ----

    @Test
    void writesNeedTheTokenReadsAreOpen() throws Exception {
        start();
        String call = "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}";
        Reply missing = send("POST", "/api/v1/calls", call, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"hotline-monitor\"");
        Reply wrong = send("POST", "/api/v1/calls", call, "guess");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"hotline-monitor\", error=\"invalid_token\"");
        assertThat(wrong.raw().body()).doesNotContain(TOKEN).doesNotContain("guess");
        assertThat(send("DELETE", "/api/v1/silences/from-file", null, null).status()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/silences", "{}", "guess").status()).isEqualTo(401);
        assertThat(published).isEmpty();
        assertThat(get("/api/v1/channels").status()).isEqualTo(200);
        assertThat(get("/api/v1/silences").status()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/calls", call, TOKEN).status()).isEqualTo(202);
    }

    @Test
    void neitherTokensNorAuthorizationHeadersReachTheLogs() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger apiLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Api.class);
        ch.qos.logback.classic.Level before = apiLog.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        apiLog.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            start();
            send("POST", "/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}", TOKEN);
            send("POST", "/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}", "wrong-guess-token");
            publishFails.set(new java.io.IOException("broker down"));
            send("POST", "/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"NO_ANSWER\"}", TOKEN);
            send("POST", "/api/v1/silences", "{\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T09:00:00Z\"}", TOKEN);
            get("/api/v1/channels");
        } finally {
            root.detachAppender(logs);
            apiLog.setLevel(before);
        }
        assertThat(logs.list).as("the API logs its requests").isNotEmpty();
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
                .doesNotContain(TOKEN).doesNotContain("wrong-guess-token").doesNotContainIgnoringCase("authorization"));
    }

    @Test
    void protectedReadsNeedTheTokenButProbesDoNot() throws Exception {
        start(ApiAccess.single(new Secret("HOTLINE_API_TOKEN", TOKEN), true));
        for (String path : List.of("/api/v1/channels", "/api/v1/channels/ship", "/api/v1/alerts?since=2023-04-07T00:00:00Z",
                "/api/v1/silences", "/api/v1/silences/from-file")) {
            assertThat(get(path).status()).as(path).isEqualTo(401);
            assertThat(send("GET", path, null, "guess").status()).as(path).isEqualTo(401);
            assertThat(send("GET", path, null, TOKEN).status()).as(path).isEqualTo(200);
        }
        assertThat(get("/healthz").status()).isEqualTo(200);
        assertThat(get("/readyz").status()).isEqualTo(200);
    }

    @Test
    void withoutATokenConfiguredWritesAreForbidden() throws Exception {
        start(null);
        Reply r = send("POST", "/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}", "anything");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("message").asText()).contains("no api.token");
        assertThat(get("/api/v1/channels").status()).isEqualTo(200);
        assertThat(published).isEmpty();
    }

    // ---- named tokens (docs/security.md) ----

    @TempDir
    Path tokenDir;

    /** A tokens file with one line per token, named as in {@link #NAMED}; each secret is the name and "-secret". */
    Path tokens(String... names) throws Exception {
        Path file = tokenDir.resolve("api-tokens.txt");
        StringBuilder text = new StringBuilder("# name  hash  scopes\n");
        for (String name : names) {
            text.append(TokenFile.line(TokenFile.token(name, name + "-secret", NAMED.get(name)))).append('\n');
        }
        return replace(file, text.toString());
    }

    /** Writes {@code file} as an operator should: a new file renamed over the old, so that no reader sees half of it. */
    static Path replace(Path file, String text) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        java.nio.file.Files.writeString(next, text);
        return java.nio.file.Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static final java.util.Map<String, java.util.Set<Scope>> NAMED = java.util.Map.of(
            "recorder", java.util.EnumSet.of(Scope.RECORD),
            "silencer", java.util.EnumSet.of(Scope.SILENCE),
            "reader", java.util.EnumSet.of(Scope.READ),
            "ops", java.util.EnumSet.allOf(Scope.class),
            "newcomer", java.util.EnumSet.of(Scope.RECORD));

    /** Every kind of endpoint with each token, reads protected: 401 without a known token, 403 without the scope. */
    @ParameterizedTest(name = "[{index}] {0}: read {1}, record {2}, silence {3}, unsilence {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // token   | GET channels | POST calls | POST silences | DELETE silence (an unknown one: 404 once allowed)
            "-         | 401 | 401 | 401 | 401",
            "stranger  | 401 | 401 | 401 | 401",
            "recorder  | 403 | 202 | 403 | 403",
            "silencer  | 403 | 403 | 201 | 404",
            "reader    | 200 | 403 | 403 | 403",
            "ops       | 200 | 202 | 201 | 404",
    })
    void eachScopeOpensItsEndpointsAndNoOther(String token, int read, int record, int silence, int unsilence) throws Exception {
        start(ApiAccess.watching(tokens("recorder", "silencer", "reader", "ops"), true, java.time.Duration.ofHours(1)));
        String secret = token == null ? null : token + "-secret";
        assertThat(send("GET", "/api/v1/channels", null, secret).status()).as("read").isEqualTo(read);
        assertThat(send("GET", "/api/v1/silences/from-file", null, secret).status()).as("read").isEqualTo(read);
        Reply recorded = send("POST", "/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}", secret);
        assertThat(recorded.status()).as("record").isEqualTo(record);
        assertThat(send("POST", "/api/v1/silences", "{\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T09:00:00Z\"}", secret)
                .status()).as("silence").isEqualTo(silence);
        assertThat(send("DELETE", "/api/v1/silences/nope", null, secret).status()).as("unsilence").isEqualTo(unsilence);
        assertThat(send("GET", "/healthz", null, secret).status()).as("probe").isEqualTo(200);
        assertThat(published).hasSize(record == 202 ? 1 : 0);
        if (record == 403) {
            assertThat(recorded.json().get("message").asText()).isEqualTo("the token '" + token
                    + "' may not do this: it needs the 'record' scope, and has only "
                    + NAMED.get(token).stream().map(Scope::id).collect(java.util.stream.Collectors.joining(", ")));
            assertThat(recorded.raw().headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer realm=\"hotline-monitor\", error=\"insufficient_scope\", scope=\"record\"");
        }
    }

    @Test
    void whatATokenWritesCarriesItsNameNotWhatTheBodySays() throws Exception {
        start(ApiAccess.watching(tokens("recorder", "silencer"), false, java.time.Duration.ofHours(1)));
        assertThat(send("POST", "/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}", "recorder-secret").status())
                .isEqualTo(202);
        assertThat(published).singleElement().extracting(CallEvent::source).isEqualTo("recorder");

        Reply forged = send("POST", "/api/v1/calls", "{\"channel\":\"ship\",\"kind\":\"ANSWERED\",\"source\":\"scheduler\"}",
                "recorder-secret");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.json().get("field").asText()).isEqualTo("source");
        assertThat(published).hasSize(1);

        Reply silence = send("POST", "/api/v1/silences", "{\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T09:00:00Z\"}",
                "silencer-secret");
        assertThat(silence.json().get("createdBy").asText()).isEqualTo("silencer");
        Reply claimed = send("POST", "/api/v1/silences",
                "{\"start\":\"2023-04-07T08:00:00Z\",\"end\":\"2023-04-07T09:00:00Z\",\"createdBy\":\"ops-kim\"}", "silencer-secret");
        assertThat(claimed.status()).isEqualTo(400);
        assertThat(claimed.json().get("field").asText()).isEqualTo("createdBy");
        assertThat(silences.entries()).extracting(SilenceStore.Entry::createdBy).containsExactly(null, "silencer");
    }

    @Test
    void anEditedTokensFileTakesEffectWithinSecondsAndABrokenOneChangesNothing() throws Exception {
        ch.qos.logback.classic.Logger accessLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ApiAccess.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        accessLog.addAppender(logs);
        try {
            Path file = tokens("recorder");
            start(ApiAccess.watching(file, false, ApiAccess.POLL_EVERY));
            String call = "{\"channel\":\"ship\",\"kind\":\"ANSWERED\"}";
            assertThat(send("POST", "/api/v1/calls", call, "recorder-secret").status()).isEqualTo(202);
            assertThat(send("POST", "/api/v1/calls", call, "newcomer-secret").status()).isEqualTo(401);

            // recorder revoked, newcomer added
            tokens("newcomer");
            java.time.Duration revoked = within(java.time.Duration.ofSeconds(3),
                    () -> send("POST", "/api/v1/calls", call, "recorder-secret").status() == 401);
            assertThat(send("POST", "/api/v1/calls", call, "newcomer-secret").status()).isEqualTo(202);
            System.out.printf("token-revoked: refused %d ms after the file was edited (poll every %s)%n", revoked.toMillis(),
                    ApiAccess.POLL_EVERY);

            // a broken edit: newcomer stays, one error names file, line and field
            int mark = logs.list.size();
            replace(file, TokenFile.line(TokenFile.token("newcomer", "newcomer-secret", NAMED.get("newcomer")))
                    + "\nops-kim sha256:00 record\n");
            within(java.time.Duration.ofSeconds(3), () -> logs.list.stream().skip(mark).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR));
            assertThat(send("POST", "/api/v1/calls", call, "newcomer-secret").status()).isEqualTo(202);
            assertThat(send("POST", "/api/v1/calls", call, "recorder-secret").status()).isEqualTo(401);
            // two more reads of the file: still one error for one broken edit
            long checks = access.checks();
            within(java.time.Duration.ofSeconds(5), () -> access.checks() >= checks + 2);
            assertThat(logs.list.subList(mark, logs.list.size())).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR).singleElement()
                    .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).asString()
                    .contains("keeping the 1 loaded before", file + ":2: hash: expected sha256: and 64 lowercase hex digits")
                    .doesNotContain("newcomer-secret");
            java.util.HexFormat hex = java.util.HexFormat.of();
            assertThat(logs.list).as("the reloads are logged").isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage())
                    .doesNotContain("recorder-secret", "newcomer-secret",
                            hex.formatHex(TokenFile.hash("recorder-secret")), hex.formatHex(TokenFile.hash("newcomer-secret"))));
        } finally {
            accessLog.detachAppender(logs);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** How long {@code condition} took to hold, checked every 20 ms; fails the test when it does not within {@code limit}. */
    static java.time.Duration within(java.time.Duration limit, Condition condition) throws Exception {
        long start = System.nanoTime();
        while (!condition.holds()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(20);
        }
        return java.time.Duration.ofNanos(System.nanoTime() - start);
    }

    // ---- routes ----

    @Test
    void unknownRoutesAre404AndWrongMethods405() throws Exception {
        start();
        assertThat(get("/api/v1/nothing").status()).isEqualTo(404);
        assertThat(get("/api/v1/channels/ship/more").status()).isEqualTo(404);
        assertThat(get("/healthzz").status()).isEqualTo(404);
        Reply wrong = send("DELETE", "/api/v1/channels", null, TOKEN);
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.raw().headers().firstValue("Allow")).hasValue("GET, HEAD");
        Reply put = send("PUT", "/api/v1/silences", "{}", TOKEN);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.raw().headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
        assertThat(get("/api/v1/calls").status()).isEqualTo(405);
        assertThat(send("POST", "/readyz", "", null).status()).isEqualTo(405);
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
