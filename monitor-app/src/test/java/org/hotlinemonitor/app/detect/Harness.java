package org.hotlinemonitor.app.detect;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.core.config.ConfigException;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The detector topology in a {@link TopologyTestDriver} (one partition, partition 0), on a {@link MutableClock}.
 * {@link #tick} sets the clock and fires the wall-clock punctuator once. Public for the tests of other packages
 * (the metrics binder reads its {@link #view} and {@link #rejects}).
 */
public final class Harness implements AutoCloseable {

    static final DetectorTopics TOPICS = DetectorTopics.DEFAULT;

    final MutableClock clock;
    public final RejectCounter rejects = new RejectCounter();
    public final DetectorView view = new DetectorView();
    final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestOutputTopic<String, String> alerts;
    private final TestOutputTopic<byte[], byte[]> rejected;
    private final Duration interval;
    /** Where a broker outage stopped the clock ({@link BrokerContact}); {@code Long.MAX_VALUE}: no outage. */
    final java.util.concurrent.atomic.AtomicLong outageFrom = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);

    Harness(MonitorConfig config, Duration lateness, DetectorTopology.Options options, Instant start, Path stateDir) {
        this(ChannelRegistry.of(config.channels(), options.eventPartitions()), config.silentAfter(), lateness, options, start,
                stateDir);
    }

    /** A detector whose channels are {@code channels}: a test changes them while it runs, as a channels topic would. */
    Harness(ChannelRegistry channels, Duration silentAfter, Duration lateness, DetectorTopology.Options options, Instant start,
            Path stateDir) {
        this.clock = new MutableClock(start);
        this.interval = options.punctuateInterval();
        Topology topology = DetectorTopology.build(new Topology(), channels, silentAfter, TOPICS, lateness, clock,
                now -> Math.min(now, outageFrom.get()), rejects, view, options);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        this.driver = new TopologyTestDriver(topology, p, start);
        this.events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
        this.alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), new StringDeserializer());
        this.rejected = driver.createOutputTopic(TOPICS.rejects(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public Harness(String yaml, Duration lateness, Instant start, Path stateDir) {
        this(config(yaml), lateness, DetectorTopology.Options.defaults(1), start, stateDir);
    }

    /** Two channels in Seoul: 09:00 and 16:00 there are 00:00Z and 07:00Z. */
    public static final String TWO_CHANNELS = """
            channels:
              - id: east-coast
                zone: Asia/Seoul
                checks: ['09:00', '16:00']
                answerWithin: PT1H
                downAfter: 2
              - id: ship
                zone: Asia/Seoul
                checks: ['09:00']
                answerWithin: PT1H
            """;

    /** A call-check event as JSON; {@code ts} and {@code slot} (or {@code null}) are instants or their text. */
    public static String event(String channel, String kind, Object ts, Object slot) {
        return "{\"channel\":\"" + channel + "\",\"kind\":\"" + kind + "\",\"ts\":\"" + ts + "\""
                + (slot == null ? "" : ",\"slot\":\"" + slot + "\"") + "}";
    }

    /** A scheduler's heartbeat as JSON; {@code ts} an instant or its text. */
    public static String heartbeat(Object ts) {
        return "{\"kind\":\"HEARTBEAT\",\"ts\":\"" + ts + "\",\"source\":\"scheduler\"}";
    }

    public static MonitorConfig config(String yaml) {
        try {
            return ConfigLoader.load("test.yaml", new StringReader(yaml));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Sends a record keyed by {@code key} with the clock's time as its Kafka timestamp. */
    void send(String key, String json) {
        send(key == null ? null : utf8(key), json == null ? null : utf8(json), new RecordHeaders());
    }

    /** Sends a record written at {@code written} (its Kafka timestamp), whatever the clock says. */
    void sendWritten(String key, String json, Instant written) {
        events.pipeInput(new TestRecord<>(utf8(key), utf8(json), new RecordHeaders(), written));
    }

    void send(byte[] key, byte[] value, Headers headers) {
        events.pipeInput(new TestRecord<>(key, value, headers, clock.instant()));
    }

    /** The clock the detector reads. */
    public java.time.Clock clock() {
        return clock;
    }

    /** Sets the clock to {@code at} and sends a record keyed by {@code key} then. */
    public void sendAt(Instant at, String key, String json) {
        clock.set(at);
        send(key, json);
    }

    /** Sets the clock to {@code t} and fires the wall-clock punctuator. */
    public void tick(Instant t) {
        clock.set(t);
        driver.advanceWallClockTime(interval);
    }

    List<TestRecord<String, String>> alertRecords() {
        return alerts.readRecordsToList();
    }

    public List<String> alerts() {
        return alerts.readValuesToList();
    }

    List<TestRecord<byte[], byte[]>> rejects() {
        return rejected.readRecordsToList();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String header(TestRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
