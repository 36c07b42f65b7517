package org.hotlinemonitor.core.detect;

/** How a slot was decided at its deadline. */
public enum Verdict {
    /** An ANSWERED event arrived by the deadline (a retry's answer counts). */
    ANSWERED,
    /** Our side tried (CALL_PLACED, NO_ANSWER or LINE_FAULT) and nobody answered by the deadline. */
    MISSED,
    /** Nothing from our side: the call was never placed. Our fault; it is not a miss. */
    NOT_PLACED
}
