package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.ingest.EventGate;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;

/**
 * One event stamped far from its neighbours must not move the replay's time: it is held and refused as an
 * outlier, where it was read, while a real gap in the log (several events on the far side) moves time.
 */
class OutlierReplayTest {

    static final Duration LATENESS = Duration.ofMinutes(5);
    /** So large that nothing is ever held: the replay as it was before the bound. */
    static final Duration NO_BOUND = Duration.ofDays(36_500);

    record Result(List<String> alerts, List<RejectRecord> rejects, Map<String, Object> input) {
    }

    static Result replay(List<String> lines, Duration maxJump) throws Exception {
        List<String> alerts = new ArrayList<>();
        List<RejectRecord> rejects = new ArrayList<>();
        Replay replay = new Replay(new Replay.Options(LogGen.config(), LATENESS, maxJump, null, false),
                a -> alerts.add(AlertCodec.toJson(a)), rejects::add, Replay.Progress.NONE);
        String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        ReplayReport report = replay.run(List.of(LogInput.of("-", null)),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) report.toTree().get("input");
        return new Result(alerts, rejects, input);
    }

    static List<String> lines(List<CallEvent> events) {
        return new ArrayList<>(events.stream().map(EventWriter::toJson).toList());
    }

    /** A copy of the first event of the liaison line (Seoul, no daylight saving) at index {@code from} or after, moved by {@code by}. */
    static String moved(List<CallEvent> log, int from, Duration by) {
        for (int i = from; ; i++) {
            CallEvent e = log.get(i);
            if ("liaison".equals(e.channel()) && e.slot() != null) {
                return EventWriter.toJson(new CallEvent(e.channel(), e.kind(), e.ts().plus(by), e.slot().plus(by),
                        null, e.source(), null));
            }
        }
    }

    @Test
    void aFutureOutlierInTheMiddleIsRefusedWhereItWasReadAndChangesNothingElse() throws Exception {
        List<CallEvent> log = LogGen.log(7, 6);
        List<String> lines = lines(log);
        Result plain = replay(lines, ReplayDriver.DEFAULT_MAX_JUMP);
        assertThat(plain.rejects).isEmpty();
        assertThat(plain.alerts).isNotEmpty();

        int at = lines.size() / 2;
        String outlier = moved(log, at, Duration.ofDays(365));
        lines.add(at, outlier);
        Result r = replay(lines, ReplayDriver.DEFAULT_MAX_JUMP);

        assertThat(r.alerts).isEqualTo(plain.alerts);
        assertThat(r.rejects).hasSize(1);
        RejectRecord reject = r.rejects.get(0);
        assertThat(reject.reason()).isEqualTo(Rejection.OUTLIER);
        assertThat(reject.field()).isEqualTo("ts");
        assertThat(reject.where()).isEqualTo(new RejectRecord.Line("-", at + 1));
        assertThat(reject.raw()).isEqualTo(outlier);
        assertThat(reject.message()).contains("P1D", "ahead of the replay's time", "outlier");
        assertThat(r.input.get("end")).isEqualTo(plain.input.get("end"));
        assertThat(r.input.get("firstEvent")).isEqualTo(plain.input.get("firstEvent"));
        assertThat(r.input.get("lines")).isEqualTo((long) lines.size());
        assertThat(r.input.get("events")).isEqualTo((long) lines.size() - 1);
        assertThat(r.input.get("rejected")).isEqualTo(1L);

        // Without the bound, the same line ends the replay a year later: what the bound is for.
        Result unbounded = replay(lines, NO_BOUND);
        assertThat(unbounded.alerts).isNotEqualTo(plain.alerts);
    }

    @Test
    void aFarPastLineAtTheTopIsRefusedAndTheStartStays() throws Exception {
        List<CallEvent> log = LogGen.log(11, 5);
        List<String> lines = lines(log);
        Result plain = replay(lines, ReplayDriver.DEFAULT_MAX_JUMP);
        String stray = moved(log, 0, Duration.ofDays(-700));
        lines.add(0, stray);
        Result r = replay(lines, ReplayDriver.DEFAULT_MAX_JUMP);

        assertThat(r.alerts).isEqualTo(plain.alerts);
        assertThat(r.rejects).extracting(RejectRecord::reason).containsExactly(Rejection.OUTLIER);
        assertThat(r.rejects.get(0).line()).isEqualTo(1);
        assertThat(r.rejects.get(0).raw()).isEqualTo(stray);
        assertThat(r.input.get("firstEvent")).isEqualTo(plain.input.get("firstEvent"));
        assertThat(r.input.get("end")).isEqualTo(plain.input.get("end"));
        assertThat(r.input.get("events")).isEqualTo(plain.input.get("events"));
    }

    @Test
    void aGapOfThreeDaysInASortedLogMovesTimeAndRefusesNothing() throws Exception {
        List<CallEvent> log = LogGen.log(3, 10);
        Instant start = log.get(0).ts();
        Instant downFrom = start.plus(Duration.ofDays(4));
        Instant downUntil = downFrom.plus(Duration.ofDays(3));
        List<CallEvent> gapped = log.stream().filter(e -> e.ts().isBefore(downFrom) || !e.ts().isBefore(downUntil)).toList();
        assertThat(gapped.size()).isLessThan(log.size());
        List<String> lines = lines(gapped);

        Result r = replay(lines, ReplayDriver.DEFAULT_MAX_JUMP);
        Result unbounded = replay(lines, NO_BOUND);
        assertThat(r.rejects).isEmpty();
        assertThat(r.input.get("events")).isEqualTo((long) lines.size());
        assertThat(r.alerts).isEqualTo(unbounded.alerts).isNotEmpty();
        assertThat(r.input.get("end")).isEqualTo(gapped.get(gapped.size() - 1).ts().toString());
    }

    @Test
    void oneLineReplaysAsBefore() throws Exception {
        String line = EventWriter.toJson(CallEvent.of("liaison", EventKind.CALL_PLACED,
                Instant.parse("2023-04-05T00:00:01Z"), Instant.parse("2023-04-05T00:00:00Z")));
        Result r = replay(List.of(line), ReplayDriver.DEFAULT_MAX_JUMP);
        assertThat(r.rejects).isEmpty();
        assertThat(r.input.get("events")).isEqualTo(1L);
        assertThat(r.input.get("end")).isEqualTo("2023-04-05T00:00:01Z");
        assertThat(r.alerts).isEqualTo(replay(List.of(line), NO_BOUND).alerts);
    }

    @Test
    void threeLinesDaysApartReplayAsBefore() throws Exception {
        // Fewer events than a jump needs to be confirmed: all are taken, however far apart.
        List<String> lines = List.of(
                EventWriter.toJson(CallEvent.of("liaison", EventKind.CALL_PLACED,
                        Instant.parse("2023-04-05T00:00:01Z"), Instant.parse("2023-04-05T00:00:00Z"))),
                EventWriter.toJson(CallEvent.of("liaison", EventKind.NO_ANSWER,
                        Instant.parse("2023-04-05T00:10:00Z"), Instant.parse("2023-04-05T00:00:00Z"))),
                EventWriter.toJson(CallEvent.heartbeat(Instant.parse("2023-04-12T00:00:00Z"), "test")));
        Result r = replay(lines, ReplayDriver.DEFAULT_MAX_JUMP);
        Result unbounded = replay(lines, NO_BOUND);
        assertThat(r.rejects).isEmpty();
        assertThat(r.input.get("events")).isEqualTo(3L);
        assertThat(r.input.get("end")).isEqualTo("2023-04-12T00:00:00Z");
        assertThat(r.alerts).isEqualTo(unbounded.alerts).isNotEmpty();
    }

    @Test
    void fewEventsNoneNearAnotherReplayAsBeforeAndADenseGroupWinsOverAStrayLine() throws Exception {
        List<String> sparse = new ArrayList<>();
        for (int day = 0; day < 5; day++) {
            sparse.add(EventWriter.toJson(CallEvent.heartbeat(
                    Instant.parse("2023-04-05T00:00:00Z").plus(Duration.ofDays(3L * day)), "test")));
        }
        Result r = replay(sparse, ReplayDriver.DEFAULT_MAX_JUMP);
        assertThat(r.rejects).as("no two events within maxJump: nothing to tell an outlier by").isEmpty();
        assertThat(r.input.get("end")).isEqualTo("2023-04-17T00:00:00Z");

        List<String> strayAndThree = new ArrayList<>();
        strayAndThree.add(EventWriter.toJson(CallEvent.heartbeat(Instant.parse("2019-01-01T00:00:00Z"), "test")));
        for (int i = 0; i < 3; i++) {
            strayAndThree.add(EventWriter.toJson(CallEvent.heartbeat(
                    Instant.parse("2023-04-05T00:00:00Z").plusSeconds(60L * i), "test")));
        }
        Result s = replay(strayAndThree, ReplayDriver.DEFAULT_MAX_JUMP);
        assertThat(s.rejects).extracting(RejectRecord::line).containsExactly(1L);
        assertThat(s.rejects.get(0).reason()).isEqualTo(Rejection.OUTLIER);
        assertThat(s.input.get("firstEvent")).isEqualTo("2023-04-05T00:00:00Z");
    }

    @Test
    void strictModeThrowsWhenTheOutlierIsRefusedAThousandEventsLater() {
        List<CallEvent> log = LogGen.log(5, 40);
        assertThat(log.size()).isGreaterThan(1200);
        List<RejectRecord> rejects = new ArrayList<>();
        RecordReplay replay = new RecordReplay(new Replay.Options(LogGen.config(), LATENESS, null, true), a -> { },
                rejects::add);
        EventGate check = replay.gate();
        CallEvent future = CallEvent.heartbeat(log.get(100).ts().plus(Duration.ofDays(30)), "test");
        List<CallEvent> input = new ArrayList<>(log);
        input.add(100, future);
        int[] offered = {0};
        assertThatThrownBy(() -> {
            for (CallEvent e : input) {
                int channel = e.kind() == EventKind.HEARTBEAT ? -1 : check.indexOf(e.channel());
                offered[0]++;
                replay.offer(channel, e.kind(), e.ts().toEpochMilli(),
                        e.slot() == null ? org.hotlinemonitor.core.model.Millis.NONE : e.slot().toEpochMilli(),
                        e.source(), new RejectRecord.Line("log", offered[0]), EventWriter.toJson(e).getBytes(StandardCharsets.UTF_8));
            }
        }).isInstanceOf(BadInputException.class).hasMessageContaining("log:101:", "outlier moves time for no one");
        assertThat(offered[0]).as("refused when the %dth event after it was read", ReplayDriver.WINDOW)
                .isEqualTo(101 + ReplayDriver.WINDOW);
        assertThat(rejects).hasSize(1);
        assertThat(rejects.get(0).raw()).isEqualTo(EventWriter.toJson(future));
    }

    @Test
    void strictModeThrowsAtTheEndForAnOutlierNearTheEnd() throws Exception {
        List<CallEvent> log = LogGen.log(5, 3);
        RecordReplay replay = new RecordReplay(new Replay.Options(LogGen.config(), LATENESS, null, true), a -> { },
                r -> { });
        List<CallEvent> input = new ArrayList<>(log);
        input.add(input.size() - 5, CallEvent.heartbeat(log.get(0).ts().plus(Duration.ofDays(200)), "test"));
        long n = 0;
        for (CallEvent e : input) {
            int channel = e.kind() == EventKind.HEARTBEAT ? -1 : replay.gate().indexOf(e.channel());
            replay.offer(channel, e.kind(), e.ts().toEpochMilli(), e.slot() == null ? org.hotlinemonitor.core.model.Millis.NONE : e.slot().toEpochMilli(),
                    e.source(), new RejectRecord.Line("log", ++n), null);
        }
        assertThatThrownBy(replay::finish).isInstanceOf(BadInputException.class)
                .hasMessageContaining("log:" + (input.size() - 5) + ":", "outlier");
    }
}
