package org.hotlinemonitor.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hotlinemonitor.core.replay.RejectRecord;

/**
 * The first refused records of each reason, as read (the report shows them; the rejects file keeps them all).
 * Fed on the replay's thread; not thread-safe.
 */
public final class RejectExamples implements Consumer<RejectRecord> {

    /** How many records of each reason are kept. */
    public static final int PER_REASON = 3;

    private final Map<String, List<RejectRecord>> byReason = new TreeMap<>();

    @Override
    public void accept(RejectRecord r) {
        List<RejectRecord> kept = byReason.computeIfAbsent(r.reason(), k -> new ArrayList<>(PER_REASON));
        if (kept.size() < PER_REASON) {
            kept.add(r);
        }
    }

    /** The first records of {@code reason}, in the order refused; empty when none. */
    public List<RejectRecord> of(String reason) {
        return List.copyOf(byReason.getOrDefault(reason, List.of()));
    }

    /** Reasons seen, sorted, with their first records. */
    public Map<String, List<RejectRecord>> all() {
        Map<String, List<RejectRecord>> copy = new TreeMap<>();
        byReason.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
