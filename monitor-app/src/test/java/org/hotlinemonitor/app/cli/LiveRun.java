package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.detect.DeadLetters;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * A real broker (one combined KRaft node) with the default topics, and a detector in this JVM on the real clock
 * with the settings {@code detect} runs with ({@link Live#detectorSettings}, speed 1: lateness 0.5 s). For tests
 * whose slots are a few seconds ahead of the wall clock. Closes the detector, then the broker.
 */
final class LiveRun implements AutoCloseable {

    static final Topics TOPICS = Topics.DEFAULT;
    static final String APP_ID = "live-run-detector";

    final KafkaClusterTestKit cluster;
    final String bootstrap;
    private final Path tmp;
    private DetectorService detector;
    private Path channels;

    /** Starts the broker and creates the events topic with {@code eventPartitions}, alerts and rejects. */
    LiveRun(Path tmp, int eventPartitions) throws Exception {
        this.tmp = tmp;
        cluster = TestCluster.startForStreams(Map.of());
        bootstrap = cluster.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPICS.events(), eventPartitions, (short) 1),
                    new NewTopic(TOPICS.alerts(), 3, (short) 1), new NewTopic(TOPICS.rejects(), 1, (short) 1))).all().get();
        }
    }

    /** Writes {@code yaml} to a channel file, as an operator's {@code --channels}. */
    Path channelFile(String yaml) throws Exception {
        channels = Files.writeString(tmp.resolve("channels.yaml"), yaml);
        return channels;
    }

    /** The channel file written last. */
    Path channelFile() {
        return channels;
    }

    /** Starts the detector on {@code channels} and waits until it runs. */
    DetectorService startDetector(Path channels) throws Exception {
        MonitorConfig config = Live.loadChannels(channels);
        detector = new DetectorService(Live.detectorSettings(bootstrap, KafkaClientConfig.NONE, TOPICS, APP_ID, tmp.resolve("state"), 1,
                Live.Timing.forSpeed(1)), config);
        Live.startDetector(detector);
        return detector;
    }

    /** Every event on the events topic, parsed, each once (heartbeats go to every partition), in event-time order. */
    List<CallEvent> events() {
        EventDecoder parser = new JsonEventParser();
        List<CallEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : TestCluster.readAll(bootstrap, TOPICS.events())) {
            try {
                CallEvent e = decode(parser, r.value());
                if (!events.contains(e)) {
                    events.add(e);
                }
            } catch (EventFormatException e) {
                throw new AssertionError("the events topic holds what no producer of the test wrote: " + r.value(), e);
            }
        }
        events.sort(Comparator.comparing(CallEvent::ts));
        return events;
    }

    /** The alerts topic, read_committed: what a pager or the notifier sees. */
    List<String> alerts() {
        return TestCluster.readCommittedValues(bootstrap, TOPICS.alerts());
    }

    /** The dead letters, each as its value and reason. */
    List<String> refused() {
        return TestCluster.readAll(bootstrap, TOPICS.rejects()).stream().map(r -> r.value() + " reason="
                + new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8)).toList();
    }

    /**
     * Polls the alerts topic until it holds every alert of {@code expected} (or a minute passed), and once more
     * after the detector's next commits, so that an extra alert raised with the last of them is seen too.
     */
    List<String> awaitAlerts(List<String> expected) throws InterruptedException {
        List<String> seen;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            seen = alerts();
        } while (!seen.containsAll(expected) && System.nanoTime() < deadline);
        Thread.sleep(500); // a few commit intervals (100 ms): anything raised with the expected alerts is committed by now
        return alerts();
    }

    /** {@code count} slots, {@code period} apart from {@code first}. */
    static List<Instant> slots(Instant first, Duration period, int count) {
        List<Instant> slots = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            slots.add(first.plus(period.multipliedBy(k)));
        }
        return slots;
    }

    /**
     * A channel file of {@code ids} in UTC, each checked at {@code slots} and answered within {@code answerWithin};
     * {@code more} is added to each channel's mapping (e.g. {@code ", downAfter: 2"}).
     */
    static String channelsYaml(java.util.Collection<String> ids, List<Instant> slots, Duration answerWithin, String more) {
        StringBuilder yaml = new StringBuilder("channels:\n");
        ids.forEach(id -> yaml.append("  - {id: ").append(id).append(", zone: UTC, checks: ").append(checks(slots))
                .append(", answerWithin: ").append(answerWithin).append(more).append("}\n"));
        return yaml.toString();
    }

    /** Check times (whole seconds, UTC) for a channel file. */
    static String checks(List<Instant> slots) {
        List<String> times = new ArrayList<>();
        for (Instant s : slots) {
            assertThat(s.getNano()).as("slots on whole seconds").isZero();
            times.add("'" + s.atZone(ZoneOffset.UTC).toLocalTime() + "'");
        }
        return "[" + String.join(", ", times) + "]";
    }

    /** Whole seconds, at least {@code ahead} from now. */
    static Instant secondsFromNow(Duration ahead) {
        return Instant.now().plus(ahead).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            if (detector != null) {
                detector.close();
            }
        } finally {
            cluster.close();
        }
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
