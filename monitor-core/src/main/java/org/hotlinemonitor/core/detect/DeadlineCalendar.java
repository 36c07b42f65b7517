package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<Long, Batch> batches = new HashMap<>();
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
            b = batches.get(at);
            if (b == null) {
                b = spare.isEmpty() ? new Batch() : spare.poll();
                batches.put(at, b);
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
        Batch b = batches.remove(at);
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
