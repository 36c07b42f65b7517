package org.hotlinemonitor.core.model;

/** What a call-check event reports. */
public enum EventKind {
    /** Our side placed the routine call. */
    CALL_PLACED,
    /** The far side answered. Any answer by the slot's deadline makes the slot answered; retries count. */
    ANSWERED,
    /** The call rang out. */
    NO_ANSWER,
    /** A technical fault: no tone, damaged cable. */
    LINE_FAULT,
    /** Source liveness: the producer is alive. Carries no channel; only moves time forward. */
    HEARTBEAT;

    /** True for the kinds that show our side tried the call (used to tell "missed" from "not placed"). */
    public boolean isAttempt() {
        return this == CALL_PLACED || this == NO_ANSWER || this == LINE_FAULT;
    }
}
