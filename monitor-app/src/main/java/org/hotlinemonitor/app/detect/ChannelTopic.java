package org.hotlinemonitor.app.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotlinemonitor.app.broker.CompactedTopicReader;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.KafkaSetupException;
import org.hotlinemonitor.app.broker.TopicSpec;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.core.config.ChannelRecords;
import org.hotlinemonitor.core.config.ConfigException;
import org.hotlinemonitor.core.model.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels kept in a compacted topic ({@code hotline.channels}): key the channel id, value the channel as JSON
 * ({@link ChannelRecords}), a tombstone (no value) when it is removed. Every detector instance reads the whole topic into
 * its {@link ChannelRegistry} before its tasks start ({@link #start}), then follows it: a channel added, changed or
 * removed there reaches every instance's tasks without a restart (docs/kafka.md, "Channels in a topic").
 *
 * <p>A record is checked with the channel file's rules. One that fails (not JSON, a bad zone, a key that is not the
 * channel's id...) is <b>refused</b>: logged with its partition, offset, field and reason, counted, and listed by
 * {@link #refusals()}; the channel stays as the last good record made it (or absent). The record itself stays in the
 * topic until a later record of its key replaces it. Every instance reads the same records in the same order, so all
 * hold the same channels.
 *
 * <p>{@link #publish} writes a set of channels (the {@code channels publish} command), {@link #remove} tombstones.
 *
 * <p>Thread-safety: the counters and {@link #refusals()} from any thread; {@link #close} once.
 */
public final class ChannelTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelTopic.class);

    public static final String DEFAULT_TOPIC = "hotline.channels";
    /** How long reading the topic at start may take by default. */
    public static final Duration LOAD_LIMIT = Duration.ofSeconds(60);
    /** How long a write may wait for the broker's acknowledgement. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** At most this many refusals are listed (the count goes on). */
    static final int MAX_REFUSALS_LISTED = 1000;
    private static final String MISSING = "create it with `channels publish`: cleanup.policy=compact, 1 partition";

    /** A record that holds no channel to apply: where it is and why. */
    public record Refusal(String topic, int partition, long offset, String key, String reason) {

        @Override
        public String toString() {
            return topic + " partition " + partition + " offset " + offset + " (key " + (key == null ? "none" : "'" + key + "'")
                    + "): " + reason;
        }
    }

    private final String topic;
    private final ChannelRegistry registry;
    private final CompactedTopicReader reader;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());
    /** Keys whose latest record was refused (it shadows nothing: the last good one stands). */
    private final Set<String> refusedLast = Collections.synchronizedSet(new HashSet<>());

    private ChannelTopic(String bootstrapServers, Map<String, ?> kafka, String topic, ChannelRegistry registry) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.reader = new CompactedTopicReader(bootstrapServers, kafka, topic, "the channels topic", "hotline-channels-reader",
                this::apply);
    }

    /**
     * Reads every channel of {@code topic} into {@code registry}, then follows the topic.
     *
     * @throws KafkaSetupException when the topic does not exist or cannot be read within {@code loadLimit}
     */
    public static ChannelTopic start(String bootstrapServers, Map<String, ?> kafka, String topic, ChannelRegistry registry,
                                     Duration loadLimit) {
        ChannelTopic channels = new ChannelTopic(bootstrapServers, kafka, topic, registry);
        try {
            long started = System.nanoTime();
            long read = channels.reader.load(loadLimit, MISSING);
            channels.reader.follow();
            LOG.info("Channels: {} record(s) of {} read in {} ms: {} channel(s), {} record(s) refused", read, topic,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), registry.size(), channels.refused.get());
            return channels;
        } catch (RuntimeException e) {
            channels.reader.close();
            throw e;
        }
    }

    /** The topic read once to its end, into a registry of one partition: what a detector starting now would hold. */
    public static ChannelTopic read(String bootstrapServers, Map<String, ?> kafka, String topic, Duration loadLimit) {
        ChannelTopic channels = new ChannelTopic(bootstrapServers, kafka, topic, new ChannelRegistry(1));
        try {
            channels.reader.load(loadLimit, MISSING);
            return channels;
        } finally {
            channels.reader.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        if (key == null) {
            refuse(r, "no key: key each record by its channel's id");
            return;
        }
        if (r.value() == null) {
            refusedLast.remove(key);
            if (registry.remove(key)) {
                LOG.info("Channels: {} removed ({} partition {} offset {})", key, r.topic(), r.partition(), r.offset());
            }
            removed.incrementAndGet();
            return;
        }
        try {
            Channel channel = ChannelRecords.read(r.topic() + " partition " + r.partition() + " offset " + r.offset(), key,
                    r.value());
            refusedLast.remove(key);
            boolean known = registry.contains(key);
            if (registry.put(channel)) {
                LOG.debug("Channels: {} {} ({})", key, known ? "changed" : "added", channel.schedule());
            }
            applied.incrementAndGet();
        } catch (ConfigException e) {
            refusedLast.add(key);
            refuse(r, e.getMessage().replace('\n', ' '));
        }
    }

    private void refuse(ConsumerRecord<String, byte[]> r, String reason) {
        refused.incrementAndGet();
        Refusal refusal = new Refusal(r.topic(), r.partition(), r.offset(), r.key(), reason);
        if (refusals.size() < MAX_REFUSALS_LISTED) {
            refusals.add(refusal);
        }
        LOG.warn("Channels: refused {}; the channel stays as it was", refusal);
    }

    public String topic() {
        return topic;
    }

    /** The channels as they stand. */
    public ChannelRegistry registry() {
        return registry;
    }

    /** Records that gave a channel (new, changed or the same again), since the start. */
    public long applied() {
        return applied.get();
    }

    /** Tombstones read, since the start. */
    public long removed() {
        return removed.get();
    }

    /** Records refused, since the start. */
    public long refused() {
        return refused.get();
    }

    /** The refused records, in the order read (the first {@value #MAX_REFUSALS_LISTED}). */
    public List<Refusal> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /** The ids whose latest record was refused: the last good record of each (if any) still stands. */
    public Set<String> refusedLast() {
        synchronized (refusedLast) {
            return Set.copyOf(refusedLast);
        }
    }

    /** Fails with the reader's error if it stopped by itself. */
    public void checkAlive() {
        reader.checkAlive();
    }

    @Override
    public void close() {
        reader.close();
    }

    // ---- writing (the channels command) ----

    /** What {@link #publish} did. */
    public record Published(int added, int changed, int unchanged, int removed) {
    }

    /**
     * Makes the topic hold {@code channels}: writes each channel that is new or differs from the topic's (or whose
     * latest record there was refused), and, with {@code prune}, a tombstone for each channel of the topic not in
     * {@code channels}. Creates the topic (compacted, one partition) when it does not exist. Returns once the broker
     * acknowledged every write ({@code acks=all}, idempotent).
     *
     * @throws KafkaSetupException when the topic cannot be created, read or written
     */
    public static Published publish(String bootstrapServers, Map<String, ?> kafka, String topic,
                                    Optional<Short> replicationFactor, Collection<Channel> channels, boolean prune) {
        ensure(bootstrapServers, kafka, topic, replicationFactor);
        ChannelTopic now = read(bootstrapServers, kafka, topic, LOAD_LIMIT);
        Set<String> refusedLast = now.refusedLast();
        int added = 0;
        int changed = 0;
        int unchanged = 0;
        List<ProducerRecord<String, byte[]>> writes = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Channel c : channels) {
            ids.add(c.id());
            ChannelRegistry.Entry was = now.registry.get(c.id());
            if (was != null && was.sameAs(c) && !refusedLast.contains(c.id())) {
                unchanged++;
                continue;
            }
            if (was == null) {
                added++;
            } else {
                changed++;
            }
            writes.add(new ProducerRecord<>(topic, c.id(), ChannelRecords.value(c)));
        }
        int removedCount = 0;
        if (prune) {
            for (Channel c : now.registry.channels()) {
                if (!ids.contains(c.id())) {
                    writes.add(new ProducerRecord<>(topic, c.id(), null));
                    removedCount++;
                }
            }
        }
        write(bootstrapServers, kafka, writes);
        return new Published(added, changed, unchanged, removedCount);
    }

    /**
     * Writes a tombstone for each of {@code ids} that the topic holds; returns the ids it did not hold (nothing is
     * written for them).
     */
    public static List<String> remove(String bootstrapServers, Map<String, ?> kafka, String topic, Collection<String> ids) {
        ChannelTopic now = read(bootstrapServers, kafka, topic, LOAD_LIMIT);
        Set<String> refusedLast = now.refusedLast();
        List<String> unknown = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> writes = new ArrayList<>();
        for (String id : ids) {
            if (now.registry.contains(id) || refusedLast.contains(id)) {
                writes.add(new ProducerRecord<>(topic, id, null));
            } else {
                unknown.add(id);
            }
        }
        write(bootstrapServers, kafka, writes);
        return unknown;
    }

    private static void ensure(String bootstrapServers, Map<String, ?> kafka, String topic, Optional<Short> replicationFactor) {
        Map<String, Object> a = new HashMap<>(kafka);
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(a)) {
            Topics.ensureTopics(admin, List.of(new TopicSpec(topic, 1, replicationFactor, Map.of("cleanup.policy", "compact"))),
                    Topics.DEFAULT_TIMEOUT);
        }
    }

    private static void write(String bootstrapServers, Map<String, ?> kafka, List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<String, Object> p = KafkaClientConfig.acknowledgedWriter(bootstrapServers, kafka, "hotline-channels-writer",
                WRITE_TIMEOUT, 20); // a linger: a publish writes many records at once
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new KafkaSetupException("could not write to the channels topic: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaSetupException("the channels topic did not acknowledge a write within " + WRITE_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while writing to the channels topic", e);
        }
    }
}
