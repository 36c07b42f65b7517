package org.hotlinemonitor.app.calls;

import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.core.model.CallEvent;

/**
 * Where the scheduler's events go: a Kafka topic in production ({@code KafkaEventPublisher}), a list in tests.
 *
 * <p>Both methods return at once (delivery is asynchronous); a sink reports failed deliveries itself
 * (logs, counters). They are called from the scheduler's single thread.
 */
public interface EventPublisher {

    /** Publishes one channel event ({@code CALL_PLACED} or an outcome), keyed by its channel. */
    void publish(CallEvent event);

    /**
     * Publishes a heartbeat so that every reader of the events sees time move: a partitioned sink
     * writes it to every partition.
     */
    void publishHeartbeat(CallEvent heartbeat);
}
