package org.hotlinemonitor.app.produce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.calls.CallPlacer;
import org.hotlinemonitor.app.calls.CallScheduler;
import org.hotlinemonitor.app.calls.ClockTimer;
import org.hotlinemonitor.app.calls.PlacementHistory;
import org.hotlinemonitor.app.calls.Placements;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.calls.RetryPolicy;
import org.hotlinemonitor.core.codec.EventSignature;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled call-check producer: a {@link CallScheduler} with its {@link CallPlacer}, publishing to
 * Kafka through a {@link KafkaEventPublisher}. (Not to be confused with Kafka's own {@code Producer}
 * interface, which this class does not implement.)
 *
 * <p>{@link #start()} first reads back this instance's own recent events from the topic
 * ({@link EventHistoryReader}, from {@code restartLookback} ago) and rebuilds what it already placed
 * ({@link PlacementHistory}), so that a restart neither places a slot's call again nor skips slots that
 * fell due while it was down (see docs/producers.md). Then the scheduler runs on a thread of its own.
 *
 * <p>Ownership: creates and closes the Kafka producer, the placer and the scheduler's timer.
 * Thread-safety: {@link #start()} and {@link #close()} from one thread; {@link #stats()} from any.
 */
public final class SchedulerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    /** The default events topic. */
    public static final String DEFAULT_TOPIC = "hotline.events";

    /**
     * Everything a producer needs.
     *
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the events topic
     * @param config           the channels to call
     * @param source           this instance's name: every event's {@code source}, and how a restart finds its
     *                         own events; keep it stable across restarts, unique across instances
     * @param placer           which placer
     * @param retry            retries of unanswered calls
     * @param lateAfter        how long after its slot a first call still counts as on time
     * @param heartbeatEvery   clock time between heartbeats
     * @param restartLookback  how far back a start reads its own events; at least every channel's
     *                         {@code answerWithin}. Slots missed while down longer than this are not reported
     *                         by the producer (the detector still reports them)
     * @param deliveryTimeout  how long an event may wait for the broker before it is given up
     * @param startTimeout     how long reading back the history may take
     * @param kafka            extra Kafka client settings, for producer and history consumer (security...)
     */
    public record Settings(String bootstrapServers, String topic, MonitorConfig config, String source, PlacerSettings placer,
                           RetryPolicy retry, Duration lateAfter, Duration heartbeatEvery, Duration restartLookback,
                           Duration deliveryTimeout, Duration startTimeout, Map<String, String> kafka) {

        public static final Duration DEFAULT_RESTART_LOOKBACK = Duration.ofDays(1);
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(1);

        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(placer, "placer");
            Objects.requireNonNull(restartLookback, "restartLookback");
            Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
            Objects.requireNonNull(startTimeout, "startTimeout");
            kafka = Map.copyOf(kafka);
            // Validates source, lateAfter, retry and heartbeatEvery.
            new CallScheduler.Settings(source, lateAfter, retry, heartbeatEvery);
            for (Channel c : config.channels()) {
                if (restartLookback.compareTo(c.answerWithin()) < 0) {
                    throw new IllegalArgumentException("restartLookback must be at least every channel's answerWithin ("
                            + c.id() + ": " + c.answerWithin() + "), was " + restartLookback);
                }
            }
            if (deliveryTimeout.compareTo(Duration.ofSeconds(20)) < 0) {
                throw new IllegalArgumentException("deliveryTimeout must be at least PT20S (request timeout and linger), was "
                        + deliveryTimeout);
            }
        }

        /** Defaults for everything but the essentials: topic {@value #DEFAULT_TOPIC}, see the constants for the rest. */
        public static Settings of(String bootstrapServers, MonitorConfig config, String source, PlacerSettings placer) {
            return new Settings(bootstrapServers, DEFAULT_TOPIC, config, source, placer, RetryPolicy.DEFAULT,
                    CallScheduler.Settings.DEFAULT_LATE_AFTER, CallScheduler.Settings.DEFAULT_HEARTBEAT_EVERY,
                    DEFAULT_RESTART_LOOKBACK, KafkaEventPublisher.DEFAULT_DELIVERY_TIMEOUT, DEFAULT_START_TIMEOUT, Map.of());
        }

        public Settings withTopic(String t) {
            return new Settings(bootstrapServers, t, config, source, placer, retry, lateAfter, heartbeatEvery, restartLookback,
                    deliveryTimeout, startTimeout, kafka);
        }

        public Settings withRetry(RetryPolicy r) {
            return new Settings(bootstrapServers, topic, config, source, placer, r, lateAfter, heartbeatEvery, restartLookback,
                    deliveryTimeout, startTimeout, kafka);
        }

        public Settings withLateAfter(Duration d) {
            return new Settings(bootstrapServers, topic, config, source, placer, retry, d, heartbeatEvery, restartLookback,
                    deliveryTimeout, startTimeout, kafka);
        }

        public Settings withHeartbeatEvery(Duration d) {
            return new Settings(bootstrapServers, topic, config, source, placer, retry, lateAfter, d, restartLookback,
                    deliveryTimeout, startTimeout, kafka);
        }

        public Settings withRestartLookback(Duration d) {
            return new Settings(bootstrapServers, topic, config, source, placer, retry, lateAfter, heartbeatEvery, d,
                    deliveryTimeout, startTimeout, kafka);
        }

        public Settings withDeliveryTimeout(Duration d) {
            return new Settings(bootstrapServers, topic, config, source, placer, retry, lateAfter, heartbeatEvery, restartLookback,
                    d, startTimeout, kafka);
        }

        /** Without secrets: {@code kafka} may hold passwords. */
        @Override
        public String toString() {
            return "Settings[" + bootstrapServers + ", " + topic + ", source " + source + ", " + placer + ", kafka "
                    + KafkaClientConfig.redacted(kafka) + "]";
        }

        public Settings withKafka(Map<String, String> k) {
            return new Settings(bootstrapServers, topic, config, source, placer, retry, lateAfter, heartbeatEvery, restartLookback,
                    deliveryTimeout, startTimeout, k);
        }

        CallScheduler.Settings scheduler() {
            return new CallScheduler.Settings(source, lateAfter, retry, heartbeatEvery);
        }
    }

    private final Settings settings;
    private final ClockTimer timer;
    private final boolean ownThread;
    private final KafkaEventPublisher sink;
    private final CallPlacer placer;
    private volatile CallScheduler scheduler;

    /** A producer on the system clock (UTC). */
    public SchedulerService(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    /** A producer on {@code clock}: any clock, an accelerated one for demos included. */
    public SchedulerService(Settings settings, Clock clock) {
        this(settings, clock, null);
    }

    /**
     * A producer on {@code clock} that signs its events, heartbeats included, with {@code signer} ({@code null}:
     * unsigned), for a scheduler the detector requires to sign (docs/security.md).
     */
    public SchedulerService(Settings settings, Clock clock, EventSignature signer) {
        this(settings, new ClockTimer(clock), true, signer);
    }

    /**
     * @param ownThread true to run the timer on its own thread at {@link #start()}; false when a test
     *                  drives it by hand ({@link ClockTimer#runDue()})
     */
    SchedulerService(Settings settings, ClockTimer timer, boolean ownThread) {
        this(settings, timer, ownThread, null);
    }

    SchedulerService(Settings settings, ClockTimer timer, boolean ownThread, EventSignature signer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timer = timer;
        this.ownThread = ownThread;
        if (signer != null && !signer.source().equals(settings.source())) {
            throw new IllegalArgumentException("the signing key is for source '" + signer.source() + "', this scheduler is '"
                    + settings.source() + "'");
        }
        this.sink = new KafkaEventPublisher(KafkaEventPublisher.producerConfig(settings.bootstrapServers(), settings.source(),
                settings.deliveryTimeout(), settings.kafka()), settings.topic(), settings.deliveryTimeout(), signer);
        this.placer = settings.placer().create(timer);
    }

    /**
     * Reads back what this instance already placed, then starts placing calls and heartbeats.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if the history cannot be read within
     *         {@code startTimeout}: starting without it could place calls twice
     */
    public void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        Instant now = timer.now();
        Placements placements = new Placements();
        if (placer.placesCalls()) {
            Instant since = now.minus(settings.restartLookback());
            List<CallEvent> mine = EventHistoryReader.read(settings.bootstrapServers(), settings.kafka(), settings.topic(), since,
                    e -> settings.source().equals(e.source()) && e.channel() != null, settings.startTimeout());
            placements = PlacementHistory.rebuild(mine, settings.config().channels(), settings.source(), now, settings.retry());
            LOG.info("{}: resuming from {} of its own events since {}", settings.source(), mine.size(), since);
        }
        scheduler = new CallScheduler(settings.config().channels(), placer, sink, timer, settings.scheduler(), placements);
        scheduler.start();
        if (ownThread) {
            timer.start();
        }
        LOG.info("{}: placing calls on {} channel(s) with the {} placer, events to {}", settings.source(),
                settings.config().channels().size(), placer.name(), settings.topic());
    }

    /** The scheduler's counters; all zero before {@link #start()}. */
    public CallScheduler.Stats stats() {
        CallScheduler s = scheduler;
        return s == null ? new CallScheduler.Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : s.stats();
    }

    /** {@link CallScheduler#placerCalls}: 0 before {@link #start()}. For the metrics. */
    public long placerCalls(String channel, boolean failed) {
        CallScheduler s = scheduler;
        return s == null ? 0 : s.placerCalls(channel, failed);
    }

    /** The ids of the channels this producer calls. */
    public List<String> channelIds() {
        return settings.config().channels().stream().map(org.hotlinemonitor.core.model.Channel::id).toList();
    }

    /** The scheduler's Kafka producer, for its metrics; this producer closes it. */
    public org.apache.kafka.clients.producer.Producer<String, String> kafkaProducer() {
        return sink.kafkaProducer();
    }

    /** Records the broker acknowledged so far. */
    public long delivered() {
        return sink.delivered();
    }

    /** Records given up so far (lost). */
    public long failed() {
        return sink.failed();
    }

    /** Blocks until everything published so far is acknowledged or given up, at most {@code timeout}; true if it was. */
    public boolean flush(Duration timeout) {
        return sink.flush(timeout);
    }

    /** Events waiting for the cluster, not yet handed to the Kafka producer. */
    public int waiting() {
        return sink.waiting();
    }

    /** Stops placing calls, then delivers what is buffered (within 30 s) and closes the Kafka producer. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        timer.close();
        placer.close();
        sink.close();
        LOG.info("scheduler: stopped ({} event(s) delivered)", sink.delivered());
    }
}
