package org.hotlinemonitor.app.notify;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.notify.AlertGroups;
import org.hotlinemonitor.core.notify.NotifyConfig;
import org.hotlinemonitor.core.notify.SinkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alerts of {@code hotline.alerts} to the configured pagers, at least once, in order per channel,
 * without storms.
 *
 * <p>Each sink has its own worker thread and its own consumer group ({@link NotifyConfig#groupIdOf}), reading
 * the whole topic {@code read_committed} (only alerts the detector committed), with automatic commits off. So each
 * sink keeps its own place: a pager that is down holds back only its own deliveries, and its committed offsets are
 * exactly what it has been given. A worker is a thin consumer loop around the sink's {@link NotifyPipeline}, whose
 * stages hold the rules:
 * <ol>
 *   <li>it polls a batch, and keeps polling for {@link NotifyConfig#groupWait()} to gather the rest of an
 *       evaluation ({@link GroupStage});</li>
 *   <li>it parses each record ({@link AlertCodec#fromJson}); a record that is not an alert is done (the first
 *       sink's worker puts it on the rejects topic with its reason and counts it, so it is reported once);</li>
 *   <li>the pipeline keeps the alerts routed to its sink ({@link RouteStage}, {@link NotifyConfig#sinksFor}), not
 *       taken before ({@link RepeatStage}) nor silenced ({@link SilenceStage}), and plans the pages with
 *       {@link AlertGroups#plan} (one page per type and instant when grouping is on; a channel's alerts in log
 *       order);</li>
 *   <li>it delivers page after page ({@link DeliverStage}). Delivered: done. Retryable ({@link RetryStage}): the
 *       next attempt waits (exponential backoff with full jitter, at least the receiver's {@code Retry-After},
 *       never longer than the backoff's {@code max}: 15 s by default, 20 s at most, so a pager that recovers gets
 *       its backlog soon), the worker polling meanwhile with its partitions paused so that it stays in its group,
 *       and the same page is tried again, for as long as it takes: nothing later is delivered before it.
 *       Permanent: a page of several alerts is tried again one alert at a time, so that one bad alert does not
 *       sink its neighbours; an alert refused alone goes to the rejects topic, naming the sink and the reason, and
 *       is done;</li>
 *   <li>after each page, the worker commits (synchronously) for each partition the offset of its first record not
 *       yet done.</li>
 * </ol>
 *
 * <p>Duplicates: if the group rebalances in the middle of a batch, or a commit fails (a broker went away), the
 * worker drops the rest of the batch and re-reads it from its committed offsets; the alerts it took already in this
 * process are remembered by id ({@link RepeatStage#REMEMBERED} per sink) and not paged again (counted
 * {@link DeliveryCounter#REPEAT_SKIPPED}). Only a crash between a pager's 2xx and the commit delivers a page again,
 * after the restart, with the same dedup key ({@link org.hotlinemonitor.core.notify.DeliveryKeys}), which PagerDuty,
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
    /** The pipelines' time: monotonic (System.nanoTime), so that waits do not move with the wall clock. */
    private static final InstantSource MONOTONIC = () -> Instant.ofEpochSecond(0, System.nanoTime());

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

    /** A record read: parsed into an alert, or the parser's reason why it is not one. */
    private static NotifyPipeline.Read<ConsumerRecord<byte[], byte[]>, TopicPartition> read(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition lane = new TopicPartition(record.topic(), record.partition());
        if (record.value() == null) {
            return new NotifyPipeline.Read<>(record, lane, record.offset(), null, "no value (a tombstone); expected an alert as JSON");
        }
        try {
            Alert alert = AlertCodec.fromJson(new String(record.value(), StandardCharsets.UTF_8));
            return new NotifyPipeline.Read<>(record, lane, record.offset(), alert, null);
        } catch (IllegalArgumentException e) {
            return new NotifyPipeline.Read<>(record, lane, record.offset(), null, e.getMessage());
        }
    }

    /** The rest of a batch is abandoned: the group rebalanced, a commit failed, or the worker is stopping. */
    private static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;

        Abandoned(String why) {
            super(why, null, false, false);
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** Thrown by a worker's sink when it is called while the worker is stopping: nothing is sent. */
    private static final class Stopping extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopping() {
            super("stopping", null, false, false);
        }
    }

    /**
     * One sink's consumer loop: feeds what it polls to the sink's {@link NotifyPipeline}, ticks it when something is
     * due (polling with its partitions paused while it waits, so as to stay in its group), and acts on each step:
     * dead letters written, then positions committed.
     */
    private final class Worker implements ConsumerRebalanceListener {
        final Sink sink;
        final NotifyRejects deadLetters;
        final NotifyPipeline<ConsumerRecord<byte[], byte[]>, TopicPartition> pipeline;
        final Thread thread;
        volatile boolean running = true;
        volatile Throwable failure;
        /** Whether the worker is waiting on a receiver (only then does stopping interrupt it). */
        volatile boolean sending;
        volatile KafkaConsumer<byte[], byte[]> consumer;
        /** Incremented on every revocation or loss of partitions (callbacks run inside poll, on this thread). */
        int generation;
        /** The generation when the batch being delivered was closed. */
        int batchGeneration;

        Worker(Sink sink, NotifyRejects deadLetters, boolean reportsMalformed) {
            this.sink = sink;
            this.deadLetters = deadLetters;
            this.pipeline = NotifyPipeline.forSink(settings.config(), new Guarded(), () -> silenced, deliveries, clock, random,
                    settings.rejectsTopic(), reportsMalformed, MONOTONIC);
            this.thread = new Thread(this::run, "notify-" + sink.name());
        }

        /** The sink, marked as waiting on its receiver while it sends, and not called once stopping. */
        private final class Guarded implements Sink {
            @Override
            public String name() {
                return sink.name();
            }

            @Override
            public boolean groupable(Alert alert) {
                return sink.groupable(alert);
            }

            @Override
            public DeliveryResult send(List<Alert> alerts) throws InterruptedException {
                sending = true;
                try {
                    if (!running) {
                        throw new Stopping();
                    }
                    return sink.send(alerts);
                } finally {
                    sending = false;
                }
            }
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
                    try {
                        step(c);
                    } catch (Abandoned e) {
                        LOG.info("Sink {}: {}; the rest of the batch is read again from the committed offsets",
                                sink.name(), e.getMessage());
                        rewind(c, pipeline.abandon());
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

        /**
         * Reads (a batch opens with the first records polled and gathers until the pipeline closes it) or, while a
         * batch is being delivered, waits in the group for its next attempt; then does what is due.
         */
        private void step(KafkaConsumer<byte[], byte[]> c) throws InterruptedException, Abandoned {
            Optional<Instant> due = pipeline.due();
            if (pipeline.accepting()) {
                Duration wait = due.map(d -> Duration.between(MONOTONIC.instant(), d)).orElse(POLL);
                if (positive(wait)) {
                    c.poll(wait).forEach(r -> pipeline.offer(read(r)));
                }
            } else {
                waitInGroup(c, due.orElseThrow());
            }
            while (pipeline.due().filter(d -> !d.isAfter(MONOTONIC.instant())).isPresent()) {
                if (pipeline.accepting()) {
                    batchGeneration = generation; // this tick closes the batch
                }
                NotifyPipeline.Step<ConsumerRecord<byte[], byte[]>, TopicPartition> done;
                try {
                    done = pipeline.tick();
                } catch (Stopping e) {
                    throw new Abandoned("stopping");
                }
                act(c, done);
            }
        }

        /** Writes the step's dead letters, then commits its positions. */
        private void act(KafkaConsumer<byte[], byte[]> c, NotifyPipeline.Step<ConsumerRecord<byte[], byte[]>, TopicPartition> step)
                throws InterruptedException, Abandoned {
            for (NotifyPipeline.DeadLetter<ConsumerRecord<byte[], byte[]>> letter : step.deadLetters()) {
                ConsumerRecord<byte[], byte[]> record = letter.source();
                if (letter.reason().equals(NotifyRejects.SINK_REJECTED)) {
                    deadLetters.refused(record, sink.name(), letter.detail());
                    deliveries.add(sink.name(), DeliveryCounter.REJECTED, 1);
                } else {
                    LOG.warn("Not an alert at {}-{}@{}: {}; sent to {}", record.topic(), record.partition(),
                            record.offset(), letter.detail(), settings.rejectsTopic());
                    deadLetters.malformed(record, letter.detail());
                }
            }
            if (!step.commit().isEmpty()) {
                commit(c, step.commit());
            }
        }

        /**
         * Waits until {@code until} ({@link #MONOTONIC}) while staying in the group: the assigned partitions are
         * paused and poll is called, so that the consumer keeps its membership (max.poll.interval.ms) through an
         * outage of any length.
         */
        private void waitInGroup(KafkaConsumer<byte[], byte[]> c, Instant until) throws Abandoned {
            c.pause(c.assignment());
            try {
                for (Duration left = Duration.between(MONOTONIC.instant(), until); positive(left);
                     left = Duration.between(MONOTONIC.instant(), until)) {
                    ConsumerRecords<byte[], byte[]> unexpected = c.poll(left.compareTo(POLL) < 0 ? left : POLL);
                    // Only partitions newly assigned in a rebalance are not paused: read them again later.
                    for (TopicPartition tp : unexpected.partitions()) {
                        c.seek(tp, unexpected.records(tp).get(0).offset());
                    }
                    if (!running) {
                        throw new Abandoned("stopping");
                    }
                    if (generation != batchGeneration) {
                        throw new Abandoned("the group rebalanced");
                    }
                }
            } finally {
                c.resume(c.paused());
            }
        }

        /** Commits, for each partition still assigned, the offset of its first record not done. */
        private void commit(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> next) throws Abandoned {
            if (generation != batchGeneration) {
                throw new Abandoned("the group rebalanced");
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
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

        /** After an abandoned batch: partitions still assigned go back to their first record not done. */
        private void rewind(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> from) {
            for (Map.Entry<TopicPartition, Long> e : from.entrySet()) {
                if (c.assignment().contains(e.getKey())) {
                    c.seek(e.getKey(), e.getValue());
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
