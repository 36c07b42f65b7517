package org.hotlinemonitor.core.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.ReorderBuffer;
import org.hotlinemonitor.core.detect.SlotVerdict;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
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
    private final Checker checker;
    private static final EventKind[] KINDS = EventKind.values();

    private final long[] outcomes = new long[EventOutcome.values().length];
    private long newest = Long.MIN_VALUE;
    private long first = Long.MAX_VALUE;
    private final ReorderBuffer.Sink apply = this::apply;
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

            @Override
            public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict,
                                  MissCause cause, long firstAnswer) {
                listener.onVerdict(channel, channelId, slot, deadline, verdict, cause, firstAnswer);
            }
        });
        this.buffer = new ReorderBuffer(allowedLateness);
        this.until = until;
        this.checker = new Checker(monitor.validator(), until);
    }

    /** Takes the next input event. Returns {@code null} when it was taken, else why it was refused. */
    public Rejection offer(CallEvent event) {
        Rejection invalid = check(event);
        return invalid != null ? invalid : offerChecked(event);
    }

    /**
     * Checks what can be checked of an event without the replay's state: it is not after {@code until},
     * its channel is configured, and a slot it names is valid. Returns the rejection, or {@code null}.
     * Thread-safe ({@link #checker()} is this check in a form for another thread).
     */
    public Rejection check(CallEvent event) {
        return checker.check(event);
    }

    /** The checks of {@link #check}, immutable, for the reading thread. */
    public Checker checker() {
        return checker;
    }

    /** {@link #offer} for an event that passed {@link #check}. */
    public Rejection offerChecked(CallEvent event) {
        int channel = event.kind() == EventKind.HEARTBEAT ? -1 : monitor.indexOf(event.channel());
        return offerChecked(channel, event.kind(), event.ts().toEpochMilli(),
                event.slot() == null ? ChannelState.NONE : event.slot().toEpochMilli());
    }

    /**
     * {@link #offerChecked(CallEvent)} on the event's parts, as the reading thread hands them over:
     * {@code channel} is the channel's {@link #indexOf index} ({@code -1} for a heartbeat), times are epoch
     * milliseconds, {@code slot} is the named slot or {@link ChannelState#NONE}.
     */
    public Rejection offerChecked(int channel, EventKind kind, long ts, long slot) {
        if (finished) {
            throw new IllegalStateException("replay already finished");
        }
        if (!buffer.offer(ts, channel, kind.ordinal(), slot)) {
            // Behind the buffer's watermark. Before the monitor's own time it is judged against its channel's time:
            // taken when nothing of its channel happened since (the same rule as live); else late.
            if (monitor.started() && ts < monitor.watermarkMillis()) {
                EventOutcome outcome = monitor.acceptValidated(channel, kind, ts, slot);
                if (!outcome.rejected()) {
                    first = Math.min(first, ts);
                    outcomes[outcome.ordinal()]++;
                    return null;
                }
            }
            return new Rejection(Rejection.LATE, "ts", "event at " + Instant.ofEpochMilli(ts)
                    + " arrived after the watermark " + Instant.ofEpochMilli(buffer.watermark())
                    + " (allowed lateness exceeded) and after its channel's time; verdicts before it are final");
        }
        first = Math.min(first, ts);
        if (ts > newest) {
            newest = ts;
            buffer.release(apply);
            long released = buffer.releasedUntil();
            if (monitor.started() && released > monitor.watermarkMillis()) {
                monitor.advanceTo(Instant.ofEpochMilli(released));
            }
        }
        return null;
    }

    /** The position of a configured channel (what {@link #offerChecked(int, EventKind, long, long)} takes), or -1. Thread-safe. */
    public int indexOf(String channel) {
        return monitor.indexOf(channel);
    }

    /** Ends the input: applies what is held and advances to {@code until} (default: the newest event's time). */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        buffer.flush(apply);
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
        return first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(first);
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

    private void apply(long ts, int channel, int kind, long slot) {
        EventOutcome outcome = monitor.acceptValidated(channel, KINDS[kind], ts, slot);
        if (outcome.rejected()) {
            // Validated and ordered before; a rejection here is a bug, not bad input.
            throw new IllegalStateException("event at " + Instant.ofEpochMilli(ts) + " of channel #" + channel
                    + " refused after validation: " + outcome);
        }
        outcomes[outcome.ordinal()]++;
    }

    /**
     * The checks an event passes before it enters the replay, which need no replay state: immutable and
     * thread-safe. The reading thread works with its own {@link #copy}.
     */
    public static final class Checker {
        private final Monitor.Validator validator;
        private final Instant until;
        private final long untilMillis;

        private Checker(Monitor.Validator validator, Instant until) {
            this.validator = validator;
            this.until = until;
            this.untilMillis = until == null ? Long.MAX_VALUE : until.toEpochMilli();
        }

        /** A copy to make on the thread that uses it, so that it lives apart from objects other threads write. */
        public Checker copy() {
            return new Checker(validator.copy(), until);
        }

        /** The position of a configured channel, or -1. */
        public int indexOf(String channel) {
            return validator.indexOf(channel);
        }

        /** {@link ReplayDriver#check}. */
        public Rejection check(CallEvent event) {
            return check(event, event.kind() == EventKind.HEARTBEAT ? -1 : validator.indexOf(event.channel()));
        }

        /** {@link ReplayDriver#check} when the channel's {@link #indexOf index} is known. */
        public Rejection check(CallEvent event, int channel) {
            if (event.ts().toEpochMilli() > untilMillis) {
                return beyondUntil(event.ts().toEpochMilli());
            }
            EventOutcome invalid = validator.validate(event, channel);
            return invalid == null ? null : rejection(invalid, event.channel(), event.ts().toEpochMilli(),
                    event.slot() == null ? ChannelState.NONE : event.slot().toEpochMilli());
        }

        /**
         * {@link ReplayDriver#check} on an event's parts: {@code channel} its index ({@code -1}: unknown or
         * none), {@code channelId} its id (for messages; needed only when the channel is unknown), times in
         * epoch milliseconds, {@code slot} the named slot or {@link ChannelState#NONE}.
         */
        public Rejection check(EventKind kind, int channel, String channelId, long ts, long slot) {
            if (ts > untilMillis) {
                return beyondUntil(ts);
            }
            EventOutcome invalid = validator.validate(kind, channel, ts, slot);
            return invalid == null ? null : rejection(invalid, channel, channelId, ts, slot);
        }

        private Rejection beyondUntil(long ts) {
            return new Rejection(Rejection.BEYOND_UNTIL, "ts", "event at " + Instant.ofEpochMilli(ts) + " is after --until " + until);
        }

        private Rejection rejection(EventOutcome outcome, String channel, long ts, long slot) {
            return rejection(outcome, -1, channel, ts, slot);
        }

        /** The rejection for {@code outcome}; the channel's configuration comes from its index, or else its id. */
        private Rejection rejection(EventOutcome outcome, int index, String id, long ts, long slot) {
            Instant at = Instant.ofEpochMilli(ts);
            Instant slotAt = slot == ChannelState.NONE ? null : Instant.ofEpochMilli(slot);
            Channel c = index >= 0 ? validator.channelAt(index) : id == null ? null : validator.channel(id);
            String name = c != null ? c.id() : id;
            return switch (outcome) {
                case UNKNOWN_CHANNEL -> new Rejection(Rejection.UNKNOWN_CHANNEL, "channel",
                        "unknown channel '" + name + "' (not in the channel configuration)");
                case NOT_A_SLOT -> new Rejection(Rejection.NOT_A_SLOT, "slot",
                        "slot " + slotAt + " is not a scheduled slot of channel '" + name + "' (" + c.schedule() + ")");
                case TOO_EARLY -> new Rejection(Rejection.TOO_EARLY, "ts",
                        "event at " + at + " is more than answerWithin (" + c.answerWithin() + ") before its slot " + slotAt);
                default -> throw new IllegalArgumentException("not a validation outcome: " + outcome);
            };
        }
    }
}
