package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.detect.ChannelState.NONE;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.ChannelIndex;
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

    private final ChannelIndex index;
    private final Lane[] lanes;
    private final DeadlineHeap due;
    private final Listener listener;
    private long watermark = NONE;

    public Monitor(MonitorConfig config, Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        List<String> byId = config.channels().stream().map(Channel::id).sorted().toList();
        this.index = new ChannelIndex(config.channels());
        this.lanes = new Lane[config.channels().size()];
        for (int i = 0; i < lanes.length; i++) {
            Channel c = config.channels().get(i);
            lanes[i] = new Lane(new Detector(c), Collections.binarySearch(byId, c.id()));
        }
        this.due = new DeadlineHeap(config.channels().size());
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
        for (Lane lane : lanes) {
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
        EventOutcome invalid = validate(event);
        return invalid != null ? invalid : acceptValidated(event);
    }

    /**
     * {@link #accept} for an event that already passed {@link #validate} (replay validates events on
     * arrival, before they wait in the reorder buffer, and must not pay for it twice).
     */
    public EventOutcome acceptValidated(CallEvent event) {
        long ts = event.ts().toEpochMilli();
        if (!started()) {
            start(event.ts());
        }
        if (ts < watermark) {
            return EventOutcome.LATE;
        }
        Lane lane = event.kind() == EventKind.HEARTBEAT ? null : lane(event.channel());
        advanceTo(ts);
        if (lane == null) {
            return EventOutcome.TIME_ONLY;
        }
        Step step = lane.detector.applyValidated(lane.state, event);
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
        Lane lane = lane(event.channel());
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
        List<SlotVerdict> verdicts = step.verdicts();
        for (int i = 0, n = verdicts.size(); i < n; i++) {
            listener.onVerdict(verdicts.get(i));
        }
        List<Alert> alerts = step.alerts();
        for (int i = 0, n = alerts.size(); i < n; i++) {
            listener.onAlert(alerts.get(i));
        }
    }

    /** The current state of a channel, or {@code null} if unknown or not started. */
    private Lane lane(String channel) {
        int i = index.indexOf(channel);
        return i < 0 ? null : lanes[i];
    }

    public ChannelState state(String channel) {
        Lane lane = lane(channel);
        return lane == null ? null : lane.state;
    }

    /**
     * Every channel's state in configuration order. A channel's state is advanced lazily: its watermark
     * may trail {@link #watermark()}, which is the time that holds for all of them.
     */
    public Map<String, ChannelState> states() {
        Map<String, ChannelState> out = new LinkedHashMap<>();
        for (Lane lane : lanes) {
            out.put(lane.id, lane.state);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The channel configuration behind a channel id, or {@code null}. */
    public Channel channel(String id) {
        Lane lane = lane(id);
        return lane == null ? null : lane.detector.channel();
    }

    private final class Lane {
        final Detector detector;
        final String id;
        /** The channel id's position in id order: the tie-break between equal deadlines. */
        final int rank;
        ChannelState state;
        long nextDeadline = NONE;
        int heapIndex = -1;

        Lane(Detector detector, int rank) {
            this.detector = detector;
            this.id = detector.channel().id();
            this.rank = rank;
        }

        void schedule() {
            nextDeadline = detector.nextDeadline(state);
            if (nextDeadline != NONE) {
                due.add(this);
            }
        }
    }

    /**
     * Lanes by (next deadline, rank): a binary heap whose keys sit in flat arrays next to the lanes, so
     * that comparisons never touch the (scattered) lane objects; removal by index.
     */
    private static final class DeadlineHeap {
        private Lane[] heap;
        private long[] deadlines;
        private int[] ranks;
        private int size;

        DeadlineHeap(int capacity) {
            int c = Math.max(16, capacity);
            heap = new Lane[c];
            deadlines = new long[c];
            ranks = new int[c];
        }

        Lane peek() {
            return size == 0 ? null : heap[0];
        }

        void add(Lane lane) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, size * 2);
                deadlines = java.util.Arrays.copyOf(deadlines, size * 2);
                ranks = java.util.Arrays.copyOf(ranks, size * 2);
            }
            up(size++, lane, lane.nextDeadline, lane.rank);
        }

        Lane poll() {
            Lane top = heap[0];
            removeAt(0);
            return top;
        }

        void remove(Lane lane) {
            if (lane.heapIndex >= 0) {
                removeAt(lane.heapIndex);
            }
        }

        private void removeAt(int i) {
            heap[i].heapIndex = -1;
            int last = --size;
            Lane moved = heap[last];
            long d = deadlines[last];
            int r = ranks[last];
            heap[last] = null;
            if (i < last) {
                down(i, moved, d, r);
                if (moved.heapIndex == i) {
                    up(i, moved, d, r);
                }
            }
        }

        private static boolean less(long d1, int r1, long d2, int r2) {
            return d1 < d2 || (d1 == d2 && r1 < r2);
        }

        private void up(int i, Lane x, long d, int r) {
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(d, r, deadlines[parent], ranks[parent])) {
                    break;
                }
                place(i, heap[parent], deadlines[parent], ranks[parent]);
                i = parent;
            }
            place(i, x, d, r);
        }

        private void down(int i, Lane x, long d, int r) {
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && less(deadlines[child + 1], ranks[child + 1], deadlines[child], ranks[child])) {
                    child++;
                }
                if (!less(deadlines[child], ranks[child], d, r)) {
                    break;
                }
                place(i, heap[child], deadlines[child], ranks[child]);
                i = child;
            }
            place(i, x, d, r);
        }

        private void place(int i, Lane x, long d, int r) {
            heap[i] = x;
            deadlines[i] = d;
            ranks[i] = r;
            x.heapIndex = i;
        }
    }
}
