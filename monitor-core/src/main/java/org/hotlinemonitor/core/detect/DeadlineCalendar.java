package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link Deadlines} as a calendar: the entries due at one instant sit in one batch, and the distinct instants in a
 * small binary heap. Channels that share a schedule share deadlines, so there are few distinct instants and an entry is
 * filed in O(1); a batch is handed out in rank order, sorted only when it was filed out of order (entries decided in
 * rank order are refiled in rank order). Batches are reused: filing allocates only when the number of distinct pending
 * instants, or of entries at one instant, grows beyond what was seen before.
 *
 * @param <T> what is filed
 */
final class DeadlineCalendar<T extends Deadlines.Entry> implements Deadlines<T> {

    private final Object[] byRank;
    /** The batch of each pending instant: open addressing (linear probing) on the instant, no boxing. */
    private long[] batchInstants = emptyInstants(16);
    private Batch[] batchOf = new Batch[16];
    private int batchCount;
    private final ArrayDeque<Batch> spare = new ArrayDeque<>();
    /** The distinct instants with a batch, as a binary min-heap in {@code instants[0..count)}. */
    private long[] instants = new long[16];
    private int count;
    /** The batch last filed into, and its instant: entries come in runs of one deadline. */
    private long lastInstant = NONE;
    private Batch lastBatch;

    /**
     * @param entries everything that may be filed; their ranks must be 0 to {@code entries.size() - 1}, each once
     * @throws IllegalArgumentException if the ranks are not
     */
    DeadlineCalendar(List<? extends T> entries) {
        byRank = new Object[entries.size()];
        for (T e : entries) {
            int rank = e.rank();
            if (rank < 0 || rank >= byRank.length || byRank[rank] != null) {
                throw new IllegalArgumentException("ranks must be 0 to " + (byRank.length - 1) + ", each once; "
                        + (rank < 0 || rank >= byRank.length ? "got " : "twice: ") + rank);
            }
            byRank[rank] = e;
        }
    }

    @Override
    public void file(T entry) {
        long at = entry.deadline();
        if (at == NONE) {
            return;
        }
        Batch b;
        if (at == lastInstant) {
            b = lastBatch;
        } else {
            b = batch(at);
            if (b == null) {
                b = spare.isEmpty() ? new Batch() : spare.poll();
                putBatch(at, b);
                push(at);
            }
            lastInstant = at;
            lastBatch = b;
        }
        b.add(entry.rank());
    }

    @Override
    public long next() {
        return count == 0 ? NONE : instants[0];
    }

    @Override
    @SuppressWarnings("unchecked")
    public void takeNext(Consumer<? super T> each) {
        if (count == 0) {
            return;
        }
        long at = instants[0];
        Batch b = removeBatch(at);
        pop();
        if (at == lastInstant) {
            lastInstant = NONE;
            lastBatch = null;
        }
        if (!b.sorted) {
            Arrays.sort(b.ranks, 0, b.size);
        }
        for (int i = 0; i < b.size; i++) {
            T e = (T) byRank[b.ranks[i]];
            // Stale when re-filed elsewhere since; filed twice at this instant, handed once.
            if (e.deadline() == at && (i == 0 || b.ranks[i - 1] != b.ranks[i])) {
                each.accept(e);
            }
        }
        b.clear();
        spare.push(b);
    }

    private static long[] emptyInstants(int capacity) {
        long[] a = new long[capacity];
        Arrays.fill(a, NONE); // never an instant: file() skips it
        return a;
    }

    private int home(long at) {
        return (int) ((at * 0x9E37_79B9_7F4A_7C15L) >>> 40) & (batchInstants.length - 1);
    }

    private Batch batch(long at) {
        int mask = batchInstants.length - 1;
        for (int i = home(at); batchInstants[i] != NONE; i = (i + 1) & mask) {
            if (batchInstants[i] == at) {
                return batchOf[i];
            }
        }
        return null;
    }

    private void putBatch(long at, Batch b) {
        if ((batchCount + 1) * 2 > batchInstants.length) { // a load of at most 1/2
            long[] oldInstants = batchInstants;
            Batch[] oldBatches = batchOf;
            batchInstants = emptyInstants(oldInstants.length * 2);
            batchOf = new Batch[oldInstants.length * 2];
            batchCount = 0;
            for (int i = 0; i < oldInstants.length; i++) {
                if (oldInstants[i] != NONE) {
                    putBatch(oldInstants[i], oldBatches[i]);
                }
            }
        }
        int mask = batchInstants.length - 1;
        int i = home(at);
        while (batchInstants[i] != NONE) {
            i = (i + 1) & mask;
        }
        batchInstants[i] = at;
        batchOf[i] = b;
        batchCount++;
    }

    /** Removes {@code at}'s batch, which is there, and closes the gap (backward shift: no tombstones). */
    private Batch removeBatch(long at) {
        int mask = batchInstants.length - 1;
        int i = home(at);
        while (batchInstants[i] != at) {
            i = (i + 1) & mask;
        }
        Batch b = batchOf[i];
        batchCount--;
        for (int gap = i, j = (i + 1) & mask; ; j = (j + 1) & mask) {
            if (batchInstants[j] == NONE) {
                batchInstants[gap] = NONE;
                batchOf[gap] = null;
                return b;
            }
            int h = home(batchInstants[j]);
            // j's entry may move into the gap unless its home lies cyclically in (gap, j]
            if (gap <= j ? (h <= gap || h > j) : (h <= gap && h > j)) {
                batchInstants[gap] = batchInstants[j];
                batchOf[gap] = batchOf[j];
                gap = j;
            }
        }
    }

    private void push(long at) {
        if (count == instants.length) {
            instants = Arrays.copyOf(instants, count * 2);
        }
        int i = count++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (instants[parent] <= at) {
                break;
            }
            instants[i] = instants[parent];
            i = parent;
        }
        instants[i] = at;
    }

    private void pop() {
        long last = instants[--count];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= count) {
                break;
            }
            if (child + 1 < count && instants[child + 1] < instants[child]) {
                child++;
            }
            if (instants[child] >= last) {
                break;
            }
            instants[i] = instants[child];
            i = child;
        }
        instants[i] = last;
    }

    /** The ranks of the entries filed at one instant, in filing order. */
    private static final class Batch {
        int[] ranks = new int[16];
        int size;
        boolean sorted = true;

        void add(int rank) {
            if (size == ranks.length) {
                ranks = Arrays.copyOf(ranks, size * 2);
            }
            if (size > 0 && ranks[size - 1] > rank) {
                sorted = false;
            }
            ranks[size++] = rank;
        }

        void clear() {
            size = 0;
            sorted = true;
        }
    }
}
