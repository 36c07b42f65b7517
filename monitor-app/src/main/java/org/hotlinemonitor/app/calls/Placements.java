package org.hotlinemonitor.app.calls;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the scheduler has already done, per channel: the scheduler's memory, and the input that makes
 * {@link SlotPlanner#plan} a pure function.
 *
 * <p>Per channel it keeps a <em>cursor</em>, the instant up to which every slot has been dealt with
 * (placed, or reported not placed), and a record of each placed slot whose answer window may still be
 * open: attempts so far, whether one is in flight, whether one was answered, and when the next retry
 * is due. A restarted scheduler rebuilds it from its own events ({@link PlacementHistory}).
 *
 * <p>Thread-safety: not thread-safe; the scheduler touches it from its single thread only.
 */
public final class Placements {

    /**
     * A placed slot.
     *
     * @param slot     the slot
     * @param deadline {@code slot + answerWithin}: attempts are placed only before it
     * @param attempts attempts placed so far (the number of the latest)
     * @param inFlight the latest attempt has not ended yet
     * @param answered an attempt was answered: the slot needs nothing more
     * @param retryAt  when the next attempt is due, or null for none
     */
    public record SlotRecord(Instant slot, Instant deadline, int attempts, boolean inFlight, boolean answered,
                             Instant retryAt) {

        public SlotRecord {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(deadline, "deadline");
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
            }
        }

        /** True when nothing more will be placed for this slot. */
        boolean finished() {
            return !inFlight && (answered || retryAt == null);
        }
    }

    private static final class PerChannel {
        Instant cursor;
        final TreeMap<Instant, SlotRecord> slots = new TreeMap<>();
    }

    private final Map<String, PerChannel> channels = new HashMap<>();

    /** Every slot of {@code channel} at or before this instant has been dealt with; null when nothing is known. */
    public Instant cursor(String channel) {
        PerChannel c = channels.get(channel);
        return c == null ? null : c.cursor;
    }

    /** The record of a placed slot, or null. */
    public SlotRecord slot(String channel, Instant slot) {
        PerChannel c = channels.get(channel);
        return c == null ? null : c.slots.get(slot);
    }

    /** The records of {@code channel}'s placed slots still kept, ascending by slot; a read-only view. */
    public Collection<SlotRecord> slots(String channel) {
        PerChannel c = channels.get(channel);
        return c == null ? Collections.emptyList() : Collections.unmodifiableCollection(c.slots.values());
    }

    /** Moves {@code channel}'s cursor forward to {@code upTo} (never back). */
    public Placements handled(String channel, Instant upTo) {
        PerChannel c = channels.computeIfAbsent(channel, k -> new PerChannel());
        if (c.cursor == null || upTo.isAfter(c.cursor)) {
            c.cursor = upTo;
        }
        return this;
    }

    /** Attempt {@code attempt} of {@code slot} was placed: it is in flight, and the cursor covers the slot. */
    public Placements placed(String channel, Instant slot, Instant deadline, int attempt) {
        handled(channel, slot);
        channels.get(channel).slots.put(slot, new SlotRecord(slot, deadline, attempt, true, false, null));
        return this;
    }

    /**
     * The latest attempt of {@code slot} ended.
     *
     * @param answered whether it was answered
     * @param retryAt  when to try again, or null
     */
    public Placements ended(String channel, Instant slot, boolean answered, Instant retryAt) {
        PerChannel c = channels.get(channel);
        SlotRecord r = c == null ? null : c.slots.get(slot);
        if (r == null) {
            return this; // pruned meanwhile: its window closed
        }
        boolean done = answered || r.answered();
        c.slots.put(slot, new SlotRecord(slot, r.deadline(), r.attempts(), false, done, done ? null : retryAt));
        return this;
    }

    /** Restores a slot's record as read back from the events (see {@link PlacementHistory}). */
    public Placements restore(String channel, SlotRecord record) {
        handled(channel, record.slot());
        channels.get(channel).slots.put(record.slot(), record);
        return this;
    }

    /** Forgets slots whose deadline is before {@code now} and that have no attempt in flight. */
    public void prune(Instant now) {
        for (PerChannel c : channels.values()) {
            c.slots.values().removeIf(r -> r.deadline().isBefore(now) && !r.inFlight());
        }
    }
}
