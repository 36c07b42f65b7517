package org.hotlinemonitor.app.detect;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.hotlinemonitor.core.detect.ReorderBuffer;

/**
 * The detector task's reorder buffer in memory: the records that wait for the watermark. Their order is replay's
 * ({@link ReorderBuffer}, the one ordering of the core, used the live way: {@link ReorderBuffer#add},
 * {@link ReorderBuffer#releaseThrough}): (event time, arrival), and records arrive in offset order (the records
 * restored from the store first, in their key's (event time, offset) order, all before the records read after them),
 * so (event time, offset). What is only the live detector's stays here: each record's parts (offset, channel index,
 * kind, named slot), the record itself (to save it, or to refuse it as it was read), and whether it is in the task's
 * reorder store; the ordering carries a record's number in this table.
 *
 * <p>What is saved: each record remembers whether it is in the task's reorder store; a saved record that leaves is
 * listed ({@link #drainLeft}) so that its store entry can be deleted. A record that arrives and leaves between two
 * commits never reaches the store. Not thread-safe.
 */
final class PendingRecords {

    /** What a release hands on, for each record at or before the watermark, in order. */
    interface Released {
        void accept(long ts, long offset, int channel, int kind, long slot, Object record);
    }

    private final Duration lateness;
    private ReorderBuffer order;
    /** The table of waiting records, by number: parts, the record, whether it is saved. Free numbers are listed. */
    private long[] ts = new long[64];
    private long[] offset = new long[64];
    private int[] channel = new int[64];
    private int[] kind = new int[64];
    private long[] slot = new long[64];
    private boolean[] saved = new boolean[64];
    private Object[] record = new Object[64];
    private int[] free = new int[64];
    private int freeCount;
    /** Numbers ever used: those below it are in use or free. */
    private int used;
    /** (event time, offset) of saved records that left, in pairs. */
    private long[] left = new long[32];
    private int leftCount;
    /** The release running: reused, so that a release allocates nothing. */
    private Released each;
    private final ReorderBuffer.Sink leave = (t, number, unused, alsoUnused) -> leave(number);

    /** {@code allowedLateness}: the detector's; it sets only the ordering's bucket width. */
    PendingRecords(Duration allowedLateness) {
        this.lateness = allowedLateness;
        this.order = new ReorderBuffer(allowedLateness);
    }

    /** Forgets everything: records, and saved records that left. */
    void clear() {
        order = new ReorderBuffer(lateness);
        Arrays.fill(record, null);
        freeCount = 0;
        used = 0;
        leftCount = 0;
    }

    boolean isEmpty() {
        return order.isEmpty();
    }

    int size() {
        return order.size();
    }

    /** Adds a record; {@code fromStore}: it came from the store (at init). Records come in offset order. */
    void add(long t, long off, int ch, int k, long s, Object r, boolean fromStore) {
        Objects.requireNonNull(r, "record"); // a number without a record is free
        int n = freeCount > 0 ? free[--freeCount] : number();
        ts[n] = t;
        offset[n] = off;
        channel[n] = ch;
        kind[n] = k;
        slot[n] = s;
        saved[n] = fromStore;
        record[n] = r;
        order.add(t, n, 0, 0);
    }

    /**
     * Hands on, in (event time, offset) order, every record at or before {@code watermark}, and forgets it (listing it to
     * delete when it was saved).
     */
    void releaseThrough(long watermark, Released to) {
        each = to;
        try {
            order.releaseThrough(watermark, leave);
        } finally {
            each = null;
        }
    }

    private void leave(int n) {
        if (saved[n]) {
            if (leftCount + 2 > left.length) {
                left = Arrays.copyOf(left, left.length * 2);
            }
            left[leftCount++] = ts[n];
            left[leftCount++] = offset[n];
        }
        Object r = record[n];
        record[n] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = n;
        each.accept(ts[n], offset[n], channel[n], kind[n], slot[n], r);
    }

    interface Each {
        void accept(long ts, long offset, Object record);
    }

    /** Hands on every record not yet saved, and marks it saved. */
    void drainUnsaved(Each each) {
        for (int n = 0; n < used; n++) {
            if (record[n] != null && !saved[n]) {
                saved[n] = true;
                each.accept(ts[n], offset[n], record[n]);
            }
        }
    }

    interface Replace {
        Object apply(long offset, Object record);
    }

    /** Replaces every record by what {@code f} makes of it; order, parts and whether each is saved are kept. */
    void replaceRecords(Replace f) {
        for (int n = 0; n < used; n++) {
            if (record[n] != null) {
                record[n] = f.apply(offset[n], record[n]);
            }
        }
    }

    interface Left {
        void accept(long ts, long offset);
    }

    /** Hands on (event time, offset) of every saved record that left since the last call, and forgets them. */
    void drainLeft(Left each) {
        for (int i = 0; i < leftCount; i += 2) {
            each.accept(left[i], left[i + 1]);
        }
        leftCount = 0;
    }

    /** A number never used yet, growing the table when it is full. */
    private int number() {
        if (used == ts.length) {
            int grown = used * 2;
            ts = Arrays.copyOf(ts, grown);
            offset = Arrays.copyOf(offset, grown);
            channel = Arrays.copyOf(channel, grown);
            kind = Arrays.copyOf(kind, grown);
            slot = Arrays.copyOf(slot, grown);
            saved = Arrays.copyOf(saved, grown);
            record = Arrays.copyOf(record, grown);
        }
        return used++;
    }
}
