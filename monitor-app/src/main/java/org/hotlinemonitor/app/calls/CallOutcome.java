package org.hotlinemonitor.app.calls;

import java.time.Instant;
import java.util.Objects;
import org.hotlinemonitor.core.model.EventKind;

/**
 * How one call attempt ended.
 *
 * @param kind {@link EventKind#ANSWERED}, {@link EventKind#NO_ANSWER} or {@link EventKind#LINE_FAULT}
 * @param at   when it ended: the answer, the end of the ringing, the fault (clock time)
 * @param note optional free text for the event's {@code note}, e.g. why a probe failed; may be null
 */
public record CallOutcome(EventKind kind, Instant at, String note) {

    public CallOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (kind != EventKind.ANSWERED && kind != EventKind.NO_ANSWER && kind != EventKind.LINE_FAULT) {
            throw new IllegalArgumentException("an outcome is ANSWERED, NO_ANSWER or LINE_FAULT, was " + kind);
        }
    }

    public static CallOutcome answered(Instant at) {
        return new CallOutcome(EventKind.ANSWERED, at, null);
    }

    public static CallOutcome noAnswer(Instant at) {
        return new CallOutcome(EventKind.NO_ANSWER, at, null);
    }

    public static CallOutcome lineFault(Instant at) {
        return new CallOutcome(EventKind.LINE_FAULT, at, null);
    }

    public boolean answered() {
        return kind == EventKind.ANSWERED;
    }
}
