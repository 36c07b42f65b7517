package org.hotlinemonitor.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scheduler's decisions, from tables: (channel, time, what was placed) -> what to do. */
class SlotPlannerTest {

    static final Duration LATE_AFTER = Duration.ofMinutes(1);

    /** 09:00 and 17:00 in Seoul every day (00:00Z and 08:00Z), answer within an hour. */
    static final Channel SEOUL = channel("east-coast-military", "Asia/Seoul", Duration.ofHours(1), "09:00", "17:00");

    static Channel channel(String id, String zone, Duration answerWithin, String... times) {
        List<LocalTime> local = Arrays.stream(times).map(LocalTime::parse).toList();
        return new Channel(id, null, Schedule.of(ZoneId.of(zone), local, DayRule.everyDay(), String.join(",", times)),
                answerWithin, 2);
    }

    static Instant t(String instant) {
        return Instant.parse(instant);
    }

    /** Decisions as short strings: {@code place 2023-04-07T00:00:00Z #1 late}, {@code not-placed ...}. */
    static List<String> describe(List<SlotPlanner.Decision> decisions) {
        List<String> out = new ArrayList<>();
        for (SlotPlanner.Decision d : decisions) {
            if (d instanceof SlotPlanner.Place p) {
                out.add("place " + p.slot() + " #" + p.attempt() + (p.late() ? " late" : ""));
            } else {
                out.add("not-placed " + d.slot());
            }
        }
        return out;
    }

    static Arguments row(String name, String now, Consumer<Placements> given, String... expected) {
        return Arguments.of(name, t(now), given, List.of(expected));
    }

    static Stream<Arguments> table() {
        Consumer<Placements> fresh = p -> { };
        Instant slot = t("2023-04-07T00:00:00Z");
        Instant deadline = t("2023-04-07T01:00:00Z");
        String id = SEOUL.id();
        return Stream.of(
                row("fresh, before any slot", "2023-04-06T23:59:59Z", fresh),
                row("fresh, at the slot", "2023-04-07T00:00:00Z", fresh, "place 2023-04-07T00:00:00Z #1"),
                row("fresh, within lateAfter", "2023-04-07T00:01:00Z", fresh, "place 2023-04-07T00:00:00Z #1"),
                row("fresh, after lateAfter: late", "2023-04-07T00:01:00.001Z", fresh, "place 2023-04-07T00:00:00Z #1 late"),
                row("fresh, last millisecond of the window", "2023-04-07T00:59:59.999Z", fresh, "place 2023-04-07T00:00:00Z #1 late"),
                row("fresh, at the deadline: before monitoring, nothing", "2023-04-07T01:00:00Z", fresh),
                row("cursor at the previous slot, window open: late", "2023-04-07T00:30:00Z",
                        p -> p.handled(id, t("2023-04-06T08:00:00Z")), "place 2023-04-07T00:00:00Z #1 late"),
                row("down for a day: closed windows not placed, the open one late", "2023-04-07T00:30:00Z",
                        p -> p.handled(id, t("2023-04-06T00:00:00Z")),
                        "not-placed 2023-04-06T08:00:00Z", "place 2023-04-07T00:00:00Z #1 late"),
                row("down across a whole window", "2023-04-07T01:00:00Z",
                        p -> p.handled(id, t("2023-04-06T08:00:00Z")), "not-placed 2023-04-07T00:00:00Z"),
                row("cursor already at now: nothing again", "2023-04-07T00:00:00Z",
                        p -> p.handled(id, t("2023-04-07T00:00:00Z"))),
                row("already placed, in flight: nothing", "2023-04-07T00:00:30Z",
                        p -> p.placed(id, slot, deadline, 1)),
                row("retry not due yet", "2023-04-07T00:04:59Z",
                        p -> p.placed(id, slot, deadline, 1).ended(id, slot, false, t("2023-04-07T00:05:00Z"))),
                row("retry due", "2023-04-07T00:05:00Z",
                        p -> p.placed(id, slot, deadline, 1).ended(id, slot, false, t("2023-04-07T00:05:00Z")),
                        "place 2023-04-07T00:00:00Z #2"),
                row("retry overdue but window open (after a restart)", "2023-04-07T00:50:00Z",
                        p -> p.placed(id, slot, deadline, 2).ended(id, slot, false, t("2023-04-07T00:10:00Z")),
                        "place 2023-04-07T00:00:00Z #3"),
                row("answered: no retry", "2023-04-07T00:05:00Z",
                        p -> p.placed(id, slot, deadline, 1).ended(id, slot, true, t("2023-04-07T00:05:00Z"))),
                row("no retry planned: attempts used up", "2023-04-07T00:30:00Z",
                        p -> p.placed(id, slot, deadline, 3).ended(id, slot, false, null)),
                row("retry due only at the deadline: too late", "2023-04-07T01:00:00Z",
                        p -> p.placed(id, slot, deadline, 1).ended(id, slot, false, t("2023-04-07T00:05:00Z")).handled(id, t("2023-04-07T00:59:00Z"))),
                row("restored from history: interrupted attempt retried at once", "2023-04-07T00:20:00Z",
                        p -> p.restore(id, new Placements.SlotRecord(slot, deadline, 1, false, false, t("2023-04-07T00:20:00Z"))),
                        "place 2023-04-07T00:00:00Z #2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decisions(String name, Instant now, Consumer<Placements> given, List<String> expected) {
        Placements placements = new Placements();
        given.accept(placements);
        assertThat(describe(SlotPlanner.plan(List.of(SEOUL), now, placements, LATE_AFTER))).isEqualTo(expected);
    }

    static Stream<Arguments> daylightSaving() {
        return Stream.of(
                // 02:30 does not exist on 2024-03-10 in New York: it fires at the jump, 03:00 EDT = 07:00Z,
                // the same instant as the 03:00 check: one slot.
                Arguments.of("spring forward, New York", channel("dst", "America/New_York", Duration.ofMinutes(30), "01:30", "02:30", "03:00"),
                        t("2024-03-10T05:00:00Z"), t("2024-03-10T09:00:00Z"),
                        List.of(t("2024-03-10T06:30:00Z"), t("2024-03-10T07:00:00Z"))),
                // 01:30 happens twice on 2024-11-03 in New York: it fires once, at its first occurrence (EDT).
                Arguments.of("fall back, New York", channel("dst", "America/New_York", Duration.ofMinutes(30), "01:30", "02:30"),
                        t("2024-11-03T04:00:00Z"), t("2024-11-03T09:00:00Z"),
                        List.of(t("2024-11-03T05:30:00Z"), t("2024-11-03T07:30:00Z"))),
                Arguments.of("fall back, London", channel("dst", "Europe/London", Duration.ofMinutes(30), "01:30"),
                        t("2024-10-27T00:00:00Z"), t("2024-10-27T03:00:00Z"),
                        List.of(t("2024-10-27T00:30:00Z"))));
    }

    /** Steps a minute at a time through a daylight-saving day: each slot placed once, on time, at its instant. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("daylightSaving")
    void daylightSavingDaysPlaceEachSlotOnceAtItsInstant(String name, Channel channel, Instant from, Instant to, List<Instant> expected) {
        Placements placements = new Placements();
        List<Instant> placed = new ArrayList<>();
        for (Instant now = from; now.isBefore(to); now = now.plusSeconds(60)) {
            for (SlotPlanner.Decision d : SlotPlanner.plan(List.of(channel), now, placements, Duration.ZERO)) {
                assertThat(d).isInstanceOfSatisfying(SlotPlanner.Place.class, p -> {
                    assertThat(p.late()).as("late at %s", p.slot()).isFalse();
                    assertThat(p.attempt()).isEqualTo(1);
                });
                placements.placed(channel.id(), d.slot(), d.slot().plus(channel.answerWithin()), 1);
                placed.add(d.slot());
            }
            placements.handled(channel.id(), now);
        }
        assertThat(placed).isEqualTo(expected).isEqualTo(channel.schedule().slotsBetween(from, to));
    }

    @Test
    void channelsInConfigurationOrderEachInSlotOrder() {
        Channel hourly = channel("hourly", "UTC", Duration.ofMinutes(15), "00:00", "01:00", "02:00");
        Placements p = new Placements().handled("hourly", t("2023-04-06T23:00:00Z")).handled(SEOUL.id(), t("2023-04-06T08:00:00Z"));
        List<SlotPlanner.Decision> d = SlotPlanner.plan(List.of(hourly, SEOUL), t("2023-04-07T01:05:00Z"), p, LATE_AFTER);
        assertThat(d).extracting(x -> x.channel().id() + " " + x.getClass().getSimpleName() + " " + x.slot()).containsExactly(
                "hourly NotPlaced 2023-04-07T00:00:00Z",
                "hourly Place 2023-04-07T01:00:00Z",
                "east-coast-military NotPlaced 2023-04-07T00:00:00Z");
    }

    @Test
    void nextSlotIsTheEarliestOfAnyChannel() {
        Channel hourly = channel("hourly", "UTC", Duration.ofMinutes(15), "00:00", "01:00");
        assertThat(SlotPlanner.nextSlot(List.of(SEOUL, hourly), t("2023-04-07T00:00:00Z"))).isEqualTo(t("2023-04-07T01:00:00Z"));
        assertThat(SlotPlanner.nextSlot(List.of(SEOUL), t("2023-04-07T00:00:00Z"))).isEqualTo(t("2023-04-07T08:00:00Z"));
        assertThat(SlotPlanner.nextSlot(List.of(), t("2023-04-07T00:00:00Z"))).isNull();
    }

    @Test
    void negativeLateAfterIsRefused() {
        assertThatThrownBy(() -> SlotPlanner.plan(List.of(SEOUL), t("2023-04-07T00:00:00Z"), new Placements(), Duration.ofSeconds(-1)))
                .hasMessage("lateAfter must not be negative, was PT-1S");
    }
}
