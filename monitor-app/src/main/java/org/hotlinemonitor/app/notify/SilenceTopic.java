package org.hotlinemonitor.app.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotlinemonitor.app.broker.CompactedTopicReader;
import org.hotlinemonitor.app.broker.KafkaSetupException;
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
    private final CompactedTopicReader reader;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    private SilenceTopic(String topic, SilenceStore store, KafkaProducer<String, byte[]> producer, String bootstrapServers,
                         Map<String, ?> kafka) {
        this.topic = topic;
        this.store = store;
        this.producer = producer;
        this.reader = new CompactedTopicReader(bootstrapServers, kafka, topic, "the silences topic", "hotline-silences-reader",
                this::apply);
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
        Map<String, Object> p = org.hotlinemonitor.app.broker.KafkaClientConfig.acknowledgedWriter(bootstrapServers, kafka,
                "hotline-silences-writer", WRITE_TIMEOUT, 0);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        SilenceTopic silences;
        try {
            silences = new SilenceTopic(topic, store, producer, bootstrapServers, kafka);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        try {
            long started = System.nanoTime();
            silences.reader.load(loadLimit, "run creates it with the other topics: cleanup.policy=compact, 1 partition");
            store.journal(silences);
            silences.reader.follow();
            LOG.info("Silences: {} record(s) of {} read in {} ms; {} silence(s) in force", silences.applied.get(), topic,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), store.entries().size());
            return silences;
        } catch (RuntimeException e) {
            silences.reader.close();
            producer.close(Duration.ZERO);
            throw e;
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
        reader.checkAlive();
    }

    /** Stops the reader (waits for it, at most 10 s) and closes the clients. */
    @Override
    public void close() {
        reader.close();
        producer.close(Duration.ofSeconds(5));
    }
}
