package org.hotlinemonitor.app.calls;

import java.time.Instant;
import java.util.Objects;
import org.hotlinemonitor.core.model.Channel;

/**
 * One attempt at a slot's routine call, as handed to a {@link CallPlacer}.
 *
 * @param channel  the channel to call
 * @param slot     the scheduled instant the call belongs to
 * @param attempt  1 for the first call of the slot, 2 for the first retry, ...
 * @param placedAt when the scheduler placed it (clock time, millisecond precision)
 * @param late     true when it was placed more than the scheduler's {@code lateAfter} after the slot,
 *                 because the scheduler was not running at the slot
 */
public record CallAttempt(Channel channel, Instant slot, int attempt, Instant placedAt, boolean late) {

    public CallAttempt {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(placedAt, "placedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    /** The slot's deadline: an answer after it cannot change the slot's verdict. */
    public Instant deadline() {
        return slot.plus(channel.answerWithin());
    }
}
