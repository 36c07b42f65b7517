package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.detect.ChannelState.NONE;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Runs the {@link Detector} of every configured channel over one stream of events in event-time order.
 *
 * <p>Alerts and verdicts are handed to the {@link Listener} in non-decreasing order of their time;
 * slots of different channels with the same deadline are decided in channel-id order. Channels are
 * advanced lazily: a channel is touched only when one of its events arrives or its next deadline
 * falls before the time being advanced to, so a step costs the same with ten channels or a million.
 *
 * <p>No clock and no I/O: time comes from the events and from {@link #advanceTo}. Not thread-safe.
 */
public final class Monitor {

    /** Receives what the monitor decides, in time order. */
    public interface Listener {
        void onAlert(Alert alert);

        default void onVerdict(SlotVerdict verdict) {
        }
    }

    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Lane> ordered = new LinkedHashMap<>();
    private final PriorityQueue<Lane> due = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.nextDeadline, b.nextDeadline);
        return c != 0 ? c : a.id.compareTo(b.id);
    });
    private final Listener listener;
    private long watermark = NONE;

    public Monitor(MonitorConfig config, Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        for (Channel c : config.channels()) {
            Lane lane = new Lane(new Detector(c));
            lanes.put(c.id(), lane);
            ordered.put(c.id(), lane);
        }
    }

    /** True once {@link #start} has run. */
    public boolean started() {
        return watermark != NONE;
    }

    /** Starts monitoring every channel at {@code start}; slots whose deadline is before it are not judged. */
    public void start(Instant start) {
        if (started()) {
            throw new IllegalStateException("already started at " + Instant.ofEpochMilli(watermark));
        }
        watermark = start.toEpochMilli();
        for (Lane lane : ordered.values()) {
            lane.state = lane.detector.initial(start);
            lane.schedule();
        }
    }

    /** The time up to which every deadline before it is decided; {@code null} before {@link #start}. */
    public Instant watermark() {
        return started() ? Instant.ofEpochMilli(watermark) : null;
    }

    /**
     * Applies one event. Events must come in event-time order: one older than the watermark is
     * {@link EventOutcome#LATE} and changes nothing. Starts the monitor at the event's time if needed.
     */
    public EventOutcome accept(CallEvent event) {
        long ts = event.ts().toEpochMilli();
        if (!started()) {
            start(event.ts());
        }
        if (ts < watermark) {
            return EventOutcome.LATE;
        }
        Lane lane = null;
        if (event.channel() != null) {
            lane = lanes.get(event.channel());
            if (lane == null && event.kind() != EventKind.HEARTBEAT) {
                return EventOutcome.UNKNOWN_CHANNEL;
            }
        }
        advanceTo(ts);
        if (lane == null) {
            return EventOutcome.TIME_ONLY;
        }
        Step step = lane.detector.onEvent(lane.state, event);
        if (!step.outcome().rejected()) {
            boolean reschedule = step.state().cursor() != lane.state.cursor();
            if (reschedule) {
                due.remove(lane);
            }
            lane.state = step.state();
            if (reschedule) {
                lane.schedule();
            }
            emit(step);
        }
        return step.outcome();
    }

    /**
     * Checks what can be checked of an event before it is buffered or applied: its channel is configured,
     * and a slot it names is valid ({@link Detector#validate}). Returns the rejection, or {@code null}.
     */
    public EventOutcome validate(CallEvent event) {
        if (event.kind() == EventKind.HEARTBEAT) {
            return null;
        }
        Lane lane = lanes.get(event.channel());
        return lane == null ? EventOutcome.UNKNOWN_CHANNEL : lane.detector.validate(event);
    }

    /** Moves time to {@code to}: decides, in time order, every slot of every channel with a deadline before it. */
    public void advanceTo(Instant to) {
        if (!started()) {
            start(to);
        }
        advanceTo(to.toEpochMilli());
    }

    private void advanceTo(long to) {
        if (to <= watermark) {
            return;
        }
        Lane next;
        while ((next = due.peek()) != null && next.nextDeadline < to) {
            due.poll();
            // Decide only this deadline, so that deadlines of other channels interleave in time order.
            Step step = next.detector.advance(next.state, next.nextDeadline + 1);
            if (step.state().cursor() == next.state.cursor()) {
                throw new IllegalStateException("deadline " + Instant.ofEpochMilli(next.nextDeadline) + " of "
                        + next.id + " was not decided");
            }
            next.state = step.state();
            next.schedule();
            emit(step);
        }
        watermark = to;
    }

    private void emit(Step step) {
        for (SlotVerdict v : step.verdicts()) {
            listener.onVerdict(v);
        }
        for (Alert a : step.alerts()) {
            listener.onAlert(a);
        }
    }

    /** The current state of a channel, or {@code null} if unknown or not started. */
    public ChannelState state(String channel) {
        Lane lane = lanes.get(channel);
        return lane == null ? null : lane.state;
    }

    /**
     * Every channel's state in configuration order. A channel's state is advanced lazily: its watermark
     * may trail {@link #watermark()}, which is the time that holds for all of them.
     */
    public Map<String, ChannelState> states() {
        Map<String, ChannelState> out = new LinkedHashMap<>();
        ordered.forEach((id, lane) -> out.put(id, lane.state));
        return Collections.unmodifiableMap(out);
    }

    /** The channel configuration behind a channel id, or {@code null}. */
    public Channel channel(String id) {
        Lane lane = lanes.get(id);
        return lane == null ? null : lane.detector.channel();
    }

    private final class Lane {
        final Detector detector;
        final String id;
        ChannelState state;
        long nextDeadline = NONE;

        Lane(Detector detector) {
            this.detector = detector;
            this.id = detector.channel().id();
        }

        void schedule() {
            nextDeadline = detector.nextDeadline(state);
            if (nextDeadline != NONE) {
                due.add(this);
            }
        }
    }
}
