package org.hotlinemonitor.app.detect;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.calls.OperatorRecord;
import org.hotlinemonitor.core.codec.SigningConfig;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The detector as a Kafka Streams topology: {@code hotline.events} → detector → {@code hotline.alerts} and
 * {@code hotline.rejects}. Built by {@link #build}, which the service and the tests ({@code
 * TopologyTestDriver}) share.
 *
 * <pre>
 *   source "events" (bytes, bytes) ──► processor "detector" ──► sink "alerts"  (channel id, alert JSON)
 *                                        │ stores:            └─► sink "rejects" (original key and value, reject headers)
 *                                        │  detector-channels  channel id → fingerprint + ChannelState
 *                                        │  detector-reorder   (event time, offset) → buffered record
 *                                        │  detector-task      "watermark", "start", our side's heartbeat state → epoch ms
 *                                        │                     ("last-heartbeat-source:NAME": the last heartbeat's source)
 *                                        │  detector-commit-hook (no data: saves the processor's state before each commit)
 * </pre>
 *
 * The three data stores keep their data in memory and are changelogged (restored from the changelogs when a
 * task starts), without a cache: the processor keeps its working state in memory and writes only what changed,
 * once per commit ({@link CommitHook}). With
 * {@code exactly_once_v2} the alerts, dead letters, store changes and input offsets of a task commit together.
 * The rules are in {@link DetectorProcessor} and docs/kafka.md.
 */
public final class DetectorTopology {

    /** The live default allowed lateness: small, because it delays every alert (docs/kafka.md). */
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMillis(500);
    /** How often the wall-clock punctuator moves time for quiet channels. */
    public static final Duration DEFAULT_PUNCTUATE_INTERVAL = Duration.ofMillis(200);
    /** A record written longer ago than this means the task is reading a backlog (docs/kafka.md). */
    public static final Duration DEFAULT_BACKLOG_THRESHOLD = Duration.ofSeconds(2);
    /**
     * The maximum clock skew: how far ahead of the clock an event's time may be. Beyond, it is refused ({@code future});
     * within, it waits until the clock reaches it and moves time no further than the clock (docs/time.md). One bound
     * with what {@code record} and the API accept, so that what they take the detector takes.
     */
    public static final Duration DEFAULT_FUTURE_TOLERANCE = OperatorRecord.FUTURE_TOLERANCE;

    public static final String SOURCE = "events";
    public static final String PROCESSOR = "detector";
    public static final String ALERTS_SINK = "alerts";
    public static final String REJECTS_SINK = "rejects";
    public static final String CHANNEL_STORE = Topics.DETECTOR_CHANNEL_STORE;
    public static final String REORDER_STORE = "detector-reorder";
    public static final String TASK_STORE = "detector-task";
    /** Not a store of data: runs the processor's save just before each commit ({@link CommitHook}). */
    public static final String COMMIT_HOOK = "detector-commit-hook";

    /**
     * How the processor runs.
     *
     * @param eventPartitions   partitions of the events topic: the processor computes from it which channels its
     *                          task owns (the service looks it up; {@code TopologyTestDriver} has 1)
     * @param punctuateInterval wall-clock punctuation interval, positive
     * @param backlogThreshold  a record whose Kafka timestamp is older than the clock by more than this is part of a
     *                          backlog: while reading one, the clock does not move the watermark; positive
     * @param futureTolerance   an event whose time is further than this ahead of the clock is refused
     *                          ({@code beyond-until}): a producer with a wrong clock must not move time for a whole
     *                          partition; positive
     */
    public record Options(int eventPartitions, Duration punctuateInterval, Duration backlogThreshold,
                          Duration futureTolerance, SigningConfig signing) {

        public Options {
            if (eventPartitions < 1) {
                throw new IllegalArgumentException("eventPartitions must be at least 1, was " + eventPartitions);
            }
            positive(punctuateInterval, "punctuateInterval");
            positive(backlogThreshold, "backlogThreshold");
            positive(futureTolerance, "futureTolerance");
            Objects.requireNonNull(signing, "signing");
        }

        /** Without sources that must sign. */
        public Options(int eventPartitions, Duration punctuateInterval, Duration backlogThreshold, Duration futureTolerance) {
            this(eventPartitions, punctuateInterval, backlogThreshold, futureTolerance, SigningConfig.NONE);
        }

        /** This with {@code signing}'s sources required to sign: their other events are refused as {@code bad-signature}. */
        public Options withSigning(SigningConfig signing) {
            return new Options(eventPartitions, punctuateInterval, backlogThreshold, futureTolerance, signing);
        }

        /** The defaults for a events topic of {@code eventPartitions} partitions. */
        public static Options defaults(int eventPartitions) {
            return new Options(eventPartitions, DEFAULT_PUNCTUATE_INTERVAL, DEFAULT_BACKLOG_THRESHOLD,
                    DEFAULT_FUTURE_TOLERANCE);
        }

        public Options withPunctuateInterval(Duration interval) {
            return new Options(eventPartitions, interval, backlogThreshold, futureTolerance, signing);
        }

        public Options withBacklogThreshold(Duration threshold) {
            return new Options(eventPartitions, punctuateInterval, threshold, futureTolerance, signing);
        }

        public Options withFutureTolerance(Duration tolerance) {
            return new Options(eventPartitions, punctuateInterval, backlogThreshold, tolerance, signing);
        }
    }

    private DetectorTopology() {
    }

    /** {@link #build(Topology, MonitorConfig, DetectorTopics, Duration, Clock, BrokerContact, RejectCounter, DetectorView, Options)} on a new topology. */
    public static Topology build(MonitorConfig config, DetectorTopics topics, Duration allowedLateness, Clock clock,
                                 RejectCounter rejects, Options options) {
        return build(new Topology(), config, topics, allowedLateness, clock, BrokerContact.ALWAYS, rejects, new DetectorView(),
                options);
    }

    /** {@link #build(Topology, MonitorConfig, DetectorTopics, Duration, Clock, BrokerContact, RejectCounter, DetectorView, Options)} on a new topology. */
    public static Topology build(MonitorConfig config, DetectorTopics topics, Duration allowedLateness, Clock clock,
                                 RejectCounter rejects, DetectorView view, Options options) {
        return build(new Topology(), config, topics, allowedLateness, clock, BrokerContact.ALWAYS, rejects, view, options);
    }

    /**
     * Adds the detector to {@code topology} and returns it.
     *
     * @param config          the channels
     * @param topics          where events come from and alerts and rejects go
     * @param allowedLateness how far behind the task's newest event or clock an event may be and still count
     * @param clock           the wall clock the punctuator and the watermark read (never System time directly);
     *                        alerts are stamped with it as their Kafka timestamp
     * @param contact         how far the clock may be trusted ({@link BrokerWatch}: not past a broker outage)
     * @param rejects         counts refused records; shared by all tasks
     * @param view            where the tasks publish their committed state and counts; shared by all tasks
     */
    public static Topology build(Topology topology, MonitorConfig config, DetectorTopics topics,
                                 Duration allowedLateness, Clock clock, BrokerContact contact, RejectCounter rejects,
                                 DetectorView view, Options options) {
        return build(topology, ChannelRegistry.of(config.channels(), options.eventPartitions()), config.silentAfter(), topics,
                allowedLateness, clock, contact, rejects, view, options);
    }

    /**
     * As {@link #build(Topology, MonitorConfig, DetectorTopics, Duration, Clock, BrokerContact, RejectCounter,
     * DetectorView, Options)}, with the channels in {@code channels}: the tasks follow its changes while they run.
     *
     * @param silentAfter the our-side silence rule's {@code silentAfter}, or {@code null} for none
     */
    public static Topology build(Topology topology, ChannelRegistry channels, Duration silentAfter, DetectorTopics topics,
                                 Duration allowedLateness, Clock clock, BrokerContact contact, RejectCounter rejects,
                                 DetectorView view, Options options) {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(topics, "topics");
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative, was " + allowedLateness);
        }
        DetectorProcessor.Setup setup = new DetectorProcessor.Setup(channels, silentAfter, allowedLateness, clock, contact,
                rejects, view, options);
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.events());
        topology.addProcessor(PROCESSOR, () -> new DetectorProcessor(setup), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CHANNEL_STORE),
                Serdes.String(), new StoredChannelSerde()).withCachingDisabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(REORDER_STORE),
                Serdes.Bytes(), new BufferedRecord.BufferedRecordSerde()).withCachingDisabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TASK_STORE),
                Serdes.String(), Serdes.Long()).withCachingDisabled(), PROCESSOR);
        topology.addStateStore(new CommitHook.Builder(COMMIT_HOOK), PROCESSOR);
        topology.addSink(ALERTS_SINK, topics.alerts(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(REJECTS_SINK, topics.rejects(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }
}
