package org.hotlinemonitor.core.detect;

import java.util.List;
import org.hotlinemonitor.core.model.Millis;

/**
 * What has been seen of one slot whose deadline has not passed yet. Only slots that received events
 * are kept; a slot without an entry has seen nothing.
 *
 * @param slot        the slot, epoch milliseconds
 * @param flags       the {@code SEEN_*} bits of the kinds seen by the deadline
 * @param firstAnswer the earliest ANSWERED time, epoch milliseconds, or {@link Millis#NONE}
 * @param sources     the sources of its events, as a {@link SourceSet}; empty when they named none
 */
public record OpenSlot(long slot, int flags, long firstAnswer, List<String> sources) {
    public static final int SEEN_PLACED = 1;
    public static final int SEEN_NO_ANSWER = 2;
    public static final int SEEN_FAULT = 4;
    public static final int SEEN_ANSWER = 8;

    public OpenSlot {
        sources = List.copyOf(sources);
        if (!SourceSet.valid(sources)) {
            throw new IllegalArgumentException("sources must be ascending, distinct and capped, was " + sources);
        }
    }

    /** A slot whose events named no source. */
    public OpenSlot(long slot, int flags, long firstAnswer) {
        this(slot, flags, firstAnswer, List.of());
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
