package org.hotlinemonitor.app.http;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;

/**
 * The recent alerts this instance has read from the alerts topic, for {@code GET /api/v1/alerts}: a bounded ring in
 * arrival order; when full, the oldest arrival goes. Answers list them in the alert stream's order (see
 * {@link #since(Instant, String, int)}). Filled by {@link AlertTail}.
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

    /** Alerts with {@code at >= since}, in the alert stream's order, the first {@code limit}; and whether more matched. */
    public Page since(Instant since, int limit) {
        return since(since, null, limit);
    }

    /**
     * Alerts after a cursor, in the alert stream's order, the first {@code limit}; and whether more matched.
     *
     * <p>The stream's order is the one {@code replay} prints and {@code run} commits: by {@code at}, then channel id,
     * then each channel's own order (causal: a slot's {@code SLOT_MISSED} before the {@code CHANNEL_DOWN} it
     * completes), which is the order of its partition of the alerts topic (alerts are keyed by channel), hence the
     * order they arrived here. Across channels arrival order means nothing (partitions interleave), so it is not used.
     *
     * @param after {@code null}: every alert with {@code at >= since}; else only those after the alert with this id
     *              and {@code at = since} in that order, which is how the next page starts after the last alert of a
     *              page. When that alert is no longer held, the page starts after its channel (the id's part before
     *              the first {@code /}) at {@code since}.
     */
    public synchronized Page since(Instant since, String after, int limit) {
        List<Alert> matching = new ArrayList<>();
        for (Alert a : ring) {
            if (!a.at().isBefore(since)) {
                matching.add(a);
            }
        }
        matching.sort(STREAM_ORDER); // stable: a channel's alerts keep their arrival order
        if (after != null) {
            matching = matching.subList(firstAfter(matching, since, after), matching.size());
        }
        boolean more = matching.size() > limit;
        boolean complete = evictedUpTo == null || evictedUpTo.isBefore(since);
        return new Page(List.copyOf(more ? matching.subList(0, limit) : matching), more, complete);
    }

    private static final Comparator<Alert> STREAM_ORDER = Comparator.comparing(Alert::at).thenComparing(Alert::channel);

    /** The index in {@code sorted} (alerts at or after {@code since}, in stream order) of the first after the cursor. */
    private static int firstAfter(List<Alert> sorted, Instant since, String after) {
        int i = 0;
        int cursor = -1;
        for (; i < sorted.size() && sorted.get(i).at().equals(since); i++) {
            if (sorted.get(i).id().equals(after)) {
                cursor = i; // the last copy, should the topic hold one twice
            }
        }
        if (cursor >= 0) {
            return cursor + 1;
        }
        int slash = after.indexOf('/');
        String channel = slash < 0 ? after : after.substring(0, slash);
        int j = 0;
        while (j < i && sorted.get(j).channel().compareTo(channel) <= 0) {
            j++;
        }
        return j;
    }

    /**
     * @param more     more alerts matched than the limit: ask again with {@code since} = the last one's {@code at} and
     *                 {@code after} = its id
     * @param complete false when alerts at or after {@code since} may have been evicted from the ring
     */
    public record Page(List<Alert> alerts, boolean more, boolean complete) {
    }
}
