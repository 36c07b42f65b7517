package org.hotlinemonitor.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.app.cli.Main;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.detect.DetectorTopics;
import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.replay.SyntheticLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of docs/kafka.md, through Kafka end to end: the real {@link DetectorService} (exactly once) runs over a
 * generated log produced to an events topic of three partitions; then {@code replay --bootstrap-servers ... --since
 * ... --until <the live watermark>} over the same topic gives the same alerts (same ids, same bytes) as the live run
 * committed to the alerts topic.
 *
 * <p>The conditions of "Same alerts as replay" hold by construction: every partition starts with a heartbeat at the
 * log's first instant (as the producers' heartbeats to every partition do), so every task starts when replay does;
 * events are at most 20 s out of order, well within the lateness; the service's clock is held still while it reads the
 * log (all of it a backlog, so only event time moves its watermarks, as in replay), then moved once to
 * {@code end + allowedLateness}, so that every task's watermark ends at {@code end}, replay's {@code --until}.
 */
@org.junit.jupiter.api.Tag("integration")
public class LiveMatchesTopicReplayTest {

    static final Duration LATENESS = Duration.ofMinutes(1);
    static final int PARTITIONS = 3;

    @TempDir
    Path tmp;

    @Test
    void theLiveDetectorsAlertsAreTheTopicReplaysAlerts() throws Exception {
        SyntheticLog log = new SyntheticLog(200, 7, 2, LocalDate.of(2023, 4, 3));
        StringWriter out = new StringWriter();
        log.write(out);
        EventDecoder parser = new JsonEventParser();
        List<String> lines = new ArrayList<>();
        List<CallEvent> events = new ArrayList<>();
        Instant logStart = LocalDate.of(2023, 4, 3).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant outage = logStart.plus(Duration.ofDays(2)).plus(Duration.ofHours(6)); // our scheduler down for 4 hours
        for (String line : out.toString().lines().toList()) {
            CallEvent e = decode(parser, line);
            // One heartbeat in ten minutes is plenty (they only move time) and keeps the test quick.
            boolean keep = e.kind() != EventKind.HEARTBEAT || (e.ts().toEpochMilli() % 600_000 == 0
                    && (e.ts().isBefore(outage) || !e.ts().isBefore(outage.plus(Duration.ofHours(4)))));
            if (keep) {
                events.add(e);
                lines.add(line);
            }
        }
        Instant first = events.get(0).ts();
        assertThat(events.get(0).kind()).isEqualTo(EventKind.HEARTBEAT);
        assertThat(events).as("nothing before the first heartbeat: every task starts with it").allMatch(e -> !e.ts().isBefore(first));
        Instant newest = events.stream().map(CallEvent::ts).max(Instant::compareTo).orElseThrow();
        Instant end = newest.plus(Duration.ofHours(3)); // past the log: quiet channels are decided by the clock alone
        Path channels = tmp.resolve("channels.yaml");
        // With the our-side rule: the 4-hour gap in the heartbeats is a silence, and so is the quiet after the log.
        Duration silentAfter = Duration.ofMinutes(25);
        Files.writeString(channels, log.channelsYaml().replace("allowedLateness: PT5M\n",
                "allowedLateness: PT5M\nsilentAfter: " + silentAfter + "\n"));

        KafkaClusterTestKit cluster = TestCluster.startForStreams(Map.of());
        try {
            DetectorTopics topics = new DetectorTopics("live.events", "live.alerts", "live.rejects");
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(
                        new NewTopic(topics.events(), PARTITIONS, (short) 1).configs(TestCluster.OLD_RECORDS),
                        new NewTopic(topics.alerts(), 2, (short) 1).configs(TestCluster.OLD_RECORDS),
                        new NewTopic(topics.rejects(), 1, (short) 1).configs(TestCluster.OLD_RECORDS))).all().get();
            }
            produce(cluster.bootstrapServers(), topics.events(), lines, events);

            // Held still while the service reads the log: every record is a backlog, only event time counts.
            MutableClock clock = new MutableClock(newest.plusSeconds(30));
            String appId = "live-detector";
            DetectorSettings settings = DetectorSettings.of(cluster.bootstrapServers()).withApplicationId(appId)
                    .withStateDir(tmp.resolve("state")).withTopics(topics).withAllowedLateness(LATENESS)
                    .withStreamsOverrides(Map.of("commit.interval.ms", "100"));
            List<String> live;
            List<String> replayed;
            try (DetectorService service = new DetectorService(settings, log.config().withSilentAfter(silentAfter), clock)) {
                service.start();
                assertThat(service.awaitRunning(TestCluster.WAIT)).as("running").isTrue();
                awaitConsumed(cluster, appId, topics.events());
                // The clock jumps past the backlog threshold: every task's watermark moves to end.
                clock.set(end.plus(LATENESS));

                Path alerts = tmp.resolve("replay-alerts.jsonl");
                int code = Main.run("replay", "--channels", channels.toString(), "--no-progress",
                        "--bootstrap-servers", cluster.bootstrapServers(), "--topic", topics.events(),
                        "--since", first.toString(), "--until", end.toString(), "--allowed-lateness", LATENESS.toString(),
                        "--alerts-out", alerts.toString(), "--report-out", tmp.resolve("report.md").toString(),
                        "--rejects-out", tmp.resolve("rejects.jsonl").toString());
                assertThat(code).isZero();
                assertThat(tmp.resolve("rejects.jsonl")).as("replay refused nothing").doesNotExist();
                replayed = Files.readAllLines(alerts);

                live = new ArrayList<>();
                TestCluster.await(replayed.size() + " live alerts", TestCluster.WAIT, () -> {
                    live.clear();
                    live.addAll(TestCluster.readCommittedValues(cluster.bootstrapServers(), topics.alerts()));
                    return live.size() >= replayed.size();
                });
                assertThat(service.rejects().total()).as("no event was late live, nothing refused").isZero();
            }
            assertThat(replayed).as("the log raises every kind of alert").hasSizeGreaterThan(40)
                    .anyMatch(a -> a.contains("CHANNEL_DOWN")).anyMatch(a -> a.contains("CHANNEL_RESTORED"))
                    .anyMatch(a -> a.contains("CALL_NOT_PLACED")).anyMatch(a -> a.contains("SLOT_MISSED"))
                    .anyMatch(a -> a.contains("OUR_SIDE_SILENT")).anyMatch(a -> a.contains("OUR_SIDE_RESUMED"));
            assertThat(replayed.stream().filter(a -> a.contains("OUR_SIDE_")))
                    .as("each silence once, though every partition's task sees it").hasSize(3);
            assertThat(live).as("same alerts, same ids, same bytes, each once").containsExactlyInAnyOrderElementsOf(replayed);
            assertThat(TestCluster.readCommittedValues(cluster.bootstrapServers(), topics.alerts())).as("and no more came").hasSameSizeAs(replayed);
        } finally {
            cluster.close();
        }
    }

    /**
     * Channel events keyed by channel id (the default partitioner places them); each heartbeat to every partition, as
     * the producers send them. Record timestamps are the events' times, as {@link KafkaEventPublisher} stamps them.
     */
    public static void produce(String bootstrapServers, String topic, List<String> lines, List<CallEvent> events) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        produce(p, topic, lines, events);
    }

    /** {@link #produce(String, String, List, List)} with a producer of {@code config}; the number of records written. */
    public static int produce(Map<String, Object> config, String topic, List<String> lines, List<CallEvent> events) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                CallEvent e = events.get(i);
                long ts = e.ts().toEpochMilli();
                if (e.kind() == EventKind.HEARTBEAT) {
                    for (int partition = 0; partition < PARTITIONS; partition++) {
                        sent.add(producer.send(new ProducerRecord<>(topic, partition, ts, "scheduler", lines.get(i))));
                    }
                } else {
                    sent.add(producer.send(new ProducerRecord<>(topic, null, ts, e.channel(), lines.get(i))));
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
            return sent.size();
        }
    }

    /** Waits until the detector has committed offsets up to the end of every events partition. */
    static void awaitConsumed(KafkaClusterTestKit cluster, String appId, String topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            TestCluster.awaitConsumed(admin, topic, PARTITIONS, appId, TestCluster.WAIT);
        }
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
