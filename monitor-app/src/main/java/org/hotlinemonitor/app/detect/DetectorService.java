package org.hotlinemonitor.app.detect;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.hotlinemonitor.app.broker.TopicSpec;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector running on Kafka Streams with {@code exactly_once_v2}: {@link #start()} looks up the events
 * topic's partition count, builds the {@link DetectorTopology} and starts it; {@link #close()} stops it.
 * {@link #state()} and {@link #isRunning()} are for a readiness probe.
 *
 * <p>The topics must exist (the broker's or operator's job); the service creates only Kafka Streams'
 * internal changelog topics. A stream thread that dies shuts the whole client down ({@link #failure()} says
 * why; {@link #state()} becomes {@code ERROR}): the caller decides whether to exit or restart.
 *
 * <p>Thread-safety: safe to call from any thread. The service owns its {@link KafkaStreams}.
 */
public final class DetectorService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorService.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #close()} waits for the streams once their broker has failed ({@link #brokerFailed()}). */
    private static final Duration FAILED_BROKER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private volatile boolean brokerFailed;

    private final DetectorSettings settings;
    private final MonitorConfig config;
    private final SigningConfig signing;
    private final Clock clock;
    private final RejectCounter rejects = new RejectCounter();
    private final DetectorView view = new DetectorView();
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile Throwable failure;
    private KafkaStreams streams;
    /** Probes the broker so that the clock decides no deadline of a broker outage; from {@link #start()}. */
    private volatile BrokerWatch watch;
    private int eventPartitions;
    private boolean closed;
    /** The compacted topic the channels come from, or null: the configuration's. */
    private String channelsTopic;
    private volatile ChannelTopic channelTopic;
    private volatile ChannelRegistry registry;

    /** A service on the system clock. */
    public DetectorService(DetectorSettings settings, MonitorConfig config) {
        this(settings, config, Clock.systemUTC());
    }

    /** A service whose watermark and punctuator read {@code clock} (tests move it by hand). */
    public DetectorService(DetectorSettings settings, MonitorConfig config, Clock clock) {
        this(settings, config, SigningConfig.NONE, clock);
    }

    /**
     * A service that refuses the events of {@code signing}'s sources that are unsigned or badly signed, as
     * {@code bad-signature} dead letters.
     */
    public DetectorService(DetectorSettings settings, MonitorConfig config, SigningConfig signing, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.config = Objects.requireNonNull(config, "config");
        this.signing = Objects.requireNonNull(signing, "signing");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes the channels from the compacted topic {@code topic} ({@link ChannelTopic}) instead of the configuration:
     * {@link #start()} reads it whole before the tasks start, and the tasks follow its changes while they run. The
     * configuration's other settings ({@code silentAfter}) still count; its channels are not used.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized DetectorService channelsFrom(String topic) {
        if (streams != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        TopicSpec.checkName(topic);
        this.channelsTopic = topic;
        return this;
    }

    /**
     * Looks up the events topic, builds the topology and starts the streams client; returns without waiting
     * for it to be running. With {@link #channelsFrom}, first reads the channels topic whole.
     *
     * @throws IllegalStateException if already started or closed, or the events topic does not exist
     */
    public synchronized void start() {
        if (streams != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        eventPartitions = lookUpPartitions(settings.topics().events());
        watch = new BrokerWatch(adminConfig(), BrokerWatch.DEFAULT_GRACE, settings.applicationId(), settings.topics().events(),
                eventPartitions);
        if (brokerFailed) {
            watch.brokerFailed();
        }
        ChannelRegistry channels = new ChannelRegistry(eventPartitions);
        if (channelsTopic == null) {
            config.channels().forEach(channels::put);
        } else {
            channelTopic = ChannelTopic.start(settings.bootstrapServers(), clientConfig(
                    org.apache.kafka.clients.consumer.ConsumerConfig.configNames()), channelsTopic, channels, ChannelTopic.LOAD_LIMIT);
        }
        registry = channels;
        Topology topology = DetectorTopology.build(new Topology(), channels, config.silentAfter(), settings.topics(),
                settings.allowedLateness(), clock, watch, rejects, view, new DetectorTopology.Options(eventPartitions, settings.punctuateInterval(),
                        settings.backlogThreshold(), settings.futureTolerance(), signing));
        KafkaStreams s = new KafkaStreams(topology, settings.streamsProperties());
        s.setStateListener((now, before) -> {
            LOG.info("detector {}: {} -> {}", settings.applicationId(), before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        s.setUncaughtExceptionHandler(e -> {
            failure = e;
            LOG.error("detector {}: a stream thread failed; shutting down", settings.applicationId(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams = s;
        LOG.info("detector {}: starting on {} ({} channels{}, {} partitions of {}, allowed lateness {})",
                settings.applicationId(), settings.bootstrapServers(), channels.size(),
                channelsTopic == null ? "" : " from " + channelsTopic, eventPartitions,
                settings.topics().events(), settings.allowedLateness());
        s.start();
    }

    /** The streams client's state: {@code CREATED} before {@link #start()}, {@code RUNNING} when processing. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? (closed ? KafkaStreams.State.NOT_RUNNING : KafkaStreams.State.CREATED) : streams.state();
    }

    /** True while the streams client is {@code RUNNING} (not rebalancing, not stopped or failed). */
    public boolean isRunning() {
        return state() == KafkaStreams.State.RUNNING;
    }

    /** Waits until the client has been {@code RUNNING} once; false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why a stream thread died, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Refused records by reason, since this service started. */
    public RejectCounter rejects() {
        return rejects;
    }

    /** This instance's channels, watermarks and counts, as of its tasks' last commits. */
    public DetectorView view() {
        return view;
    }

    /** The channels as they stand (from the configuration or the channels topic); {@code null} before {@link #start()}. */
    public ChannelRegistry channels() {
        return registry;
    }

    /** The reader of the channels topic, when the channels come from one and the service has started. */
    public Optional<ChannelTopic> channelTopic() {
        return Optional.ofNullable(channelTopic);
    }

    /** The events topic's partition count found by {@link #start()}; 0 before. */
    public synchronized int eventPartitions() {
        return eventPartitions;
    }

    /**
     * The streams client, for its metrics (Micrometer's {@code KafkaStreamsMetrics}) and for tests (interactive
     * queries); {@code null} before {@link #start()}. The service owns and closes it: do not close it.
     */
    public synchronized KafkaStreams streams() {
        return streams;
    }

    /**
     * Says that the broker this detector works with has failed for good (the embedded broker's disk is full): then
     * {@link #close()} waits {@link #FAILED_BROKER_CLOSE_TIMEOUT}, not {@link #CLOSE_TIMEOUT}, for a commit that cannot
     * come.
     */
    public void brokerFailed() {
        brokerFailed = true;
        BrokerWatch w = watch;
        if (w != null) {
            w.brokerFailed();
        }
    }

    /**
     * Stops processing (committing what is done), leaves the consumer group and releases the state directory.
     * Idempotent. Leaving the group lets another instance (or this one restarted) take the tasks over at once
     * rather than after the session timeout ({@link DetectorSettings#SESSION_TIMEOUT}), during which those channels
     * would raise nothing. A static member ({@link DetectorSettings#instanceId()}) leaves too: without
     * {@code LEAVE_GROUP} its close would keep its tasks waiting for it until the session times out.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (streams != null) {
            Duration timeout = brokerFailed ? FAILED_BROKER_CLOSE_TIMEOUT : CLOSE_TIMEOUT;
            if (!streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(timeout))) {
                if (brokerFailed) {
                    LOG.info("detector {}: streams did not close within {} (its broker failed: nothing to commit to)",
                            settings.applicationId(), timeout);
                } else {
                    LOG.warn("detector {}: streams did not close within {}", settings.applicationId(), timeout);
                }
            }
        }
        if (watch != null) {
            watch.close();
        }
        if (channelTopic != null) {
            channelTopic.close();
        }
        if (streams != null) {
            LOG.info("detector {}: stopped", settings.applicationId());
        }
    }

    /** The admin client settings of this detector's streams overrides (security settings among them). */
    private Map<String, Object> adminConfig() {
        Map<String, Object> admin = clientConfig(AdminClientConfig.configNames());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return admin;
    }

    /** This detector's streams overrides that a client with the settings {@code names} takes (security among them). */
    private Map<String, Object> clientConfig(java.util.Set<String> names) {
        Map<String, Object> client = new HashMap<>();
        settings.streamsOverrides().forEach((k, v) -> {
            // config.providers.<name>.class and .param.* are prefixes, not names: without them a ${file:...} or
            // ${env:...} in a security setting would reach the broker unresolved.
            if (names.contains(k) || k.startsWith("config.providers.")) {
                client.put(k, v);
            }
        });
        return client;
    }

    private int lookUpPartitions(String topic) {
        try (Admin a = Admin.create(adminConfig())) {
            TopicDescription d = a.describeTopics(java.util.List.of(topic)).allTopicNames()
                    .get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("the events topic '" + topic + "' does not exist", e.getCause());
            }
            throw new IllegalStateException("cannot describe the events topic '" + topic + "': " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe the events topic '" + topic + "' within " + LOOKUP_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the events topic '" + topic + "'", e);
        }
    }
}
