package org.hotlinemonitor.app.calls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that starts at a given instant and runs {@code speed} times faster than real time (measured with
 * {@link System#nanoTime()}), for demos and tests. With speed 3600 one real second is one hour. It may be made
 * {@linkplain #paused paused}, reading its start instant until {@link #start()}: a demo starts the clock once the
 * detector is running, so that no event is already an hour old (by the clock) when the detector first reads it.
 *
 * <p>Start it in the past: Kafka brokers refuse records stamped more than {@code message.timestamp.after.max.ms}
 * (one hour by default) ahead of their own clock, and a fast clock that starts now is an hour ahead after a second
 * of real time at 3600x. Give every component the same instance, so that they agree on the time.
 *
 * <p>Thread-safe.
 */
public final class AcceleratedClock extends Clock {

    private final Instant start;
    private final long speed;
    private final ZoneId zone;
    /** The {@link System#nanoTime()} at which it read {@link #start}; {@link #NOT_STARTED} while paused. Shared by zone copies. */
    private final AtomicLong startNanos;
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private AcceleratedClock(Instant start, long speed, AtomicLong startNanos, ZoneId zone) {
        this.start = start;
        this.speed = speed;
        this.startNanos = startNanos;
        this.zone = zone;
    }

    /**
     * A clock that reads {@code start} now and then advances {@code speed} times faster than real time.
     *
     * @param speed at least 1
     */
    public static AcceleratedClock startingAt(Instant start, long speed) {
        AcceleratedClock clock = paused(start, speed);
        clock.start();
        return clock;
    }

    /** A clock that reads {@code start} until {@link #start()}, then runs {@code speed} times faster than real time. */
    public static AcceleratedClock paused(Instant start, long speed) {
        Objects.requireNonNull(start, "start");
        if (speed < 1) {
            throw new IllegalArgumentException("speed must be at least 1, was " + speed);
        }
        return new AcceleratedClock(start, speed, new AtomicLong(NOT_STARTED), ZoneOffset.UTC);
    }

    /** Starts the clock running from its start instant; does nothing if it runs already. */
    public void start() {
        startNanos.compareAndSet(NOT_STARTED, System.nanoTime());
    }

    /** How many times faster than real time it runs. */
    public long speed() {
        return speed;
    }

    /** {@code realTime} of real time in this clock's time. */
    public Duration scale(Duration realTime) {
        return realTime.multipliedBy(speed);
    }

    @Override
    public Instant instant() {
        long origin = startNanos.get();
        return origin == NOT_STARTED ? start : start.plusNanos(Math.multiplyExact(System.nanoTime() - origin, speed));
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new AcceleratedClock(start, speed, startNanos, Objects.requireNonNull(newZone, "zone"));
    }

    @Override
    public String toString() {
        return "AcceleratedClock[start=" + start + ", speed=" + speed + "x]";
    }
}
