package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.core.detect.Fixtures.at;
import static org.hotlinemonitor.core.model.EventKind.CALL_PLACED;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The our-side silence rule, from a table: channels "c" and "d" check at 09:00 and 17:00 UTC, answer within 1 h;
 * {@code silentAfter} is 10 minutes; monitoring starts 04-06T08:00. Then a property against an oracle written from
 * the heartbeats alone, and resuming in the middle of a silence.
 */
class OurSideSilenceTest {

    private static final MonitorConfig CONFIG = new MonitorConfig(List.of(
            Fixtures.channel("c", "UTC", Duration.ofHours(1), 2, "09:00", "17:00"),
            Fixtures.channel("d", "UTC", Duration.ofHours(1), 2, "09:00", "17:00")), null, Duration.ofMinutes(10));

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments("heartbeats all along and both calls placed: nothing", "04-06T12:00",
                        events(beats("04-06T08:00", "04-06T12:00"), placed("c", "04-06T09:00"), placed("d", "04-06T09:00"),
                                answered("c", "04-06T09:01"), answered("d", "04-06T09:01")),
                        List.of()),
                arguments("heartbeats all along, calls not placed: one CALL_NOT_PLACED per channel (our side is up)", "04-06T12:00",
                        beats("04-06T08:00", "04-06T12:00"),
                        List.of("CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00", "CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00")),
                arguments("no heartbeat ever: the rule is not armed, one CALL_NOT_PLACED per channel", "04-06T12:00",
                        List.of(),
                        List.of("CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00", "CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00")),
                arguments("heartbeats stop at 08:30: one OUR_SIDE_SILENT at 08:40, the unplaced 09:00 calls raise nothing",
                        "04-06T12:00",
                        beats("04-06T08:00", "04-06T08:30"),
                        List.of("OUR_SIDE_SILENT@04-06T08:40 since=04-06T08:30")),
                arguments("a heartbeat at 09:30 resumes; the 09:00 slots overlapped the silence and stay covered", "04-06T12:00",
                        events(beats("04-06T08:00", "04-06T08:30"), beats("04-06T09:30", "04-06T12:00")),
                        List.of("OUR_SIDE_SILENT@04-06T08:40 since=04-06T08:30",
                                "OUR_SIDE_RESUMED@04-06T09:30 since=04-06T08:30 for=PT1H")),
                arguments("a silence over before the slot covers nothing: the slot's unplaced calls count again", "04-06T12:00",
                        events(beats("04-06T08:00", "04-06T08:05"), beats("04-06T08:30", "04-06T12:00")),
                        List.of("OUR_SIDE_SILENT@04-06T08:15 since=04-06T08:05",
                                "OUR_SIDE_RESUMED@04-06T08:30 since=04-06T08:05 for=PT25M",
                                "CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00", "CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00")),
                arguments("a silence that begins at a deadline comes first and covers it", "04-06T12:00",
                        events(beats("04-06T08:00", "04-06T09:50")),
                        List.of("OUR_SIDE_SILENT@04-06T10:00 since=04-06T09:50")),
                arguments("a heartbeat exactly silentAfter after the last one is in time", "04-06T09:00",
                        events(heartbeat("04-06T08:00"), heartbeat("04-06T08:10")),
                        List.of("OUR_SIDE_SILENT@04-06T08:20 since=04-06T08:10")),
                arguments("while we are silent a placed call that goes unanswered is still the far side's miss", "04-06T12:00",
                        events(beats("04-06T08:00", "04-06T08:30"), placed("c", "04-06T09:00")),
                        List.of("OUR_SIDE_SILENT@04-06T08:40 since=04-06T08:30",
                                "SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER")),
                arguments("two silences, each its own alert keyed by its last heartbeat", "04-06T18:30",
                        events(beats("04-06T08:00", "04-06T08:30"), beats("04-06T09:30", "04-06T16:00"),
                                placed("c", "04-06T17:00"), placed("d", "04-06T17:00")),
                        List.of("OUR_SIDE_SILENT@04-06T08:40 since=04-06T08:30",
                                "OUR_SIDE_RESUMED@04-06T09:30 since=04-06T08:30 for=PT1H",
                                "OUR_SIDE_SILENT@04-06T16:10 since=04-06T16:00",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER")),
                arguments("a duplicate heartbeat (the copy on another partition) changes nothing", "04-06T09:00",
                        events(heartbeat("04-06T08:00"), heartbeat("04-06T08:05"), heartbeat("04-06T08:05")),
                        List.of("OUR_SIDE_SILENT@04-06T08:15 since=04-06T08:05")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(String rule, String until, List<CallEvent> events, List<String> expected) {
        Fixtures.Run run = Fixtures.run(CONFIG, true, at("04-06T08:00"), at(until), events);
        assertThat(run.brief()).isEqualTo(expected);
    }

    @Test
    void theRuleIsOffWithoutSilentAfter() {
        Fixtures.Run run = Fixtures.run(CONFIG.withSilentAfter(null), true, at("04-06T08:00"), at("04-06T12:00"),
                beats("04-06T08:00", "04-06T08:30"));
        assertThat(run.brief()).containsExactly("CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00",
                "CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00");
        assertThat(run.monitor.ourSide().silentSince()).isEqualTo(Millis.NONE);
    }

    @Test
    void aMonitorThatDoesNotReportStillAppliesTheRule() {
        Fixtures.Run run = Fixtures.run(CONFIG, false, at("04-06T08:00"), at("04-06T12:00"), beats("04-06T08:00", "04-06T08:30"));
        assertThat(run.alerts).as("neither the silence nor the covered calls").isEmpty();
        assertThat(run.monitor.ourSide().silentSince()).isEqualTo(at("04-06T08:40").toEpochMilli());
        assertThat(run.verdicts).as("the slots are still decided, not placed").hasSize(2)
                .allMatch(v -> v.verdict() == Verdict.NOT_PLACED);
    }

    @Test
    void theAlertsCarryTheirIdentity() {
        Fixtures.Run run = Fixtures.run(CONFIG, true, at("04-06T08:00"), at("04-06T12:00"),
                events(beats("04-06T08:00", "04-06T08:30"), beats("04-06T09:30", "04-06T12:00")));
        assertThat(run.alerts).extracting(Alert::id).containsExactly(
                "our-side/OUR_SIDE_SILENT/2023-04-06T08:30:00Z", "our-side/OUR_SIDE_RESUMED/2023-04-06T08:30:00Z");
        assertThat(run.alerts).allMatch(a -> a.channel().equals(Channel.OUR_SIDE));
        assertThat(run.alerts).as("each names the heartbeats' source").allMatch(a -> a.sources().equals(List.of("scheduler")));
        assertThat(run.monitor.ourSide()).isEqualTo(new Monitor.OurSide(at("04-06T12:00").toEpochMilli(), Millis.NONE,
                at("04-06T09:30").toEpochMilli(), "scheduler"));
    }

    /**
     * Against an oracle computed from the heartbeats alone: our side is silent from {@code h + silentAfter} to the next
     * heartbeat after {@code h} when that one is later than {@code h + silentAfter}; a CALL_NOT_PLACED is left out
     * exactly when its slot's window overlaps a silence; apart from the our-side alerts, the rest is as without the rule.
     */
    @Property(tries = 200)
    void coversExactlyTheUnplacedSlotsThatOverlapASilence(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                          @ForAll @IntRange(min = 1, max = 4) int days,
                                                          @ForAll @IntRange(min = 30, max = 400) int silentAfterMinutes) {
        MonitorConfig plain = MonitorMatchesDetectorProperties.config();
        Duration silentAfter = Duration.ofMinutes(silentAfterMinutes);
        List<CallEvent> log = MonitorMatchesDetectorProperties.log(plain, seed, days);
        Instant end = log.get(log.size() - 1).ts().plus(Duration.ofDays(1));

        List<Alert> without = new ArrayList<>();
        Monitor off = new Monitor(plain, without::add);
        log.forEach(e -> MonitorFeed.accept(off, e));
        off.advanceTo(end.toEpochMilli());
        List<Alert> with = new ArrayList<>();
        Monitor on = new Monitor(plain.withSilentAfter(silentAfter), with::add);
        log.forEach(e -> MonitorFeed.accept(on, e));
        on.advanceTo(end.toEpochMilli());

        List<long[]> silences = new ArrayList<>(); // {last heartbeat, start, end or Long.MAX_VALUE}
        List<Long> beats = log.stream().filter(e -> e.kind() == EventKind.HEARTBEAT).map(e -> e.ts().toEpochMilli()).toList();
        List<Alert> ourSide = new ArrayList<>();
        for (int i = 0; i < beats.size(); i++) {
            long h = beats.get(i);
            long s = h + silentAfter.toMillis();
            Long next = i + 1 < beats.size() ? beats.get(i + 1) : null;
            if (next != null && next > s) {
                silences.add(new long[] {h, s, next});
                ourSide.add(Alert.ourSideSilent(Instant.ofEpochMilli(h), Instant.ofEpochMilli(s)).withSources(List.of("gen")));
                ourSide.add(Alert.ourSideResumed(Instant.ofEpochMilli(h), Instant.ofEpochMilli(next)).withSources(List.of("gen")));
            } else if (next == null && s < end.toEpochMilli()) {
                silences.add(new long[] {h, s, Long.MAX_VALUE});
                ourSide.add(Alert.ourSideSilent(Instant.ofEpochMilli(h), Instant.ofEpochMilli(s)).withSources(List.of("gen")));
            }
        }
        List<Alert> expected = new ArrayList<>(without.stream().filter(a -> !(a.type() == AlertType.CALL_NOT_PLACED
                && silences.stream().anyMatch(x -> x[1] <= a.at().toEpochMilli() && x[2] > a.slot().toEpochMilli()))).toList());
        expected.addAll(ourSide);
        Comparator<Alert> byTime = Comparator.comparing(Alert::at);
        expected.sort(byTime); // stable: each channel's own order, and a silence before the deadlines of its instant
        List<Alert> sortedOn = new ArrayList<>(with);
        sortedOn.sort(byTime);
        assertThat(with).as("handed on in time order").isEqualTo(sortedOn);
        assertThat(with).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(on.states()).as("the channels' states do not depend on the rule").isEqualTo(off.states());
    }

    @Property(tries = 100)
    void resumingInTheMiddleDecidesAsAnUninterruptedRun(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                        @ForAll @IntRange(min = 0, max = 100) int cutPercent) {
        MonitorConfig config = MonitorMatchesDetectorProperties.config().withSilentAfter(Duration.ofHours(2));
        List<CallEvent> log = MonitorMatchesDetectorProperties.log(config, seed, 3);
        Instant end = log.get(log.size() - 1).ts().plus(Duration.ofDays(1));
        List<Alert> whole = new ArrayList<>();
        Monitor uninterrupted = new Monitor(config, whole::add);
        log.forEach(e -> MonitorFeed.accept(uninterrupted, e));
        uninterrupted.advanceTo(end.toEpochMilli());

        int cut = Math.max(1, log.size() * cutPercent / 100);
        List<Alert> alerts = new ArrayList<>();
        Monitor first = new Monitor(config, alerts::add);
        Map<String, ChannelState> saved = new HashMap<>();
        log.subList(0, cut).forEach(e -> MonitorFeed.accept(first, e));
        first.drainChanged(saved::put);
        Monitor second = new Monitor(config, alerts::add);
        second.resume(first.watermark(), saved::get, first.ourSide());
        log.subList(cut, log.size()).forEach(e -> MonitorFeed.accept(second, e));
        second.advanceTo(end.toEpochMilli());
        assertThat(alerts).isEqualTo(whole);
        assertThat(whole).as("the generated log has silences (heartbeats every 3 h)")
                .anyMatch(a -> a.type() == AlertType.OUR_SIDE_SILENT);
    }

    // --- builders ---

    /** Heartbeats every 5 minutes from {@code from} to {@code to}, both included. */
    private static List<CallEvent> beats(String from, String to) {
        List<CallEvent> out = new ArrayList<>();
        for (Instant t = at(from); !t.isAfter(at(to)); t = t.plus(Duration.ofMinutes(5))) {
            out.add(CallEvent.heartbeat(t, "scheduler"));
        }
        return out;
    }

    private static CallEvent heartbeat(String time) {
        return CallEvent.heartbeat(at(time), "scheduler");
    }

    private static CallEvent placed(String channel, String time) {
        return CallEvent.of(channel, CALL_PLACED, at(time), null);
    }

    private static CallEvent answered(String channel, String time) {
        return CallEvent.of(channel, EventKind.ANSWERED, at(time), null);
    }

    /** Events, or lists of them, in time order (stable). */
    private static List<CallEvent> events(Object... parts) {
        List<CallEvent> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof CallEvent e) {
                out.add(e);
            } else {
                for (Object e : (List<?>) p) {
                    out.add((CallEvent) e);
                }
            }
        }
        out.sort(Comparator.comparing(CallEvent::ts));
        return out;
    }
}
