package org.hotlinemonitor.app.notify;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertGroups;
import org.hotlinemonitor.core.alert.NotifyConfig;
import org.hotlinemonitor.core.alert.SinkConfig;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.replay.RejectCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alerts of {@code hotline.alerts} to the configured pagers, at least once, in order per channel,
 * without storms.
 *
 * <p>Each sink has its own worker thread and its own consumer group ({@link NotifyConfig#groupIdOf}), reading
 * the whole topic {@code read_committed} (only alerts the detector committed), with automatic commits off. So each
 * sink keeps its own place: a pager that is down holds back only its own deliveries, and its committed offsets are
 * exactly what it has been given. A worker:
 * <ol>
 *   <li>polls a batch, and keeps polling for {@link NotifyConfig#groupWait()} to gather the rest of an
 *       evaluation;</li>
 *   <li>parses each record ({@link AlertCodec#fromJson}); a record that is not an alert is done (the first
 *       sink's worker puts it on the rejects topic with its reason and counts it, so it is reported once);</li>
 *   <li>keeps the alerts routed to its sink ({@link NotifyConfig#sinksFor}) and plans the pages with
 *       {@link AlertGroups#plan} (one page per type and instant when grouping is on; a channel's alerts in log
 *       order);</li>
 *   <li>delivers page after page. Delivered: done. Retryable: waits (exponential backoff with full jitter, at
 *       least the receiver's {@code Retry-After}, never longer than the backoff's {@code max}: 15 s by default,
 *       20 s at most, so a pager that recovers gets its backlog soon), polling meanwhile with its partitions paused so that it stays
 *       in its group, and tries the same page again, for as long as it takes: nothing later is delivered
 *       before it. Permanent: a page of several alerts is tried again one alert at a time, so that one bad alert
 *       does not sink its neighbours; an alert refused alone goes to the rejects topic, naming the sink and the
 *       reason, and is done;</li>
 *   <li>after each page, commits (synchronously) for each partition the offset of its first record not yet
 *       done.</li>
 * </ol>
 *
 * <p>Duplicates: if the group rebalances in the middle of a batch, or a commit fails (a broker went away), the
 * worker drops the rest of the batch and re-reads it from its committed offsets; the alerts it took already in this
 * process are remembered by id ({@link #REMEMBERED} per sink) and not paged again (counted
 * {@link DeliveryCounter#REPEAT_SKIPPED}). Only a crash between a pager's 2xx and the commit delivers a page again,
 * after the restart, with the same dedup key ({@link org.hotlinemonitor.core.alert.DeliveryKeys}), which PagerDuty,
 * Alertmanager (same labels) and webhook receivers ({@code Idempotency-Key}) use to page once.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} from the owning thread; the counters and
 * {@link #checkAlive()} from any thread. Whoever creates it closes it; it closes its consumers and producer, and
 * the HTTP client it made, not sinks given to it.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(30);
    /**
     * How many alert ids each sink's worker remembers as handled: far more than a batch (at most 500 records,
     * plus those of the grouping wait), so a batch read again is always covered.
     */
    static final int REMEMBERED = 50_000;

    /**
     * Where the notifier reads and writes.
     *
     * @param bootstrapServers  the cluster
     * @param alertsTopic       read
     * @param rejectsTopic      written: records that are not alerts, and alerts a sink refused
     * @param config            the sinks, routes, grouping and retry settings
     * @param consumerOverrides extra consumer settings (tests shorten session time-outs)
     * @param kafka             client settings for its consumers and its producer (security...), applied first
     */
    public record Settings(String bootstrapServers, String alertsTopic, String rejectsTopic, NotifyConfig config,
                           Map<String, Object> consumerOverrides, Map<String, String> kafka) {
        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(alertsTopic, "alertsTopic");
            Objects.requireNonNull(rejectsTopic, "rejectsTopic");
            Objects.requireNonNull(config, "config");
            consumerOverrides = Map.copyOf(consumerOverrides);
            kafka = Map.copyOf(kafka);
        }

        public Settings(String bootstrapServers, String alertsTopic, String rejectsTopic, NotifyConfig config,
                        Map<String, Object> consumerOverrides) {
            this(bootstrapServers, alertsTopic, rejectsTopic, config, consumerOverrides, Map.of());
        }

        public Settings(String bootstrapServers, String alertsTopic, String rejectsTopic, NotifyConfig config) {
            this(bootstrapServers, alertsTopic, rejectsTopic, config, Map.of(), Map.of());
        }

        /** Keys only: {@code kafka} may hold passwords. */
        @Override
        public String toString() {
            return "Settings[" + bootstrapServers + ", alerts " + alertsTopic + ", rejects " + rejectsTopic + ", groups "
                    + config.groupId() + ", kafka " + org.hotlinemonitor.app.broker.KafkaClientConfig.redacted(kafka) + "]";
        }
    }

    private final Settings settings;
    private final Map<String, Sink> sinks;
    private final DoubleSupplier random;
    private final HttpClient ownedClient;
    private final Clock clock;
    private final DeliveryCounter deliveries = new DeliveryCounter();
    private volatile Predicate<Alert> silenced = alert -> false;
    private final RejectCounter rejects = new RejectCounter();
    private final List<Worker> workers = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * A notifier over the given sinks (tests give their own).
     *
     * @param sinks  by name: one for each of {@code settings.config().sinks()}
     * @param random uniform in [0, 1), for the backoff's jitter
     */
    public Notifier(Settings settings, Map<String, Sink> sinks, DoubleSupplier random) {
        this(settings, sinks, random, Clock.systemUTC());
    }

    /** As above, with the clock that times deliveries (from an alert's {@code at} to the pager's 2xx). */
    public Notifier(Settings settings, Map<String, Sink> sinks, DoubleSupplier random, Clock clock) {
        this(settings, sinks, random, null, clock);
    }

    private Notifier(Settings settings, Map<String, Sink> sinks, DoubleSupplier random, HttpClient ownedClient, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sinks = Map.copyOf(sinks);
        this.random = Objects.requireNonNull(random, "random");
        this.ownedClient = ownedClient;
        for (SinkConfig sink : settings.config().sinks()) {
            if (!this.sinks.containsKey(sink.name())) {
                throw new IllegalArgumentException("no sink given for '" + sink.name() + "'");
            }
        }
    }

    /** A notifier with an {@link HttpSink} for each configured sink, sharing one HTTP client. */
    public static Notifier create(Settings settings, Clock clock) {
        HttpClient client = HttpSink.newClient();
        Map<String, Sink> sinks = new LinkedHashMap<>();
        for (SinkConfig sink : settings.config().sinks()) {
            sinks.put(sink.name(), HttpSink.of(sink, client, clock));
        }
        return new Notifier(settings, sinks, () -> ThreadLocalRandom.current().nextDouble(), client, clock);
    }

    /**
     * Which alerts not to page: an alert {@code silenced} accepts is not delivered to any sink, but done all the same
     * (its offset is committed) and counted as {@link DeliveryCounter#SILENCED} for each sink it was routed to. The
     * alert itself stays on the alerts topic, recorded. Usually a {@code SilenceStore} (maintenance windows). Call
     * before {@link #start()}, or at any time: workers read it for each batch. Called from the workers' threads.
     */
    public void silences(Predicate<Alert> silenced) {
        this.silenced = Objects.requireNonNull(silenced, "silenced");
    }

    /** Starts one worker per sink; returns at once (each joins its group in the background). */
    public void start() {
        if (producer != null) {
            throw new IllegalStateException("already started");
        }
        Map<String, Object> p = new HashMap<>(settings.kafka());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.config().groupId() + "-rejects");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        NotifyRejects deadLetters = new NotifyRejects(producer, settings.rejectsTopic(), rejects);
        boolean first = true;
        for (SinkConfig config : settings.config().sinks()) {
            Worker worker = new Worker(sinks.get(config.name()), deadLetters, first);
            first = false;
            workers.add(worker);
            worker.thread.start();
        }
        LOG.info("Notifier started: {} sink(s) ({}), reading {} in groups {}.<sink>", workers.size(),
                settings.config().sinks().stream().map(SinkConfig::toString).toList(), settings.alertsTopic(),
                settings.config().groupId());
    }

    /** Fails with a worker's error if one has stopped by itself. */
    public void checkAlive() {
        for (Worker worker : workers) {
            if (worker.failure != null) {
                throw new IllegalStateException("the notifier's worker for sink " + worker.sink.name() + " stopped: "
                        + worker.failure, worker.failure);
            }
        }
    }

    /** Deliveries by sink and result. */
    public DeliveryCounter deliveries() {
        return deliveries;
    }

    /** Records sent to the rejects topic, by reason ({@code malformed}, {@code sink-rejected}). */
    public RejectCounter rejects() {
        return rejects;
    }

    /**
     * Stops the workers (a delivery in flight is abandoned, uncommitted, and made again after a restart) and waits
     * for them, at most {@link #CLOSE_LIMIT} each. An interrupt while waiting is kept for the caller.
     */
    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.stop();
        }
        for (Worker worker : workers) {
            try {
                worker.thread.join(CLOSE_LIMIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.thread.isAlive()) {
                LOG.warn("The notifier's worker for sink {} did not stop within {} s", worker.sink.name(), CLOSE_LIMIT.toSeconds());
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (ownedClient instanceof AutoCloseable closeable) { // HttpClient is AutoCloseable from Java 21
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("Closing the HTTP client", e);
            }
        }
    }

    /** One record of a batch: its alert (null when it is not one) and whether it is done. */
    private static final class Item {
        final ConsumerRecord<byte[], byte[]> record;
        final Alert alert;
        final String problem;
        boolean done;

        Item(ConsumerRecord<byte[], byte[]> record) {
            this.record = record;
            Alert parsed = null;
            String why = null;
            if (record.value() == null) {
                why = "no value (a tombstone); expected an alert as JSON";
            } else {
                try {
                    parsed = AlertCodec.fromJson(new String(record.value(), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    why = e.getMessage();
                }
            }
            this.alert = parsed;
            this.problem = why;
        }

        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    /** The rest of a batch is abandoned: the group rebalanced, or the worker is stopping. */
    private static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;

        Abandoned(String why) {
            super(why, null, false, false);
        }
    }

    private final class Worker implements ConsumerRebalanceListener {
        final Sink sink;
        final NotifyRejects deadLetters;
        final boolean reportsMalformed;
        final Thread thread;
        volatile boolean running = true;
        volatile Throwable failure;
        /** Whether the worker is waiting on a receiver (only then does stopping interrupt it). */
        volatile boolean sending;
        volatile KafkaConsumer<byte[], byte[]> consumer;
        /** Incremented on every revocation or loss of partitions (callbacks run inside poll, on this thread). */
        int generation;
        /**
         * The ids of the alerts this sink took (or refused for good) in this process, most recent
         * {@link #REMEMBERED} of them: a batch read again after a rebalance or a failed commit skips them
         * instead of paging them a second time.
         */
        final Map<String, Boolean> handled = new LinkedHashMap<>(1024, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        };

        Worker(Sink sink, NotifyRejects deadLetters, boolean reportsMalformed) {
            this.sink = sink;
            this.deadLetters = deadLetters;
            this.reportsMalformed = reportsMalformed;
            this.thread = new Thread(this::run, "notify-" + sink.name());
        }

        void stop() {
            running = false;
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
            if (sending) {
                thread.interrupt(); // a send waiting on the receiver; the worker clears the flag before closing
            }
        }

        private Map<String, Object> consumerConfig() {
            Map<String, Object> c = new HashMap<>(settings.kafka());
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.config().groupIdOf(sink.name()));
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.config().groupIdOf(sink.name()));
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // A new sink starts from the oldest alert kept: it would rather page late than never.
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            c.putAll(settings.consumerOverrides());
            return c;
        }

        private void run() {
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            consumer = c;
            try {
                c.subscribe(List.of(settings.alertsTopic()), this);
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
                    if (records.isEmpty()) {
                        continue;
                    }
                    List<Item> batch = new ArrayList<>();
                    records.forEach(r -> batch.add(new Item(r)));
                    linger(c, batch);
                    try {
                        process(c, batch);
                    } catch (Abandoned e) {
                        LOG.info("Sink {}: {}; the rest of the batch is read again from the committed offsets",
                                sink.name(), e.getMessage());
                        rewind(c, batch);
                    }
                }
            } catch (WakeupException | InterruptException e) {
                if (running) {
                    failure = e;
                    LOG.error("The notifier's worker for sink {} was interrupted", sink.name(), e);
                }
            } catch (InterruptedException e) {
                if (running) {
                    failure = e;
                }
            } catch (RuntimeException | Error e) {
                failure = e;
                LOG.error("The notifier's worker for sink {} failed", sink.name(), e);
            } finally {
                Thread.interrupted(); // a stop that interrupted a send: the consumer must still leave its group cleanly
                c.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            }
        }

        /** Keeps reading for groupWait after the first records, to gather the rest of their evaluation. */
        private void linger(KafkaConsumer<byte[], byte[]> c, List<Item> batch) {
            Duration wait = settings.config().groupWait();
            if (!settings.config().grouping() || wait.isZero()) {
                return;
            }
            long deadline = System.nanoTime() + wait.toNanos();
            for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                c.poll(Duration.ofNanos(left)).forEach(r -> batch.add(new Item(r)));
            }
        }

        private void process(KafkaConsumer<byte[], byte[]> c, List<Item> batch) throws InterruptedException, Abandoned {
            int startGeneration = generation;
            List<Item> routed = new ArrayList<>();
            for (Item item : batch) {
                if (item.alert == null) {
                    if (reportsMalformed) {
                        LOG.warn("Not an alert at {}-{}@{}: {}; sent to {}", item.record.topic(), item.record.partition(),
                                item.record.offset(), item.problem, settings.rejectsTopic());
                        deadLetters.malformed(item.record, item.problem);
                    }
                    item.done = true;
                } else if (!settings.config().sinksFor(item.alert).contains(sink.name())) {
                    item.done = true;
                } else if (handled.containsKey(item.alert.id())) {
                    LOG.info("Sink {}: not paging {} again: it took it before the batch was read again", sink.name(),
                            item.alert.id());
                    deliveries.add(sink.name(), DeliveryCounter.REPEAT_SKIPPED, 1);
                    item.done = true;
                } else if (silenced.test(item.alert)) {
                    LOG.info("Sink {}: not paging {}: silenced", sink.name(), item.alert.id());
                    deliveries.add(sink.name(), DeliveryCounter.SILENCED, 1);
                    item.done = true;
                } else {
                    routed.add(item);
                }
            }
            for (List<Item> page : AlertGroups.plan(routed, i -> i.alert, settings.config().grouping(), sink::groupable)) {
                deliver(c, page, startGeneration);
                commit(c, batch, startGeneration);
            }
            commit(c, batch, startGeneration); // a batch with nothing for this sink
        }

        private static Instant oldest(List<Alert> alerts) {
            Instant t = alerts.get(0).at();
            for (Alert a : alerts) {
                t = a.at().isBefore(t) ? a.at() : t;
            }
            return t;
        }

        /** Delivers one page, retrying for as long as it takes; marks its items done. */
        private void deliver(KafkaConsumer<byte[], byte[]> c, List<Item> page, int startGeneration)
                throws InterruptedException, Abandoned {
            List<Alert> alerts = page.stream().map(i -> i.alert).toList();
            for (int attempt = 1; ; attempt++) {
                DeliveryResult result;
                sending = true;
                try {
                    if (!running) {
                        throw new Abandoned("stopping");
                    }
                    result = sink.send(alerts);
                } finally {
                    sending = false;
                }
                if (result instanceof DeliveryResult.Delivered delivered) {
                    deliveries.add(sink.name(), DeliveryCounter.DELIVERED, alerts.size());
                    deliveries.delivered(sink.name(), Duration.between(oldest(alerts), clock.instant()));
                    LOG.debug("Sink {}: delivered {} alert(s) (HTTP {})", sink.name(), alerts.size(), delivered.status());
                    page.forEach(i -> {
                        i.done = true;
                        handled.put(i.alert.id(), Boolean.TRUE);
                    });
                    return;
                }
                if (result instanceof DeliveryResult.Permanent permanent) {
                    if (page.size() > 1) {
                        LOG.warn("Sink {} refused a page of {} alerts ({}); trying them one by one", sink.name(),
                                page.size(), permanent.reason());
                        for (Item item : page) {
                            deliver(c, List.of(item), startGeneration);
                        }
                        return;
                    }
                    Item item = page.get(0);
                    LOG.error("Sink {} refused alert {} for good: {}; sent to {}", sink.name(), item.alert.id(),
                            permanent.reason(), settings.rejectsTopic());
                    deadLetters.refused(item.record, sink.name(), permanent.reason());
                    deliveries.add(sink.name(), DeliveryCounter.REJECTED, 1);
                    item.done = true;
                    handled.put(item.alert.id(), Boolean.TRUE);
                    return;
                }
                DeliveryResult.Retryable retry = (DeliveryResult.Retryable) result;
                deliveries.add(sink.name(), DeliveryCounter.RETRIED, 1);
                Duration wait = settings.config().backoff().delay(attempt, retry.retryAfter(), random.getAsDouble());
                LOG.warn("Sink {}: attempt {} at {} alert(s) failed ({}); next in {} ms", sink.name(), attempt,
                        alerts.size(), retry.reason(), wait.toMillis());
                waitInGroup(c, wait, startGeneration);
            }
        }

        /**
         * Waits while staying in the group: the assigned partitions are paused and poll is called, so that the
         * consumer keeps its membership (max.poll.interval.ms) through an outage of any length.
         */
        private void waitInGroup(KafkaConsumer<byte[], byte[]> c, Duration wait, int startGeneration) throws Abandoned {
            c.pause(c.assignment());
            long deadline = System.nanoTime() + wait.toNanos();
            try {
                for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                    ConsumerRecords<byte[], byte[]> unexpected = c.poll(Duration.ofNanos(Math.min(left, POLL.toNanos())));
                    // Only partitions newly assigned in a rebalance are not paused: read them again later.
                    for (TopicPartition tp : unexpected.partitions()) {
                        c.seek(tp, unexpected.records(tp).get(0).offset());
                    }
                    if (!running) {
                        throw new Abandoned("stopping");
                    }
                    if (generation != startGeneration) {
                        throw new Abandoned("the group rebalanced");
                    }
                }
            } finally {
                c.resume(c.paused());
            }
        }

        /** Commits, for each partition of the batch still assigned, the offset of its first record not done. */
        private void commit(KafkaConsumer<byte[], byte[]> c, List<Item> batch, int startGeneration) throws Abandoned {
            if (generation != startGeneration) {
                throw new Abandoned("the group rebalanced");
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(batch);
            offsets.keySet().retainAll(c.assignment());
            if (offsets.isEmpty()) {
                return;
            }
            try {
                c.commitSync(offsets);
            } catch (CommitFailedException | RebalanceInProgressException e) {
                throw new Abandoned("the commit failed (" + e.getMessage() + ")");
            } catch (TimeoutException e) {
                // Committed or not, nobody knows: the rest is read again, and the next commit covers what was done.
                throw new Abandoned("the commit timed out (" + e.getMessage() + ")");
            }
        }

        /** Per partition: the first record not done, or past the last. */
        private Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Item> batch) {
            Map<TopicPartition, Long> next = new HashMap<>();
            Map<TopicPartition, Boolean> blocked = new HashMap<>();
            for (Item item : batch) { // each partition's records are in offset order
                TopicPartition tp = item.partition();
                if (blocked.getOrDefault(tp, false)) {
                    continue;
                }
                if (item.done) {
                    next.put(tp, item.record.offset() + 1);
                } else {
                    next.put(tp, item.record.offset());
                    blocked.put(tp, true);
                }
            }
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            next.forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
            return out;
        }

        /** After an abandoned batch: partitions still assigned go back to their first record not done. */
        private void rewind(KafkaConsumer<byte[], byte[]> c, List<Item> batch) {
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(batch);
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                if (c.assignment().contains(e.getKey())) {
                    c.seek(e.getKey(), e.getValue().offset());
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                generation++;
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            generation++;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Assigned partitions start at their committed offsets: nothing to do.
        }
    }

    /** The names of the sinks, in configuration order (for logs). */
    public List<String> sinkNames() {
        return settings.config().sinks().stream().map(SinkConfig::name).toList();
    }
}
