package org.hotlinemonitor.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Drives a {@link ClockTimer} by hand: moves the clock from task to task, as a real clock would pass
 * through them, and runs each task at its own instant.
 */
public final class ManualTime {

    private final MutableClock clock;
    private final ClockTimer timer;

    public ManualTime(MutableClock clock, ClockTimer timer) {
        this.clock = clock;
        this.timer = timer;
    }

    public static ManualTime startingAt(String instant) {
        MutableClock clock = MutableClock.at(instant);
        return new ManualTime(clock, new ClockTimer(clock));
    }

    public MutableClock clock() {
        return clock;
    }

    public ClockTimer timer() {
        return timer;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Runs what is due now, then steps the clock through every task up to {@code end}, then sets it to {@code end}. */
    public void runUntil(Instant end) {
        timer.runDue();
        while (true) {
            Optional<Instant> next = timer.nextDue();
            if (next.isEmpty() || next.get().isAfter(end)) {
                break;
            }
            if (next.get().isAfter(clock.instant())) {
                clock.set(next.get());
            }
            timer.runDue();
        }
        if (end.isAfter(clock.instant())) {
            clock.set(end);
        }
        timer.runDue();
    }

    public void runFor(Duration d) {
        runUntil(clock.instant().plus(d));
    }

    /** Jumps the clock to {@code to} without running anything on the way (a stalled or stopped process). */
    public void jumpTo(Instant to) {
        clock.set(to);
    }
}
