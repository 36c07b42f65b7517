package org.hotlinemonitor.core.ingest;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts refused records by reason ({@code malformed}, {@code late}, ...: the reasons of the detector's dead letters and
 * of the notifier's rejects). One instance is shared by every stream task of a detector; a metrics binder can read it
 * later.
 *
 * <p>Thread-safety: safe from any thread; counts only grow.
 */
public final class RejectCounter {

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one record refused for {@code reason}. */
    public void increment(String reason) {
        Objects.requireNonNull(reason, "reason");
        counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Records refused for {@code reason} so far. */
    public long count(String reason) {
        LongAdder a = counts.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** Records refused so far, all reasons. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The counts so far by reason, sorted by reason; reasons never seen are absent. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((reason, a) -> out.put(reason, a.sum()));
        return out;
    }
}
