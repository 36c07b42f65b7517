package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Duration;
import java.util.Arrays;
import org.hotlinemonitor.core.model.Millis;

/**
 * Puts a stream of events back into event-time order, tolerating disorder up to an allowed lateness: the one ordering
 * of replay and of the live detector. Events leave in (event time, arrival) order.
 *
 * <p>Two ways to use it, one per buffer (mixing them throws {@link IllegalStateException}). <b>Replay</b>
 * ({@link #offer}, {@link #release}, {@link #flush}): with {@code newest} the latest event time seen, the watermark is
 * {@code newest - allowedLateness}. An event older than the watermark is late: {@link #offer} refuses it. The others
 * wait here and leave in time order once no on-time event can precede them. Any arrival order in which no event is late
 * therefore yields the same sequence (events with equal times keep their arrival order; the detector treats those
 * alike). <b>The live detector</b> ({@link #add}, {@link #releaseThrough}): its watermark is its own (the clock moves
 * it too, and an event ahead of the clock must not), so it judges lateness itself, adds whatever it holds, of any time,
 * and releases, record by record, every event at or before its watermark. Its records arrive in offset order, so
 * arrival order is its (event time, offset) order.
 *
 * <p>An event is held in parts: its time, channel index, kind ordinal and named slot (epoch
 * milliseconds, or {@link Millis#NONE}), in flat arrays, so that holding and sorting millions
 * of events allocates nothing per event and touches no event objects. Events wait in buckets of
 * {@link #granularity()} (one second, or coarser for very long lateness) kept in a ring that spans
 * the lateness; a bucket is sorted once (only if it arrived out of order), and released whole once
 * the watermark has passed its end. {@link #releasedUntil()} says how far the released events reach:
 * the consumer may advance time to it and no further. Inserting costs O(1). Under {@link #add} every event held
 * waits in one bucket instead of the ring (the live times held span more than the lateness, without bound, and are
 * sparse: a partition's records are often seconds apart, so a bucket per second would be a bucket per record), kept
 * in order as events come (almost always an append; else a binary search and a shift of the later events), so that a
 * release through any time takes the events at or before it off its front, without sorting. Not thread-safe.
 */
public final class ReorderBuffer {

    /** Receives released events in time order. */
    @FunctionalInterface
    public interface Sink {
        void accept(long ts, int channel, int kind, long slot);

        /**
         * Told, before events {@code [from, to)} of a release are accepted, their channels ({@code channels[from..to)}):
         * a sink may read ahead what accepting them will touch. Changes nothing; by default does nothing.
         */
        default void prepare(int[] channels, int from, int to) {
        }
    }

    /** Released events are handed on in runs of this many, each run {@link Sink#prepare prepared} first. */
    static final int RUN = 16;

    private static final int MAX_BUCKETS = 1 << 16;

    private final long lateness;
    private final long granularity;
    private final Bucket[] ring;
    /** Released events waiting to be handed on, in order: a FIFO in columns. */
    private final Columns ready = new Columns(64);
    private long[] sortKeys = new long[64];
    private long newest = NONE;
    /** Index (time / granularity) of the oldest bucket that may hold events; older ones are released. Not a time:
     * {@code Long.MIN_VALUE} before the first event. */
    private long oldest = Long.MIN_VALUE;
    /** Events in the ring (not counting those ready). */
    private int held;
    /** Under {@link #add}, in place of the ring: every event held, in (time, arrival) order; null before the first. */
    private Bucket live;

    public ReorderBuffer(Duration allowedLateness) {
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative, was " + allowedLateness);
        }
        this.lateness = allowedLateness.toMillis();
        this.granularity = Math.max(1000, ceilDiv(lateness, MAX_BUCKETS - 4));
        // The ring spans [watermark, newest]: lateness / granularity + 2 buckets at most.
        this.ring = new Bucket[Integer.highestOneBit((int) (lateness / granularity + 2)) * 2];
    }

    /** Events before this time are late. {@link Millis#NONE} before the first event. */
    public long watermark() {
        return newest == NONE ? NONE : newest - lateness;
    }

    /**
     * After {@link #release}: every event before this time has been handed on, and no event before it
     * can still be accepted, so time may safely advance to it. {@link Millis#NONE} at first.
     */
    public long releasedUntil() {
        return oldest == Long.MIN_VALUE ? NONE : oldest * granularity;
    }

    /** The bucket width in milliseconds. */
    public long granularity() {
        return granularity;
    }

    /**
     * Takes an event (time {@code ts} in epoch milliseconds; the other parts are carried along);
     * returns false, keeping nothing, when it is late.
     */
    public boolean offer(long ts, int channel, int kind, long slot) {
        if (ts < watermark()) {
            return false;
        }
        if (ts > newest) {
            if (live != null) { // checked as time moves on, not per event: the first offer moves it
                throw mixed("offer", "add");
            }
            newest = ts;
            expire(Math.floorDiv(watermark(), granularity));
        }
        long index = Math.floorDiv(ts, granularity); // >= oldest, since ts >= watermark
        int at = (int) (index & (ring.length - 1));
        Bucket b = ring[at];
        if (b == null) {
            b = new Bucket();
            ring[at] = b;
        }
        if (b.size > 0 && b.index != index) {
            throw new IllegalStateException("reorder ring overrun at " + ts);
        }
        b.index = index;
        if (b.size > 0 && b.sorted && b.ts[b.size - 1] > ts) {
            b.sorted = false;
        }
        b.add(ts, channel, kind, slot);
        held++;
        return true;
    }

    /** Hands on, in time order, every event in buckets that lie wholly before the watermark. */
    public void release(Sink sink) {
        Columns r = ready;
        for (int from = 0, n = r.size; from < n; from += RUN) {
            int to = Math.min(n, from + RUN);
            sink.prepare(r.channel, from, to);
            for (int i = from; i < to; i++) {
                sink.accept(r.ts[i], r.channel[i], r.kind[i], r.slot[i]);
            }
        }
        r.size = 0;
    }

    /** Hands on everything still held, in time order (at the end of the input). */
    public void flush(Sink sink) {
        if (live != null) {
            throw mixed("flush", "add");
        }
        release(sink);
        while (held > 0) {
            drain(oldest++);
        }
        release(sink);
    }

    /** Events held. */
    public int size() {
        return held + ready.size;
    }

    /** Whether no event is held. */
    public boolean isEmpty() {
        return held + ready.size == 0;
    }

    /**
     * Takes an event whose lateness the caller judged (the live detector's way: see the class comment), of any time,
     * even one before events already released; it leaves by {@link #releaseThrough}. Not with {@link #offer} on the
     * same buffer. The parts are carried along and handed back as they are.
     */
    public void add(long ts, int channel, int kind, long slot) {
        if (live == null) {
            if (newest != NONE) {
                throw mixed("add", "offer");
            }
            live = new Bucket();
        }
        live.insert(ts, channel, kind, slot);
        held++;
    }

    /**
     * Hands on, in (event time, arrival) order, every event held at or before {@code through} (epoch milliseconds);
     * later ones stay. With {@link #add}.
     */
    public void releaseThrough(long through, Sink sink) {
        if (held > 0) {
            if (live == null) {
                throw mixed("releaseThrough", "offer");
            }
            drainThrough(live, through);
        }
        release(sink);
    }

    /** The two ways of the class comment do not mix: {@code used} was called on a buffer used by {@code other}. */
    private static IllegalStateException mixed(String used, String other) {
        return new IllegalStateException(used + " on a buffer used with " + other
                + ": a buffer is used either by offer, release and flush (replay) or by add and releaseThrough (live)");
    }

    /** Moves the events of {@code b} at or before {@code through} to the ready queue, in order; keeps the rest. */
    private void drainThrough(Bucket b, long through) {
        int i = b.from;
        while (i < b.size && b.ts[i] <= through) { // sorted: added in order (Bucket.insert)
            ready.add(b.ts[i], b.channel[i], b.kind[i], b.slot[i]);
            i++;
        }
        held -= i - b.from;
        if (i == b.size) {
            b.size = 0;
            b.from = 0;
        } else {
            b.from = i;
        }
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
        if (b == null || b.size == 0 || b.index != index) {
            return;
        }
        drain(b, index);
    }

    /** Moves bucket {@code b}, of {@code index}, to the ready queue, in order. */
    private void drain(Bucket b, long index) {
        int n = b.size;
        if (b.sorted) {
            for (int i = b.from; i < n; i++) { // from: 0 but under add, whose buckets are always sorted
                ready.add(b.ts[i], b.channel[i], b.kind[i], b.slot[i]);
            }
            n -= b.from;
            b.from = 0;
        } else {
            // Sort by (time within the bucket, arrival): unique keys, so the order is stable.
            if (sortKeys.length < n) {
                sortKeys = new long[Math.max(n, sortKeys.length * 2)];
            }
            long base = index * granularity;
            for (int i = 0; i < n; i++) {
                sortKeys[i] = ((b.ts[i] - base) << 32) | i;
            }
            Arrays.sort(sortKeys, 0, n);
            for (int k = 0; k < n; k++) {
                int i = (int) sortKeys[k];
                ready.add(b.ts[i], b.channel[i], b.kind[i], b.slot[i]);
            }
        }
        b.size = 0;
        b.sorted = true;
        held -= n;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** Events in parts, one array per part. */
    private static class Columns {
        long[] ts;
        int[] channel;
        int[] kind;
        long[] slot;
        int size;

        Columns(int capacity) {
            ts = new long[capacity];
            channel = new int[capacity];
            kind = new int[capacity];
            slot = new long[capacity];
        }

        final void add(long t, int c, int k, long s) {
            if (size == ts.length) {
                int grown = size * 2;
                ts = Arrays.copyOf(ts, grown);
                channel = Arrays.copyOf(channel, grown);
                kind = Arrays.copyOf(kind, grown);
                slot = Arrays.copyOf(slot, grown);
            }
            ts[size] = t;
            channel[size] = c;
            kind[size] = k;
            slot[size] = s;
            size++;
        }
    }

    /**
     * The events of one time bucket: under {@link #offer}, in arrival order until sorted; under {@link #add}, always in
     * (time, arrival) order, from {@link #from} on (those before it have left).
     */
    private static final class Bucket extends Columns {
        long index;
        boolean sorted = true;
        int from;

        Bucket() {
            super(8);
        }

        /**
         * Inserts an event after those of its time or earlier (after a binary search, when it is not the latest): events
         * arrive almost in order, so it is almost always appended. Makes room at the front first, when there is some.
         */
        void insert(long t, int c, int k, long s) {
            if (size == ts.length && from > 0 && (size - from) * 4 <= ts.length) {
                int n = size - from;
                System.arraycopy(ts, from, ts, 0, n);
                System.arraycopy(channel, from, channel, 0, n);
                System.arraycopy(kind, from, kind, 0, n);
                System.arraycopy(slot, from, slot, 0, n);
                size = n;
                from = 0;
            }
            if (size == from || ts[size - 1] <= t) {
                add(t, c, k, s);
                return;
            }
            int lo = from;
            int hi = size - 1;
            while (lo < hi) { // the first event later than t
                int mid = (lo + hi) >>> 1;
                if (ts[mid] > t) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            add(ts[size - 1], channel[size - 1], kind[size - 1], slot[size - 1]); // grows if needed
            int n = size - 2 - lo;
            System.arraycopy(ts, lo, ts, lo + 1, n);
            System.arraycopy(channel, lo, channel, lo + 1, n);
            System.arraycopy(kind, lo, kind, lo + 1, n);
            System.arraycopy(slot, lo, slot, lo + 1, n);
            ts[lo] = t;
            channel[lo] = c;
            kind[lo] = k;
            slot[lo] = s;
        }
    }
}
