package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.core.detect.Fixtures.at;
import static org.hotlinemonitor.core.model.EventKind.ANSWERED;
import static org.hotlinemonitor.core.model.EventKind.CALL_PLACED;
import static org.hotlinemonitor.core.model.EventKind.LINE_FAULT;
import static org.hotlinemonitor.core.model.EventKind.NO_ANSWER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;

/**
 * Alerts name the sources of the events their decision used. Channel "c" checks at 09:00 and 17:00 UTC, answer
 * within 1 h, down after 2; our side is silent after 10 minutes without a heartbeat.
 */
class AlertSourcesTest {

    private static final MonitorConfig CONFIG = new MonitorConfig(List.of(
            Fixtures.channel("c", "UTC", Duration.ofHours(1), 2, "09:00", "17:00")), null, Duration.ofMinutes(10));

    private static CallEvent ev(String time, EventKind kind, String source) {
        return new CallEvent("c", kind, at(time), null, null, source, null);
    }

    private static Fixtures.Run run(String until, CallEvent... events) {
        return Fixtures.run(new MonitorConfig(CONFIG.channels()), true, at("04-06T00:00"), at(until), List.of(events));
    }

    private static Alert only(Fixtures.Run run, AlertType type) {
        List<Alert> of = run.alerts.stream().filter(a -> a.type() == type).toList();
        assertThat(of).as(type.name()).hasSize(1);
        return of.get(0);
    }

    @Test
    void aMissNamesTheDistinctSourcesOfTheSlotsEventsAscending() {
        Fixtures.Run run = run("04-06T12:00",
                ev("04-06T09:00", CALL_PLACED, "scheduler"), ev("04-06T09:01", NO_ANSWER, "scheduler"),
                ev("04-06T09:20", LINE_FAULT, "op-kim"), ev("04-06T09:40", NO_ANSWER, "scheduler"),
                ev("04-06T17:00", CALL_PLACED, "other-slot"));
        Alert missed = only(run, AlertType.SLOT_MISSED);
        assertThat(missed.sources()).containsExactly("op-kim", "scheduler");
        assertThat(AlertCodec.toJson(missed)).endsWith(",\"cause\":\"LINE_FAULT\",\"sources\":[\"op-kim\",\"scheduler\"]}");
        assertThat(AlertCodec.fromJson(AlertCodec.toJson(missed))).isEqualTo(missed);
    }

    @Test
    void downNamesTheSourcesOfTheSlotThatCompletedTheStreak() {
        Fixtures.Run run = run("04-06T19:00",
                ev("04-06T09:00", CALL_PLACED, "scheduler"),
                ev("04-06T17:00", CALL_PLACED, "backup-scheduler"));
        assertThat(run.alerts).extracting(Alert::type, Alert::sources).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertType.SLOT_MISSED, List.of("scheduler")),
                org.assertj.core.groups.Tuple.tuple(AlertType.SLOT_MISSED, List.of("backup-scheduler")),
                org.assertj.core.groups.Tuple.tuple(AlertType.CHANNEL_DOWN, List.of("backup-scheduler")));
    }

    @Test
    void aRestoreNamesTheSourceOfTheAnswerThatRestoredIt() {
        Fixtures.Run run = run("04-07T12:00",
                ev("04-06T09:00", CALL_PLACED, "scheduler"), ev("04-06T17:00", CALL_PLACED, "scheduler"),
                ev("04-07T09:00", CALL_PLACED, "scheduler"), ev("04-07T09:05", ANSWERED, "op-lee"));
        assertThat(only(run, AlertType.CHANNEL_RESTORED).sources()).containsExactly("op-lee");
    }

    @Test
    void notPlacedNamesNoSourceAndItsJsonHasNoSourcesField() {
        Alert notPlaced = only(run("04-06T12:00"), AlertType.CALL_NOT_PLACED);
        assertThat(notPlaced.sources()).isEmpty();
        assertThat(AlertCodec.toJson(notPlaced)).doesNotContain("sources");
    }

    @Test
    void eventsWithoutASourceContributeNothing() {
        Fixtures.Run run = run("04-06T12:00",
                ev("04-06T09:00", CALL_PLACED, null), ev("04-06T09:01", NO_ANSWER, "scheduler"));
        assertThat(only(run, AlertType.SLOT_MISSED).sources()).containsExactly("scheduler");
        Fixtures.Run old = run("04-06T12:00", ev("04-06T09:00", CALL_PLACED, null));
        assertThat(only(old, AlertType.SLOT_MISSED).sources()).isEmpty();
    }

    @Test
    void ourSideAlertsNameTheLastHeartbeatsSourceAndTheOneThatResumed() {
        List<CallEvent> events = List.of(CallEvent.heartbeat(at("04-06T08:00"), "sched-a"),
                CallEvent.heartbeat(at("04-06T08:05"), "sched-b"), CallEvent.heartbeat(at("04-06T08:40"), "sched-a"));
        Fixtures.Run run = Fixtures.run(CONFIG, true, at("04-06T08:00"), at("04-06T08:50"), events);
        assertThat(only(run, AlertType.OUR_SIDE_SILENT).sources()).containsExactly("sched-b");
        assertThat(only(run, AlertType.OUR_SIDE_RESUMED).sources()).containsExactly("sched-a");
    }

    @Test
    void heartbeatsAtTheSameTimeNameTheSmallestSourceWhicheverCameFirst() {
        for (List<String> order : List.of(List.of("sched-b", "sched-a"), List.of("sched-a", "sched-b"))) {
            List<CallEvent> events = List.of(CallEvent.heartbeat(at("04-06T08:00"), order.get(0)),
                    CallEvent.heartbeat(at("04-06T08:00"), order.get(1)));
            Fixtures.Run run = Fixtures.run(CONFIG, true, at("04-06T08:00"), at("04-06T08:30"), events);
            assertThat(only(run, AlertType.OUR_SIDE_SILENT).sources()).as("order %s", order).containsExactly("sched-a");
        }
    }

    @Test
    void atMostEightSourcesThenMoreTheSameInAnyOrder() {
        List<String> names = new ArrayList<>();
        for (char c = 'a'; c <= 'j'; c++) {
            names.add("op-" + c);
        }
        List<List<String>> seen = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 5; i++) {
            List<String> shuffled = new ArrayList<>(names);
            Collections.shuffle(shuffled, random);
            List<CallEvent> events = new ArrayList<>();
            for (int k = 0; k < shuffled.size(); k++) {
                events.add(ev(String.format("04-06T09:%02d", k), NO_ANSWER, shuffled.get(k)));
            }
            Fixtures.Run run = run("04-06T12:00", events.toArray(CallEvent[]::new));
            seen.add(only(run, AlertType.SLOT_MISSED).sources());
        }
        assertThat(seen).allMatch(s -> s.equals(List.of("op-a", "op-b", "op-c", "op-d", "op-e", "op-f", "op-g", "op-h",
                Alert.MORE_SOURCES)));
    }

    @Test
    void theSourcesOfAnOpenSlotSurviveASavedAndResumedState() {
        List<Alert> alerts = new ArrayList<>();
        Monitor first = new Monitor(new MonitorConfig(CONFIG.channels()), alerts::add);
        first.start(at("04-06T00:00"));
        MonitorFeed.accept(first, ev("04-06T09:00", CALL_PLACED, "scheduler"));
        MonitorFeed.accept(first, ev("04-06T09:10", LINE_FAULT, "op-kim"));
        ChannelState saved = first.states().get("c");
        assertThat(saved.openSources()).containsExactly("op-kim", "scheduler");

        Monitor second = new Monitor(new MonitorConfig(CONFIG.channels()), alerts::add);
        second.resume(first.watermark(), id -> saved, Monitor.OurSide.NEVER_HEARD);
        second.advanceTo(at("04-06T12:00").toEpochMilli());
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.sources()).containsExactly("op-kim", "scheduler"));
    }

    @Test
    void theMoreMarkerStaysLastWhateverComesAfterIt() {
        List<String> set = SourceSet.add(SourceSet.add(List.of(), "scheduler"), Alert.MORE_SOURCES);
        assertThat(set).containsExactly("scheduler", Alert.MORE_SOURCES);
        assertThat(SourceSet.add(set, "op-kim")).containsExactly("op-kim", "scheduler", Alert.MORE_SOURCES);
        assertThat(SourceSet.add(set, Alert.MORE_SOURCES)).isSameAs(set);
        assertThat(SourceSet.add(set, null)).isSameAs(set);
    }
}
