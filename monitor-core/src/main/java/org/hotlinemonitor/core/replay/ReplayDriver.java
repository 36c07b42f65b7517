package org.hotlinemonitor.core.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.ReorderBuffer;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.ingest.EventGate;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.ingest.Signing;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Replays parsed events through the {@link Monitor}: events are checked, put back into event-time
 * order within the allowed lateness, applied, and time advances with the newest event taken. The checks, the
 * judgement of an event behind the watermark and the reasons are the live detector's too ({@link EventGate}). Alerts
 * leave in a deterministic order ({@link AlertOrder}). No I/O and no clock: the caller reads the input
 * and writes the outputs.
 *
 * <h2>Jumps of time</h2>
 * The replay's clock is the newest event time taken. An event more than {@code maxJump} ahead of it is
 * <em>held</em>: not applied, moving no time, so that one event stamped far in the future cannot end the
 * replay there. Before the first event is taken there is no clock, and every event is held, so that one
 * stray line at the top cannot set the start. Held events are <em>confirmed</em> when {@value #CONFIRM}
 * of them lie within {@code maxJump} of one another (a real gap in the log, or the start of the input):
 * with {@code e} the earliest held time that has {@value #CONFIRM} held events in {@code [e, e + maxJump]},
 * held events before {@code e - maxJump} are refused (isolated in the gap), and the others are taken in
 * time order (input order for equal times) for as long as each is within {@code maxJump} of the clock
 * they move; the rest stay held. A held event that time has come within {@code maxJump} of is taken. A
 * held event not confirmed within {@value #WINDOW} events read after it, or by {@link #finish}, is
 * refused as {@link Rejection#OUTLIER outlier}. At the end, when no event was ever taken, the densest
 * group of held events within {@code maxJump} (the earliest of equals) stands in for a confirmed one; an
 * input of fewer than {@value #CONFIRM} events, or one where no two events lie within {@code maxJump}, is
 * taken whole: a tiny or sparse input replays as it is.
 *
 * <p>The decision about a held event comes later, through the {@link HeldListener}, with the token the
 * event got when it was held ({@link #heldToken()}). An event within {@code maxJump} of the clock costs
 * one comparison more than it would without the bound; held events are rare and may allocate.
 *
 * <p>Use: {@link #offerChecked} every event in input order, once the {@link #gate()} admitted it (a non-null result
 * other than {@link #HELD} is a rejection the caller must keep), then {@link #finish} once. That is the one form of
 * each operation: one constructor (no signing is {@link SigningConfig#NONE}), events in parts, as the reading thread
 * hands them over; tests that hold events as {@link CallEvent}s feed them through a helper of their own. Not
 * thread-safe.
 */
public final class ReplayDriver {

    private final Monitor monitor;
    private final ReorderBuffer buffer;
    private final AlertOrder alertOrder;
    private final Monitor.Listener listener;
    private final Instant until;
    private final EventGate gate;
    private static final EventKind[] KINDS = EventKind.values();
    /** Bits of the reorder buffer's kind column that hold the kind; the source id is above them. */
    private static final int KIND_BITS = 4;
    private static final int KIND_MASK = (1 << KIND_BITS) - 1;

    /** Default bound on a jump of the replay's time. */
    public static final Duration DEFAULT_MAX_JUMP = Duration.ofDays(1);
    /** Held events within {@code maxJump} of one another that confirm a jump. */
    public static final int CONFIRM = 4;
    /** Events read after a held event within which it must be confirmed, else it is refused. */
    public static final int WINDOW = 1000;

    /**
     * What {@link #offerChecked} returns for an event it holds (reason {@code held}): neither taken nor
     * refused yet. The decision comes later through the {@link HeldListener}. Never a reject of its own.
     */
    public static final Rejection HELD = new Rejection("held", "ts",
            "held: more than maxJump ahead of the replay's time, until another event confirms the jump");

    /** Told what became of each held event, on the thread that calls {@link #offerChecked} or {@link #finish}. */
    public interface HeldListener {
        /** The event held with {@code token} was taken. */
        void taken(long token);

        /** The event held with {@code token} was refused (an {@link Rejection#OUTLIER outlier}, or late). */
        void refused(long token, Rejection why);
    }

    /** A held event, in parts. */
    private static final class Held {
        final int channel;
        final EventKind kind;
        final long ts;
        final long slot;
        /** Its source's {@link Monitor#sourceId}. */
        final int source;
        /** Its position among the events read: input order, and when it must be confirmed by. */
        final long read;
        /** Its {@link #heldToken}; -1 while the call that holds it runs. */
        long token = -1;

        Held(int channel, EventKind kind, long ts, long slot, int source, long read) {
            this.channel = channel;
            this.kind = kind;
            this.ts = ts;
            this.slot = slot;
            this.source = source;
            this.read = read;
        }
    }

    private static final Comparator<Held> TIME_ORDER = Comparator.<Held>comparingLong(h -> h.ts).thenComparingLong(h -> h.read);

    private final long maxJump;
    private final HeldListener heldListener;
    /** Held events in the order read. */
    private final List<Held> held = new ArrayList<>();
    /** Events are held when after this: {@code newest + maxJump}; before any event is taken, all are. */
    private long limit = Long.MIN_VALUE;
    /** Events read by {@link #offerChecked}. */
    private long read;
    /** While {@link #held} is not empty: its earliest time, and when its first event must be confirmed by. */
    private long heldMin = Long.MAX_VALUE;
    private long heldExpiry = Long.MAX_VALUE;
    private long nextToken;
    /** The decision about the event held by the running call: still held ({@link #HELD}), taken ({@code null}) or refused. */
    private Rejection current;

    private final long[] outcomes = new long[EventOutcome.values().length];
    /** The newest event time taken, or {@link Millis#NONE}. */
    private long newest = Millis.NONE;
    private long first = Long.MAX_VALUE;
    private final ReorderBuffer.Sink apply = new ReorderBuffer.Sink() {
        @Override
        public void accept(long ts, int channel, int kind, long slot) {
            apply(ts, channel, kind, slot);
        }

        @Override
        public void prepare(int[] channels, int from, int to) {
            monitor.prefetch(channels, from, to);
        }
    };
    private boolean finished;

    /**
     * @param maxJump how far ahead of the replay's clock an event may be taken without others to confirm the
     *                jump; positive
     * @param until   time to advance to at the end, and past which events are refused; {@code null}: the
     *                newest event's time
     * @param signing the sources required to sign ({@link #gate()} checks it); {@link SigningConfig#NONE}: none
     * @param held    told what became of held events
     */
    public ReplayDriver(MonitorConfig config, Duration allowedLateness, Duration maxJump, Instant until,
                        SigningConfig signing, Monitor.Listener listener, HeldListener held) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.heldListener = Objects.requireNonNull(held, "held");
        if (maxJump.isNegative() || maxJump.isZero()) {
            throw new IllegalArgumentException("maxJump must be positive, was " + maxJump);
        }
        this.maxJump = maxJump.toMillis();
        this.alertOrder = new AlertOrder(listener::onAlert);
        this.monitor = new Monitor(config, new Monitor.Listener() {
            @Override
            public void onAlert(Alert alert) {
                alertOrder.accept(alert);
            }

            @Override
            public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict,
                                  MissCause cause, long firstAnswer) {
                listener.onVerdict(channel, channelId, slot, deadline, verdict, cause, firstAnswer);
            }

            @Override
            public boolean wantsStates() {
                return listener.wantsStates();
            }

            @Override
            public void onStateChange(int channel, String channelId, long at, ChannelState state) {
                listener.onStateChange(channel, channelId, at, state);
            }
        });
        this.buffer = new ReorderBuffer(allowedLateness);
        this.until = until;
        this.gate = new EventGate(monitor.validator(), new Signing(signing), allowedLateness, until, null);
    }

    /**
     * The checks of an event and the reasons it is refused with, shared with the live detector; for this thread
     * (the reading thread works with its own {@link EventGate#copy() copy}).
     */
    public EventGate gate() {
        return gate;
    }

    /**
     * Takes the next input event, one that passed the {@link #gate()}'s checks ({@link EventGate#admit}: replay checks
     * events as it reads them, on its reading thread), in parts, as the reading thread hands them over: {@code channel}
     * is the channel's index ({@link EventGate#indexOf}; {@code -1} for a heartbeat), times are epoch milliseconds,
     * {@code slot} is the named slot or {@link Millis#NONE}, {@code source} the event's source or {@code null}. Returns
     * {@code null} when it was taken, {@link #HELD} when it is held, else why it was refused (late, or an outlier).
     */
    public Rejection offerChecked(int channel, EventKind kind, long ts, long slot, String source) {
        if (finished) {
            throw new IllegalStateException("replay already finished");
        }
        read++;
        int sourceId = monitor.sourceId(source);
        Rejection result = ts > limit ? hold(channel, kind, ts, slot, sourceId) : admit(channel, kind, ts, slot, sourceId);
        if (!held.isEmpty() && (heldMin <= limit || read >= heldExpiry)) {
            settle();
        }
        if (result == HELD) {
            // Decided within this call (taken by a confirmation, or when settled): say so now, not later.
            result = current;
            if (result == HELD) {
                held.get(held.size() - 1).token = nextToken++;
            }
        }
        return result;
    }

    /** The token of the event last {@link #HELD held}, as the {@link HeldListener} will name it. */
    public long heldToken() {
        return nextToken - 1;
    }

    /**
     * Gives an event to the buffer, or to the monitor when behind the buffer; moves the clock. The buffer's kind
     * column carries the kind's ordinal in its low {@value #KIND_BITS} bits and the source id above them.
     */
    private Rejection admit(int channel, EventKind kind, long ts, long slot, int source) {
        if (!buffer.offer(ts, channel, kind.ordinal() | source << KIND_BITS, slot)) {
            // Behind the buffer's watermark: judged against its channel's time, by the rule live uses too.
            EventOutcome outcome = EventGate.behind(monitor, channel, kind, ts, slot, source);
            if (!outcome.rejected()) {
                first = Math.min(first, ts);
                outcomes[outcome.ordinal()]++;
                return null;
            }
            return gate.late(channel, ts, buffer.watermark());
        }
        first = Math.min(first, ts);
        if (ts > newest) {
            newest = ts;
            limit = ts > Long.MAX_VALUE - maxJump ? Long.MAX_VALUE : ts + maxJump;
            buffer.release(apply);
            long released = buffer.releasedUntil();
            if (monitor.started() && released > monitor.watermark()) {
                monitor.advanceTo(released);
            }
        }
        return null;
    }

    /** Holds an event too far ahead of the clock (or read before there is one), and confirms a jump if it completes one. */
    private Rejection hold(int channel, EventKind kind, long ts, long slot, int source) {
        Held h = new Held(channel, kind, ts, slot, source, read);
        held.add(h);
        current = HELD;
        if (held.size() == 1) {
            heldMin = ts;
            heldExpiry = read + WINDOW;
        } else {
            heldMin = Math.min(heldMin, ts);
        }
        // Only a group that holds the new event can be new: count its neighbours before sorting anything.
        int near = 0;
        for (Held o : held) {
            if (Math.abs(o.ts - ts) <= maxJump) {
                near++;
            }
        }
        if (near >= CONFIRM) {
            List<Held> sorted = new ArrayList<>(held);
            sorted.sort(TIME_ORDER);
            for (int i = 0; i + CONFIRM - 1 < sorted.size(); i++) {
                if (sorted.get(i + CONFIRM - 1).ts - sorted.get(i).ts <= maxJump) {
                    confirm(sorted, sorted.get(i).ts);
                    break;
                }
            }
        }
        return HELD;
    }

    /**
     * Makes the jump to a group of held events starting at {@code start}: refuses held events more than
     * maxJump before it, takes the first of the others wherever it is (the jump), then the rest in time order
     * while each is within maxJump of the clock.
     */
    private void confirm(List<Held> sorted, long start) {
        long from = start - maxJump;
        boolean jumped = false;
        for (Held h : sorted) {
            if (h.ts < from) {
                decide(h, EventGate.outlierBefore(h.ts, maxJump, start, newest));
            } else if (!jumped || h.ts <= limit) {
                jumped = true;
                decide(h, admit(h.channel, h.kind, h.ts, h.slot, h.source));
            }
        }
    }

    /** Takes held events that the clock has come within maxJump of, and refuses those held too long. */
    private void settle() {
        List<Held> sorted = new ArrayList<>(held);
        sorted.sort(TIME_ORDER);
        for (Held h : sorted) {
            if (h.ts <= limit) {
                decide(h, admit(h.channel, h.kind, h.ts, h.slot, h.source));
            } else if (read - h.read >= WINDOW) {
                decide(h, outlier(h));
            }
        }
    }

    private Rejection outlier(Held h) {
        return EventGate.outlierAhead(h.ts, maxJump, newest);
    }

    /** Ends holding {@code h}: taken ({@code refused} null) or refused; tells the listener, or the running call. */
    private void decide(Held h, Rejection refused) {
        held.remove(h);
        heldMin = Long.MAX_VALUE;
        for (Held o : held) {
            heldMin = Math.min(heldMin, o.ts);
        }
        heldExpiry = held.isEmpty() ? Long.MAX_VALUE : held.get(0).read + WINDOW;
        if (h.token < 0) {
            current = refused;
        } else if (refused == null) {
            heldListener.taken(h.token);
        } else {
            heldListener.refused(h.token, refused);
        }
    }

    /**
     * Ends the input: decides about every held event (see the class comment), applies what the buffer holds
     * and advances to {@code until} (default: the newest event time taken).
     */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (!held.isEmpty() && newest == Millis.NONE) {
            List<Held> sorted = new ArrayList<>(held);
            sorted.sort(TIME_ORDER);
            if (read < CONFIRM) {
                for (Held h : sorted) {
                    decide(h, admit(h.channel, h.kind, h.ts, h.slot, h.source));
                }
            } else {
                // No jump was ever confirmed: the densest group within maxJump stands in for one (earliest first).
                int best = 0;
                int bestCount = 0;
                for (int i = 0, j = 0; i < sorted.size(); i++) {
                    while (j < sorted.size() && sorted.get(j).ts - sorted.get(i).ts <= maxJump) {
                        j++;
                    }
                    if (j - i > bestCount) {
                        bestCount = j - i;
                        best = i;
                    }
                }
                if (bestCount > 1) {
                    confirm(sorted, sorted.get(best).ts);
                } else {
                    // No two events within maxJump of each other: nothing tells an outlier from the rest.
                    for (Held h : sorted) {
                        decide(h, admit(h.channel, h.kind, h.ts, h.slot, h.source));
                    }
                }
            }
        }
        while (!held.isEmpty()) {
            Held h = held.get(0);
            decide(h, h.ts <= limit ? admit(h.channel, h.kind, h.ts, h.slot, h.source) : outlier(h));
        }
        buffer.flush(apply);
        Instant end = end();
        if (end != null) {
            monitor.advanceTo(end.toEpochMilli());
        }
        alertOrder.flush();
    }

    /**
     * Where the replay ends: {@code until}, or the newest event time taken (never a refused event's); {@code null}
     * if no event was taken and there is no until.
     */
    public Instant end() {
        if (until != null) {
            return until;
        }
        return newest == Millis.NONE ? null : Instant.ofEpochMilli(newest);
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

    private void apply(long ts, int channel, int kindAndSource, long slot) {
        EventOutcome outcome = monitor.acceptValidated(channel, KINDS[kindAndSource & KIND_MASK], ts, slot,
                kindAndSource >>> KIND_BITS);
        if (outcome.rejected()) {
            // Validated and ordered before; a rejection here is a bug, not bad input.
            throw new IllegalStateException("event at " + Instant.ofEpochMilli(ts) + " of channel #" + channel
                    + " refused after validation: " + outcome);
        }
        outcomes[outcome.ordinal()]++;
    }
}
