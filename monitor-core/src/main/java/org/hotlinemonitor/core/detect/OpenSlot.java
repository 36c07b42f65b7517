package org.hotlinemonitor.core.detect;

/**
 * What has been seen of one slot whose deadline has not passed yet. Only slots that received events
 * are kept; a slot without an entry has seen nothing.
 *
 * @param slot        the slot, epoch milliseconds
 * @param flags       the {@code SEEN_*} bits of the kinds seen by the deadline
 * @param firstAnswer the earliest ANSWERED time, epoch milliseconds, or {@link #NONE}
 */
public record OpenSlot(long slot, int flags, long firstAnswer) {

    public static final long NONE = Long.MIN_VALUE;
    public static final int SEEN_PLACED = 1;
    public static final int SEEN_NO_ANSWER = 2;
    public static final int SEEN_FAULT = 4;
    public static final int SEEN_ANSWER = 8;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
