package org.hotlinemonitor.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hotlinemonitor.core.model.EventKind;

/**
 * How the {@link SimulatedPlacer}'s far side behaves: a seeded random answer delay, an optional rate of
 * calls that simply ring out, and a script of disruptions (time ranges during which some channels do
 * not answer, or fault). Loaded from YAML by {@link SimulationScriptLoader}, or built in code.
 *
 * @param seed           random seed: the same seed gives the same delays and ring-outs
 * @param answerDelayMin shortest time from placing a call to its answer; not negative
 * @param answerDelayMax longest; at least {@code answerDelayMin}
 * @param noAnswerRate   probability in {@code [0, 1]} that a call outside any disruption rings out anyway
 * @param ringFor        how long an unanswered call rings before it counts as {@code NO_ANSWER}; positive
 * @param faultAfter     how long until a faulty line reports {@code LINE_FAULT}; not negative
 * @param disruptions    the script, earliest first wins when ranges overlap
 */
public record SimulationScript(long seed, Duration answerDelayMin, Duration answerDelayMax, double noAnswerRate,
                               Duration ringFor, Duration faultAfter, List<Disruption> disruptions) {

    /** Seed 1, answers after 5 to 60 s, never rings out outside disruptions, rings for 60 s, faults after 5 s, no disruptions. */
    public static final SimulationScript DEFAULT = new SimulationScript(1, Duration.ofSeconds(5), Duration.ofSeconds(60), 0.0,
            Duration.ofSeconds(60), Duration.ofSeconds(5), List.of());

    public SimulationScript {
        Objects.requireNonNull(answerDelayMin, "answerDelayMin");
        Objects.requireNonNull(answerDelayMax, "answerDelayMax");
        Objects.requireNonNull(ringFor, "ringFor");
        Objects.requireNonNull(faultAfter, "faultAfter");
        if (answerDelayMin.isNegative()) {
            throw new IllegalArgumentException("answerDelay.min must not be negative, was " + answerDelayMin);
        }
        if (answerDelayMax.compareTo(answerDelayMin) < 0) {
            throw new IllegalArgumentException("answerDelay.max must be at least answerDelay.min (" + answerDelayMin
                    + "), was " + answerDelayMax);
        }
        if (!(noAnswerRate >= 0 && noAnswerRate <= 1)) {
            throw new IllegalArgumentException("noAnswerRate must be between 0 and 1, was " + noAnswerRate);
        }
        if (ringFor.isNegative() || ringFor.isZero()) {
            throw new IllegalArgumentException("ringFor must be positive, was " + ringFor);
        }
        if (faultAfter.isNegative()) {
            throw new IllegalArgumentException("faultAfter must not be negative, was " + faultAfter);
        }
        disruptions = List.copyOf(disruptions);
    }

    /**
     * A time range during which some channels do not answer or fault.
     *
     * @param channels the channel ids concerned; empty for every channel
     * @param from     start, inclusive
     * @param until    end, exclusive; null for open-ended
     * @param outcome  {@link EventKind#NO_ANSWER} or {@link EventKind#LINE_FAULT}
     * @param note     optional text for the outcome's note, e.g. the reason given; may be null
     */
    public record Disruption(Set<String> channels, Instant from, Instant until, EventKind outcome, String note) {

        public Disruption {
            channels = Set.copyOf(channels);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(outcome, "outcome");
            if (until != null && !until.isAfter(from)) {
                throw new IllegalArgumentException("until must be after from (" + from + "), was " + until);
            }
            if (outcome != EventKind.NO_ANSWER && outcome != EventKind.LINE_FAULT) {
                throw new IllegalArgumentException("outcome must be NO_ANSWER or LINE_FAULT, was " + outcome);
            }
        }

        /** True when this disruption affects {@code channel} at {@code at}. */
        public boolean covers(String channel, Instant at) {
            return (channels.isEmpty() || channels.contains(channel)) && !at.isBefore(from)
                    && (until == null || at.isBefore(until));
        }
    }

    /** The first disruption that affects {@code channel} at {@code at}, or null. */
    public Disruption disruptionAt(String channel, Instant at) {
        for (Disruption d : disruptions) {
            if (d.covers(channel, at)) {
                return d;
            }
        }
        return null;
    }

    /** This script with {@code d} appended. */
    public SimulationScript with(Disruption d) {
        List<Disruption> all = new ArrayList<>(disruptions);
        all.add(d);
        return new SimulationScript(seed, answerDelayMin, answerDelayMax, noAnswerRate, ringFor, faultAfter, all);
    }

    /** This script with another seed. */
    public SimulationScript withSeed(long newSeed) {
        return new SimulationScript(newSeed, answerDelayMin, answerDelayMax, noAnswerRate, ringFor, faultAfter, disruptions);
    }
}
