package org.hotlinemonitor.app.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repeat stage of a sink's {@link NotifyPipeline}: remembers the ids of the alerts the sink took (or refused for
 * good) in this process, the most recent {@link #REMEMBERED} of them, so that a batch read again after a rebalance
 * or a failed commit skips them instead of paging them a second time (counted {@link DeliveryCounter#REPEAT_SKIPPED}).
 *
 * <p>Thread-safety: one worker thread.
 */
final class RepeatStage {

    /**
     * How many alert ids are remembered: far more than a batch (at most 500 records, plus those of the grouping wait),
     * so a batch read again is always covered.
     */
    static final int REMEMBERED = 50_000;

    /** The notifier's logger: these lines read as they always have. */
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final String sink;
    private final DeliveryCounter deliveries;
    private final Map<String, Boolean> handled = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    RepeatStage(String sink, DeliveryCounter deliveries) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    }

    /** Whether the sink took {@code alert} before; if so, logged and counted here. */
    boolean drops(Alert alert) {
        if (!handled.containsKey(alert.id())) {
            return false;
        }
        LOG.info("Sink {}: not paging {} again: it took it before the batch was read again", sink, alert.id());
        deliveries.add(sink, DeliveryCounter.REPEAT_SKIPPED, 1);
        return true;
    }

    /** The sink took {@code alert}, or refused it for good. */
    void remember(Alert alert) {
        handled.put(alert.id(), Boolean.TRUE);
    }
}
