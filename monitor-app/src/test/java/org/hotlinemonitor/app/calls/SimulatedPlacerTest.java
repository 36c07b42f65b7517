package org.hotlinemonitor.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotlinemonitor.app.calls.SlotPlannerTest.channel;
import static org.hotlinemonitor.app.calls.SlotPlannerTest.t;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulated far side: its script, its randomness, and when its outcomes arrive. */
class SimulatedPlacerTest {

    static final Channel LIAISON = channel("liaison-office", "Asia/Seoul", Duration.ofHours(1), "09:00", "17:00");
    static final Channel SHIP = channel("ship-to-ship", "Asia/Seoul", Duration.ofHours(1), "09:00");

    /** April 2023 in short: both lines cut by rain one morning; from the 7th's afternoon call the liaison line is silent until the 11th. */
    static final SimulationScript SCRIPT = SimulationScript.DEFAULT
            .with(new SimulationScript.Disruption(Set.of(), t("2023-04-04T00:00:00Z"), t("2023-04-04T02:00:00Z"),
                    EventKind.LINE_FAULT, "heavy rain"))
            .with(new SimulationScript.Disruption(Set.of("liaison-office"), t("2023-04-07T08:00:00Z"), t("2023-04-11T00:00:00Z"),
                    EventKind.NO_ANSWER, "the North does not answer"));

    static SimulatedPlacer placer(SimulationScript script) {
        return new SimulatedPlacer(script, new ClockTimer(Clock.systemUTC()));
    }

    static CallAttempt attempt(Channel channel, String placedAt, int attempt) {
        Instant at = t(placedAt);
        return new CallAttempt(channel, at, attempt, at, false);
    }

    @ParameterizedTest(name = "{0} at {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            liaison-office | 2023-04-03T00:00:00Z | ANSWERED   |
            liaison-office | 2023-04-04T00:00:00Z | LINE_FAULT | heavy rain
            ship-to-ship   | 2023-04-04T01:59:59Z | LINE_FAULT | heavy rain
            ship-to-ship   | 2023-04-04T02:00:00Z | ANSWERED   |
            liaison-office | 2023-04-07T00:00:00Z | ANSWERED   |
            liaison-office | 2023-04-07T08:00:00Z | NO_ANSWER  | the North does not answer
            ship-to-ship   | 2023-04-07T08:00:00Z | ANSWERED   |
            liaison-office | 2023-04-10T23:59:59Z | NO_ANSWER  | the North does not answer
            liaison-office | 2023-04-11T00:00:00Z | ANSWERED   |
            """)
    void theScriptDecidesByChannelAndTimeOfPlacing(String channel, String placedAt, EventKind kind, String note) {
        CallOutcome o = placer(SCRIPT).outcome(attempt(channel.equals("ship-to-ship") ? SHIP : LIAISON, placedAt, 1));
        assertThat(o.kind()).isEqualTo(kind);
        assertThat(o.note()).isEqualTo(note);
        Duration after = Duration.between(t(placedAt), o.at());
        switch (kind) {
            case NO_ANSWER -> assertThat(after).isEqualTo(SCRIPT.ringFor());
            case LINE_FAULT -> assertThat(after).isEqualTo(SCRIPT.faultAfter());
            default -> assertThat(after).isBetween(SCRIPT.answerDelayMin(), SCRIPT.answerDelayMax());
        }
    }

    @Test
    void answerDelaysAreSeededPerAttemptAndSpreadOverTheRange() {
        SimulatedPlacer a = placer(SimulationScript.DEFAULT.withSeed(7));
        SimulatedPlacer b = placer(SimulationScript.DEFAULT.withSeed(7));
        SimulatedPlacer other = placer(SimulationScript.DEFAULT.withSeed(8));
        int differ = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int day = 0; day < 200; day++) {
            CallAttempt x = attempt(LIAISON, "2023-04-03T00:00:00Z", 1);
            x = new CallAttempt(LIAISON, x.slot().plus(Duration.ofDays(day)), 1, x.placedAt().plus(Duration.ofDays(day)), false);
            CallOutcome o = a.outcome(x);
            assertThat(b.outcome(x)).isEqualTo(o);
            if (!other.outcome(x).equals(o)) {
                differ++;
            }
            long ms = Duration.between(x.placedAt(), o.at()).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(differ).isGreaterThan(190);
        assertThat(min).isBetween(5_000L, 10_000L);
        assertThat(max).isBetween(55_000L, 60_000L);
    }

    @Test
    void aNoAnswerRateOfOneRingsOutEveryCall() {
        SimulationScript never = new SimulationScript(1, Duration.ofSeconds(5), Duration.ofSeconds(5), 1.0,
                Duration.ofSeconds(45), Duration.ZERO, List.of());
        CallOutcome o = placer(never).outcome(attempt(LIAISON, "2023-04-03T00:00:00Z", 2));
        assertThat(o).isEqualTo(CallOutcome.noAnswer(t("2023-04-03T00:00:45Z")));
    }

    @Test
    void theOutcomeArrivesAtItsClockTimeThroughTheTimer() {
        MutableClock clock = MutableClock.at("2023-04-03T00:00:00Z");
        ClockTimer timer = new ClockTimer(clock);
        SimulationScript fixed = new SimulationScript(1, Duration.ofSeconds(30), Duration.ofSeconds(30), 0,
                Duration.ofMinutes(1), Duration.ZERO, List.of());
        CompletableFuture<CallOutcome> done = new SimulatedPlacer(fixed, timer).place(attempt(LIAISON, "2023-04-03T00:00:00Z", 1))
                .toCompletableFuture();
        clock.set(t("2023-04-03T00:00:29.999Z"));
        timer.runDue();
        assertThat(done).isNotDone();
        clock.set(t("2023-04-03T00:00:30Z"));
        timer.runDue();
        assertThat(done).isCompletedWithValue(CallOutcome.answered(t("2023-04-03T00:00:30Z")));
    }

    @Test
    void nonsenseIsRefusedWithTheValue() {
        assertThatThrownBy(() -> new SimulationScript(1, Duration.ofSeconds(10), Duration.ofSeconds(5), 0, Duration.ofMinutes(1),
                Duration.ZERO, List.of())).hasMessage("answerDelay.max must be at least answerDelay.min (PT10S), was PT5S");
        assertThatThrownBy(() -> new SimulationScript.Disruption(Set.of(), t("2023-04-04T00:00:00Z"), t("2023-04-04T00:00:00Z"),
                EventKind.NO_ANSWER, null)).hasMessage("until must be after from (2023-04-04T00:00:00Z), was 2023-04-04T00:00:00Z");
        assertThatThrownBy(() -> new SimulationScript.Disruption(Set.of(), t("2023-04-04T00:00:00Z"), null, EventKind.ANSWERED, null))
                .hasMessage("outcome must be NO_ANSWER or LINE_FAULT, was ANSWERED");
    }
}
