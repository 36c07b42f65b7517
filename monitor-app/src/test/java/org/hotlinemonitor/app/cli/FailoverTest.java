package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.TaskId;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.detect.DetectorTopology;
import org.hotlinemonitor.app.detect.ExpectedAlerts;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover on the embedded broker, with the settings {@code detect} runs with: two detectors share the events topic,
 * one in this JVM (the survivor, dynamic membership) and one a {@code detect} command in a JVM of its own (the child,
 * a static member: {@code --instance-id child}, kept when it is started again). The child is killed
 * with SIGKILL ({@code kill -9}) a second before a slot's deadline; the survivor must raise the alerts of the child's
 * channels within {@link #TAKEOVER_LIMIT} of the kill. The child is started again, and stopped with SIGTERM a second
 * before a later deadline: a clean stop hands its channels over faster. Then the alerts topic, read
 * {@code read_committed}, must hold exactly the alerts core's replay computes from the same events, each once (no
 * false alert, none lost), and nothing may have been refused.
 *
 * <p>The clock is the real one (the child's cannot be moved from here): slots are 20 s apart from the test's start,
 * each with a 10 s answer window. Each partition carries four channels: the first answers, the second misses in the
 * first round and answers in the second ({@code downAfter: 1}: down, then restored), the last two are never placed.
 * No event is sent while a partition changes hands.
 */
@org.junit.jupiter.api.Tag("integration")
class FailoverTest {

    /** The bound on the time from a detector's death to its channels' due alerts. */
    static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);
    static final int PARTITIONS = 6;
    static final int CHANNELS_PER_PARTITION = 4;
    static final Duration PERIOD = Duration.ofSeconds(20);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    /** The test's length is bounded by its schedule: slots for this long. */
    static final Duration SCHEDULE = Duration.ofMinutes(20);
    static final Duration LATENESS = DetectorTopology.DEFAULT_ALLOWED_LATENESS;
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String APP_ID = "failover-detector";
    static final Topics TOPICS = Topics.DEFAULT;

    @TempDir
    Path tmp;
    /** The channels' first slot. */
    Instant first;

    /** One hand-over: how long from the stop until the dead instance's due alerts were on the topic. */
    record Takeover(String how, double seconds, double partitionsMovedSeconds, int alertsDue, int alertsOfStopped) {
        @Override
        public String toString() {
            return String.format("%s takeover %.1f s (partitions moved after %.1f s; %d alerts due, %d of them the stopped instance's)",
                    how, seconds, partitionsMovedSeconds, alertsDue, alertsOfStopped);
        }
    }

    @Test
    void aSurvivingDetectorRaisesTheDueAlertsWithin15sOfAKill9AndSoonerAfterACleanStop() throws Exception {
        first = nextSlot(Instant.now().plusSeconds(30));
        Map<String, Integer> rank = channels();
        Path channelFile = Files.writeString(tmp.resolve("channels.yaml"), yaml(rank.keySet(), first));
        MonitorConfig config = Live.loadChannels(channelFile);
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(tmp.resolve("broker"), 0, 0));
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
             KafkaProducer<String, String> producer = producer(broker.bootstrapServers());
             AlertWatch alerts = new AlertWatch(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            admin.createTopics(List.of(new NewTopic(TOPICS.events(), PARTITIONS, (short) 1),
                    new NewTopic(TOPICS.alerts(), 3, (short) 1), new NewTopic(TOPICS.rejects(), 1, (short) 1))).all().get();
            Feed feed = new Feed(admin, producer);
            List<String> childCommand = childCommand(bootstrap, channelFile);
            Process child = startChild(childCommand, "child-1");
            try (DetectorService survivor = new DetectorService(Live.detectorSettings(bootstrap, KafkaClientConfig.NONE, TOPICS, APP_ID,
                    tmp.resolve("survivor"), 1, Live.Timing.forSpeed(1)), config)) {
                survivor.start();
                Set<Integer> ofChild = awaitShared(survivor, child);
                feed.heartbeats(now()); // every task starts monitoring now

                Measured kill = handOver("kill -9", 0, survivor, child, ofChild, feed, alerts, rank, config, Process::destroyForcibly);
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();

                child = startChild(childCommand, "child-2");
                ofChild = awaitShared(survivor, child);
                Measured stop = handOver("clean stop", 1, survivor, child, ofChild, feed, alerts, rank, config, Process::destroy);
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
                assertThat(child.exitValue()).as(() -> log("child-2")).isZero();

                Instant cutoff = stop.deadline.plusSeconds(1); // before the next deadline
                alerts.drain();
                List<String> seen = alerts.values().stream().filter(v -> AlertCodec.fromJson(v).at().isBefore(cutoff)).toList();
                List<String> expected = replay(config, feed.sent, cutoff);
                int duplicates = seen.size() - (int) seen.stream().distinct().count();
                List<String> refused = TestCluster.readAll(bootstrap, TOPICS.rejects()).stream()
                        .map(FailoverTest::describe).toList();
                System.out.printf("failover: %s; %s; alerts expected %d, seen %d, duplicates %d; refused %d%n",
                        kill.takeover, stop.takeover, expected.size(), seen.size(), duplicates, refused.size());

                assertThat(expected).as("the events raise misses, downs, restorations and unplaced slots")
                        .anyMatch(s -> s.contains("SLOT_MISSED")).anyMatch(s -> s.contains("CHANNEL_DOWN"))
                        .anyMatch(s -> s.contains("CHANNEL_RESTORED")).anyMatch(s -> s.contains("CALL_NOT_PLACED"));
                assertThat(seen).as("every expected alert, each exactly once").containsExactlyInAnyOrderElementsOf(expected);
                assertThat(refused).as("nothing refused").isEmpty();
                assertThat(kill.takeover.seconds).as("takeover after kill -9").isLessThan(TAKEOVER_LIMIT.toMillis() / 1000.0);
                assertThat(stop.takeover.seconds).as("a clean stop hands over faster than a kill")
                        .isLessThan(kill.takeover.seconds);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** A hand-over's measure, and the deadline its alerts were due at. */
    record Measured(Takeover takeover, Instant deadline) {
    }

    /**
     * Sends a slot's events, waits until the detectors consumed them, stops the child a second before the slot's
     * deadline and measures how long it takes until every alert due at that deadline is on the alerts topic.
     */
    private Measured handOver(String how, int round, DetectorService survivor, Process child, Set<Integer> ofChild, Feed feed,
                              AlertWatch alerts, Map<String, Integer> rank, MonitorConfig config,
                              Consumer<Process> stop) throws Exception {
        Instant slot = nextSlot(Instant.now().plusMillis(500));
        if (slot.isBefore(first)) {
            slot = first;
        }
        waitUntil(slot.plusSeconds(1));
        for (var c : rank.entrySet()) {
            if (c.getValue() < 2) {
                feed.send(CallEvent.of(c.getKey(), EventKind.CALL_PLACED, now(), slot));
            }
        }
        waitUntil(slot.plusSeconds(2));
        for (var c : rank.entrySet()) {
            if (c.getValue() < 2) {
                boolean answers = c.getValue() == 0 || round > 0;
                feed.send(CallEvent.of(c.getKey(), answers ? EventKind.ANSWERED : EventKind.NO_ANSWER, now(), slot));
            }
        }
        feed.awaitConsumed();
        Instant deadline = slot.plus(ANSWER_WITHIN);
        Instant stopAt = deadline.minusSeconds(1);
        assertThat(Instant.now()).as("the detectors consumed the slot's events before the stop is due").isBefore(stopAt);
        await("the partitions still shared as they were", Duration.ofSeconds(2), () -> activeTasks(survivor).equals(allBut(ofChild)));
        waitUntil(stopAt);

        long stopped = System.nanoTime();
        stop.accept(child);
        List<String> due = replay(config, feed.sent, deadline.plusMillis(1)).stream()
                .filter(v -> AlertCodec.fromJson(v).at().equals(deadline)).toList();
        List<String> ofStopped = due.stream()
                .filter(v -> ofChild.contains(ChannelPartitions.partitionOf(AlertCodec.fromJson(v).channel(), PARTITIONS))).toList();
        assertThat(ofStopped).as("the stopped instance had alerts due").isNotEmpty();
        long[] moved = {-1};
        long seenAll = alerts.await(how + ": the alerts due at " + deadline, due, () -> {
            if (moved[0] < 0 && activeTasks(survivor).size() == PARTITIONS) {
                moved[0] = System.nanoTime();
            }
        });
        if (moved[0] < 0) {
            moved[0] = seenAll;
        }
        return new Measured(new Takeover(how, seconds(seenAll - stopped), seconds(moved[0] - stopped), due.size(), ofStopped.size()),
                deadline);
    }

    /** Waits until the child has joined and both instances run a share of the partitions; the child's share. */
    private Set<Integer> awaitShared(DetectorService survivor, Process child) {
        await("both detectors work a share of the partitions", WAIT, () -> {
            if (!child.isAlive()) {
                throw new AssertionError("the child ended with " + child.exitValue());
            }
            int n = activeTasks(survivor).size();
            return survivor.isRunning() && n > 0 && n < PARTITIONS;
        });
        return allBut(activeTasks(survivor));
    }

    private Process startChild(List<String> command, String name) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
    }

    private List<String> childCommand(String bootstrap, Path channels) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "detect", "--bootstrap-servers", bootstrap, "--channels", channels.toString(), "--application-id", APP_ID,
                "--state-dir", tmp.resolve("child").toString(), "--stream-threads", "1", "--http-port", "0",
                "--instance-id", "child"));
        return command;
    }

    private String log(String name) {
        try {
            return Files.readString(tmp.resolve(name + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Four channels on each partition, each with its rank there (0 to 3), which says how it behaves. */
    static Map<String, Integer> channels() {
        Map<String, Integer> rank = new LinkedHashMap<>();
        int[] count = new int[PARTITIONS];
        for (int i = 0; rank.size() < PARTITIONS * CHANNELS_PER_PARTITION; i++) {
            String id = String.format("line-%03d", i);
            int p = ChannelPartitions.partitionOf(id, PARTITIONS);
            if (count[p] < CHANNELS_PER_PARTITION) {
                rank.put(id, count[p]++);
            }
        }
        return rank;
    }

    static String yaml(Set<String> ids, Instant first) {
        List<String> times = new ArrayList<>();
        for (Instant t = first; t.isBefore(first.plus(SCHEDULE)); t = t.plus(PERIOD)) {
            times.add("'" + t.atZone(ZoneOffset.UTC).toLocalTime() + "'");
        }
        StringBuilder yaml = new StringBuilder("channels:\n");
        for (String id : ids) {
            yaml.append("  - {id: ").append(id).append(", zone: UTC, checks: [").append(String.join(", ", times))
                    .append("], answerWithin: ").append(ANSWER_WITHIN).append(", downAfter: 1}\n");
        }
        return yaml.toString();
    }

    /** The first slot at or after {@code t}: slots are {@link #PERIOD} apart, on whole seconds of the epoch's grid. */
    private static Instant nextSlot(Instant t) {
        long period = PERIOD.toMillis();
        long ms = t.toEpochMilli();
        return Instant.ofEpochMilli((ms + period - 1) / period * period);
    }

    /** Core's replay over the same events, to {@code until}: the alerts the live detectors must have raised by then. */
    static List<String> replay(MonitorConfig config, List<CallEvent> events, Instant until) {
        return ExpectedAlerts.replay(config, LATENESS, events, until);
    }

    /** The partitions of the events topic whose tasks run in {@code s}; empty unless it is running. */
    static Set<Integer> activeTasks(DetectorService s) {
        var streams = s.streams();
        if (streams == null || !s.isRunning()) {
            return Set.of();
        }
        return streams.metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
                .map(task -> task.taskId()).map(TaskId::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<Integer> allBut(Set<Integer> partitions) {
        Set<Integer> rest = new TreeSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            if (!partitions.contains(p)) {
                rest.add(p);
            }
        }
        return rest;
    }

    /** Blocks until the wall clock reaches {@code t}: the scenario runs on real time, as the child's clock does. */
    static void waitUntil(Instant t) throws InterruptedException {
        TestCluster.waitUntil(t);
    }

    static void await(String what, Duration wait, BooleanSupplier condition) {
        TestCluster.await(what, wait, condition);
    }

    /** A refused record with its reason headers. */
    static String describe(ConsumerRecord<String, String> r) {
        StringBuilder sb = new StringBuilder(r.value());
        r.headers().forEach(h -> sb.append(' ').append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8)));
        return sb.toString();
    }

    /** Now, to the millisecond: the precision of Kafka timestamps and of the alerts' JSON. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Sends the test's events, event time as Kafka timestamp, and keeps them for the replay. */
    static final class Feed {
        final Admin admin;
        final KafkaProducer<String, String> producer;
        final List<CallEvent> sent = new ArrayList<>();

        Feed(Admin admin, KafkaProducer<String, String> producer) {
            this.admin = admin;
            this.producer = producer;
        }

        void heartbeats(Instant at) throws Exception {
            CallEvent hb = CallEvent.heartbeat(at, "scheduler");
            for (int p = 0; p < PARTITIONS; p++) {
                producer.send(new ProducerRecord<>(TOPICS.events(), p, at.toEpochMilli(), "scheduler", EventWriter.toJson(hb))).get();
            }
            sent.add(hb);
        }

        void send(CallEvent e) throws Exception {
            producer.send(new ProducerRecord<>(TOPICS.events(), null, e.ts().toEpochMilli(), e.channel(), EventWriter.toJson(e))).get();
            sent.add(e);
        }

        /** Until the detectors' committed offsets reach the ends of the events topic as of now. */
        void awaitConsumed() throws Exception {
            TestCluster.awaitConsumed(admin, TOPICS.events(), PARTITIONS, APP_ID, WAIT);
        }
    }

    /** Reads the alerts topic {@code read_committed} from the beginning, noting when each alert was first seen. */
    static final class AlertWatch implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final List<TopicPartition> partitions;
        private final List<String> values = new ArrayList<>();
        private final Map<String, Long> firstSeen = new HashMap<>();

        AlertWatch(String bootstrap) {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
            partitions = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                partitions.add(new TopicPartition(TOPICS.alerts(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        private void poll() {
            long now = System.nanoTime();
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                values.add(r.value());
                firstSeen.putIfAbsent(r.value(), now);
            }
        }

        /**
         * Polls until every alert of {@code due} has been seen, running {@code each} between polls; the
         * {@link System#nanoTime()} when the last of them was first seen.
         */
        long await(String what, List<String> due, Runnable each) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!firstSeen.keySet().containsAll(due)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + "; missing "
                            + due.stream().filter(d -> !firstSeen.containsKey(d)).toList());
                }
                poll();
                each.run();
            }
            return due.stream().mapToLong(firstSeen::get).max().orElseThrow();
        }

        /** Reads on to the end offsets (the last stable offsets, for read_committed) of now. */
        void drain() {
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + WAIT.toNanos();
            ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the alerts to their end: " + ends);
                }
                poll();
                ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }

        List<String> values() {
            return List.copyOf(values);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
