package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Silence;
import org.hotlinemonitor.core.status.StatusLedger;
import org.junit.jupiter.api.Test;

/** The JSON of {@code GET /api/v1/status}, field by field, and the feed that fills its ledger from the detector's commits. */
class StatusViewTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final MonitorConfig CONFIG = CallRequestTest.config("""
            channels:
              - {id: liaison-office, name: Liaison office, zone: Asia/Seoul, checks: ['09:00', '16:00'], answerWithin: PT1H, downAfter: 2}
              - {id: ship-to-ship, zone: UTC, checks: ['00:00'], answerWithin: PT1H, downAfter: 2}
            """);
    // Thursday 09:00 and 16:00, Friday 09:00 in Seoul
    static final Instant THU_MORNING = Instant.parse("2023-04-06T00:00:00Z");
    static final Instant THU_AFTERNOON = Instant.parse("2023-04-06T07:00:00Z");
    static final Instant FRI_MORNING = Instant.parse("2023-04-07T00:00:00Z");
    static final Instant NOW = Instant.parse("2023-04-07T03:00:00Z"); // Friday 12:00 in Seoul
    static final Silence NIGHTLY = new Silence("nightly", List.of("ship-to-ship"), null, null,
            Silence.Recurrence.daily(ZoneOffset.UTC, java.time.LocalTime.of(23, 30), java.time.LocalTime.of(0, 30)), "night work");
    static final Silence ENDED = new Silence("ended", List.of(), Instant.parse("2023-04-01T00:00:00Z"),
            Instant.parse("2023-04-02T00:00:00Z"), null, "over");

    /** What the detector's commits say: the liaison office down since Thursday afternoon, the ship in maintenance. */
    static StatusFeed fed(SilenceStore silences) {
        StatusFeed feed = new StatusFeed(new StatusLedger(CONFIG, 10), silences, Clock.fixed(NOW, ZoneOffset.UTC));
        feed.decided(new String[] {"liaison-office", "ship-to-ship", "liaison-office", "liaison-office", "ship-to-ship"},
                new long[] {THU_MORNING.toEpochMilli(), THU_MORNING.toEpochMilli(), THU_AFTERNOON.toEpochMilli(),
                        FRI_MORNING.toEpochMilli(), FRI_MORNING.toEpochMilli()},
                new byte[] {(byte) Verdict.ANSWERED.ordinal(), (byte) Verdict.ANSWERED.ordinal(), (byte) Verdict.MISSED.ordinal(),
                        (byte) Verdict.MISSED.ordinal(), (byte) Verdict.MISSED.ordinal()},
                new byte[] {-1, -1, (byte) MissCause.NO_ANSWER.ordinal(), (byte) MissCause.LINE_FAULT.ordinal(),
                        (byte) MissCause.NO_ANSWER.ordinal()}, 5);
        feed.sent(List.of(Alert.slotMissed("liaison-office", THU_AFTERNOON, THU_AFTERNOON.plus(Duration.ofHours(1)), MissCause.NO_ANSWER),
                Alert.channelDown("liaison-office", THU_AFTERNOON, FRI_MORNING.plus(Duration.ofHours(1)), 2)));
        return feed;
    }

    @Test
    void theStatusJsonHasExactlyItsFields() throws Exception {
        SilenceStore silences = new SilenceStore(List.of(NIGHTLY, ENDED));
        JsonNode s = JSON.valueToTree(StatusView.json(fed(silences).ledger(), silences.entries(), NOW));

        assertThat(fields(s)).containsExactly("now", "dataSince", "ourSideSilentSince", "channels", "incidents", "alerts", "silences");
        assertThat(s.get("now").asText()).isEqualTo("2023-04-07T03:00:00Z");
        assertThat(s.get("dataSince").asText()).isEqualTo("2023-04-06T00:00:00Z");
        assertThat(s.get("ourSideSilentSince").isNull()).isTrue();

        JsonNode liaison = s.get("channels").get(0);
        assertThat(fields(liaison)).containsExactly("id", "name", "zone", "state", "downSince", "lastAnswered", "availability", "days");
        assertThat(liaison.get("id").asText()).isEqualTo("liaison-office");
        assertThat(liaison.get("name").asText()).isEqualTo("Liaison office");
        assertThat(liaison.get("zone").asText()).isEqualTo("Asia/Seoul");
        assertThat(liaison.get("state").asText()).isEqualTo("down");
        assertThat(liaison.get("downSince").asText()).isEqualTo("2023-04-06T07:00:00Z");
        assertThat(liaison.get("lastAnswered").asText()).isEqualTo("2023-04-06T00:00:00Z");
        // 1 d: Friday's missed morning and Thursday's missed afternoon; 7 d: one answered of three
        assertThat(liaison.get("availability").toString()).isEqualTo("{\"1d\":0.0,\"7d\":0.3333333333333333,\"30d\":0.3333333333333333,\"90d\":0.3333333333333333}");
        JsonNode days = liaison.get("days");
        assertThat(days).hasSize(90);
        assertThat(days.get(0).toString()).isEqualTo("{\"date\":\"2023-01-08\",\"kind\":\"unknown\",\"text\":\"Sun 2023-01-08: no data\"}");
        assertThat(days.get(88).toString()).isEqualTo("{\"date\":\"2023-04-06\",\"kind\":\"partly\","
                + "\"text\":\"Thu 2023-04-06: 09:00 answered; 16:00 missed (no answer)\"}");
        assertThat(days.get(89).toString()).isEqualTo("{\"date\":\"2023-04-07\",\"kind\":\"missed\","
                + "\"text\":\"Fri 2023-04-07: 09:00 missed (line fault)\"}");

        // The ship's slots at 00:00 UTC fall in the nightly window: maintenance, not counted
        JsonNode ship = s.get("channels").get(1);
        assertThat(ship.get("state").asText()).isEqualTo("up");
        assertThat(ship.get("name").asText()).isEqualTo("ship-to-ship");
        assertThat(ship.get("downSince").isNull()).isTrue();
        assertThat(ship.get("availability").toString()).isEqualTo("{\"1d\":null,\"7d\":null,\"30d\":null,\"90d\":null}");
        assertThat(ship.get("days").get(89).toString()).isEqualTo("{\"date\":\"2023-04-07\",\"kind\":\"maintenance\","
                + "\"text\":\"Fri 2023-04-07: 00:00 missed (no answer), maintenance\"}");

        assertThat(s.get("incidents").toString()).isEqualTo("[{\"channel\":\"liaison-office\",\"start\":\"2023-04-06T07:00:00Z\","
                + "\"detected\":\"2023-04-07T01:00:00Z\",\"end\":null,\"durationSeconds\":72000,\"missedSlots\":2}]");
        // newest first, as the alerts topic has them (AlertCodec)
        assertThat(s.get("alerts")).extracting(a -> a.get("type").asText()).containsExactly("CHANNEL_DOWN", "SLOT_MISSED");
        assertThat(s.get("alerts").get(0).get("since").asText()).isEqualTo("2023-04-06T07:00:00Z");
        // the ended one-off silence is not listed
        assertThat(s.get("silences")).hasSize(1);
        JsonNode nightly = s.get("silences").get(0);
        assertThat(fields(nightly)).containsExactly("id", "channels", "start", "end", "zone", "from", "to", "days", "comment",
                "origin", "createdBy", "createdAt", "activeNow");
        assertThat(nightly.get("id").asText()).isEqualTo("nightly");
        assertThat(nightly.get("activeNow").asBoolean()).isFalse();
    }

    @Test
    void beforeAnyDataEveryChannelIsUnknownWithNinetyDaysOfNoData() {
        JsonNode s = JSON.valueToTree(StatusView.json(new StatusLedger(CONFIG, 10), List.of(), NOW));
        assertThat(s.get("dataSince").isNull()).isTrue();
        assertThat(s.get("channels")).allSatisfy(c -> {
            assertThat(c.get("state").asText()).isEqualTo("unknown");
            assertThat(c.get("lastAnswered").isNull()).isTrue();
            assertThat(c.get("days")).hasSize(90).allSatisfy(d -> assertThat(d.get("kind").asText()).isEqualTo("unknown"));
        });
        assertThat(s.get("incidents")).isEmpty();
        assertThat(s.get("alerts")).isEmpty();
        assertThat(JSON.valueToTree(StatusView.json(new StatusLedger(CONFIG, 10), List.of(), NOW.plusNanos(1_234_567))).get("now").asText())
                .as("milliseconds, as a JavaScript Date reads them").isEqualTo("2023-04-07T03:00:00.001Z");
        assertThat(s.get("silences")).isEmpty();
    }

    @Test
    void theFeedForgetsWhatIsOlderThanItKeeps() {
        StatusLedger ledger = new StatusLedger(CONFIG, 10);
        Instant old = NOW.minus(StatusFeed.KEEP).minus(Duration.ofDays(1));
        StatusFeed feed = new StatusFeed(ledger, null, Clock.fixed(NOW, ZoneOffset.UTC));
        feed.decided(new String[] {"ship-to-ship", "ship-to-ship"}, new long[] {old.toEpochMilli(), FRI_MORNING.toEpochMilli()},
                new byte[] {(byte) Verdict.ANSWERED.ordinal(), (byte) Verdict.ANSWERED.ordinal()}, new byte[] {-1, -1}, 2);
        assertThat(ledger.slots("ship-to-ship", Instant.EPOCH, Instant.MAX)).extracting(StatusLedger.Slot::slot)
                .containsExactly(FRI_MORNING);
    }

    @Test
    void aChannelDownBeforeARestartIsShownDownFromItsRestoredState() {
        StatusFeed feed = new StatusFeed(new StatusLedger(CONFIG, 10), null, Clock.fixed(NOW, ZoneOffset.UTC));
        org.hotlinemonitor.app.detect.DetectorView view = new org.hotlinemonitor.app.detect.DetectorView();
        view.decisions(feed);
        long none = org.hotlinemonitor.core.model.Millis.NONE;
        // as the task restores them: the liaison office down since Thursday afternoon, the ship never decided
        org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, 0, "liaison-office", new org.hotlinemonitor.core.detect.ChannelState(
                NOW.toEpochMilli(), FRI_MORNING.plus(Duration.ofHours(7)).toEpochMilli(), org.hotlinemonitor.core.detect.ChannelStatus.DOWN,
                2, THU_AFTERNOON.toEpochMilli(), THU_MORNING.plusSeconds(30).toEpochMilli(), none, 0, none, List.of()));
        org.hotlinemonitor.app.detect.DetectorViewFixture.join(view, 0, "ship-to-ship",
                org.hotlinemonitor.core.detect.ChannelState.initial(NOW.toEpochMilli(), FRI_MORNING.plus(Duration.ofDays(1)).toEpochMilli()));
        JsonNode s = JSON.valueToTree(StatusView.json(feed.ledger(), List.of(), NOW));
        JsonNode liaison = s.get("channels").get(0);
        assertThat(liaison.get("state").asText()).isEqualTo("down");
        assertThat(liaison.get("downSince").asText()).isEqualTo(THU_AFTERNOON.toString());
        assertThat(liaison.get("days").get(88).get("kind").asText()).as("before this process: no data").isEqualTo("unknown");
        assertThat(s.get("channels").get(1).get("state").asText()).isEqualTo("unknown");
        assertThat(s.get("incidents").toString()).isEqualTo("[{\"channel\":\"liaison-office\",\"start\":\"2023-04-06T07:00:00Z\","
                + "\"detected\":null,\"end\":null,\"durationSeconds\":72000,\"missedSlots\":2}]");
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
