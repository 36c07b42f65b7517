package org.hotlinemonitor.app.http;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.core.model.CallEvent;

/** Writes an operator's event to the events topic and waits until the cluster has it. */
@FunctionalInterface
public interface CallPublisher {

    /** Where the event was written. */
    record Written(String topic, int partition, long offset) {
    }

    /**
     * Writes {@code event} and returns once it is durably on the topic ({@code acks=all}).
     *
     * @throws Exception why it is not known to be written (time-out, cluster down): the caller answers 503, and the
     *                   client may retry; the event's deterministic id makes a second copy harmless
     */
    Written publish(CallEvent event) throws Exception;

    /**
     * The publisher of the {@code record} command's kind: a {@link KafkaEventPublisher} (an idempotent producer,
     * {@code acks=all}, key = channel id, record timestamp = the event's {@code ts}), each event sent at once and
     * waited for at most {@code timeout}. Close it to close the producer.
     */
    static Kafka kafka(String bootstrapServers, Map<String, ?> kafka, String topic, Duration timeout) {
        long ms = timeout.toMillis();
        Map<String, Object> config = new java.util.HashMap<>(kafka);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, Math.min(15_000, ms / 2)));
        // delivery.timeout.ms must be at least linger + request time-out.
        Duration delivery = Duration.ofMillis(Math.max(ms, 20_000));
        return new Kafka(new KafkaEventPublisher(KafkaEventPublisher.producerConfig(bootstrapServers, "hotline-api", delivery, config),
                topic, delivery), topic, timeout);
    }

    /** See {@link #kafka}. Thread-safe. */
    final class Kafka implements CallPublisher, AutoCloseable {
        private final KafkaEventPublisher sink;
        private final String topic;
        private final Duration timeout;

        Kafka(KafkaEventPublisher sink, String topic, Duration timeout) {
            this.sink = Objects.requireNonNull(sink, "sink");
            this.topic = topic;
            this.timeout = timeout;
        }

        @Override
        public Written publish(CallEvent event) throws Exception {
            try {
                RecordMetadata m = sink.sendNow(event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Written(topic, m.partition(), m.offset());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } catch (TimeoutException e) {
                throw new TimeoutException("not acknowledged by the cluster within " + timeout);
            }
        }

        @Override
        public void close() {
            sink.close(Duration.ofSeconds(10));
        }
    }
}
