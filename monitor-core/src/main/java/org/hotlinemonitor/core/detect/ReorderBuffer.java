package org.hotlinemonitor.core.detect;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.hotlinemonitor.core.model.CallEvent;

/**
 * Puts a stream of events back into event-time order, tolerating disorder up to an allowed lateness.
 *
 * <p>With {@code newest} the latest event time seen, the watermark is {@code newest - allowedLateness}.
 * An event older than the watermark is late: {@link #offer} refuses it. The others wait here until the
 * watermark passes them, and then leave in time order. Any arrival order in which no event is late
 * therefore yields the same sequence (events with equal times keep their arrival order; the detector
 * treats those alike).
 *
 * <p>In-order arrivals cost O(1) (a queue); only events that arrive out of order go through a heap.
 * Not thread-safe.
 */
public final class ReorderBuffer {

    private static final Comparator<CallEvent> BY_TIME = Comparator.comparing(CallEvent::ts);

    private final long lateness;
    private final ArrayDeque<CallEvent> inOrder = new ArrayDeque<>();
    private final PriorityQueue<CallEvent> outOfOrder = new PriorityQueue<>(BY_TIME);
    private long newest = Long.MIN_VALUE;

    public ReorderBuffer(Duration allowedLateness) {
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative, was " + allowedLateness);
        }
        this.lateness = allowedLateness.toMillis();
    }

    /** Events before this time are late. {@code Long.MIN_VALUE} before the first event. */
    public long watermark() {
        return newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - lateness;
    }

    /** Takes an event; returns false, keeping nothing, when it is late. */
    public boolean offer(CallEvent event) {
        long ts = event.ts().toEpochMilli();
        if (ts < watermark()) {
            return false;
        }
        CallEvent tail = inOrder.peekLast();
        if (tail == null || tail.ts().compareTo(event.ts()) <= 0) {
            inOrder.addLast(event);
        } else {
            outOfOrder.add(event);
        }
        newest = Math.max(newest, ts);
        return true;
    }

    /** Hands on, in time order, every event older than the watermark: no on-time event can precede them now. */
    public void release(Consumer<CallEvent> sink) {
        long w = watermark();
        while (true) {
            CallEvent next = peek();
            if (next == null || next.ts().toEpochMilli() >= w) {
                return;
            }
            sink.accept(poll());
        }
    }

    /** Hands on everything still held, in time order (at the end of the input). */
    public void flush(Consumer<CallEvent> sink) {
        CallEvent next;
        while ((next = poll()) != null) {
            sink.accept(next);
        }
    }

    /** Events held. */
    public int size() {
        return inOrder.size() + outOfOrder.size();
    }

    private CallEvent peek() {
        CallEvent a = inOrder.peekFirst();
        CallEvent b = outOfOrder.peek();
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.ts().compareTo(a.ts()) < 0 ? b : a;
    }

    private CallEvent poll() {
        CallEvent a = inOrder.peekFirst();
        CallEvent b = outOfOrder.peek();
        if (a == null) {
            return outOfOrder.poll();
        }
        if (b == null || b.ts().compareTo(a.ts()) >= 0) {
            return inOrder.pollFirst();
        }
        return outOfOrder.poll();
    }
}
