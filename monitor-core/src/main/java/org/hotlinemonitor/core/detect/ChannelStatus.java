package org.hotlinemonitor.core.detect;

/** A channel's state as the detector sees it. */
public enum ChannelStatus {
    /** No slot decided and no answer seen yet. */
    UNKNOWN,
    /** The last decided slot was answered, or an answer came since. */
    UP,
    /** Consecutive missed slots, fewer than {@code downAfter}. */
    MISSED,
    /** {@code downAfter} or more consecutive missed slots and no answer since. */
    DOWN
}
