package org.hotlinemonitor.app.notify;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the notifier's deliveries by sink and result, for logs, tests and (later) a metrics binder. The results:
 * {@code delivered} (alerts a pager took), {@code retried} (attempts that failed in a retryable way),
 * {@code rejected} (alerts given up on: a permanent failure, sent to the rejects topic), {@code silenced} (alerts
 * a maintenance window kept from the pager).
 *
 * <p>Thread-safety: safe from any thread; counts only grow.
 */
public final class DeliveryCounter {

    public static final String DELIVERED = "delivered";
    public static final String RETRIED = "retried";
    public static final String REJECTED = "rejected";
    /** Alerts routed to the sink but not paged: a maintenance window covers them ({@link Notifier#silences}). */
    public static final String SILENCED = "silenced";

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String sink, String result, long n) {
        counts.computeIfAbsent(sink + "/" + result, k -> new LongAdder()).add(n);
    }

    /** The count of {@code result} for {@code sink} so far. */
    public long count(String sink, String result) {
        LongAdder a = counts.get(sink + "/" + result);
        return a == null ? 0 : a.sum();
    }

    /** Every count so far, keyed {@code sink/result}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, a) -> out.put(k, a.sum()));
        return out;
    }
}
