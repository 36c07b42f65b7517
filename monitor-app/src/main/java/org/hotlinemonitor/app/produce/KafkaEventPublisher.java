package org.hotlinemonitor.app.produce;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotlinemonitor.app.calls.EventPublisher;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.CallEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes call-check events to a Kafka topic: the value is the event's canonical JSON
 * ({@link EventWriter}), the key its channel id (the source name for heartbeats), the record timestamp
 * its {@code ts} (event time, so that consumers and {@code offsetsForTimes} see the clock the events
 * were made with).
 *
 * <p>Delivery: an idempotent producer with {@code acks=all} and unlimited retries within
 * {@code delivery.timeout.ms} ({@link #producerConfig}), so that a record the producer has accepted is
 * written in order per partition, and not lost, across a broker restart. Idempotence does not cover every
 * leader change: when a partition's only broker stops with a batch written but not acknowledged, the
 * batch can be written again after the restart (0 to 9 records per restart in BrokerRestartTest). Such a
 * copy is the same record, with the same deterministic id, and the detector ignores it. In front of it, an
 * outbox and a sender thread of our own: {@link #publish} only enqueues, so the scheduler never waits
 * for Kafka, and a record the producer cannot even accept (no metadata for the topic: with every
 * broker down the client forgets the cluster and re-bootstraps) waits in the outbox and is offered
 * again, in order, until it has waited {@code deliveryTimeout} in all. A record given up is logged and
 * counted in {@link #failed()}; so are records still in the outbox when {@link #close} runs out of time.
 *
 * <p>Heartbeats go to every partition of the topic (the partitions the producer's metadata knows when
 * the heartbeat is sent), so that every consumer task sees time move.
 *
 * <p>Thread-safety: safe from any thread. Closes its producer.
 */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPublisher.class);

    /** Default time an event may wait for a broker before it is given up: long enough to ride out a broker restart. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(30);

    /** Events the outbox holds at most (about 300 bytes each); beyond, new events are refused and counted as failed. */
    public static final int OUTBOX_CAPACITY = 100_000;

    /** How long the sender waits after a refused send before it offers the record again. */
    private static final long RETRY_BACKOFF_MS = 200;

    private final KafkaProducer<String, String> producer;
    private final String topic;
    /** Signs each event before it is queued, or {@code null}; guarded by itself (it holds a Mac). */
    private final EventSignature signer;
    private final long deliveryTimeoutNanos;
    private final LinkedBlockingDeque<Item> outbox = new LinkedBlockingDeque<>(OUTBOX_CAPACITY);
    private final Thread sender;
    private volatile boolean closing;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * An event waiting in the outbox, or a flush marker (event null). For a heartbeat, {@code sentTo}
     * holds the partitions it was already handed over for, so that a retry does not send it twice.
     */
    private record Item(CallEvent event, boolean heartbeat, long enqueuedNanos, CountDownLatch flushed, Set<Integer> sentTo) {
    }

    /**
     * @param config          producer configuration, usually from {@link #producerConfig}
     * @param topic           the events topic
     * @param deliveryTimeout how long an event may wait in all, in the outbox and in the producer
     */
    public KafkaEventPublisher(Map<String, Object> config, String topic, Duration deliveryTimeout) {
        this(config, topic, deliveryTimeout, null);
    }

    /**
     * A sink that signs every event it sends with {@code signer} ({@code null}: none), for a source the detector
     * requires to sign (docs/security.md).
     */
    public KafkaEventPublisher(Map<String, Object> config, String topic, Duration deliveryTimeout, EventSignature signer) {
        this.signer = signer;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.deliveryTimeoutNanos = deliveryTimeout.toNanos();
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        this.sender = new Thread(this::sendLoop, "hotline-event-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * The producer configuration for events: idempotent, {@code acks=all}, retries until
     * {@code deliveryTimeout}, a short linger. {@code overrides} win (e.g. security settings).
     *
     * @param clientId        names the producer in broker logs and metrics: the instance name
     * @param deliveryTimeout how long a record may wait for the broker once the producer has it
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, String clientId, Duration deliveryTimeout,
                                                     Map<String, ?> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        // One request in flight per connection, not the five idempotence allows: with five, a restart of a
        // partition's only broker left the 4.3 client retrying an early batch behind later ones
        // (OUT_OF_ORDER_SEQUENCE_NUMBER) until its delivery timeout, in BrokerRestartTest. Our rate is a
        // few events a second; one in flight costs nothing.
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        // How long send() may block for metadata: the sender thread offers the record again afterwards.
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, deliveryTimeout.toMillis()));
        c.putAll(overrides);
        return c;
    }

    @Override
    public void publish(CallEvent event) {
        enqueue(new Item(signed(Objects.requireNonNull(event, "event")), false, System.nanoTime(), null, null));
    }

    @Override
    public void publishHeartbeat(CallEvent heartbeat) {
        enqueue(new Item(signed(Objects.requireNonNull(heartbeat, "heartbeat")), true, System.nanoTime(), null, new HashSet<>()));
    }

    /**
     * Sends one event at once, bypassing the outbox (for one-shot commands that wait for the result):
     * the future completes when the broker has it, or with the reason it was not delivered.
     */
    public Future<RecordMetadata> sendNow(CallEvent event) {
        return producer.send(record(signed(event), null), (m, e) -> count(e));
    }

    /** {@code event} signed by {@link #signer}, or as it is without one. */
    private CallEvent signed(CallEvent event) {
        if (signer == null) {
            return event;
        }
        synchronized (signer) {
            return signer.signed(event);
        }
    }

    /** The Kafka producer, for its metrics (Micrometer's {@code KafkaClientMetrics}); this sink closes it. */
    public org.apache.kafka.clients.producer.Producer<String, String> kafkaProducer() {
        return producer;
    }

    /** Records the broker has acknowledged. */
    public long delivered() {
        return delivered.get();
    }

    /** Events given up (waited longer than the delivery timeout, a non-retriable error, outbox full or closed): lost. */
    public long failed() {
        return failed.get();
    }

    /** Events waiting in the outbox, not yet handed to the producer. */
    public int waiting() {
        return outbox.size();
    }

    /**
     * Blocks until every event published so far is acknowledged or given up, or {@code timeout} passes.
     *
     * @return true when everything was dealt with in time
     */
    public boolean flush(Duration timeout) {
        CountDownLatch done = new CountDownLatch(1);
        if (closing || !outbox.offerLast(new Item(null, false, System.nanoTime(), done, null))) {
            return false;
        }
        try {
            return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Hands the outbox to the producer (waiting at most {@code timeout} in all), then closes the producer. */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean drained = flush(timeout);
        closing = true;
        sender.interrupt();
        try {
            sender.join(TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = outbox.size();
        outbox.clear();
        if (!drained && left > 0) {
            failed.addAndGet(left);
            LOG.error("closing with {} event(s) still waiting for {}: lost", left, topic);
        }
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void enqueue(Item item) {
        if (closing || !outbox.offerLast(item)) {
            failed.incrementAndGet();
            LOG.error("event for {} refused ({}): {}", topic, closing ? "closed" : "outbox full", EventWriter.toJson(item.event()));
        }
    }

    private void sendLoop() {
        while (!closing) {
            Item item;
            try {
                item = outbox.takeFirst();
            } catch (InterruptedException e) {
                return;
            }
            if (item.event() == null) {
                producer.flush();
                item.flushed().countDown();
                continue;
            }
            while (!offer(item)) {
                if (System.nanoTime() - item.enqueuedNanos() > deliveryTimeoutNanos) {
                    failed.incrementAndGet();
                    LOG.error("event for {} given up after waiting {} for the cluster: {}", topic,
                            Duration.ofNanos(deliveryTimeoutNanos), EventWriter.toJson(item.event()));
                    break;
                }
                try {
                    Thread.sleep(RETRY_BACKOFF_MS);
                } catch (InterruptedException e) {
                    outbox.offerFirst(item); // keep it for close()'s count
                    return;
                }
            }
        }
    }

    /**
     * Hands {@code item} to the producer: true when the producer accepted it (it is the producer's to
     * deliver now) or refused it for good; false when it should be offered again.
     */
    private boolean offer(Item item) {
        try {
            if (!item.heartbeat()) {
                send(item.event(), null);
                return true;
            }
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            for (PartitionInfo p : partitions) {
                if (!item.sentTo().contains(p.partition())) {
                    send(item.event(), p.partition());
                    item.sentTo().add(p.partition());
                }
            }
            return true;
        } catch (RetriableException e) {
            LOG.debug("cluster not available for {}, will offer again: {}", topic, e.toString());
            return false;
        } catch (KafkaException | IllegalStateException e) {
            failed.incrementAndGet();
            LOG.error("event for {} refused: {}: {}", topic, e.toString(), EventWriter.toJson(item.event()));
            return true;
        }
    }

    /**
     * Sends one record. A record the producer cannot even accept (no metadata within
     * {@code max.block.ms}) is reported to its callback on this thread, before {@code send} returns;
     * a retriable refusal is thrown here for the caller to offer the record again. Completions of
     * accepted records come later, on the producer's I/O thread, and are counted.
     */
    private void send(CallEvent event, Integer partition) {
        Delivery delivery = new Delivery(Thread.currentThread());
        producer.send(record(event, partition), delivery);
        delivery.returned = true;
        Exception refused = delivery.refused;
        if (refused instanceof RetriableException r) {
            throw r;
        }
        if (refused != null) {
            count(refused);
        }
    }

    /** The callback of one record: tells a refusal inside {@code send} from the completion of an accepted record. */
    private final class Delivery implements Callback {
        private final Thread sendingThread;
        volatile boolean returned;
        volatile Exception refused;

        Delivery(Thread sendingThread) {
            this.sendingThread = sendingThread;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error != null && !returned && Thread.currentThread() == sendingThread) {
                refused = error;
            } else {
                count(error);
            }
        }
    }

    private ProducerRecord<String, String> record(CallEvent event, Integer partition) {
        String key = event.channel() != null ? event.channel() : event.source();
        return new ProducerRecord<>(topic, partition, event.ts().toEpochMilli(), key, EventWriter.toJson(event));
    }

    private void count(Exception error) {
        if (error == null) {
            delivered.incrementAndGet();
        } else {
            failed.incrementAndGet();
            LOG.error("an event was not delivered to {}: {}", topic, error.toString());
        }
    }
}
