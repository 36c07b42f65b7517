package org.hotlinemonitor.core.detect;

/** What the detector did with one event. */
public enum EventOutcome {
    /** Recorded against the slot whose window contains it (or the slot it names). */
    APPLIED,
    /** No slot window contains it; an ANSWERED still proves the line works. */
    UNSCHEDULED,
    /** It names a slot whose deadline had passed when it happened; an ANSWERED still proves the line works. */
    AFTER_DEADLINE,
    /** A heartbeat: it only moved time. */
    TIME_ONLY,
    /** Older than the watermark: it can no longer change a decided verdict. State unchanged. */
    LATE,
    /** Its {@code slot} is not a slot of the channel's schedule. Rejected, state unchanged. */
    NOT_A_SLOT,
    /** It happened more than {@code answerWithin} before the slot it names. Rejected, state unchanged. */
    TOO_EARLY,
    /** Its channel is not configured. Rejected. */
    UNKNOWN_CHANNEL;

    /** True for outcomes that mean the event was refused and belongs in the rejects. */
    public boolean rejected() {
        return this == LATE || this == NOT_A_SLOT || this == TOO_EARLY || this == UNKNOWN_CHANNEL;
    }
}
