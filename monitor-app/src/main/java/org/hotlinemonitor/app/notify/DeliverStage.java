package org.hotlinemonitor.app.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliver stage of a sink's {@link NotifyPipeline}: one attempt at one page, handed to the {@link Sink}, whose
 * answer classifies it ({@link DeliveryResult}). A delivered page is counted {@link DeliveryCounter#DELIVERED} (one
 * per alert) and its latency reported, from its oldest alert's {@code at} to the answer, by the wall clock given
 * here; what follows a failure is the {@link RetryStage}'s.
 *
 * <p>Thread-safety: one worker thread.
 */
final class DeliverStage {

    /** The notifier's logger: these lines read as they always have. */
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final Sink sink;
    private final DeliveryCounter deliveries;
    private final Clock clock;

    /** @param clock the wall clock that times deliveries (latency) */
    DeliverStage(Sink sink, DeliveryCounter deliveries, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One attempt at {@code alerts}.
     *
     * @throws InterruptedException when the sink is interrupted waiting for its receiver (the notifier stopping)
     */
    DeliveryResult attempt(List<Alert> alerts) throws InterruptedException {
        DeliveryResult result = sink.send(alerts);
        if (result instanceof DeliveryResult.Delivered delivered) {
            deliveries.add(sink.name(), DeliveryCounter.DELIVERED, alerts.size());
            deliveries.delivered(sink.name(), Duration.between(oldest(alerts), clock.instant()));
            LOG.debug("Sink {}: delivered {} alert(s) (HTTP {})", sink.name(), alerts.size(), delivered.status());
        }
        return result;
    }

    private static Instant oldest(List<Alert> alerts) {
        Instant t = alerts.get(0).at();
        for (Alert a : alerts) {
            t = a.at().isBefore(t) ? a.at() : t;
        }
        return t;
    }
}
