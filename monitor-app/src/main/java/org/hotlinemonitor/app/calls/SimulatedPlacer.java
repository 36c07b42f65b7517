package org.hotlinemonitor.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hotlinemonitor.core.model.EventKind;

/**
 * A simulated far side, for demos and tests: it answers after a random delay, except where its
 * {@link SimulationScript} says the line is out (the call rings for {@code ringFor} and ends
 * {@code NO_ANSWER}) or faulty ({@code LINE_FAULT} after {@code faultAfter}). The script is consulted at
 * the time the call is placed, so a retry after a disruption ends gets through.
 *
 * <p>Deterministic: each attempt's randomness comes from the seed, the channel, the slot and the attempt
 * number, not from the order of calls, so the same script and clock give the same outcomes. Outcomes
 * arrive at their own clock time through the scheduler's {@link ClockTimer}: nothing blocks, and an
 * accelerated clock speeds the far side up too.
 *
 * <p>Thread-safety: stateless apart from the timer; {@link #place} may be called from any thread.
 */
public final class SimulatedPlacer implements CallPlacer {

    private final SimulationScript script;
    private final ClockTimer timer;

    public SimulatedPlacer(SimulationScript script, ClockTimer timer) {
        this.script = Objects.requireNonNull(script, "script");
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public CompletionStage<CallOutcome> place(CallAttempt attempt) {
        CallOutcome outcome = outcome(attempt);
        CompletableFuture<CallOutcome> done = new CompletableFuture<>();
        timer.at(outcome.at(), () -> done.complete(outcome));
        return done;
    }

    /** The outcome of {@code attempt}, with the time it ends: a pure function of the script and the attempt. */
    public CallOutcome outcome(CallAttempt attempt) {
        String channel = attempt.channel().id();
        Instant placedAt = attempt.placedAt();
        SimulationScript.Disruption d = script.disruptionAt(channel, placedAt);
        if (d != null) {
            Duration after = d.outcome() == EventKind.NO_ANSWER ? script.ringFor() : script.faultAfter();
            return new CallOutcome(d.outcome(), placedAt.plus(after), d.note());
        }
        SplittableRandom random = new SplittableRandom(mix(script.seed(), channel, attempt.slot(), attempt.attempt()));
        if (script.noAnswerRate() > 0 && random.nextDouble() < script.noAnswerRate()) {
            return new CallOutcome(EventKind.NO_ANSWER, placedAt.plus(script.ringFor()), null);
        }
        long min = script.answerDelayMin().toMillis();
        long max = script.answerDelayMax().toMillis();
        long delay = min == max ? min : random.nextLong(min, max + 1);
        return CallOutcome.answered(placedAt.plusMillis(delay));
    }

    /** A seed for one attempt; String.hashCode is specified, so this is the same in every JVM. */
    private static long mix(long seed, String channel, Instant slot, int attempt) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = (h ^ channel.hashCode()) * 0xBF58476D1CE4E5B9L;
        h = (h ^ slot.toEpochMilli()) * 0x94D049BB133111EBL;
        return h ^ attempt;
    }
}
