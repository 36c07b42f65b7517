package org.hotlinemonitor.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When to call again after an attempt that was not answered. Operators retry within the answer
 * window, and an answer on a retry counts (docs/detector.md), so the scheduler does the same.
 *
 * @param maxAttempts attempts per slot, the first call included; 1 means no retries
 * @param after       how long after an unanswered attempt ended the next one is placed; positive
 */
public record RetryPolicy(int maxAttempts, Duration after) {

    /** Up to three attempts, five minutes apart. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMinutes(5));

    /** One attempt per slot. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMinutes(5));

    public RetryPolicy {
        Objects.requireNonNull(after, "after");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("retry delay must be positive, was " + after);
        }
    }

    /**
     * When to place the next attempt after attempt {@code attempt} ended unanswered at {@code endedAt},
     * or {@code null} for none: the attempts are used up, or the retry would come at or after the
     * slot's deadline (too late to count).
     */
    public Instant next(int attempt, Instant endedAt, Instant deadline) {
        if (attempt >= maxAttempts) {
            return null;
        }
        Instant at = endedAt.plus(after);
        return at.isBefore(deadline) ? at : null;
    }
}
