package org.hotlinemonitor.core.detect;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;
import org.hotlinemonitor.core.model.CallEvent;

/**
 * Puts a stream of events back into event-time order, tolerating disorder up to an allowed lateness.
 *
 * <p>With {@code newest} the latest event time seen, the watermark is {@code newest - allowedLateness}.
 * An event older than the watermark is late: {@link #offer} refuses it. The others wait here and
 * leave in time order once no on-time event can precede them. Any arrival order in which no event is
 * late therefore yields the same sequence (events with equal times keep their arrival order; the
 * detector treats those alike).
 *
 * <p>Events wait in buckets of {@link #granularity()} (one second, or coarser for very long lateness)
 * kept in a ring that spans the lateness; a bucket is sorted once, and released whole once the
 * watermark has passed its end. {@link #releasedUntil()} says how far the released events reach: the
 * consumer may advance time to it and no further. Inserting costs O(1).
 * Not thread-safe.
 */
public final class ReorderBuffer {

    private static final Comparator<CallEvent> BY_TIME = Comparator.comparingLong(e -> e.ts().toEpochMilli());
    private static final int MAX_BUCKETS = 1 << 16;

    private final long lateness;
    private final long granularity;
    private final Bucket[] ring;
    private final ArrayDeque<CallEvent> ready = new ArrayDeque<>();
    private long newest = Long.MIN_VALUE;
    /** Index (time / granularity) of the oldest bucket that may hold events; older ones are released. */
    private long oldest = Long.MIN_VALUE;
    /** Events in the ring (not counting {@link #ready}). */
    private int held;

    public ReorderBuffer(Duration allowedLateness) {
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative, was " + allowedLateness);
        }
        this.lateness = allowedLateness.toMillis();
        this.granularity = Math.max(1000, ceilDiv(lateness, MAX_BUCKETS - 4));
        // The ring spans [watermark, newest]: lateness / granularity + 2 buckets at most.
        this.ring = new Bucket[Integer.highestOneBit((int) (lateness / granularity + 2)) * 2];
    }

    /** Events before this time are late. {@code Long.MIN_VALUE} before the first event. */
    public long watermark() {
        return newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - lateness;
    }

    /**
     * After {@link #release}: every event before this time has been handed on, and no event before it
     * can still be accepted, so time may safely advance to it. {@code Long.MIN_VALUE} at first.
     */
    public long releasedUntil() {
        return oldest == Long.MIN_VALUE ? Long.MIN_VALUE : oldest * granularity;
    }

    /** The bucket width in milliseconds. */
    public long granularity() {
        return granularity;
    }

    /** Takes an event; returns false, keeping nothing, when it is late. */
    public boolean offer(CallEvent event) {
        long ts = event.ts().toEpochMilli();
        if (ts < watermark()) {
            return false;
        }
        if (ts > newest) {
            newest = ts;
            expire(Math.floorDiv(watermark(), granularity));
        }
        long index = Math.floorDiv(ts, granularity); // >= oldest, since ts >= watermark
        int slot = (int) (index & (ring.length - 1));
        Bucket b = ring[slot];
        if (b == null) {
            b = new Bucket();
            ring[slot] = b;
        }
        if (b.count > 0 && b.index != index) {
            throw new IllegalStateException("reorder ring overrun at " + event.ts());
        }
        b.index = index;
        b.add(event);
        held++;
        return true;
    }

    /** Hands on, in time order, every event in buckets that lie wholly before the watermark. */
    public void release(Consumer<CallEvent> sink) {
        CallEvent e;
        while ((e = ready.pollFirst()) != null) {
            sink.accept(e);
        }
    }

    /** Hands on everything still held, in time order (at the end of the input). */
    public void flush(Consumer<CallEvent> sink) {
        release(sink);
        while (held > 0) {
            drain(oldest++);
        }
        release(sink);
    }

    /** Events held. */
    public int size() {
        return held + ready.size();
    }

    /** Moves, in order, every bucket before {@code limit} to the ready queue. */
    private void expire(long limit) {
        if (oldest == Long.MIN_VALUE) {
            oldest = limit;
            return;
        }
        while (oldest < limit) {
            if (held == 0) {
                oldest = limit; // nothing held: jump over the empty buckets
                return;
            }
            drain(oldest++);
        }
    }

    private void drain(long index) {
        Bucket b = ring[(int) (index & (ring.length - 1))];
        if (b == null || b.count == 0 || b.index != index) {
            return;
        }
        CallEvent[] events = b.events;
        int n = b.count;
        if (!b.sorted) {
            Arrays.sort(events, 0, n, BY_TIME); // stable: equal times keep their arrival order
        }
        b.count = 0;
        b.sorted = true;
        held -= n;
        for (int i = 0; i < n; i++) {
            ready.addLast(events[i]);
            events[i] = null;
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** The events of one time bucket, in arrival order until sorted. */
    private static final class Bucket {
        long index;
        CallEvent[] events = new CallEvent[8];
        int count;
        boolean sorted = true;

        void add(CallEvent e) {
            if (count == events.length) {
                events = Arrays.copyOf(events, count * 2);
            }
            if (count > 0 && sorted && events[count - 1].ts().compareTo(e.ts()) > 0) {
                sorted = false;
            }
            events[count++] = e;
        }
    }
}
