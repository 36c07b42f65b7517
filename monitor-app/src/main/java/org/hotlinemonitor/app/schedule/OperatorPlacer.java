package org.hotlinemonitor.app.schedule;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hotlinemonitor.core.codec.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls placed by a person: the operator makes the call on the hotline's own telephone and records how
 * it went with the {@code record} command, which publishes the outcome event.
 *
 * <p>The scheduler publishes nothing for these slots ({@link #placesCalls()} is false): a
 * {@code CALL_PLACED} from the scheduler would claim a call that nobody may have made, and a forgotten
 * call would then look like the far side's miss ({@code SLOT_MISSED}) instead of what it is, our side's
 * ({@code CALL_NOT_PLACED}). Any outcome the operator records ({@code NO_ANSWER} and {@code LINE_FAULT}
 * included) shows the call was made. The scheduler still publishes heartbeats, so the detector's time
 * moves and it can tell our silence from the far side's. Each slot is logged as a reminder.
 */
public final class OperatorPlacer implements CallPlacer {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorPlacer.class);

    @Override
    public String name() {
        return "operator";
    }

    @Override
    public boolean placesCalls() {
        return false;
    }

    /** Logs a reminder; the returned stage never completes, since the outcome comes from {@code record}. */
    @Override
    public CompletionStage<CallOutcome> place(CallAttempt attempt) {
        LOG.info("call due on {} for slot {}{}: record its outcome with: record --channel {} --slot {} --answered|--no-answer|--line-fault",
                attempt.channel().id(), Timestamps.format(attempt.slot().toEpochMilli()), attempt.late() ? " (late)" : "",
                attempt.channel().id(), Timestamps.format(attempt.slot().toEpochMilli()));
        return new CompletableFuture<>();
    }
}
