package org.hotlinemonitor.app.detect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.hotlinemonitor.app.broker.KafkaClientConfig;

/**
 * How to run the detector service. Build with {@link #of(String)} and the {@code with...} methods.
 *
 * @param bootstrapServers  Kafka bootstrap servers, {@code host:port,...}
 * @param applicationId     the Kafka Streams application id: consumer group, prefix of the internal topics
 *                          and of the state directory; default {@value #DEFAULT_APPLICATION_ID}. Instances
 *                          with the same id share the work and the state.
 * @param instanceId        this instance's name in the group (static membership, {@code group.instance.id}; Kafka
 *                          Streams appends {@code -<thread number>}), or {@code null} (the default) for dynamic
 *                          membership. Unique among the running instances of one application id (a second instance
 *                          with the same name fences the first) and the same across restarts of this one: one
 *                          that comes back within the session timeout gets its tasks again without a rebalance.
 *                          It does not make failover faster (docs/kafka.md#failover).
 * @param stateDir          where the stores live on disk, or {@code null} for Kafka Streams' default
 *                          ({@code java.io.tmpdir/kafka-streams})
 * @param numThreads        stream threads, at least 1; default {@link #DEFAULT_STREAM_THREADS}, one per core (a task's
 *                          partition is worked by one thread; with fewer partitions than threads some idle)
 * @param topics            events, alerts, rejects
 * @param allowedLateness   how far behind the newest event or the clock an event may arrive; default
 *                          {@link DetectorTopology#DEFAULT_ALLOWED_LATENESS}
 * @param punctuateInterval wall-clock punctuation interval; default {@link DetectorTopology#DEFAULT_PUNCTUATE_INTERVAL}
 * @param backlogThreshold  see {@link DetectorTopology.Options}; default {@link DetectorTopology#DEFAULT_BACKLOG_THRESHOLD}
 * @param futureTolerance   see {@link DetectorTopology.Options}; default {@link DetectorTopology#DEFAULT_FUTURE_TOLERANCE}
 * @param streamsOverrides  further Kafka Streams and client settings (security, timeouts), applied last; they
 *                          cannot change the processing guarantee
 */
public record DetectorSettings(String bootstrapServers, String applicationId, String instanceId, Path stateDir, int numThreads,
                               DetectorTopics topics, Duration allowedLateness, Duration punctuateInterval,
                               Duration backlogThreshold, Duration futureTolerance, Map<String, String> streamsOverrides) {

    public static final String DEFAULT_APPLICATION_ID = "hotline-monitor-detector";
    /**
     * How long the group waits for a silent instance before its tasks move to the others: 6 s, the brokers' default
     * minimum ({@code group.min.session.timeout.ms}), instead of Kafka's 45 s. A cluster with a higher minimum refuses
     * it: set {@code session.timeout.ms} in {@link #streamsOverrides()}.
     */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /** How often an instance tells the group it lives, and so how soon it hears of a rebalance. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** How long a transaction may stay open before the broker aborts it ({@code transaction.timeout.ms}). */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(5);
    /** Standby replicas of each task's stores ({@code num.standby.replicas}). */
    public static final int STANDBY_REPLICAS = 1;
    /** One stream thread per core the JVM sees: the detector's work per record is CPU, not waiting. */
    public static final int DEFAULT_STREAM_THREADS = Runtime.getRuntime().availableProcessors();

    public DetectorSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        Objects.requireNonNull(applicationId, "applicationId");
        if (!applicationId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("applicationId may hold only letters, digits, '.', '_' and '-', was '"
                    + applicationId + "'");
        }
        if (instanceId != null && !instanceId.matches("[a-zA-Z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("instanceId may hold only 1 to 200 letters, digits, '.', '_' and '-', was '"
                    + instanceId + "'");
        }
        if (numThreads < 1) {
            throw new IllegalArgumentException("numThreads must be at least 1, was " + numThreads);
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness must not be negative, was " + allowedLateness);
        }
        // Checked by Options too; fail here, where the setting is made.
        new DetectorTopology.Options(1, punctuateInterval, backlogThreshold, futureTolerance);
        streamsOverrides = Map.copyOf(streamsOverrides);
        if (streamsOverrides.containsKey(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)) {
            throw new IllegalArgumentException("the detector always runs with processing.guarantee=exactly_once_v2");
        }
    }

    /** The defaults, for a cluster at {@code bootstrapServers}. */
    public static DetectorSettings of(String bootstrapServers) {
        return new DetectorSettings(bootstrapServers, DEFAULT_APPLICATION_ID, null, null, DEFAULT_STREAM_THREADS, DetectorTopics.DEFAULT,
                DetectorTopology.DEFAULT_ALLOWED_LATENESS, DetectorTopology.DEFAULT_PUNCTUATE_INTERVAL,
                DetectorTopology.DEFAULT_BACKLOG_THRESHOLD, DetectorTopology.DEFAULT_FUTURE_TOLERANCE, Map.of());
    }

    public DetectorSettings withApplicationId(String id) {
        return new DetectorSettings(bootstrapServers, id, instanceId, stateDir, numThreads, topics, allowedLateness,
                punctuateInterval, backlogThreshold, futureTolerance, streamsOverrides);
    }

    /** Static membership under {@code id} ({@code null}: none); see {@link #instanceId()}. */
    public DetectorSettings withInstanceId(String id) {
        return new DetectorSettings(bootstrapServers, applicationId, id, stateDir, numThreads, topics, allowedLateness,
                punctuateInterval, backlogThreshold, futureTolerance, streamsOverrides);
    }

    public DetectorSettings withStateDir(Path dir) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, dir, numThreads, topics, allowedLateness,
                punctuateInterval, backlogThreshold, futureTolerance, streamsOverrides);
    }

    public DetectorSettings withNumThreads(int n) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, stateDir, n, topics, allowedLateness,
                punctuateInterval, backlogThreshold, futureTolerance, streamsOverrides);
    }

    public DetectorSettings withTopics(DetectorTopics t) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, stateDir, numThreads, t, allowedLateness,
                punctuateInterval, backlogThreshold, futureTolerance, streamsOverrides);
    }

    public DetectorSettings withAllowedLateness(Duration lateness) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, stateDir, numThreads, topics, lateness,
                punctuateInterval, backlogThreshold, futureTolerance, streamsOverrides);
    }

    public DetectorSettings withPunctuateInterval(Duration interval) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, stateDir, numThreads, topics, allowedLateness,
                interval, backlogThreshold, futureTolerance, streamsOverrides);
    }

    public DetectorSettings withBacklogThreshold(Duration threshold) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, stateDir, numThreads, topics, allowedLateness,
                punctuateInterval, threshold, futureTolerance, streamsOverrides);
    }

    public DetectorSettings withFutureTolerance(Duration tolerance) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, stateDir, numThreads, topics, allowedLateness,
                punctuateInterval, backlogThreshold, tolerance, streamsOverrides);
    }

    public DetectorSettings withStreamsOverrides(Map<String, String> overrides) {
        return new DetectorSettings(bootstrapServers, applicationId, instanceId, stateDir, numThreads, topics, allowedLateness,
                punctuateInterval, backlogThreshold, futureTolerance, overrides);
    }

    /** Without secrets: {@code streamsOverrides} may hold passwords. */
    @Override
    public String toString() {
        return "DetectorSettings[" + bootstrapServers + ", application " + applicationId + ", instance " + instanceId
                + ", state " + stateDir + ", threads " + numThreads + ", " + topics + ", lateness " + allowedLateness
                + ", overrides " + KafkaClientConfig.redacted(streamsOverrides) + "]";
    }

    /** The Kafka Streams configuration these settings make. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, numThreads);
        if (stateDir != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        // A detector task reads one partition, so there is nothing to wait for to pick the next record in time
        // order; with idling on (the default, 0), Kafka Streams checks and builds log text for it on every record.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, String.valueOf(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        if (instanceId != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId); // Kafka Streams appends "-<thread number>"
        }
        // Failover (docs/kafka.md#failover). An instance that dies without leaving the group (kill -9, a lost host)
        // keeps its tasks until its session times out: with Kafka's default, 45 s without alerts for its channels.
        // The others hear of the rebalance at their next heartbeat.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) HEARTBEAT_INTERVAL.toMillis());
        // Each task's stores kept warm on one more instance (when there is one), which takes the task over without
        // reading its changelogs from the start.
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, STANDBY_REPLICAS);
        // The transaction a dead instance left open holds back, until the broker aborts it, read_committed readers of
        // what it wrote (alerts, changelogs) and the offsets of its partitions: Kafka Streams' 10 s is 10 s more.
        // A detector commits every 100 ms, so 5 s is still far more than a commit takes.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) TRANSACTION_TIMEOUT.toMillis());
        p.putAll(streamsOverrides);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return p;
    }
}
