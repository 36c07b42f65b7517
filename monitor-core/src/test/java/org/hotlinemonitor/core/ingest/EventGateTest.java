package org.hotlinemonitor.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one event path's decisions, from tables: the checks of a parsed event and their reasons, the judgement of an
 * event behind the watermark, and of one ahead of the clock.
 */
class EventGateTest {

    static final Instant SLOT = Instant.parse("2023-04-07T00:00:00Z");
    static final String KEY = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jD0fGa";

    static MonitorConfig config() throws Exception {
        return ConfigLoader.load("monitor.yaml", new java.io.StringReader("""
                channels:
                  - id: liaison-office
                    zone: Asia/Seoul
                    checks: ['09:00']
                    answerWithin: PT1H
                """));
    }

    static EventGate gate(Monitor monitor, Instant until) {
        return new EventGate(monitor.validator(), new Signing(new SigningConfig(Map.of("field-1", new Secret(null, KEY)))),
                Duration.ofMillis(500), until, Duration.ofMinutes(5));
    }

    static Monitor monitor() throws Exception {
        return new Monitor(config(), a -> { });
    }

    /** channel, kind, ts, slot (or empty), reason (or empty: taken), field, message. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "", textBlock = """
            liaison-office | CALL_PLACED | 2023-04-07T00:00:01Z | 2023-04-07T00:00:00Z |                 |         |
            nowhere        | CALL_PLACED | 2023-04-07T00:00:01Z |                      | unknown-channel | channel | unknown channel 'nowhere' (not in the channel configuration)
            liaison-office | CALL_PLACED | 2023-04-07T00:10:01Z | 2023-04-07T00:10:00Z | not-a-slot      | slot    | slot 2023-04-07T00:10:00Z is not a scheduled slot of channel 'liaison-office' (checks 09:00 every day (Asia/Seoul))
            liaison-office | CALL_PLACED | 2023-04-06T22:00:00Z | 2023-04-07T00:00:00Z | too-early       | ts      | event at 2023-04-06T22:00:00Z is more than answerWithin (PT1H) before its slot 2023-04-07T00:00:00Z
            liaison-office | ANSWERED    | 2023-04-08T00:00:01Z |                      | beyond-until    | ts      | event at 2023-04-08T00:00:01Z is after 2023-04-08T00:00:00Z, the latest event time taken (replay: --until; live: the detector's clock plus the maximum clock skew), and would move time for every channel at once; check its producer's clock
            liaison-office | ANSWERED    | 2023-04-08T00:00:00Z |                      |                 |         |
            """)
    void checksAParsedEvent(String channel, EventKind kind, Instant ts, Instant slot, String reason, String field,
                            String message) throws Exception {
        EventGate gate = gate(monitor(), Instant.parse("2023-04-08T00:00:00Z"));
        CallEvent event = new CallEvent(channel, kind, ts, slot, null, null, null);
        Rejection whole = gate.check(event);
        Rejection parts = gate.check(kind, gate.indexOf(channel), channel, ts.toEpochMilli(),
                slot == null ? Millis.NONE : slot.toEpochMilli());
        Rejection copy = gate.copy().check(event);
        if (reason == null) {
            assertThat(whole).isNull();
            assertThat(parts).isNull();
            assertThat(copy).isNull();
        } else {
            Rejection expected = new Rejection(reason, field, message);
            assertThat(whole).isEqualTo(expected);
            assertThat(parts).isEqualTo(expected);
            assertThat(copy).isEqualTo(expected);
        }
    }

    @Test
    void aSigningSourceMustSignWithItsKey() throws Exception {
        EventGate gate = gate(monitor(), null);
        CallEvent event = new CallEvent("liaison-office", EventKind.ANSWERED, SLOT.plusSeconds(30), null, null, "field-1", null);
        assertThat(gate.signs("field-1")).isTrue();
        assertThat(gate.signs("someone-else")).isFalse();
        assertThat(gate.signs(null)).isFalse();
        assertThat(gate.signature(event)).isEqualTo(new Rejection(Rejection.BAD_SIGNATURE, "sig",
                "source 'field-1' must sign its events, and this one has no sig"));
        EventSignature placer = new EventSignature("field-1", KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(gate.signature(placer.signed(event))).isNull();
        EventSignature forger = new EventSignature("field-1", "an-attackers-own-key-of-32-bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(gate.signature(forger.signed(event)).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    /** The check of a record parsed into parts: the parts' parser is left as it was, for the checks that follow. */
    @Test
    void aRecordInPartsIsCheckedWholeWhenItsSourceSigns() throws Exception {
        EventGate gate = gate(monitor(), null);
        JsonEventParser parts = new JsonEventParser();
        byte[] unsigned = ("{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-07T00:00:30Z\","
                + "\"source\":\"field-1\"}").getBytes(StandardCharsets.UTF_8);
        parts.decodeParts(unsigned, 0, unsigned.length);
        assertThat(gate.signature(parts)).isEqualTo(new Rejection(Rejection.BAD_SIGNATURE, "sig",
                "source 'field-1' must sign its events, and this one has no sig"));
        assertThat(parts.channel()).isEqualTo("liaison-office");
        EventSignature placer = new EventSignature("field-1", KEY.getBytes(StandardCharsets.UTF_8));
        byte[] signed = org.hotlinemonitor.core.codec.EventWriter.toJson(placer.signed(new CallEvent("liaison-office",
                EventKind.ANSWERED, SLOT.plusSeconds(30), null, null, "field-1", null))).getBytes(StandardCharsets.UTF_8);
        parts.decodeParts(signed, 0, signed.length);
        assertThat(gate.signature(parts)).isNull();
        byte[] other = "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-07T00:00:30Z\",\"source\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        parts.decodeParts(other, 0, other.length);
        assertThat(gate.signature(parts)).isNull();
    }

    /**
     * The one order of the checks ({@link EventGate#admit}), for every path: with several faults at once, the first in
     * the order names the reason. signed: none (not a signing source), good, forged, missing (a signing source without
     * sig); owner: the channel's partition (-1: none to check); the record is read from partition 0 of 3.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "", textBlock = """
            liaison-office | 2023-04-07T00:00:00Z | none    | -1 |
            liaison-office | 2023-04-07T00:00:00Z | good    | -1 |
            liaison-office | 2023-04-07T00:00:00Z | none    |  0 |
            liaison-office | 2023-04-07T00:00:00Z | good    |  0 |
            liaison-office | 2023-04-07T00:00:00Z | forged  | -1 | bad-signature
            liaison-office | 2023-04-07T00:00:00Z | missing |  2 | bad-signature
            liaison-office | 2023-04-07T00:10:00Z | forged  |  2 | bad-signature
            nowhere        |                      | forged  | -1 | bad-signature
            liaison-office | 2023-04-07T00:00:00Z | none    |  2 | wrong-partition
            liaison-office | 2023-04-07T00:10:00Z | good    |  2 | wrong-partition
            liaison-office | 2023-04-07T00:10:00Z | none    |  0 | not-a-slot
            liaison-office | 2023-04-07T00:10:00Z | good    | -1 | not-a-slot
            nowhere        |                      | none    | -1 | unknown-channel
            nowhere        |                      | good    | -1 | unknown-channel
            """)
    void theChecksRunInOneOrder(String channel, Instant slot, String signed, int owner, String reason) throws Exception {
        EventGate gate = gate(monitor(), null);
        CallEvent event = new CallEvent(channel, EventKind.CALL_PLACED, SLOT.plusSeconds(1), slot, null,
                signed.equals("none") ? null : "field-1", null);
        String key = signed.equals("forged") ? "an-attackers-own-key-of-32-bytes" : KEY;
        if (!signed.equals("none") && !signed.equals("missing")) {
            event = new EventSignature("field-1", key.getBytes(StandardCharsets.UTF_8)).signed(event);
        }
        byte[] line = org.hotlinemonitor.core.codec.EventWriter.toJson(event).getBytes(StandardCharsets.UTF_8);
        JsonEventParser parts = new JsonEventParser();
        parts.decodeParts(line, 0, line.length);
        Rejection r = gate.admit(parts, gate.indexOf(channel), owner, 3, 0);
        assertThat(r == null ? null : r.reason()).isEqualTo(reason);
        if (!signed.equals("forged") && !signed.equals("missing")) {
            // Settled signature: the rest of the same order.
            Rejection rest = gate.admitSigned(EventKind.CALL_PLACED, gate.indexOf(channel), channel,
                    SLOT.plusSeconds(1).toEpochMilli(), slot == null ? Millis.NONE : slot.toEpochMilli(), owner, 3, 0);
            assertThat(rest).isEqualTo(r);
        }
    }

    @Test
    void aRecordThatDoesNotParseIsMalformedOrItsFieldIsInvalid() {
        assertThat(EventGate.unreadable(new EventFormatException("malformed JSON at column 1", null, 1)))
                .isEqualTo(new Rejection(Rejection.MALFORMED, null, "malformed JSON at column 1"));
        assertThat(EventGate.unreadable(new EventFormatException("field 'ts': bad timestamp", "ts", 7)))
                .isEqualTo(new Rejection(Rejection.INVALID_FIELD, "ts", "field 'ts': bad timestamp"));
        assertThat(EventGate.noValue()).isEqualTo(new Rejection(Rejection.MALFORMED, null, "record has no value"));
        assertThat(EventGate.wrongPartition("liaison-office", 2, 3, 0)).isEqualTo(new Rejection(Rejection.WRONG_PARTITION,
                "channel", "channel 'liaison-office' belongs to partition 2 of 3 (default partitioner on the channel id), but "
                + "the record was read from partition 0; produce events keyed by their channel id"));
    }

    /** now + 5 minutes is the last time taken; a millisecond more is refused. */
    @ParameterizedTest
    @CsvSource(textBlock = """
            2023-04-07T00:00:00Z, false
            2023-04-07T00:05:00Z, false
            2023-04-07T00:05:00.001Z, true
            2023-04-06T00:00:00Z, false
            """)
    void anEventTooFarAheadOfTheClockIsRefused(Instant ts, boolean refused) throws Exception {
        Rejection r = gate(monitor(), null).ahead(ts.toEpochMilli(), SLOT.toEpochMilli());
        if (refused) {
            // The clock's reading plus the skew: the one wording of beyond-until, replay's --until's too.
            assertThat(r).isEqualTo(new Rejection(Rejection.BEYOND_UNTIL, "ts", "event at " + ts + " is after"
                    + " 2023-04-07T00:05:00Z, the latest event time taken (replay: --until; live: the detector's clock plus"
                    + " the maximum clock skew), and would move time for every channel at once; check its producer's clock"));
        } else {
            assertThat(r).isNull();
        }
    }

    /** A task starts at an event no more than the skew (5 minutes) behind the clock; one older does not start it. */
    @ParameterizedTest
    @CsvSource(textBlock = """
            2023-04-07T00:00:00Z, true
            2023-04-06T23:55:00Z, true
            2023-04-06T23:54:59.999Z, false
            2023-04-07T00:05:00Z, true
            """)
    void onlyAnEventNearTheClockMayStartATask(Instant ts, boolean near) throws Exception {
        assertThat(gate(monitor(), null).nearClock(ts.toEpochMilli(), SLOT.toEpochMilli())).isEqualTo(near);
    }

    @Test
    void outliersSayHowFarAndFromWhat() {
        long day = Duration.ofDays(1).toMillis();
        assertThat(EventGate.outlierAhead(SLOT.toEpochMilli(), day, Long.MIN_VALUE).message()).isEqualTo(
                "field 'ts': event at 2023-04-07T00:00:00Z is more than P1D ahead of the replay's time (no event taken) and no other"
                        + " event confirms a jump; an outlier moves time for no one");
        assertThat(EventGate.outlierBefore(SLOT.toEpochMilli(), Duration.ofHours(6).toMillis(), SLOT.plusSeconds(30 * 3600)
                .toEpochMilli(), SLOT.minusSeconds(60).toEpochMilli())).isEqualTo(new Rejection(Rejection.OUTLIER, "ts",
                "event at 2023-04-07T00:00:00Z is more than PT6H before the events read after it (from 2023-04-08T06:00:00Z)"
                        + " that moved the replay's time on from 2023-04-06T23:59:00Z, and no other event confirms it; an"
                        + " outlier moves time for no one"));
    }

    @Test
    void anEventBehindTheWatermarkIsJudgedByItsChannelsTime() throws Exception {
        Monitor monitor = monitor();
        int channel = monitor.validator().indexOf("liaison-office");
        long placed = SLOT.plusSeconds(1).toEpochMilli();
        // Before the monitor starts there is no channel time to judge by: late.
        assertThat(EventGate.behind(monitor, channel, EventKind.CALL_PLACED, placed, SLOT.toEpochMilli(), 0))
                .isEqualTo(EventOutcome.LATE);
        monitor.start(SLOT.minusSeconds(60));
        monitor.advanceTo(SLOT.plusSeconds(600).toEpochMilli());
        // Not before the monitor's time: it is not behind, and the caller must order it; late here.
        assertThat(EventGate.behind(monitor, channel, EventKind.CALL_PLACED, SLOT.plusSeconds(600).toEpochMilli(),
                SLOT.toEpochMilli(), 0)).isEqualTo(EventOutcome.LATE);
        // Behind, and nothing of its channel happened since: applied now as in order.
        EventOutcome taken = EventGate.behind(monitor, channel, EventKind.CALL_PLACED, placed, SLOT.toEpochMilli(), 0);
        assertThat(taken.rejected()).isFalse();
        // Its slot's deadline decided since: late.
        monitor.advanceTo(SLOT.plus(Duration.ofHours(2)).toEpochMilli());
        assertThat(EventGate.behind(monitor, channel, EventKind.ANSWERED, SLOT.plusSeconds(30).toEpochMilli(),
                SLOT.toEpochMilli(), 0)).isEqualTo(EventOutcome.LATE);
        EventGate gate = gate(monitor, null);
        // One wording, replay's and live's: the channel (our side for a heartbeat), the watermark, the lateness.
        assertThat(gate.late(channel, SLOT.toEpochMilli(), SLOT.plusSeconds(60).toEpochMilli())).isEqualTo(new Rejection(
                Rejection.LATE, "ts", "event at 2023-04-07T00:00:00Z came after channel 'liaison-office' had moved past it"
                        + " or before it started (a deadline at or after it was decided, or a later event applied; the"
                        + " watermark is 2023-04-07T00:01:00Z, allowed lateness PT0.5S); verdicts before it are final"));
        assertThat(gate.late(-1, SLOT.toEpochMilli(), SLOT.plusSeconds(60).toEpochMilli()).message()).isEqualTo(
                "field 'ts': event at 2023-04-07T00:00:00Z came after our side had moved past it or before it started"
                        + " (a deadline at or after it was decided, or a later event applied; the watermark is 2023-04-07T00:01:00Z,"
                        + " allowed lateness PT0.5S); verdicts before it are final");
    }
}
