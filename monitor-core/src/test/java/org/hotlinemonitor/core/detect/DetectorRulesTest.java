package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.core.detect.Fixtures.at;
import static org.hotlinemonitor.core.detect.Fixtures.ev;
import static org.hotlinemonitor.core.model.EventKind.ANSWERED;
import static org.hotlinemonitor.core.model.EventKind.CALL_PLACED;
import static org.hotlinemonitor.core.model.EventKind.LINE_FAULT;
import static org.hotlinemonitor.core.model.EventKind.NO_ANSWER;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every detection rule, from a table. Channel "c" checks at 09:00 and 17:00 UTC, answer within 1 h,
 * down after 2 consecutive misses; monitoring starts 04-06T00:00.
 */
class DetectorRulesTest {

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments("answered on time: no alert", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T09:00:41", ANSWERED)),
                        List.of()),
                arguments("placed, never answered: missed, cause NO_ANSWER, at the deadline", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER")),
                arguments("rang out", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T09:01", NO_ANSWER)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER")),
                arguments("any fault makes the cause LINE_FAULT", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T09:01", NO_ANSWER),
                                ev("04-06T09:20", LINE_FAULT), ev("04-06T09:40", NO_ANSWER)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=LINE_FAULT")),
                arguments("a fault alone is a placed attempt", "04-06T12:00",
                        List.of(ev("04-06T09:00", LINE_FAULT)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=LINE_FAULT")),
                arguments("an answer on a retry counts", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T09:01", NO_ANSWER),
                                ev("04-06T09:30", CALL_PLACED), ev("04-06T09:31", ANSWERED)),
                        List.of()),
                arguments("an answer exactly at the deadline counts", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T10:00", ANSWERED)),
                        List.of()),
                arguments("an answer one millisecond after the deadline does not", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T10:00:00.001", ANSWERED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER")),
                arguments("an answer alone (no CALL_PLACED seen) still answers the slot", "04-06T12:00",
                        List.of(ev("04-06T09:02", ANSWERED)),
                        List.of()),
                arguments("nothing from our side: not placed, our fault", "04-06T12:00",
                        List.of(),
                        List.of("CALL_NOT_PLACED@04-06T10:00 slot=04-06T09:00")),
                arguments("two consecutive misses: SLOT_MISSED then CHANNEL_DOWN at the second deadline", "04-06T20:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T17:00", NO_ANSWER)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                                "CHANNEL_DOWN@04-06T18:00 since=04-06T09:00 missed=2")),
                arguments("no SLOT_MISSED while down; the first answer restores, with the whole outage", "04-07T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T17:00", CALL_PLACED),
                                ev("04-07T09:00", CALL_PLACED), ev("04-07T09:05", ANSWERED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                                "CHANNEL_DOWN@04-06T18:00 since=04-06T09:00 missed=2",
                                "CHANNEL_RESTORED@04-07T09:05 since=04-06T09:00 missed=2 for=PT24H5M")),
                arguments("misses while down count into the outage", "04-07T20:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T17:00", CALL_PLACED),
                                ev("04-07T09:00", CALL_PLACED), ev("04-07T17:00", CALL_PLACED),
                                ev("04-07T17:10", ANSWERED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                                "CHANNEL_DOWN@04-06T18:00 since=04-06T09:00 missed=2",
                                "CHANNEL_RESTORED@04-07T17:10 since=04-06T09:00 missed=3 for=PT32H10M")),
                arguments("an unscheduled answer while down restores at once", "04-06T20:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T17:00", CALL_PLACED),
                                ev("04-06T19:30", ANSWERED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                                "CHANNEL_DOWN@04-06T18:00 since=04-06T09:00 missed=2",
                                "CHANNEL_RESTORED@04-06T19:30 since=04-06T09:00 missed=2 for=PT10H30M")),
                arguments("a not-placed slot neither counts nor breaks the streak", "04-07T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-07T09:00", CALL_PLACED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "CALL_NOT_PLACED@04-06T18:00 slot=04-06T17:00",
                                "SLOT_MISSED@04-07T10:00 slot=04-07T09:00 cause=NO_ANSWER",
                                "CHANNEL_DOWN@04-07T10:00 since=04-06T09:00 missed=2")),
                arguments("not placed while down: our fault is still reported, the outage goes on", "04-07T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T17:00", CALL_PLACED),
                                ev("04-07T11:00", ANSWERED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                                "CHANNEL_DOWN@04-06T18:00 since=04-06T09:00 missed=2",
                                "CALL_NOT_PLACED@04-07T10:00 slot=04-07T09:00",
                                "CHANNEL_RESTORED@04-07T11:00 since=04-06T09:00 missed=2 for=PT26H")),
                arguments("any answer between two misses ends the streak: no CHANNEL_DOWN", "04-06T20:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T12:00", ANSWERED),
                                ev("04-06T17:00", CALL_PLACED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER")),
                arguments("a slot whose deadline lies after the end stays pending", "04-06T17:30",
                        List.of(ev("04-06T09:00", ANSWERED), ev("04-06T17:00", CALL_PLACED)),
                        List.of()),
                arguments("a deadline exactly at the end is not yet decided", "04-06T10:00",
                        List.of(ev("04-06T09:00", CALL_PLACED)),
                        List.of()),
                arguments("an event naming its slot belongs to it", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED, "04-06T09:00"),
                                ev("04-06T09:50", ANSWERED, "04-06T09:00")),
                        List.of()),
                arguments("a call placed a little before its named slot counts for that slot", "04-06T12:00",
                        List.of(ev("04-06T08:59:58", CALL_PLACED, "04-06T09:00")),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER")),
                arguments("an answer naming a slot after its deadline does not answer it", "04-06T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED, "04-06T09:00"),
                                ev("04-06T10:30", ANSWERED, "04-06T09:00")),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER")),
                arguments("an unscheduled call attempt is ignored", "04-06T12:00",
                        List.of(ev("04-06T09:10", ANSWERED), ev("04-06T11:00", CALL_PLACED),
                                ev("04-06T11:01", NO_ANSWER)),
                        List.of()),
                arguments("duplicates change nothing", "04-07T12:00",
                        List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T09:00", CALL_PLACED),
                                ev("04-06T17:00", CALL_PLACED), ev("04-06T17:00", CALL_PLACED),
                                ev("04-07T09:05", ANSWERED), ev("04-07T09:05", ANSWERED)),
                        List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                                "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                                "CHANNEL_DOWN@04-06T18:00 since=04-06T09:00 missed=2",
                                "CHANNEL_RESTORED@04-07T09:05 since=04-06T09:00 missed=2 for=PT24H5M")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(String rule, String until, List<CallEvent> events, List<String> expected) {
        var run = Fixtures.run(List.of(Fixtures.twiceDaily()), at("04-06T00:00"), at(until), events);
        assertThat(run.brief()).as(rule).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "downAfter={0}")
    @MethodSource("downAfterCases")
    void downAfterCountsConsecutiveMisses(int downAfter, List<String> expected) {
        Channel c = Fixtures.channel("c", "UTC", Duration.ofHours(1), downAfter, "09:00", "17:00");
        var run = Fixtures.run(List.of(c), at("04-06T00:00"), at("04-07T12:00"),
                List.of(ev("04-06T09:00", CALL_PLACED), ev("04-06T17:00", CALL_PLACED), ev("04-07T09:00", CALL_PLACED)));
        assertThat(run.brief()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> downAfterCases() {
        return Stream.of(
                arguments(1, List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                        "CHANNEL_DOWN@04-06T10:00 since=04-06T09:00 missed=1")),
                arguments(3, List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                        "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                        "SLOT_MISSED@04-07T10:00 slot=04-07T09:00 cause=NO_ANSWER",
                        "CHANNEL_DOWN@04-07T10:00 since=04-06T09:00 missed=3")),
                arguments(4, List.of("SLOT_MISSED@04-06T10:00 slot=04-06T09:00 cause=NO_ANSWER",
                        "SLOT_MISSED@04-06T18:00 slot=04-06T17:00 cause=NO_ANSWER",
                        "SLOT_MISSED@04-07T10:00 slot=04-07T09:00 cause=NO_ANSWER")));
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                arguments(ev("04-06T09:30", ANSWERED), EventOutcome.APPLIED),
                arguments(ev("04-06T12:00", ANSWERED), EventOutcome.UNSCHEDULED),
                arguments(ev("04-06T10:30", ANSWERED, "04-06T09:00"), EventOutcome.AFTER_DEADLINE),
                arguments(ev("04-06T09:30", ANSWERED, "04-06T09:15"), EventOutcome.NOT_A_SLOT),
                arguments(ev("04-06T07:59", CALL_PLACED, "04-06T09:00"), EventOutcome.TOO_EARLY),
                arguments(CallEvent.of("nope", ANSWERED, at("04-06T09:30"), null), EventOutcome.UNKNOWN_CHANNEL),
                arguments(CallEvent.heartbeat(at("04-06T09:30"), "scheduler"), EventOutcome.TIME_ONLY));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("outcomes")
    void eventOutcome(CallEvent event, EventOutcome expected) {
        var run = Fixtures.run(List.of(Fixtures.twiceDaily()), at("04-06T00:00"), at("04-06T00:00"), List.of(event));
        assertThat(run.outcomes).containsExactly(expected);
    }
}
