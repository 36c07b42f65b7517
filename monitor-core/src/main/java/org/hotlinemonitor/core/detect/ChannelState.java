package org.hotlinemonitor.core.detect;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The detector's state for one channel. Immutable; the detector returns a new one on every change.
 *
 * <p>Times are epoch milliseconds in plain {@code long}s (not {@link Instant}s) to keep the state
 * small: it is held for every channel and written to a changelog on every change.
 * {@link #NONE} marks an absent time.
 *
 * @param watermark   every deadline before it is decided; events before it are late
 * @param cursor      the earliest slot not yet decided, or {@link #NONE} if the schedule has ended
 * @param status      the channel's state
 * @param streak      consecutive missed slots (not-placed slots neither count nor break the streak;
 *                    any answer ends it)
 * @param streakSince the first missed slot of the current streak, or {@link #NONE} when {@code streak == 0}
 * @param lastAnswer  the latest ANSWERED event time seen, or {@link #NONE}
 * @param open        slots not yet decided that have seen events, ascending by slot
 */
public record ChannelState(long watermark, long cursor, ChannelStatus status, int streak, long streakSince,
                           long lastAnswer, List<OpenSlot> open) {

    public static final long NONE = Long.MIN_VALUE;

    public ChannelState {
        Objects.requireNonNull(status, "status");
        open = List.copyOf(open);
        if (streak < 0) {
            throw new IllegalArgumentException("streak must not be negative, was " + streak);
        }
        if ((streak == 0) != (streakSince == NONE)) {
            throw new IllegalArgumentException("streakSince must be set exactly when streak > 0");
        }
    }

    /** The state of a channel first seen at {@code start}, whose first undecided slot is {@code cursor}. */
    public static ChannelState initial(long start, long cursor) {
        return new ChannelState(start, cursor, ChannelStatus.UNKNOWN, 0, NONE, NONE, List.of());
    }

    public boolean down() {
        return status == ChannelStatus.DOWN;
    }

    /** The last answer as an instant, or {@code null}. */
    public Instant lastAnswerInstant() {
        return lastAnswer == NONE ? null : Instant.ofEpochMilli(lastAnswer);
    }

    /** The first missed slot of the current streak as an instant, or {@code null}. */
    public Instant streakSinceInstant() {
        return streakSince == NONE ? null : Instant.ofEpochMilli(streakSince);
    }

    /** The earliest undecided slot as an instant, or {@code null}. */
    public Instant cursorInstant() {
        return cursor == NONE ? null : Instant.ofEpochMilli(cursor);
    }

    ChannelState withWatermark(long t) {
        return new ChannelState(t, cursor, status, streak, streakSince, lastAnswer, open);
    }
}
