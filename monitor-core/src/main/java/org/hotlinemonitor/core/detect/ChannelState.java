package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.model.Millis;

/**
 * The detector's state for one channel. Immutable; the detector returns a new one on every change.
 *
 * <p>Times are epoch milliseconds in plain {@code long}s (not {@link Instant}s) to keep the state
 * small: it is held for every channel and written to a changelog on every change.
 * {@link Millis#NONE} marks an absent time.
 *
 * @param watermark   every deadline before it is decided; events before it are late
 * @param cursor      the earliest slot not yet decided, or {@link Millis#NONE} if the schedule has ended
 * @param status      the channel's state
 * @param streak      consecutive missed slots (not-placed slots neither count nor break the streak;
 *                    any answer ends it)
 * @param streakSince the first missed slot of the current streak, or {@link Millis#NONE} when {@code streak == 0}
 * @param lastAnswer  the latest ANSWERED event time seen, or {@link Millis#NONE}
 * @param openSlot    the earliest undecided slot that has seen events, or {@link Millis#NONE}; with
 *                    {@code openFlags} and {@code openFirstAnswer} it is that slot's record, kept inline
 *                    because it is almost always the only one
 * @param openFlags   its {@code OpenSlot.SEEN_*} bits
 * @param openFirstAnswer its earliest answer, or {@link Millis#NONE}
 * @param moreOpen    later undecided slots that have seen events (overlapping windows, early calls),
 *                    ascending; usually empty
 * @param openSources the sources of the events of {@code openSlot}, as a {@link SourceSet}; empty when there is
 *                    no open slot or its events named none
 */
public record ChannelState(long watermark, long cursor, ChannelStatus status, int streak, long streakSince,
                           long lastAnswer, long openSlot, int openFlags, long openFirstAnswer,
                           List<OpenSlot> moreOpen, List<String> openSources) {

    public ChannelState {
        Objects.requireNonNull(status, "status");
        moreOpen = List.copyOf(moreOpen);
        openSources = List.copyOf(openSources);
        if (openSlot == NONE && !moreOpen.isEmpty()) {
            throw new IllegalArgumentException("moreOpen without openSlot");
        }
        if (openSlot == NONE && !openSources.isEmpty()) {
            throw new IllegalArgumentException("openSources without openSlot");
        }
        if (!SourceSet.valid(openSources)) {
            throw new IllegalArgumentException("openSources must be ascending, distinct and capped, was " + openSources);
        }
        if (streak < 0) {
            throw new IllegalArgumentException("streak must not be negative, was " + streak);
        }
        if ((streak == 0) != (streakSince == NONE)) {
            throw new IllegalArgumentException("streakSince must be set exactly when streak > 0");
        }
    }

    /** A state whose open slot's events named no source. */
    public ChannelState(long watermark, long cursor, ChannelStatus status, int streak, long streakSince,
                        long lastAnswer, long openSlot, int openFlags, long openFirstAnswer, List<OpenSlot> moreOpen) {
        this(watermark, cursor, status, streak, streakSince, lastAnswer, openSlot, openFlags, openFirstAnswer, moreOpen,
                List.of());
    }

    /** The state of a channel first seen at {@code start}, whose first undecided slot is {@code cursor}. */
    public static ChannelState initial(long start, long cursor) {
        return new ChannelState(start, cursor, ChannelStatus.UNKNOWN, 0, NONE, NONE, NONE, 0, NONE, List.of());
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

    /** The undecided slots that have seen events, ascending. */
    public List<OpenSlot> open() {
        if (openSlot == NONE) {
            return List.of();
        }
        OpenSlot first = new OpenSlot(openSlot, openFlags, openFirstAnswer, openSources);
        if (moreOpen.isEmpty()) {
            return List.of(first);
        }
        List<OpenSlot> all = new java.util.ArrayList<>(moreOpen.size() + 1);
        all.add(first);
        all.addAll(moreOpen);
        return List.copyOf(all);
    }

    ChannelState withWatermark(long t) {
        return new ChannelState(t, cursor, status, streak, streakSince, lastAnswer, openSlot, openFlags,
                openFirstAnswer, moreOpen, openSources);
    }
}
