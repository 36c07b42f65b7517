package org.hotlinemonitor.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.calls.SlotPlannerTest.channel;
import static org.hotlinemonitor.app.calls.SlotPlannerTest.t;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

/** The scheduler loop, driven by a clock moved by hand: events, retries, stalls, heartbeats, restarts. */
class CallSchedulerTest {

    static final Channel EAST = channel("east-coast-military", "Asia/Seoul", Duration.ofHours(1), "09:00", "16:00");
    static final Channel WEST = channel("west-coast-military", "Asia/Seoul", Duration.ofHours(1), "09:00", "16:00");
    static final String SOURCE = "scheduler-1";

    ManualTime time = ManualTime.startingAt("2023-04-06T15:00:00Z"); // midnight in Seoul
    RecordingSink sink = new RecordingSink();

    CallScheduler scheduler(CallPlacer placer, RetryPolicy retry, Duration heartbeatEvery, Placements placements, Channel... channels) {
        CallScheduler s = new CallScheduler(List.of(channels), placer, sink, time.timer(),
                new CallScheduler.Settings(SOURCE, Duration.ofMinutes(1), retry, heartbeatEvery), placements);
        s.start();
        return s;
    }

    CallScheduler simulated(SimulationScript script, Channel... channels) {
        return scheduler(new SimulatedPlacer(script, time.timer()), RetryPolicy.DEFAULT, Duration.ofMinutes(10), new Placements(), channels);
    }

    @Test
    void aQuietDayEverySlotPlacedOnTimeAndAnswered() {
        CallScheduler s = simulated(SimulationScript.DEFAULT, EAST, WEST);
        time.runUntil(t("2023-04-07T15:00:00Z"));

        List<CallEvent> placed = sink.ofKind(EventKind.CALL_PLACED);
        assertThat(placed).extracting(e -> e.channel() + " " + e.slot()).containsExactly(
                "east-coast-military 2023-04-07T00:00:00Z", "west-coast-military 2023-04-07T00:00:00Z",
                "east-coast-military 2023-04-07T07:00:00Z", "west-coast-military 2023-04-07T07:00:00Z");
        for (CallEvent e : placed) {
            assertThat(e.ts()).isEqualTo(e.slot());
            assertThat(e.note()).isNull();
            assertThat(e.source()).isEqualTo(SOURCE);
            assertThat(e.id()).isEqualTo(e.channel() + "/" + e.slot() + "/CALL_PLACED/1");
        }
        List<CallEvent> answers = sink.ofKind(EventKind.ANSWERED);
        assertThat(answers).hasSize(4).allSatisfy(e -> {
            assertThat(Duration.between(e.slot(), e.ts())).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(60));
            assertThat(e.id()).isEqualTo(e.channel() + "/" + e.slot() + "/ANSWERED/1");
        });
        // each answer follows its own call, and events are published in time order
        assertThat(sink.events).extracting(CallEvent::ts).isSorted();
        assertThat(sink.events).hasSize(8);
        assertThat(s.stats()).isEqualTo(new CallScheduler.Stats(4, 0, 0, 0, 0, 4, 0, 0, 0, 145));
    }

    @Test
    void heartbeatsCarryTheSourceEveryPeriodAndNoChannel() {
        scheduler(new SimulatedPlacer(SimulationScript.DEFAULT, time.timer()), RetryPolicy.NONE, Duration.ofSeconds(5),
                new Placements(), EAST);
        time.runFor(Duration.ofSeconds(20));
        assertThat(sink.heartbeats).extracting(CallEvent::ts).containsExactly(
                t("2023-04-06T15:00:00Z"), t("2023-04-06T15:00:05Z"), t("2023-04-06T15:00:10Z"),
                t("2023-04-06T15:00:15Z"), t("2023-04-06T15:00:20Z"));
        assertThat(sink.heartbeats).allSatisfy(h -> {
            assertThat(h.kind()).isEqualTo(EventKind.HEARTBEAT);
            assertThat(h.channel()).isNull();
            assertThat(h.source()).isEqualTo(SOURCE);
        });
        assertThat(sink.heartbeats.get(1).id()).isEqualTo("scheduler-1/HEARTBEAT/2023-04-06T15:00:05Z");
    }

    @Test
    void anOutageRingsOutOnEveryAttemptWithinTheWindow() {
        SimulationScript script = SimulationScript.DEFAULT.with(new SimulationScript.Disruption(Set.of(EAST.id()),
                t("2023-04-07T00:00:00Z"), null, EventKind.NO_ANSWER, "the North does not answer"));
        simulated(script, EAST, WEST);
        time.runUntil(t("2023-04-07T02:00:00Z"));

        assertThat(sink.events).filteredOn(e -> e.channel().equals(EAST.id())).extracting(e -> e.kind() + " " + e.ts() + " " + e.id())
                .containsExactly(
                        "CALL_PLACED 2023-04-07T00:00:00Z east-coast-military/2023-04-07T00:00:00Z/CALL_PLACED/1",
                        "NO_ANSWER 2023-04-07T00:01:00Z east-coast-military/2023-04-07T00:00:00Z/NO_ANSWER/1",
                        "CALL_PLACED 2023-04-07T00:06:00Z east-coast-military/2023-04-07T00:00:00Z/CALL_PLACED/2",
                        "NO_ANSWER 2023-04-07T00:07:00Z east-coast-military/2023-04-07T00:00:00Z/NO_ANSWER/2",
                        "CALL_PLACED 2023-04-07T00:12:00Z east-coast-military/2023-04-07T00:00:00Z/CALL_PLACED/3",
                        "NO_ANSWER 2023-04-07T00:13:00Z east-coast-military/2023-04-07T00:00:00Z/NO_ANSWER/3");
        assertThat(sink.ofKind(EventKind.NO_ANSWER)).allSatisfy(e -> assertThat(e.note()).isEqualTo("the North does not answer"));
        assertThat(sink.events).filteredOn(e -> e.channel().equals(WEST.id())).extracting(CallEvent::kind)
                .containsExactly(EventKind.CALL_PLACED, EventKind.ANSWERED);
    }

    @Test
    void aRetryAfterTheOutageEndsIsAnswered() {
        SimulationScript script = SimulationScript.DEFAULT.with(new SimulationScript.Disruption(Set.of(),
                t("2023-04-06T23:00:00Z"), t("2023-04-07T00:03:00Z"), EventKind.LINE_FAULT, "cable cut by rain"));
        simulated(script, EAST);
        time.runUntil(t("2023-04-07T02:00:00Z"));
        assertThat(sink.events).extracting(e -> e.kind() + "/" + EventIds.attemptOf(e.id())).containsExactly(
                "CALL_PLACED/1", "LINE_FAULT/1", "CALL_PLACED/2", "ANSWERED/2");
        assertThat(sink.events.get(1).ts()).isEqualTo(t("2023-04-07T00:00:05Z")); // faultAfter
        assertThat(sink.events.get(2).ts()).isEqualTo(t("2023-04-07T00:05:05Z")); // retry.after
    }

    @Test
    void aStalledSchedulerPlacesOpenSlotsLateAndReportsClosedOnesNotPlaced() {
        CallScheduler s = simulated(SimulationScript.DEFAULT, EAST);
        time.runUntil(t("2023-04-07T00:30:00Z"));
        assertThat(sink.ofKind(EventKind.CALL_PLACED)).hasSize(1);
        // the process stalls (suspended laptop, long GC, clock jump) past 16:00's window and into the next day's
        time.jumpTo(t("2023-04-08T00:20:00Z"));
        time.runFor(Duration.ofMinutes(10));

        assertThat(sink.ofKind(EventKind.CALL_PLACED)).extracting(e -> e.slot() + " " + e.ts() + " " + e.note()).containsExactly(
                "2023-04-07T00:00:00Z 2023-04-07T00:00:00Z null",
                "2023-04-08T00:00:00Z 2023-04-08T00:20:00Z late: placed PT20M after the slot");
        assertThat(s.stats().notPlaced()).isEqualTo(1); // 2023-04-07T07:00:00Z
        assertThat(s.stats().late()).isEqualTo(1);
    }

    @Test
    void theOperatorPlacerPublishesNothingForSlotsButHeartbeatsGoOn() {
        CallScheduler s = scheduler(new OperatorPlacer(), RetryPolicy.DEFAULT, Duration.ofMinutes(10), new Placements(), EAST);
        time.runUntil(t("2023-04-07T15:00:00Z"));
        assertThat(sink.events).isEmpty();
        assertThat(sink.heartbeats).hasSize(145);
        assertThat(s.stats().reminded()).isEqualTo(2);
        assertThat(s.stats().placed()).isZero();
    }

    @Test
    void aFailingPlacerPublishesNoOutcomeAndIsRetried() {
        List<CallAttempt> attempts = new ArrayList<>();
        CallPlacer flaky = new CallPlacer() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public CompletionStage<CallOutcome> place(CallAttempt attempt) {
                attempts.add(attempt);
                if (attempt.attempt() == 1) {
                    return CompletableFuture.failedFuture(new IllegalStateException("probe crashed"));
                }
                return CompletableFuture.completedFuture(CallOutcome.answered(attempt.placedAt().plusSeconds(3)));
            }
        };
        CallScheduler s = scheduler(flaky, RetryPolicy.DEFAULT, Duration.ofMinutes(10), new Placements(), EAST);
        time.runUntil(t("2023-04-07T00:30:00Z"));
        assertThat(sink.events).extracting(e -> e.kind() + " " + e.ts()).containsExactly(
                "CALL_PLACED 2023-04-07T00:00:00Z",
                "CALL_PLACED 2023-04-07T00:05:00Z",
                "ANSWERED 2023-04-07T00:05:03Z");
        assertThat(s.stats().placerFailures()).isEqualTo(1);
        assertThat(s.placerCalls(EAST.id(), false)).as("placed, per channel").isEqualTo(2);
        assertThat(s.placerCalls(EAST.id(), true)).as("failed, per channel").isEqualTo(1);
        assertThat(s.placerCalls(WEST.id(), false)).as("a channel not scheduled here").isZero();
        assertThat(attempts).extracting(CallAttempt::attempt).containsExactly(1, 2);
    }

    @Test
    void aClosedSchedulerPlacesAndPublishesNothingMore() {
        CallScheduler s = simulated(SimulationScript.DEFAULT, EAST);
        time.runUntil(t("2023-04-07T00:00:00Z"));
        s.close();
        time.runUntil(t("2023-04-08T00:00:00Z"));
        assertThat(sink.events).extracting(CallEvent::kind).containsExactly(EventKind.CALL_PLACED); // the answer was dropped
    }

    /**
     * The restart rule without a broker: stop mid-call, rebuild what was placed from the events, restart
     * later. No event id twice, the interrupted slot continues with attempt 2, a slot whose window is
     * still open is placed late, one whose window closed is reported not placed.
     */
    @Test
    void aRestartedSchedulerResumesFromItsOwnEvents() {
        SimulationScript slow = new SimulationScript(1, Duration.ofMinutes(2), Duration.ofMinutes(2), 0.0,
                Duration.ofMinutes(1), Duration.ofSeconds(5), List.of());
        Channel hourly = channel("hourly", "UTC", Duration.ofMinutes(30), "00:00", "01:00", "02:00", "03:00", "04:00");
        time.clock().set(t("2023-04-07T00:00:00Z"));
        CallScheduler first = simulated(slow, hourly);
        time.runUntil(t("2023-04-07T01:01:00Z")); // 00:00 answered at 00:02; 01:00 placed, its answer due at 01:02
        first.close();
        time.timer().close();
        assertThat(sink.ids()).containsExactly(
                "hourly/2023-04-07T00:00:00Z/CALL_PLACED/1", "hourly/2023-04-07T00:00:00Z/ANSWERED/1",
                "hourly/2023-04-07T01:00:00Z/CALL_PLACED/1");

        // Restart at once: nothing placed again, but the interrupted 01:00 call gets attempt 2.
        List<CallEvent> log = new ArrayList<>(sink.events);
        time = new ManualTime(time.clock(), new ClockTimer(time.clock()));
        CallScheduler second = scheduler(new SimulatedPlacer(slow, time.timer()), RetryPolicy.DEFAULT, Duration.ofMinutes(10),
                PlacementHistory.rebuild(log, List.of(hourly), SOURCE, time.now(), RetryPolicy.DEFAULT), hourly);
        time.runUntil(t("2023-04-07T01:05:00Z"));
        second.close();
        time.timer().close();
        assertThat(sink.ids().subList(3, sink.ids().size())).containsExactly(
                "hourly/2023-04-07T01:00:00Z/CALL_PLACED/2", "hourly/2023-04-07T01:00:00Z/ANSWERED/2");

        // Down from 01:05 to 03:10: 02:00's window closed (not placed), 03:00's is open (placed late).
        log = new ArrayList<>(sink.events);
        time = new ManualTime(time.clock(), new ClockTimer(time.clock()));
        time.jumpTo(t("2023-04-07T03:10:00Z"));
        CallScheduler third = scheduler(new SimulatedPlacer(slow, time.timer()), RetryPolicy.DEFAULT, Duration.ofMinutes(10),
                PlacementHistory.rebuild(log, List.of(hourly), SOURCE, time.now(), RetryPolicy.DEFAULT), hourly);
        time.runUntil(t("2023-04-07T04:30:00Z"));
        assertThat(sink.ids().subList(5, sink.ids().size())).containsExactly(
                "hourly/2023-04-07T03:00:00Z/CALL_PLACED/1", "hourly/2023-04-07T03:00:00Z/ANSWERED/1",
                "hourly/2023-04-07T04:00:00Z/CALL_PLACED/1", "hourly/2023-04-07T04:00:00Z/ANSWERED/1");
        assertThat(sink.events.get(5).note()).isEqualTo("late: placed PT10M after the slot");
        assertThat(third.stats().notPlaced()).isEqualTo(1);
        assertThat(new HashSet<>(sink.ids())).hasSameSizeAs(sink.ids());
    }

    /** A clock 3600 times faster than real time, from a start instant. */
    static final class FastClock extends Clock {
        private final Instant start;
        private final long startNanos = System.nanoTime();
        private final long factor;

        FastClock(Instant start, long factor) {
            this.start = start;
            this.factor = factor;
        }

        @Override
        public Instant instant() {
            return start.plusNanos((System.nanoTime() - startNanos) * factor);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** With its own thread and a clock running at 3600x, slots every 15 clock minutes (0.25 s real) are still placed on time. */
    @Test
    void worksWithAFastClockOnItsOwnThread() throws Exception {
        List<LocalTime> quarters = new ArrayList<>();
        for (int m = 0; m < 24 * 60; m += 15) {
            quarters.add(LocalTime.of(m / 60, m % 60));
        }
        Channel fast = new Channel("fast", null, Schedule.of(ZoneId.of("UTC"), quarters, DayRule.everyDay(), "every 15 min"),
                Duration.ofMinutes(10), 2);
        CountDownLatch answers = new CountDownLatch(8);
        List<CallEvent> events = new ArrayList<>();
        EventPublisher latching = new EventPublisher() {
            @Override
            public synchronized void publish(CallEvent event) {
                events.add(event);
                if (event.kind() == EventKind.ANSWERED) {
                    answers.countDown();
                }
            }

            @Override
            public void publishHeartbeat(CallEvent heartbeat) {
            }
        };
        ClockTimer timer = new ClockTimer(new FastClock(t("2023-04-07T00:00:00Z"), 1200), Duration.ofMillis(5));
        try (CallScheduler s = new CallScheduler(List.of(fast), new SimulatedPlacer(SimulationScript.DEFAULT, timer), latching, timer,
                new CallScheduler.Settings(SOURCE, Duration.ofMinutes(5), RetryPolicy.DEFAULT, Duration.ofMinutes(5)), new Placements())) {
            s.start();
            timer.start();
            assertThat(answers.await(30, TimeUnit.SECONDS)).as("8 answers within 30 s real time").isTrue();
        } finally {
            timer.close();
        }
        List<CallEvent> placed;
        synchronized (latching) {
            placed = events.stream().filter(e -> e.kind() == EventKind.CALL_PLACED).toList();
        }
        assertThat(placed).hasSizeGreaterThanOrEqualTo(8).allSatisfy(e -> {
            assertThat(e.note()).as("%s placed on time", e.slot()).isNull();
            // 5 ms of real time is 6 s of clock time; lateAfter is 5 clock minutes (250 ms real: a loaded machine
            // pauses a thread for 100 ms now and then, which at 3600 times made a call late)
            assertThat(Duration.between(e.slot(), e.ts())).isLessThan(Duration.ofMinutes(5));
        });
        assertThat(placed).extracting(CallEvent::slot).doesNotHaveDuplicates();
    }
}
