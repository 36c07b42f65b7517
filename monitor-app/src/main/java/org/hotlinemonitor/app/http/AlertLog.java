package org.hotlinemonitor.app.http;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;

/**
 * The recent alerts this instance has read from the alerts topic, for {@code GET /api/v1/alerts}: a bounded ring in
 * arrival order; when full, the oldest arrival goes. Filled by {@link AlertTail}.
 *
 * <p>Thread-safety: safe from any thread.
 */
public final class AlertLog {

    /** Alerts kept at most by default (a few hundred bytes each). */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<Alert> ring;
    private Instant evictedUpTo; // the newest `at` evicted: answers for earlier instants may be incomplete

    public AlertLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public synchronized void add(Alert alert) {
        if (ring.size() == capacity) {
            Alert gone = ring.removeFirst();
            if (evictedUpTo == null || gone.at().isAfter(evictedUpTo)) {
                evictedUpTo = gone.at();
            }
        }
        ring.addLast(alert);
    }

    /** Alerts with {@code at >= since}, by {@code at} then id, the first {@code limit}; and whether more matched. */
    public Page since(Instant since, int limit) {
        return since(since, null, limit);
    }

    /**
     * Alerts after a cursor, by {@code at} then id, the first {@code limit}; and whether more matched.
     *
     * @param after {@code null}: every alert with {@code at >= since}; else only those after the alert
     *              {@code (since, after)} in that order (the same {@code at} and a greater id, or a later {@code at}),
     *              which is how the next page starts after the last alert of a page
     */
    public synchronized Page since(Instant since, String after, int limit) {
        List<Alert> matching = new ArrayList<>();
        for (Alert a : ring) {
            int c = a.at().compareTo(since);
            if (c > 0 || c == 0 && (after == null || a.id().compareTo(after) > 0)) {
                matching.add(a);
            }
        }
        matching.sort(Comparator.comparing(Alert::at).thenComparing(Alert::id));
        boolean more = matching.size() > limit;
        boolean complete = evictedUpTo == null || evictedUpTo.isBefore(since);
        return new Page(List.copyOf(more ? matching.subList(0, limit) : matching), more, complete);
    }

    /**
     * @param more     more alerts matched than the limit: ask again with {@code since} = the last one's {@code at} and
     *                 {@code after} = its id
     * @param complete false when alerts at or after {@code since} may have been evicted from the ring
     */
    public record Page(List<Alert> alerts, boolean more, boolean complete) {
    }
}
