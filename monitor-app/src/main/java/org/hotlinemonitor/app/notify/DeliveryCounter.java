package org.hotlinemonitor.app.notify;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the notifier's deliveries by sink and result, for logs, tests and the metrics binder. The results:
 * {@code delivered} (alerts a pager took), {@code retried} (attempts that failed in a retryable way),
 * {@code rejected} (alerts given up on: a permanent failure, sent to the rejects topic), {@code silenced} (alerts
 * a maintenance window kept from the pager), {@code repeat_skipped} (alerts read again that the pager had taken
 * already in this process: not paged twice). A {@link LatencyListener} (the metrics binder's timer) hears the
 * latency of each delivered page.
 *
 * <p>Thread-safety: safe from any thread; counts only grow.
 */
public final class DeliveryCounter {

    public static final String DELIVERED = "delivered";
    public static final String RETRIED = "retried";
    public static final String REJECTED = "rejected";
    /** Alerts routed to the sink but not paged: a maintenance window covers them ({@link Notifier#silences}). */
    public static final String SILENCED = "silenced";
    /**
     * Alerts read again after a rebalance or a failed commit that this sink had taken already in this process: not
     * paged a second time ({@link Notifier}).
     */
    public static final String REPEAT_SKIPPED = "repeat_skipped";

    /** Hears each delivered page's latency; called on the sink's worker thread, so quick, and never throwing. */
    @FunctionalInterface
    public interface LatencyListener {
        /**
         * @param sink    the sink that took the page
         * @param latency from the instant the page's oldest alert became true (its {@code at}) to the pager's 2xx, by
         *                the notifier's clock; never negative
         */
        void delivered(String sink, Duration latency);
    }

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile LatencyListener latency = (sink, d) -> { };

    /** Sets the one latency listener (replacing any before it). */
    public void onLatency(LatencyListener listener) {
        this.latency = listener == null ? (sink, d) -> { } : listener;
    }

    void delivered(String sink, Duration latencyOfPage) {
        latency.delivered(sink, latencyOfPage.isNegative() ? Duration.ZERO : latencyOfPage);
    }

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
