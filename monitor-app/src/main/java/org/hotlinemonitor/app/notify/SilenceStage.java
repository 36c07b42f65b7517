package org.hotlinemonitor.app.notify;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hotlinemonitor.core.alert.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silence stage of a sink's {@link NotifyPipeline}: drops an alert a maintenance window covers. A silenced alert
 * is not delivered, never later either (a {@code SilenceStore} asks about the alert's own {@code at}, so the end of
 * the window changes nothing for it), but it is done: its offset is committed, and it is counted
 * {@link DeliveryCounter#SILENCED}.
 *
 * <p>Thread-safety: one worker thread; the predicate it reads may be replaced from any thread.
 */
final class SilenceStage {

    /** The notifier's logger: these lines read as they always have. */
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final String sink;
    private final Supplier<Predicate<Alert>> silences;
    private final DeliveryCounter deliveries;

    /** @param silences the predicate in force, read for each alert (the notifier's may be replaced at any time) */
    SilenceStage(String sink, Supplier<Predicate<Alert>> silences, DeliveryCounter deliveries) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    }

    /** Whether {@code alert} is silenced; if so, logged and counted here. */
    boolean drops(Alert alert) {
        if (!silences.get().test(alert)) {
            return false;
        }
        LOG.info("Sink {}: not paging {}: silenced", sink, alert.id());
        deliveries.add(sink, DeliveryCounter.SILENCED, 1);
        return true;
    }
}
