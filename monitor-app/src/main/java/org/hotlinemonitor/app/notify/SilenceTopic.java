package org.hotlinemonitor.app.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotlinemonitor.app.kafka.KafkaSetupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API silences of every instance, on a compacted topic ({@code hotline.silences}): key the silence id, value the
 * silence as JSON ({@link SilenceRecords}), a tombstone (null value) when it is removed. It is a {@link SilenceStore}'s
 * {@link SilenceStore.Journal}: the store writes here, and every instance's store is filled from here.
 *
 * <ul>
 *   <li>{@link #start} reads the whole topic (from the beginning to the end offsets it finds) into the store before
 *       it returns, so that a notifier started next applies every silence from its first delivery; then a reader
 *       thread keeps the store up to date. The consumer has no group: it is assigned every partition, and reads
 *       from the beginning at each start.</li>
 *   <li>Writes ({@link #put}, {@link #delete}) return once the broker acknowledged them ({@code acks=all},
 *       idempotent), at most {@link #WRITE_TIMEOUT}. Other instances' readers see a write within a poll, well under
 *       a second on a healthy cluster.</li>
 *   <li>A record that is not a silence, or one over the limits of {@link SilenceStore} (field sizes:
 *       {@link SilenceRecords}), is logged with its offset and counted ({@link #malformed()}), and skipped: it holds
 *       no silence to apply. One beyond the store's {@link SilenceStore#MAX_API_SILENCES} is skipped and counted by
 *       the store ({@link SilenceStore#overLimit()}).</li>
 * </ul>
 *
 * <p>Thread-safety: writes from any thread; {@link #close()} once, by whoever started it. It creates and closes its
 * producer and consumer; it closes nothing it is given.
 */
public final class SilenceTopic implements SilenceStore.Journal, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceTopic.class);

    /** How long {@link #start} may take to read the topic by default. */
    public static final Duration LOAD_LIMIT = Duration.ofSeconds(30);
    /** How long a write may wait for the broker's acknowledgement. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final SilenceStore store;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private SilenceTopic(String topic, SilenceStore store, KafkaProducer<String, byte[]> producer,
                         KafkaConsumer<String, byte[]> consumer) {
        this.topic = topic;
        this.store = store;
        this.producer = producer;
        this.consumer = consumer;
        this.reader = new Thread(this::read, "silences-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Reads every silence of {@code topic} into {@code store}, attaches itself to the store as its journal, and
     * starts following the topic.
     *
     * @param kafka     extra client settings (security...), for the producer and the consumer
     * @param loadLimit how long reading the topic may take
     * @throws KafkaSetupException when the topic does not exist or cannot be read within {@code loadLimit}
     */
    public static SilenceTopic start(String bootstrapServers, Map<String, ?> kafka, String topic, SilenceStore store,
                                     Duration loadLimit) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(store, "store");
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis() / 2);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hotline-silences-writer");
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hotline-silences-reader");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        SilenceTopic silences = new SilenceTopic(topic, store, producer, consumer);
        try {
            long started = System.nanoTime();
            silences.load(loadLimit);
            store.journal(silences);
            silences.reader.start();
            LOG.info("Silences: {} record(s) of {} read in {} ms; {} silence(s) in force", silences.applied.get(), topic,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), store.entries().size());
            return silences;
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /** Assigns every partition and reads each from the beginning to its end offset of now. */
    private void load(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<TopicPartition> partitions;
        try {
            partitions = consumer.partitionsFor(topic, limit).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaSetupException("the silences topic " + topic + " could not be found within "
                    + limit.toSeconds() + " s: is Kafka reachable?", e);
        }
        if (partitions.isEmpty()) {
            throw new KafkaSetupException("the silences topic " + topic + " does not exist (run creates it with the "
                    + "other topics: cleanup.policy=compact, 1 partition)");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, limit));
        while (true) {
            ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            if (ends.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaSetupException("the silences topic " + topic + " could not be read to its end within "
                        + limit.toSeconds() + " s (left: " + ends + ")");
            }
            consumer.poll(POLL).forEach(this::apply);
        }
    }

    private void read() {
        try {
            while (running) {
                consumer.poll(POLL).forEach(this::apply);
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The silences reader of {} failed: other instances' silence changes no longer arrive", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (record.key() == null) {
            malformed.incrementAndGet();
            LOG.warn("Not a silence at {}: no key (the silence id); skipped", where);
            return;
        }
        if (record.value() == null) {
            store.apply(record.key(), null);
            applied.incrementAndGet();
            return;
        }
        try {
            store.apply(record.key(), SilenceRecords.fromJson(record.key(), record.value()));
            applied.incrementAndGet();
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            String text = new String(record.value(), 0, Math.min(record.value().length, 200), StandardCharsets.UTF_8);
            LOG.warn("Not a silence at {}: {}; skipped: {}{}", where, e.getMessage(), text,
                    record.value().length > 200 ? "... (" + record.value().length + " bytes)" : "");
        }
    }

    @Override
    public void put(SilenceStore.Entry entry) throws Exception {
        producer.send(new ProducerRecord<>(topic, entry.silence().id(), SilenceRecords.toJson(entry)))
                .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void delete(String id) throws Exception {
        producer.send(new ProducerRecord<>(topic, id, null)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records applied (silences and tombstones), since the start. */
    public long applied() {
        return applied.get();
    }

    /** Records skipped because they hold no silence. */
    public long malformed() {
        return malformed.get();
    }

    /** Fails with the reader's error if it stopped by itself. */
    public void checkAlive() {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("the silences reader of " + topic + " stopped: " + f, f);
        }
    }

    /** Stops the reader (waits for it, at most 10 s) and closes the clients. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
