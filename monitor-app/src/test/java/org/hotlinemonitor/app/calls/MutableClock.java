package org.hotlinemonitor.app.calls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A clock the test moves by hand, and can break to crash the thread that reads it. Thread-safe: stream
 * threads read it while the test sets it.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;
    /** Reads left before the clock breaks; -1: it never does. */
    private final AtomicInteger readsLeft = new AtomicInteger(-1);

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** A clock at {@code instant} (ISO-8601). */
    public static MutableClock at(String instant) {
        return new MutableClock(Instant.parse(instant));
    }

    public void set(Instant t) {
        now = t;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** Sets the time to {@code t}; after {@code reads} more reads, every read throws until {@link #repair()}. */
    public void setAndBreakAfter(Instant t, int reads) {
        now = t;
        readsLeft.set(reads);
    }

    public void repair() {
        readsLeft.set(-1);
    }

    @Override
    public Instant instant() {
        if (readsLeft.get() >= 0 && readsLeft.getAndDecrement() <= 0) {
            try {
                // Give the reader's Kafka producer time to send what it has buffered: the crash then leaves
                // records of an open transaction in the log, for the broker to abort.
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the test broke the clock");
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock is UTC");
    }
}
