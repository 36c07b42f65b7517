package org.hotlinemonitor.app.calls;

import java.util.concurrent.CompletionStage;

/**
 * Places routine calls: the part of the scheduler that talks to the far side.
 *
 * <p>{@link #place} must not block: it starts the call and returns a stage that completes when the
 * call ends, so that a slow call (a SIP call ringing for 30 s, a TCP connect timing out) holds up no
 * other channel. The stage may complete on any thread; the scheduler moves the outcome back onto its
 * own thread. Retries are the scheduler's business (its {@link RetryPolicy}), not the placer's: a
 * placer makes exactly one attempt per call.
 *
 * <p>Implementations so far: {@link SimulatedPlacer} (a far side that answers after a random delay,
 * with scripted outages and faults) and {@link OperatorPlacer} (a person places the call and records
 * the outcome with the {@code record} command). An automated probe (TCP connect, HTTP request, SIP
 * OPTIONS or INVITE) fits the same shape: start the probe in {@code place}, complete the stage with
 * {@code ANSWERED} on success, {@code NO_ANSWER} on a timeout, {@code LINE_FAULT} when the line is
 * unusable (connection refused, no route, 503), with the reason in the note.
 *
 * <p>Thread-safety: {@link #place} is called from the scheduler's single thread; implementations
 * that complete stages from other threads must be safe for that.
 */
public interface CallPlacer extends AutoCloseable {

    /** A short name for logs: {@code simulated}, {@code operator}, {@code sip}... */
    String name();

    /**
     * True when this placer places calls itself: the scheduler then publishes {@code CALL_PLACED} for
     * every attempt and the outcome the placer reports. False when a person places the calls and
     * records them (see {@link OperatorPlacer}): the scheduler then publishes nothing for the slot and
     * only calls {@link #place} to remind.
     */
    default boolean placesCalls() {
        return true;
    }

    /**
     * Starts one call attempt.
     *
     * @return completes with the outcome when the call ends; completes exceptionally if the placer
     *         itself failed (our side's problem: the scheduler publishes no outcome and may retry)
     */
    CompletionStage<CallOutcome> place(CallAttempt attempt);

    /** Stops placing calls; stages not yet completed may never complete. */
    @Override
    default void close() {
    }
}
