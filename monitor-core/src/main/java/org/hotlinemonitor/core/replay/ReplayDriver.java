package org.hotlinemonitor.core.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.ReorderBuffer;
import org.hotlinemonitor.core.detect.SlotVerdict;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Replays parsed events through the {@link Monitor}: events are checked, put back into event-time
 * order within the allowed lateness, applied, and time advances with the newest event seen. Alerts
 * leave in a deterministic order ({@link AlertOrder}). No I/O and no clock: the caller reads the input
 * and writes the outputs.
 *
 * <p>Use: {@link #offer} every event in input order (a non-null result is a rejection the caller must
 * keep), then {@link #finish} once. Not thread-safe.
 */
public final class ReplayDriver {

    private final Monitor monitor;
    private final ReorderBuffer buffer;
    private final AlertOrder alertOrder;
    private final Monitor.Listener listener;
    private final Instant until;
    private final long untilMillis;
    private final long[] outcomes = new long[EventOutcome.values().length];
    private long newest = Long.MIN_VALUE;
    private Instant first;
    private boolean finished;

    /**
     * @param until time to advance to at the end, and past which events are refused; {@code null}: the
     *              newest event's time
     */
    public ReplayDriver(MonitorConfig config, Duration allowedLateness, Instant until, Monitor.Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.alertOrder = new AlertOrder(listener::onAlert);
        this.monitor = new Monitor(config, new Monitor.Listener() {
            @Override
            public void onAlert(Alert alert) {
                alertOrder.accept(alert);
            }

            @Override
            public void onVerdict(SlotVerdict verdict) {
                listener.onVerdict(verdict);
            }
        });
        this.buffer = new ReorderBuffer(allowedLateness);
        this.until = until;
        this.untilMillis = until == null ? Long.MAX_VALUE : until.toEpochMilli();
    }

    /** Takes the next input event. Returns {@code null} when it was taken, else why it was refused. */
    public Rejection offer(CallEvent event) {
        Rejection invalid = check(event);
        return invalid != null ? invalid : offerChecked(event);
    }

    /**
     * Checks what can be checked of an event without the replay's state: it is not after {@code until},
     * its channel is configured, and a slot it names is valid. Returns the rejection, or {@code null}.
     *
     * <p>Thread-safe, and may run on another thread than {@link #offerChecked} (the reading thread
     * checks while the replay thread applies).
     */
    public Rejection check(CallEvent event) {
        if (event.ts().toEpochMilli() > untilMillis) {
            return new Rejection(Rejection.BEYOND_UNTIL, "ts", "event at " + event.ts() + " is after --until " + until);
        }
        EventOutcome invalid = monitor.validate(event);
        return invalid == null ? null : rejection(invalid, event);
    }

    /** {@link #offer} for an event that passed {@link #check}. */
    public Rejection offerChecked(CallEvent event) {
        if (finished) {
            throw new IllegalStateException("replay already finished");
        }
        long ts = event.ts().toEpochMilli();
        if (!buffer.offer(event)) {
            return new Rejection(Rejection.LATE, "ts", "event at " + event.ts() + " arrived after the watermark "
                    + Instant.ofEpochMilli(buffer.watermark()) + " (allowed lateness exceeded); verdicts before it are final");
        }
        if (first == null || event.ts().isBefore(first)) {
            first = event.ts();
        }
        if (ts > newest) {
            newest = ts;
            buffer.release(this::apply);
            long released = buffer.releasedUntil();
            if (monitor.started() && released > monitor.watermark().toEpochMilli()) {
                monitor.advanceTo(Instant.ofEpochMilli(released));
            }
        }
        return null;
    }

    /** Ends the input: applies what is held and advances to {@code until} (default: the newest event's time). */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        buffer.flush(this::apply);
        Instant end = end();
        if (end != null) {
            monitor.advanceTo(end);
        }
        alertOrder.flush();
    }

    /** Where the replay ends: {@code until}, or the newest event's time; {@code null} if there was no event and no until. */
    public Instant end() {
        if (until != null) {
            return until;
        }
        return newest == Long.MIN_VALUE ? null : Instant.ofEpochMilli(newest);
    }

    /** The earliest event time taken, or {@code null}. */
    public Instant firstEvent() {
        return first;
    }

    /** Counts of what the monitor did with the events it applied. */
    public Map<EventOutcome, Long> outcomes() {
        Map<EventOutcome, Long> out = new EnumMap<>(EventOutcome.class);
        for (EventOutcome o : EventOutcome.values()) {
            if (outcomes[o.ordinal()] > 0) {
                out.put(o, outcomes[o.ordinal()]);
            }
        }
        return out;
    }

    /** Every channel's state (after {@link #finish}: at the end of the replay). */
    public Map<String, ChannelState> states() {
        return monitor.states();
    }

    public Monitor monitor() {
        return monitor;
    }

    private void apply(CallEvent event) {
        EventOutcome outcome = monitor.acceptValidated(event);
        if (outcome.rejected()) {
            // Validated and ordered before; a rejection here is a bug, not bad input.
            throw new IllegalStateException("event " + event + " refused after validation: " + outcome);
        }
        outcomes[outcome.ordinal()]++;
    }

    private Rejection rejection(EventOutcome outcome, CallEvent event) {
        return switch (outcome) {
            case UNKNOWN_CHANNEL -> new Rejection(Rejection.UNKNOWN_CHANNEL, "channel",
                    "unknown channel '" + event.channel() + "' (not in the channel configuration)");
            case NOT_A_SLOT -> new Rejection(Rejection.NOT_A_SLOT, "slot",
                    "slot " + event.slot() + " is not a scheduled slot of channel '" + event.channel() + "' ("
                            + monitor.channel(event.channel()).schedule() + ")");
            case TOO_EARLY -> new Rejection(Rejection.TOO_EARLY, "ts",
                    "event at " + event.ts() + " is more than answerWithin ("
                            + monitor.channel(event.channel()).answerWithin() + ") before its slot " + event.slot());
            default -> throw new IllegalArgumentException("not a validation outcome: " + outcome);
        };
    }
}
