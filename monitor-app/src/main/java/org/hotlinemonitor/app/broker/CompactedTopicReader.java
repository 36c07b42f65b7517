package org.hotlinemonitor.app.broker;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a compacted topic of settings that every instance holds whole (the silences, the channels): {@link #load} reads
 * every partition from the beginning to the end offsets it finds, handing each record to the reader's callback, and
 * returns once it is there; {@link #follow} then hands on the records written later, from a thread of its own. The
 * consumer has no group: it is assigned every partition and reads from the beginning at each start, so each instance
 * builds the same state from the same records in the same order.
 *
 * <p>Thread-safety: {@link #load} and {@link #follow} once each, in that order, by one thread; the callback runs on
 * that thread during {@link #load} and on the reader's thread after; {@link #close} once, from any thread.
 */
public final class CompactedTopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final String what;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> apply;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile boolean following;
    private volatile Throwable failure;

    /**
     * @param kafka    extra client settings (security...)
     * @param what     how messages name the topic: {@code "the silences topic"}
     * @param clientId the consumer's client id, also its thread's name
     * @param apply    takes each record, in offset order per partition
     */
    public CompactedTopicReader(String bootstrapServers, Map<String, ?> kafka, String topic, String what, String clientId,
                                Consumer<ConsumerRecord<String, byte[]>> apply) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.what = Objects.requireNonNull(what, "what");
        this.apply = Objects.requireNonNull(apply, "apply");
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::read, clientId);
        this.reader.setDaemon(true);
    }

    /**
     * Assigns every partition and reads each from the beginning to its end offset of now.
     *
     * @param missing what to say when the topic does not exist: how it gets created
     * @return the records read
     * @throws KafkaSetupException when the topic does not exist or cannot be read within {@code limit}
     */
    public long load(Duration limit, String missing) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<TopicPartition> partitions;
        try {
            partitions = consumer.partitionsFor(topic, limit).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaSetupException(what + " " + topic + " could not be found within " + limit.toSeconds()
                    + " s: is Kafka reachable?", e);
        }
        if (partitions.isEmpty()) {
            throw new KafkaSetupException(what + " " + topic + " does not exist (" + missing + ")");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, limit));
        long read = 0;
        while (true) {
            ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            if (ends.isEmpty()) {
                return read;
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaSetupException(what + " " + topic + " could not be read to its end within "
                        + limit.toSeconds() + " s (left: " + ends + ")");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                apply.accept(r);
                read++;
            }
        }
    }

    /** Hands on the records written from now on, from the reader's thread, until {@link #close}. */
    public void follow() {
        following = true;
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                consumer.poll(POLL).forEach(apply);
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The reader of {} {} failed: changes made there no longer arrive", what, topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Fails with the reader's error if it stopped by itself. */
    public void checkAlive() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("the reader of " + what + " " + topic + " stopped: " + f, f);
        }
    }

    /** Stops the reader (waits for it, at most 10 s) and closes the consumer. */
    @Override
    public void close() {
        running = false;
        if (!following) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
