package org.hotlinemonitor.app.detect;

import java.util.Arrays;

/**
 * The detector task's reorder buffer in memory: the records that wait for the watermark, ordered by (event
 * time, offset), which is the order replay applies them in. Each is held in parts (event time, offset,
 * channel index, kind ordinal, named slot) in flat arrays, with the record itself alongside (to save it, or
 * to refuse it as it was read).
 *
 * <p>Records arrive almost in order, so a record is almost always appended; one that is earlier than the last
 * is inserted after a binary search (the buffer holds at most the allowed lateness of records). Released
 * records leave from the head.
 *
 * <p>What is saved: each record remembers whether it is in the task's reorder store ({@link #isSaved}); a saved
 * record that leaves is listed ({@link #drainLeft}) so that its store entry can be deleted. A record that
 * arrives and leaves between two commits never reaches the store. Not thread-safe.
 */
final class PendingRecords {

    private long[] ts = new long[64];
    private long[] offset = new long[64];
    private int[] channel = new int[64];
    private int[] kind = new int[64];
    private long[] slot = new long[64];
    private boolean[] saved = new boolean[64];
    private Object[] record = new Object[64];
    private int head;
    private int tail;
    /** (event time, offset) of saved records that left, in pairs. */
    private long[] left = new long[32];
    private int leftCount;

    /** Forgets everything: records, and saved records that left. */
    void clear() {
        java.util.Arrays.fill(record, null);
        head = 0;
        tail = 0;
        leftCount = 0;
    }

    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return tail - head;
    }

    /** Adds a record; {@code saved}: it came from the store (at init). */
    void add(long t, long off, int ch, int k, long s, Object r, boolean fromStore) {
        if (tail == ts.length) {
            makeRoom();
        }
        int at = tail;
        if (at > head && before(t, off, at - 1)) {
            at = insertionPoint(t, off);
            int n = tail - at;
            System.arraycopy(ts, at, ts, at + 1, n);
            System.arraycopy(offset, at, offset, at + 1, n);
            System.arraycopy(channel, at, channel, at + 1, n);
            System.arraycopy(kind, at, kind, at + 1, n);
            System.arraycopy(slot, at, slot, at + 1, n);
            System.arraycopy(saved, at, saved, at + 1, n);
            System.arraycopy(record, at, record, at + 1, n);
        }
        ts[at] = t;
        offset[at] = off;
        channel[at] = ch;
        kind[at] = k;
        slot[at] = s;
        saved[at] = fromStore;
        record[at] = r;
        tail++;
    }

    /** The event time of the first record; only when not {@link #isEmpty}. */
    long firstTs() {
        return ts[head];
    }

    long firstOffset() {
        return offset[head];
    }

    int firstChannel() {
        return channel[head];
    }

    int firstKind() {
        return kind[head];
    }

    long firstSlot() {
        return slot[head];
    }

    Object firstRecord() {
        return record[head];
    }

    /** Removes the first record (after reading its parts). */
    void removeFirst() {
        if (saved[head]) {
            if (leftCount + 2 > left.length) {
                left = Arrays.copyOf(left, left.length * 2);
            }
            left[leftCount++] = ts[head];
            left[leftCount++] = offset[head];
        }
        record[head] = null;
        head++;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    interface Each {
        void accept(long ts, long offset, Object record);
    }

    /** Hands on every record not yet saved, and marks it saved. */
    void drainUnsaved(Each each) {
        for (int i = head; i < tail; i++) {
            if (!saved[i]) {
                saved[i] = true;
                each.accept(ts[i], offset[i], record[i]);
            }
        }
    }

    interface Replace {
        Object apply(long offset, Object record);
    }

    /** Replaces every record by what {@code f} makes of it; order, parts and whether each is saved are kept. */
    void replaceRecords(Replace f) {
        for (int i = head; i < tail; i++) {
            record[i] = f.apply(offset[i], record[i]);
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

    private boolean before(long t, long off, int i) {
        return t < ts[i] || (t == ts[i] && off < offset[i]);
    }

    /** The first position whose record comes after (t, off). */
    private int insertionPoint(long t, long off) {
        int lo = head;
        int hi = tail - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (before(t, off, mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Moves the records to the front, growing the arrays when they are more than a quarter full: a move then
     * comes at most once per three quarters of the capacity added, so each add moves less than half a record.
     */
    private void makeRoom() {
        int n = tail - head;
        int capacity = n * 4 > ts.length ? ts.length * 2 : ts.length;
        ts = move(ts, capacity, n);
        offset = move(offset, capacity, n);
        channel = move(channel, capacity, n);
        kind = move(kind, capacity, n);
        slot = move(slot, capacity, n);
        saved = move(saved, capacity, n);
        Object[] r = new Object[capacity];
        System.arraycopy(record, head, r, 0, n);
        record = r;
        head = 0;
        tail = n;
    }

    private long[] move(long[] a, int capacity, int n) {
        long[] b = new long[capacity];
        System.arraycopy(a, head, b, 0, n);
        return b;
    }

    private int[] move(int[] a, int capacity, int n) {
        int[] b = new int[capacity];
        System.arraycopy(a, head, b, 0, n);
        return b;
    }

    private boolean[] move(boolean[] a, int capacity, int n) {
        boolean[] b = new boolean[capacity];
        System.arraycopy(a, head, b, 0, n);
        return b;
    }
}
