package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Secret;
import org.hotlinemonitor.core.notify.DeliveryKeys;
import org.hotlinemonitor.core.notify.SinkConfig;
import org.hotlinemonitor.core.notify.SinkType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each sink's requests, as a local HTTP receiver sees them, and how its answers are read. */
class SinksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant SINCE = Instant.parse("2023-04-07T08:00:00Z");
    private static final Alert DOWN = Alert.channelDown("liaison-office", SINCE, Instant.parse("2023-04-10T01:00:00Z"), 2);
    private static final Alert RESTORED = Alert.channelRestored("liaison-office", SINCE, Instant.parse("2023-04-11T00:02:10Z"), 3);
    private static final Alert MISSED = Alert.slotMissed("ship-to-ship", Instant.parse("2023-04-10T00:00:00Z"),
            Instant.parse("2023-04-10T01:00:00Z"), MissCause.LINE_FAULT);
    private static final Alert MISSED_2 = Alert.slotMissed("unc-pink-phone", Instant.parse("2023-04-10T00:00:00Z"),
            Instant.parse("2023-04-10T01:00:00Z"), MissCause.NO_ANSWER);
    private static final Alert NOT_PLACED = Alert.callNotPlaced("unc-pink-phone", Instant.parse("2023-04-10T00:00:00Z"),
            Instant.parse("2023-04-10T01:00:00Z"));
    private static final HttpClient CLIENT = HttpSink.newClient();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2023-04-11T00:03:00Z"), ZoneOffset.UTC);

    private Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @AfterAll
    static void closeClient() throws Exception {
        if (CLIENT instanceof AutoCloseable c) {
            c.close();
        }
    }

    private HttpSink sink(SinkType type, String path, Secret secret) {
        return HttpSink.of(new SinkConfig("test", type, receiver.uri(path), secret), CLIENT, CLOCK);
    }

    @Test
    void alertmanagerFiresAndResolvesTheSameAlert() throws Exception {
        HttpSink sink = sink(SinkType.ALERTMANAGER, "/am/", null);
        assertThat(sink.send(List.of(DOWN))).isEqualTo(new DeliveryResult.Delivered(200));
        assertThat(sink.send(List.of(RESTORED))).isInstanceOf(DeliveryResult.Delivered.class);

        Receiver.Request fire = receiver.take(WAIT);
        Receiver.Request resolve = receiver.take(WAIT);
        assertThat(fire.method()).isEqualTo("POST");
        assertThat(fire.path()).isEqualTo("/am/api/v2/alerts");
        assertThat(fire.headers()).containsEntry("content-type", "application/json");
        JsonNode fired = JSON.readTree(fire.body());
        JsonNode resolved = JSON.readTree(resolve.body());
        assertThat(fired.isArray()).isTrue();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).get("labels")).isEqualTo(JSON.readTree("""
                {"alertname":"HotlineChannelDown","channel":"liaison-office","severity":"critical",
                 "type":"CHANNEL_DOWN","monitor":"hotline-monitor"}"""));
        assertThat(resolved.get(0).get("labels")).isEqualTo(fired.get(0).get("labels"));
        assertThat(fired.get(0).get("startsAt").asText()).isEqualTo("2023-04-07T08:00:00Z");
        assertThat(resolved.get(0).get("startsAt").asText()).isEqualTo("2023-04-07T08:00:00Z");
        assertThat(fired.get(0).get("endsAt").asText()).isEqualTo("2024-04-09T01:00:00Z"); // + 365 days: firing
        assertThat(resolved.get(0).get("endsAt").asText()).isEqualTo("2023-04-11T00:02:10Z"); // the answer: resolved
        assertThat(fired.get(0).get("annotations").get("summary").asText())
                .isEqualTo("liaison-office is DOWN: 2 missed slot(s) since 2023-04-07T08:00:00Z");
        assertThat(resolved.get(0).get("annotations").get("description").asText()).contains("answered at 2023-04-11T00:02:10Z");
    }

    @Test
    void alertmanagerGetsAGroupInOneRequestAndEventsWithAShortLife() throws Exception {
        HttpSink sink = sink(SinkType.ALERTMANAGER, "", null);
        assertThat(sink.send(List.of(MISSED, MISSED_2))).isInstanceOf(DeliveryResult.Delivered.class);
        JsonNode page = JSON.readTree(receiver.take(WAIT).body());
        assertThat(page).hasSize(2);
        assertThat(page.get(0).get("labels").get("alertname").asText()).isEqualTo("HotlineSlotMissed");
        assertThat(page.get(0).get("labels").get("severity").asText()).isEqualTo("warning");
        assertThat(page.get(1).get("labels").get("channel").asText()).isEqualTo("unc-pink-phone");
        assertThat(page.get(0).get("startsAt").asText()).isEqualTo("2023-04-10T01:00:00Z");
        assertThat(page.get(0).get("endsAt").asText()).isEqualTo("2023-04-10T02:00:00Z");
    }

    @Test
    void pagerDutyTriggersAndResolvesOneIncidentPerOutage() throws Exception {
        HttpSink sink = sink(SinkType.PAGERDUTY, "", new Secret("PD", "routing-key-1"));
        assertThat(sink.send(List.of(DOWN))).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(sink.send(List.of(RESTORED))).isInstanceOf(DeliveryResult.Delivered.class);
        Receiver.Request trigger = receiver.take(WAIT);
        Receiver.Request resolve = receiver.take(WAIT);
        assertThat(trigger.path()).isEqualTo("/v2/enqueue");
        JsonNode t = JSON.readTree(trigger.body());
        assertThat(t.get("routing_key").asText()).isEqualTo("routing-key-1");
        assertThat(t.get("event_action").asText()).isEqualTo("trigger");
        assertThat(t.get("dedup_key").asText()).isEqualTo("hotline/liaison-office/outage/2023-04-07T08:00:00Z");
        JsonNode payload = t.get("payload");
        assertThat(payload.get("summary").asText()).isEqualTo("liaison-office is DOWN: 2 missed slot(s) since 2023-04-07T08:00:00Z");
        assertThat(payload.get("source").asText()).isEqualTo("hotline-monitor/liaison-office");
        assertThat(payload.get("severity").asText()).isEqualTo("critical");
        assertThat(payload.get("timestamp").asText()).isEqualTo("2023-04-10T01:00:00Z");
        assertThat(payload.get("custom_details").get("alerts").get(0)).isEqualTo(JSON.readTree(AlertCodec.toJson(DOWN)));
        assertThat(JSON.readTree(resolve.body())).isEqualTo(JSON.readTree("""
                {"routing_key":"routing-key-1","event_action":"resolve",
                 "dedup_key":"hotline/liaison-office/outage/2023-04-07T08:00:00Z"}"""));
    }

    @Test
    void pagerDutyTriggersAndResolvesOneIncidentForOurSidesSilence() throws Exception {
        Instant lastBeat = Instant.parse("2023-04-09T23:50:00Z");
        Alert silent = Alert.ourSideSilent(lastBeat, Instant.parse("2023-04-10T00:05:00Z"));
        Alert resumed = Alert.ourSideResumed(lastBeat, Instant.parse("2023-04-10T00:40:00Z"));
        HttpSink sink = sink(SinkType.PAGERDUTY, "", new Secret("PD", "k"));
        assertThat(sink.groupable(silent)).isFalse();
        assertThat(sink.send(List.of(silent))).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(sink.send(List.of(resumed))).isInstanceOf(DeliveryResult.Delivered.class);
        JsonNode t = JSON.readTree(receiver.take(WAIT).body());
        assertThat(t.get("event_action").asText()).isEqualTo("trigger");
        assertThat(t.get("dedup_key").asText()).isEqualTo("hotline/our-side/silence/2023-04-09T23:50:00Z");
        assertThat(t.get("payload").get("severity").asText()).isEqualTo("error");
        assertThat(t.get("payload").get("class").asText()).isEqualTo("OUR_SIDE_SILENT");
        assertThat(t.get("payload").get("summary").asText()).startsWith("our side is SILENT: no heartbeat since 2023-04-09T23:50:00Z");
        assertThat(JSON.readTree(receiver.take(WAIT).body())).isEqualTo(JSON.readTree("""
                {"routing_key":"k","event_action":"resolve","dedup_key":"hotline/our-side/silence/2023-04-09T23:50:00Z"}"""));
        assertThat(SlackFormat.text(List.of(resumed)))
                .isEqualTo(":loud_sound: our side is heard again at 2023-04-10T00:40:00Z after 50m 0s of silence"
                        + " (since the heartbeat of 2023-04-09T23:50:00Z)");
    }

    @Test
    void pagerDutyGroupsOnlyWhatNothingResolves() throws Exception {
        HttpSink sink = sink(SinkType.PAGERDUTY, "", new Secret("PD", "k"));
        assertThat(sink.groupable(DOWN)).isFalse();
        assertThat(sink.groupable(RESTORED)).isFalse();
        assertThat(sink.groupable(MISSED)).isTrue();
        assertThat(sink.groupable(NOT_PLACED)).isTrue();
        sink.send(List.of(MISSED, MISSED_2));
        JsonNode t = JSON.readTree(receiver.take(WAIT).body());
        assertThat(t.get("dedup_key").asText()).isEqualTo(DeliveryKeys.of(List.of(MISSED, MISSED_2)));
        assertThat(t.get("payload").get("summary").asText())
                .isEqualTo("2 channels missed their check at 2023-04-10T01:00:00Z: ship-to-ship, unc-pink-phone");
        assertThat(t.get("payload").get("severity").asText()).isEqualTo("warning");
        assertThat(t.get("payload").get("custom_details").get("alerts")).hasSize(2);
    }

    @Test
    void webhookSignsTheExactBodyAndNamesTheDeliverysIdempotencyKey() throws Exception {
        HttpSink sink = sink(SinkType.WEBHOOK, "/hook", new Secret("HOOK", "s3cret"));
        assertThat(sink.send(List.of(DOWN))).isInstanceOf(DeliveryResult.Delivered.class);
        Receiver.Request r = receiver.take(WAIT);
        assertThat(r.path()).isEqualTo("/hook");
        assertThat(r.text()).isEqualTo("{\"key\":\"hotline/liaison-office/CHANNEL_DOWN/2023-04-07T08:00:00Z\",\"alerts\":["
                + AlertCodec.toJson(DOWN) + "]}");
        assertThat(r.headers()).containsEntry("x-signature", "sha256=" + hmac("s3cret", r.body()))
                .containsEntry("idempotency-key", "hotline/liaison-office/CHANNEL_DOWN/2023-04-07T08:00:00Z");
        assertThat(r.headers().get("x-signature")).isNotEqualTo("sha256=" + hmac("other", r.body()));
        // The outage's resolve is a delivery of its own: a receiver dropping keys it has seen still gets it.
        sink.send(List.of(RESTORED));
        assertThat(receiver.take(WAIT).headers())
                .containsEntry("idempotency-key", "hotline/liaison-office/CHANNEL_RESTORED/2023-04-07T08:00:00Z");

        sink.send(List.of(MISSED, MISSED_2));
        Receiver.Request group = receiver.take(WAIT);
        JsonNode body = JSON.readTree(group.body());
        assertThat(body.get("alerts")).hasSize(2);
        assertThat(AlertCodec.fromJson(body.get("alerts").get(1).toString())).isEqualTo(MISSED_2);
        assertThat(group.headers()).containsEntry("x-signature", "sha256=" + hmac("s3cret", group.body()));
    }

    /** HMAC-SHA256, computed here independently of the code under test. */
    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void slackGetsReadableText() throws Exception {
        HttpSink sink = sink(SinkType.SLACK, "/services/T0/B0/xyz", null);
        sink.send(List.of(RESTORED));
        sink.send(List.of(NOT_PLACED));
        sink.send(List.of(MISSED, MISSED_2));
        assertThat(JSON.readTree(receiver.take(WAIT).body())).isEqualTo(JSON.readTree("""
                {"text":":large_green_circle: liaison-office is RESTORED at 2023-04-11T00:02:10Z after 88h 2m 10s down (3 missed slot(s))"}"""));
        assertThat(JSON.readTree(receiver.take(WAIT).body()).get("text").asText()).isEqualTo(
                ":telephone_receiver: unc-pink-phone: our side never placed the 2023-04-10T00:00:00Z call");
        assertThat(JSON.readTree(receiver.take(WAIT).body()).get("text").asText()).isEqualTo("""
                :warning: 2 channels missed their check at 2023-04-10T01:00:00Z: ship-to-ship, unc-pink-phone
                • ship-to-ship missed its 2023-04-10T00:00:00Z check (line fault)
                • unc-pink-phone missed its 2023-04-10T00:00:00Z check (no answer)""");
    }

    @Test
    void answersAreReadAsDeliveredRetryableOrPermanent() throws Exception {
        HttpSink sink = sink(SinkType.SLACK, "/x", null);
        receiver.answer(n -> switch (n) {
            case 0 -> new Receiver.Answer(429, Map.of("Retry-After", "7"), "slow down");
            case 1 -> new Receiver.Answer(503, Map.of("Retry-After", "Tue, 11 Apr 2023 00:04:00 GMT"), "");
            case 2 -> new Receiver.Answer(400, Map.of(), "invalid_payload");
            default -> Receiver.Answer.status(204);
        });
        assertThat(sink.send(List.of(DOWN))).isEqualTo(new DeliveryResult.Retryable(Duration.ofSeconds(7), "HTTP 429: slow down"));
        assertThat(sink.send(List.of(DOWN))).isEqualTo(new DeliveryResult.Retryable(Duration.ofMinutes(1), "HTTP 503"));
        assertThat(sink.send(List.of(DOWN))).isEqualTo(new DeliveryResult.Permanent("HTTP 400: invalid_payload"));
        assertThat(sink.send(List.of(DOWN))).isEqualTo(new DeliveryResult.Delivered(204));
    }

    @Test
    void aReceiverThatIsNotThereIsRetryableAndTheReasonKeepsTheUrlsSecretOut() throws Exception {
        URI gone = receiver.uri("/services/T0/B0/secret-token");
        receiver.close();
        HttpSink sink = HttpSink.of(new SinkConfig("chat", SinkType.SLACK, gone, null), CLIENT, CLOCK);
        DeliveryResult result = sink.send(List.of(DOWN));
        assertThat(result).isInstanceOf(DeliveryResult.Retryable.class);
        assertThat(((DeliveryResult.Retryable) result).reason()).doesNotContain("secret-token");
        receiver = new Receiver(); // for stop()
    }
}
