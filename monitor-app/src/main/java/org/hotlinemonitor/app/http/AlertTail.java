package org.hotlinemonitor.app.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an {@link AlertLog} from the alerts topic: a {@code read_committed} consumer without a group (it assigns itself
 * every partition the topic has at start, commits nothing) that first seeks each partition to the records written in
 * the last {@code lookback} ({@code offsetsForTimes} on the alerts' Kafka timestamps, which are when the detector sent
 * them), then follows the topic. Only committed alerts, each once. Records that are not alerts are skipped (the
 * notifier reports them).
 *
 * <p>Why a ring filled in the background rather than reading the topic on each request: a request is then a lookup
 * in memory (no consumer per request, no waiting for the broker), and a query's cost does not grow with the topic.
 * The price: the API answers only for the last {@code lookback} (and at most the ring's capacity), and partitions
 * added to the topic later are not read until a restart.
 *
 * <p>Ownership: creates and closes its consumer and thread. Thread-safety: {@link #start()} and {@link #close()} from
 * one thread.
 */
public final class AlertTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertTail.class);

    /** How far back a start reads by default. */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(24);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration lookback;
    private final AlertLog log;
    private final Clock clock;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;

    /**
     * @param kafka extra consumer settings (security...)
     */
    public AlertTail(String bootstrapServers, Map<String, ?> kafka, String topic, Duration lookback, AlertLog log, Clock clock) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.lookback = Objects.requireNonNull(lookback, "lookback");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hotline-api-alerts");
        c.putAll(kafka);
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "api-alerts-tail");
        this.thread.setDaemon(true);
    }

    /** Starts reading in the background; returns at once. */
    public void start() {
        thread.start();
    }

    /** Waits until every partition is positioned (the lookback applied); true if it was within {@code timeout}. */
    public boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return positioned.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the reader is reading (positioned and not failed). */
    public boolean isRunning() {
        return positioned.getCount() == 0 && failure == null && thread.isAlive();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            long from = clock.millis() - lookback.toMillis();
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp o = offsets.get(p);
                if (o == null) {
                    consumer.seekToEnd(List.of(p)); // nothing that recent
                } else {
                    consumer.seek(p, o.offset());
                }
            }
            positioned.countDown();
            LOG.info("reading alerts of {} ({} partitions) since {}", topic, partitions.size(), java.time.Instant.ofEpochMilli(from));
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        log.add(AlertCodec.fromJson(new String(r.value(), StandardCharsets.UTF_8)));
                    } catch (IllegalArgumentException e) {
                        LOG.debug("not an alert at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("the API's alert reader stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
