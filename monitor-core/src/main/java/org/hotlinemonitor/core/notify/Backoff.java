package org.hotlinemonitor.core.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before the next attempt at a delivery that failed in a way worth retrying: exponential
 * backoff with full jitter (a uniformly random wait between zero and {@code min(max, initial x 2^(attempt-1))}),
 * but never sooner than the receiver's {@code Retry-After}, itself honoured only up to {@code max}. Retries do not
 * stop: a pager that is down for an hour gets its alerts once it is back.
 *
 * <p>No wait is ever longer than {@code max}, and {@code max} is at most {@link #LONGEST_MAX} (20 s): so a pager
 * that recovers is tried again at most 20 s later, and with the HTTP request's own time-out (10 s) its first page
 * arrives within 30 s of its recovery. A longer {@code Retry-After} is cut to {@code max}: paging late because a
 * recovering receiver asked for minutes is worse than being refused once more.
 *
 * <p>A pure function: the random number is an argument, so that a table can test it.
 *
 * @param initial the ceiling of the first wait; positive
 * @param max     the largest ceiling, and the longest a {@code Retry-After} is honoured for; at least {@code initial},
 *                at most {@link #LONGEST_MAX}
 */
public record Backoff(Duration initial, Duration max) {

    /** The largest {@code max} allowed: a recovered pager is tried again within it. */
    public static final Duration LONGEST_MAX = Duration.ofSeconds(20);

    /** 500 ms doubling up to 15 s (reached at the sixth retry, about 16 s into an outage). */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff must be at least the initial " + initial + ", was " + max);
        }
        if (max.compareTo(LONGEST_MAX) > 0) {
            throw new IllegalArgumentException("max backoff must be at most " + LONGEST_MAX
                    + " (so that a pager that recovers is tried again soon), was " + max);
        }
    }

    /** The largest wait before attempt {@code attempt + 1}, jitter aside: {@code min(max, initial x 2^(attempt-1))}. */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
        }
        int doublings = Math.min(attempt - 1, 40); // 2^40 x any positive initial exceeds any sane max
        Duration ceiling = initial.multipliedBy(1L << doublings);
        return ceiling.compareTo(max) > 0 ? max : ceiling;
    }

    /**
     * The wait after failed attempt number {@code attempt} (from 1): never longer than {@link #max()}.
     *
     * @param retryAfter what the receiver asked for, or {@code null}; honoured up to {@link #max()}
     * @param random     uniform in {@code [0, 1)}
     */
    public Duration delay(int attempt, Duration retryAfter, double random) {
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be in [0, 1), was " + random);
        }
        Duration jittered = Duration.ofNanos((long) (ceiling(attempt).toNanos() * random));
        if (retryAfter == null || retryAfter.isNegative()) {
            return jittered;
        }
        Duration asked = retryAfter.compareTo(max) > 0 ? max : retryAfter;
        return asked.compareTo(jittered) > 0 ? asked : jittered;
    }
}
