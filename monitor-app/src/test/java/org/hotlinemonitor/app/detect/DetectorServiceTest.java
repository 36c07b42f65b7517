package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.app.http.StatusFeed;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.status.StatusLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector service against a real KRaft broker (KafkaClusterTestKit, one combined node), with
 * {@code exactly_once_v2}: restarts restore the state from the changelogs, alerts are committed exactly once,
 * and configuration changes take effect on restart.
 *
 * <p>The services read a {@link MutableClock} kept near the real time (the broker keeps records by their
 * timestamps). Before the test moves the clock past a deadline it waits until the detector has consumed
 * everything produced, as time would in production: a moved clock turns unconsumed records late.
 */
@org.junit.jupiter.api.Tag("integration")
class DetectorServiceTest {

    static final Duration LATENESS = Duration.ofSeconds(2);
    static final Duration WAIT = TestCluster.WAIT;

    static KafkaClusterTestKit cluster;
    static Admin admin;
    static KafkaProducer<String, String> producer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        // A crashed detector's open transaction is aborted (and read_committed readers move on) soon after its
        // timeout, not up to ten seconds later.
        cluster = TestCluster.startForStreams(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One test's topics, application id, clock and schedule, the slots five minutes apart from {@code base}. */
    final class Run {
        final DetectorTopics topics;
        final String appId;
        final MutableClock clock;
        final Instant base;
        final int partitions;

        Run(String name) throws Exception {
            this(name, 2);
        }

        Run(String name, int partitions) throws Exception {
            this.partitions = partitions;
            topics = new DetectorTopics(name + ".events", name + ".alerts", name + ".rejects");
            appId = name + "-detector";
            admin.createTopics(List.of(new NewTopic(topics.events(), partitions, (short) 1),
                    new NewTopic(topics.alerts(), 2, (short) 1), new NewTopic(topics.rejects(), 1, (short) 1))).all().get();
            base = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
            clock = new MutableClock(base.minus(Duration.ofMinutes(1)));
        }

        Instant slot(int k) {
            return base.plus(Duration.ofMinutes(5L * k));
        }

        /** Check times every five minutes from {@code base + offset}, UTC. */
        String checks(Duration offset) {
            List<String> times = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                times.add("'" + slot(k).plus(offset).atZone(ZoneOffset.UTC).toLocalTime() + "'");
            }
            return "[" + String.join(", ", times) + "]";
        }

        String channel(String id, Duration offset) {
            return "  - {id: " + id + ", zone: UTC, checks: " + checks(offset) + ", answerWithin: PT1M, downAfter: 2}\n";
        }

        DetectorService service(MonitorConfig config, Path stateDir) throws InterruptedException {
            return service(config, stateDir, Map.of());
        }

        DetectorService service(MonitorConfig config, Path stateDir, Map<String, String> overrides) throws InterruptedException {
            return service(config, stateDir, overrides, LATENESS);
        }

        /** As {@link #service(MonitorConfig, Path)}, with {@code beforeStart} given the service's view before it starts. */
        DetectorService service(MonitorConfig config, Path stateDir, java.util.function.Consumer<DetectorView> beforeStart)
                throws InterruptedException {
            return service(config, stateDir, Map.of(), LATENESS, beforeStart);
        }

        DetectorService service(MonitorConfig config, Path stateDir, Map<String, String> overrides, Duration lateness)
                throws InterruptedException {
            return service(config, stateDir, overrides, lateness, view -> { });
        }

        DetectorService service(MonitorConfig config, Path stateDir, Map<String, String> overrides, Duration lateness,
                                java.util.function.Consumer<DetectorView> beforeStart) throws InterruptedException {
            Map<String, String> streams = new HashMap<>(overrides);
            streams.put("commit.interval.ms", "100");
            DetectorSettings settings = DetectorSettings.of(cluster.bootstrapServers())
                    .withApplicationId(appId).withStateDir(stateDir).withTopics(topics).withAllowedLateness(lateness)
                    .withStreamsOverrides(streams);
            DetectorService s = new DetectorService(settings, config, clock);
            beforeStart.accept(s.view());
            s.start();
            assertThat(s.awaitRunning(WAIT)).as("running").isTrue();
            assertThat(s.eventPartitions()).isEqualTo(partitions);
            return s;
        }

        /** Moves the clock to {@code at} (once the detector has consumed what came before) and produces an event then. */
        void send(Instant at, String key, String json) throws Exception {
            moveClock(at);
            producer.send(new ProducerRecord<>(topics.events(), null, at.toEpochMilli(), key, json)).get();
        }

        /**
         * A heartbeat on every events partition at the clock's time: each task starts monitoring then, when its
         * watermark passes it, whatever else it gets.
         */
        void heartbeats() throws Exception {
            Instant at = clock.instant();
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topics.events(), p, at.toEpochMilli(), "scheduler", heartbeat(at))).get();
            }
        }

        /** Waits until the detector has committed offsets up to the end of every events partition. */
        void awaitConsumed() throws Exception {
            TestCluster.awaitConsumed(admin, topics.events(), partitions, appId, WAIT);
        }

        /** Consumed, then the clock moves to {@code t}. */
        void moveClock(Instant t) throws Exception {
            awaitConsumed();
            clock.set(t);
        }

        List<String> awaitAlerts(int n) {
            List<String> seen = new ArrayList<>();
            await(n + " alerts on " + topics.alerts(), () -> {
                seen.clear();
                seen.addAll(values(readCommitted(topics.alerts())));
                return seen.size() >= n;
            });
            return seen;
        }
    }

    static void await(String what, BooleanSupplier condition) {
        TestCluster.await(what, WAIT, condition);
    }

    /** Every committed record of {@code topic}, from the beginning to the last stable offset. */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return read(topic, "read_committed");
    }

    /** Every record of {@code topic}, aborted ones included. */
    static List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic) {
        return read(topic, "read_uncommitted");
    }

    static List<ConsumerRecord<byte[], byte[]>> read(String topic, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    static String event(String channel, String kind, Instant ts) {
        return "{\"channel\":\"" + channel + "\",\"kind\":\"" + kind + "\",\"ts\":\"" + ts + "\"}";
    }

    static String heartbeat(Instant ts) {
        return "{\"kind\":\"HEARTBEAT\",\"ts\":\"" + ts + "\"}";
    }

    /** Two channel ids that the default partitioner sends to different partitions of two. */
    static List<String> onBothPartitions(String a, String b) {
        for (int i = 0; ; i++) {
            String x = a + "-" + i;
            String y = b + "-" + i;
            if (ChannelPartitions.partitionOf(x, 2) != ChannelPartitions.partitionOf(y, 2)) {
                return List.of(x, y);
            }
        }
    }

    static ReadOnlyKeyValueStore<String, StoredChannel> channelStore(DetectorService s) {
        ReadOnlyKeyValueStore<String, StoredChannel>[] store = new ReadOnlyKeyValueStore[1];
        await("the channel store", () -> {
            try {
                store[0] = s.streams().store(StoreQueryParameters.fromNameAndType(DetectorTopology.CHANNEL_STORE,
                        QueryableStoreTypes.<String, StoredChannel>keyValueStore()));
                return true;
            } catch (InvalidStateStoreException e) {
                return false;
            }
        });
        return store[0];
    }

    @Test
    void eventsDelayedInTransitCountWhileTheirSlotIsUndecidedOnARealBroker() throws Exception {
        Run run = new Run("delayed");
        List<String> ids = onBothPartitions("alpha", "bravo");
        String alpha = ids.get(0);
        String bravo = ids.get(1);
        MonitorConfig config = Harness.config("channels:\n" + run.channel(alpha, Duration.ZERO) + run.channel(bravo, Duration.ZERO));
        Instant s1 = run.slot(0);
        Instant d1 = s1.plus(Duration.ofMinutes(1));
        // The live default lateness (0.5 s): before, any event more than 0.5 s behind the clock was refused as late.
        try (DetectorService service = run.service(config, tmp.resolve("state"), Map.of(),
                DetectorTopology.DEFAULT_ALLOWED_LATENESS)) {
            run.heartbeats();
            run.awaitConsumed();
            // alpha: a `record` run from a laptop, its answer arriving 3 s after its time.
            run.moveClock(s1.plusSeconds(13));
            producer.send(new ProducerRecord<>(run.topics.events(), null, s1.plusSeconds(13).toEpochMilli(), alpha,
                    event(alpha, "ANSWERED", s1.plusSeconds(10)))).get();
            // bravo: the scheduler's CALL_PLACED, held by its producer through a 40 s broker outage.
            run.moveClock(s1.plusSeconds(45));
            producer.send(new ProducerRecord<>(run.topics.events(), null, s1.plusSeconds(5).toEpochMilli(), bravo,
                    event(bravo, "CALL_PLACED", s1.plusSeconds(5)))).get();
            run.awaitConsumed();
            run.moveClock(d1.plusSeconds(2));
            List<String> alerts = run.awaitAlerts(1);
            // bravo's answer, stamped before its deadline but arriving after the slot was decided: late, and kept.
            producer.send(new ProducerRecord<>(run.topics.events(), null, d1.plusSeconds(3).toEpochMilli(), bravo,
                    event(bravo, "ANSWERED", d1.minusSeconds(1)))).get();
            run.awaitConsumed();
            List<String> expected = List.of(AlertCodec.toJson(Alert.slotMissed(bravo, s1, d1, MissCause.NO_ANSWER)));
            List<String> committed = values(readCommitted(run.topics.alerts()));
            long falseAlerts = committed.stream().filter(a -> !expected.contains(a)).count();
            long lost = expected.stream().filter(a -> !committed.contains(a)).count();
            List<ConsumerRecord<byte[], byte[]>> rejects = readCommitted(run.topics.rejects());
            System.out.printf("delayed events: 2 delayed (3 s, 40 s) taken, 1 after its slot's decision refused as late;"
                    + " alerts expected %d, seen %d, false %d, lost %d%n", expected.size(), committed.size(), falseAlerts, lost);
            assertThat(alerts).containsExactlyElementsOf(expected);
            assertThat(committed).as("0 false, 0 lost").containsExactlyElementsOf(expected);
            assertThat(rejects).hasSize(1);
            assertThat(service.rejects().snapshot()).isEqualTo(Map.of("late", 1L));
        }
    }

    @Test
    void aRestartWithAFreshStateDirectoryRestoresFromTheChangelogAndEveryAlertIsCommittedOnce() throws Exception {
        Run run = new Run("restart");
        List<String> ids = onBothPartitions("alpha", "bravo");
        String alpha = ids.get(0);
        String bravo = ids.get(1); // never calls: CALL_NOT_PLACED from the clock alone
        MonitorConfig config = Harness.config("channels:\n" + run.channel(alpha, Duration.ZERO) + run.channel(bravo, Duration.ZERO));
        Instant s1 = run.slot(0);
        Instant s2 = run.slot(1);

        try (DetectorService first = run.service(config, tmp.resolve("first"))) {
            run.heartbeats();
            run.send(s1.plusSeconds(1), alpha, event(alpha, "CALL_PLACED", s1.plusSeconds(1)));
            run.send(s1.plusSeconds(20), alpha, event(alpha, "NO_ANSWER", s1.plusSeconds(20)));
            run.send(s1.plusSeconds(21), alpha, "{\"channel\":"); // a dead letter on the way
            run.moveClock(s1.plus(Duration.ofMinutes(1)).plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(2);
            // Mid-stream: the next call is placed (and waits in the reorder buffer), then the detector stops.
            run.send(s2.plusSeconds(1), alpha, event(alpha, "CALL_PLACED", s2.plusSeconds(1)));
            run.awaitConsumed();
            assertThat(first.rejects().snapshot()).isEqualTo(Map.of("malformed", 1L));
        }
        run.clock.set(s2.plusSeconds(30));
        run.heartbeats(); // written while it is down

        try (DetectorService second = run.service(config, tmp.resolve("second"))) {
            run.moveClock(s2.plus(Duration.ofMinutes(1)).plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(5);
            Instant answer = s2.plus(Duration.ofMinutes(3));
            run.send(answer, alpha, event(alpha, "ANSWERED", answer));
            run.moveClock(answer.plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(6);
        }

        Instant d1 = s1.plus(Duration.ofMinutes(1));
        Instant d2 = s2.plus(Duration.ofMinutes(1));
        List<String> expected = List.of(
                AlertCodec.toJson(Alert.slotMissed(alpha, s1, d1, MissCause.NO_ANSWER)),
                AlertCodec.toJson(Alert.callNotPlaced(bravo, s1, d1)),
                // Needs the call placed before the restart (restored reorder buffer or channel state) ...
                AlertCodec.toJson(Alert.slotMissed(alpha, s2, d2, MissCause.NO_ANSWER)),
                // ... and the streak from before it (restored channel state).
                AlertCodec.toJson(Alert.channelDown(alpha, s1, d2, 2)),
                AlertCodec.toJson(Alert.callNotPlaced(bravo, s2, d2)),
                AlertCodec.toJson(Alert.channelRestored(alpha, s1, s2.plus(Duration.ofMinutes(3)), 2)));
        List<ConsumerRecord<byte[], byte[]>> alerts = readCommitted(run.topics.alerts());
        assertThat(values(alerts)).as("every alert exactly once").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(alerts).allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                .isEqualTo(AlertCodec.fromJson(new String(r.value(), StandardCharsets.UTF_8)).channel()));

        List<ConsumerRecord<byte[], byte[]>> rejects = readCommitted(run.topics.rejects());
        assertThat(rejects).hasSize(1);
        assertThat(new String(rejects.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"channel\":");
        assertThat(new String(rejects.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("malformed");
        assertThat(new String(rejects.get(0).headers().lastHeader(DeadLetters.PARTITION).value(), StandardCharsets.UTF_8))
                .isEqualTo(Integer.toString(ChannelPartitions.partitionOf(alpha, 2)));
    }

    @Test
    void theStatusPagesLedgerHearsTheCommitsAndAfterARestartALineDownBeforeItIsStillDown() throws Exception {
        Run run = new Run("status");
        List<String> ids = onBothPartitions("alpha", "bravo");
        String alpha = ids.get(0);
        String bravo = ids.get(1); // never calls: not placed, never decided answered or missed
        MonitorConfig config = Harness.config("channels:\n" + run.channel(alpha, Duration.ZERO) + run.channel(bravo, Duration.ZERO));
        Instant s1 = run.slot(0);
        Instant s2 = run.slot(1);
        Instant d2 = s2.plus(Duration.ofMinutes(1));

        StatusLedger first = new StatusLedger(config, 10);
        try (DetectorService service = run.service(config, tmp.resolve("first"),
                view -> view.decisions(new StatusFeed(first, null, run.clock)))) {
            run.heartbeats();
            for (Instant slot : List.of(s1, s2)) {
                run.send(slot.plusSeconds(1), alpha, event(alpha, "CALL_PLACED", slot.plusSeconds(1)));
                run.send(slot.plusSeconds(20), alpha, event(alpha, "NO_ANSWER", slot.plusSeconds(20)));
                run.moveClock(slot.plus(Duration.ofMinutes(1)).plus(LATENESS).plusSeconds(1));
            }
            run.awaitAlerts(5); // committed: the ledger heard them at that commit
            assertThat(first.state(alpha)).isEqualTo(StatusLedger.State.DOWN);
            assertThat(first.downSince(alpha)).isEqualTo(s1);
            assertThat(first.slots(alpha, Instant.EPOCH, Instant.MAX)).extracting(StatusLedger.Slot::slot, StatusLedger.Slot::verdict,
                    StatusLedger.Slot::cause).containsExactly(org.assertj.core.groups.Tuple.tuple(s1, Verdict.MISSED, MissCause.NO_ANSWER),
                    org.assertj.core.groups.Tuple.tuple(s2, Verdict.MISSED, MissCause.NO_ANSWER));
            assertThat(first.slots(bravo, Instant.EPOCH, Instant.MAX)).extracting(StatusLedger.Slot::verdict)
                    .containsExactly(Verdict.NOT_PLACED, Verdict.NOT_PLACED);
            assertThat(first.state(bravo)).isEqualTo(StatusLedger.State.UNKNOWN);
            assertThat(first.incidents()).singleElement().satisfies(i -> assertThat(i.detected()).isEqualTo(d2));
        }

        StatusLedger second = new StatusLedger(config, 10);
        try (DetectorService service = run.service(config, tmp.resolve("second"),
                view -> view.decisions(new StatusFeed(second, null, run.clock)))) {
            // before anything new is decided: down since the first missed slot, from the restored state
            await("the restored state in the new ledger", () -> second.state(alpha) == StatusLedger.State.DOWN);
            assertThat(second.downSince(alpha)).isEqualTo(s1);
            assertThat(second.state(bravo)).isEqualTo(StatusLedger.State.UNKNOWN);
            assertThat(second.slots(alpha, Instant.EPOCH, Instant.MAX)).as("the slots before the restart are not read back").isEmpty();
            Instant answer = s2.plus(Duration.ofMinutes(3));
            run.heartbeats();
            run.send(answer, alpha, event(alpha, "ANSWERED", answer));
            run.moveClock(answer.plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(6);
            assertThat(second.state(alpha)).isEqualTo(StatusLedger.State.UP);
            assertThat(second.incidents()).singleElement().satisfies(i -> {
                assertThat(i.start()).isEqualTo(s1);
                assertThat(i.detected()).as("detected before this ledger").isNull();
                assertThat(i.end()).isEqualTo(answer);
            });
        }
    }

    @Test
    void ourSideGoingSilentIsOneAlertFromAllPartitionsItsChannelsAreUnknownAndARestartKeepsIt() throws Exception {
        Run run = new Run("silent");
        List<String> ids = onBothPartitions("alpha", "bravo");
        String alpha = ids.get(0);
        String bravo = ids.get(1);
        MonitorConfig config = Harness.config("silentAfter: PT20S\nchannels:\n" + run.channel(alpha, Duration.ZERO)
                + run.channel(bravo, Duration.ZERO));
        Instant s1 = run.slot(0);
        Instant t0 = run.clock.instant();
        Instant lastBeat = t0.plusSeconds(20);
        Instant silentAt = lastBeat.plusSeconds(20);

        try (DetectorService first = run.service(config, tmp.resolve("first"))) {
            run.heartbeats();
            run.moveClock(t0.plusSeconds(10));
            run.heartbeats();
            run.moveClock(lastBeat);
            run.heartbeats(); // the last: then our scheduler dies
            run.moveClock(silentAt.plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(1);
            await("both channels unknown, on both partitions", () -> first.view().status(alpha).orElse(null) == ChannelStatus.UNKNOWN
                    && first.view().silentSince(alpha) == silentAt.toEpochMilli()
                    && first.view().silentSince(bravo) == silentAt.toEpochMilli());
        }
        // Restarted on an empty state directory while silent: the silence comes back from the changelog, not raised again.
        Instant back = s1.plus(Duration.ofMinutes(2));
        try (DetectorService second = run.service(config, tmp.resolve("second"))) {
            // Both channels' first slots pass their deadline unplaced: covered by the silence, no CALL_NOT_PLACED.
            run.moveClock(s1.plus(Duration.ofMinutes(1)).plus(LATENESS).plusSeconds(1));
            await("both slots decided, not placed", () -> second.view().verdictCount(Verdict.NOT_PLACED) == 2);
            assertThat(second.view().silentSince(alpha)).isEqualTo(silentAt.toEpochMilli());
            assertThat(second.view().status(bravo)).contains(ChannelStatus.UNKNOWN);
            run.moveClock(back);
            run.heartbeats(); // the scheduler is back
            run.moveClock(back.plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(2);
            await("heard again on both partitions", () -> second.view().silentSince(alpha) == Millis.NONE
                    && second.view().silentSince(bravo) == Millis.NONE);
            assertThat(second.view().lastHeartbeat()).isEqualTo(back.toEpochMilli());
        }
        List<String> expected = List.of(AlertCodec.toJson(Alert.ourSideSilent(lastBeat, silentAt)),
                AlertCodec.toJson(Alert.ourSideResumed(lastBeat, back)));
        List<ConsumerRecord<byte[], byte[]>> alerts = readCommitted(run.topics.alerts());
        assertThat(values(alerts)).as("one alert for the silence and one for its end, from two partitions' tasks")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(alerts).allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("our-side"));
    }

    @Test
    void aCrashBeforeTheCommitNeitherLosesNorDuplicatesAlerts() throws Exception {
        // One partition: one task, one punctuator, both channels decided in the same punctuation.
        Run run = new Run("crash", 1);
        String alpha = "alpha";
        String bravo = "bravo";
        MonitorConfig config = Harness.config("channels:\n" + run.channel(alpha, Duration.ZERO) + run.channel(bravo, Duration.ZERO));
        Instant s1 = run.slot(0);
        Instant d1 = s1.plus(Duration.ofMinutes(1));

        // A crashed member does not leave its group: its successor waits for the session timeout (45 s by default).
        // And its open transaction holds up read_committed readers until the transaction times out.
        Map<String, String> quickFailover = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500",
                "producer.transaction.timeout.ms", "5000");
        try (DetectorService first = run.service(config, tmp.resolve("first"), quickFailover)) {
            run.heartbeats();
            run.send(s1.plusSeconds(1), alpha, event(alpha, "CALL_PLACED", s1.plusSeconds(1)));
            run.awaitConsumed();
            // Past the deadline: the next punctuation reads the clock (1), decides both deadlines, sends alpha's
            // alert stamped with the clock (2), and dies reading it for bravo's: before its transaction commits.
            run.clock.setAndBreakAfter(d1.plus(LATENESS).plusSeconds(1), 2);
            await("the detector to crash", () -> first.failure().isPresent());
            // The handler records the failure, then Kafka Streams acts on its answer (SHUTDOWN_CLIENT): the state
            // follows a moment later.
            await("the detector to shut down in error", () -> first.state() == KafkaStreams.State.PENDING_ERROR
                    || first.state() == KafkaStreams.State.ERROR);
            assertThat(first.state()).isIn(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR);
        }
        run.clock.repair();
        assertThat(values(readCommitted(run.topics.alerts()))).as("nothing committed before the crash").isEmpty();
        assertThat(values(readUncommitted(run.topics.alerts()))).as("but alpha's alert was written, then aborted")
                .containsExactly(AlertCodec.toJson(Alert.slotMissed(alpha, s1, d1, MissCause.NO_ANSWER)));

        try (DetectorService second = run.service(config, tmp.resolve("second"), quickFailover)) {
            // A restarted task lets the clock count once it has had no backlog for the threshold: time passes.
            run.moveClock(run.clock.instant().plus(DetectorTopology.DEFAULT_BACKLOG_THRESHOLD));
            run.awaitAlerts(2);
        }
        List<String> expected = List.of(
                AlertCodec.toJson(Alert.slotMissed(alpha, s1, d1, MissCause.NO_ANSWER)),
                AlertCodec.toJson(Alert.callNotPlaced(bravo, s1, d1)));
        assertThat(values(readCommitted(run.topics.alerts()))).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(values(readUncommitted(run.topics.alerts()))).as("the aborted copies are in the log")
                .hasSizeGreaterThan(2).containsAll(expected);
    }

    @Test
    void aConfigurationChangeTakesEffectOnRestartKeepingUnchangedChannels() throws Exception {
        Run run = new Run("reconfigure");
        String steady = "steady";
        String changed = "changed";
        String removed = "removed";
        Duration none = Duration.ZERO;
        Duration later = Duration.ofMinutes(2);
        MonitorConfig before = Harness.config("channels:\n" + run.channel(steady, none) + run.channel(changed, none)
                + run.channel(removed, none));
        // changed: its checks move two minutes later; removed: gone.
        MonitorConfig after = Harness.config("channels:\n" + run.channel(steady, none) + run.channel(changed, later));
        Instant s1 = run.slot(0);
        Instant s2 = run.slot(1);
        Instant moved1 = s1.plus(later);

        try (DetectorService first = run.service(before, tmp.resolve("state"))) {
            run.heartbeats();
            for (String id : List.of(steady, changed, removed)) {
                run.send(s1.plusSeconds(1), id, event(id, "CALL_PLACED", s1.plusSeconds(1)));
            }
            run.moveClock(s1.plus(Duration.ofMinutes(1)).plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(3);
        }

        try (DetectorService second = run.service(after, tmp.resolve("state"))) {
            ReadOnlyKeyValueStore<String, StoredChannel> store = channelStore(second);
            ChannelState steadyState = store.get(steady).state();
            assertThat(steadyState.streak()).as("unchanged: keeps its streak").isEqualTo(1);
            assertThat(steadyState.cursorInstant()).isEqualTo(s2);
            ChannelState changedState = store.get(changed).state();
            assertThat(changedState.cursorInstant()).as("changed: its schedule restarts at the watermark").isEqualTo(moved1);
            assertThat(changedState.status()).as("... keeping what the line did").isEqualTo(ChannelStatus.MISSED);
            assertThat(store.get(changed).fingerprint()).isEqualTo(ChannelFingerprint.of(after.channel(changed)));
            assertThat(store.get(removed)).as("removed: dropped").isNull();

            run.send(moved1.plusSeconds(1), changed, event(changed, "ANSWERED", moved1.plusSeconds(1)));
            run.send(s2.plusSeconds(1), steady, event(steady, "CALL_PLACED", s2.plusSeconds(1)));
            run.send(s2.plusSeconds(2), removed, event(removed, "CALL_PLACED", s2.plusSeconds(2)));
            run.moveClock(s2.plus(Duration.ofMinutes(1)).plus(LATENESS).plusSeconds(1));
            run.awaitAlerts(5);
            assertThat(second.rejects().snapshot()).isEqualTo(Map.of("unknown-channel", 1L));
        }

        Instant d1 = s1.plus(Duration.ofMinutes(1));
        Instant d2 = s2.plus(Duration.ofMinutes(1));
        // changed raises nothing: its new slot was answered, and its old slot s2 is no slot any more (under the old
        // schedule it would be CALL_NOT_PLACED at d2, with steady's alerts).
        assertThat(values(readCommitted(run.topics.alerts()))).containsExactlyInAnyOrder(
                AlertCodec.toJson(Alert.slotMissed(steady, s1, d1, MissCause.NO_ANSWER)),
                AlertCodec.toJson(Alert.slotMissed(changed, s1, d1, MissCause.NO_ANSWER)),
                AlertCodec.toJson(Alert.slotMissed(removed, s1, d1, MissCause.NO_ANSWER)),
                // steady's second miss in a row: down since the first, from before the restart.
                AlertCodec.toJson(Alert.slotMissed(steady, s2, d2, MissCause.NO_ANSWER)),
                AlertCodec.toJson(Alert.channelDown(steady, s1, d2, 2)));
        assertThat(readCommitted(run.topics.rejects())).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(event(removed, "CALL_PLACED", s2.plusSeconds(2)));
    }

    /**
     * Channels kept in a compacted topic: two instances of one detector read it at start, and both follow a channel added,
     * a bad record and a channel removed while they run; the added channel is watched at once, the removed one no longer.
     */
    @Test
    void channelsFromATopicAreFollowedByEveryInstanceWithoutARestart() throws Exception {
        Run run = new Run("chtopic");
        String topic = "chtopic.channels";
        List<String> ids = samePartition("kept", "added", run.partitions);
        String kept = ids.get(0);
        String added = ids.get(1);
        ChannelTopic.Published first = ChannelTopic.publish(cluster.bootstrapServers(), Map.of(), topic, Optional.of((short) 1),
                Harness.config("channels:\n" + run.channel(kept, Duration.ZERO)).channels(), false);
        assertThat(first).isEqualTo(new ChannelTopic.Published(1, 0, 0, 0));

        List<DetectorService> services = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                DetectorSettings settings = DetectorSettings.of(cluster.bootstrapServers()).withApplicationId(run.appId)
                        .withStateDir(tmp.resolve("state-" + i)).withTopics(run.topics).withAllowedLateness(LATENESS)
                        .withStreamsOverrides(Map.of("commit.interval.ms", "100"));
                DetectorService s = new DetectorService(settings, new MonitorConfig(List.of()), run.clock).channelsFrom(topic);
                services.add(s);
                s.start();
                assertThat(s.channels().channels()).extracting(Channel::id).containsExactly(kept);
            }
            for (DetectorService s : services) {
                assertThat(s.awaitRunning(WAIT)).isTrue();
            }
            run.heartbeats();
            run.moveClock(run.clock.instant().plus(LATENESS).plusSeconds(1));
            await("the tasks start", () -> services.stream().anyMatch(s -> s.view().channel(kept).isPresent()));

            // Added while both run: each instance's registry has it, and the task that owns it watches it from now.
            ChannelTopic.Published second = ChannelTopic.publish(cluster.bootstrapServers(), Map.of(), topic,
                    Optional.of((short) 1), Harness.config("channels:\n" + run.channel(kept, Duration.ZERO)
                            + run.channel(added, Duration.ZERO)).channels(), false);
            assertThat(second).isEqualTo(new ChannelTopic.Published(1, 0, 1, 0));
            await("both instances hold " + added, () -> services.stream().allMatch(s -> s.channels().contains(added)));
            await("the owning task watches " + added, () -> services.stream().anyMatch(s -> s.view().channel(added).isPresent()));
            run.send(run.slot(0), added, event(added, "CALL_PLACED", run.slot(0)));
            run.moveClock(run.slot(0).plus(Duration.ofMinutes(1)).plusSeconds(5));
            assertThat(run.awaitAlerts(2)).map(AlertCodec::fromJson).extracting(Alert::channel, Alert::slot)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(kept, run.slot(0)),
                            org.assertj.core.groups.Tuple.tuple(added, run.slot(0)));
            assertThat(readCommitted(run.topics.rejects())).as("the added channel's event was taken").isEmpty();

            // A bad record is refused by every instance and changes nothing; the channel stays as it was.
            producer.send(new ProducerRecord<>(topic, added, "{\"id\":\"" + added + "\",\"zone\":\"Mars/Base\",\"checks\":[\"09:00\"]}"))
                    .get();
            await("both instances refuse the bad record", () -> services.stream()
                    .allMatch(s -> s.channelTopic().orElseThrow().refused() == 1));
            for (DetectorService s : services) {
                assertThat(s.channelTopic().orElseThrow().refusals()).singleElement()
                        .satisfies(r -> assertThat(r.reason()).contains("channel.zone").contains("Mars/Base"));
                assertThat(s.channels().contains(added)).isTrue();
            }

            // Removed while both run: dropped everywhere, its next slot is not judged; the other's is.
            assertThat(ChannelTopic.remove(cluster.bootstrapServers(), Map.of(), topic, List.of(kept, "never-there")))
                    .containsExactly("never-there");
            await("both instances dropped " + kept, () -> services.stream().noneMatch(s -> s.channels().contains(kept)));
            await("no task watches " + kept, () -> services.stream().noneMatch(s -> s.view().channel(kept).isPresent()));
            run.moveClock(run.slot(1).plus(Duration.ofMinutes(1)).plusSeconds(5));
            List<Alert> alerts = run.awaitAlerts(3).stream().map(AlertCodec::fromJson).toList();
            assertThat(alerts).hasSize(3);
            assertThat(alerts.get(2).channel()).isEqualTo(added);
            assertThat(alerts.get(2).slot()).isEqualTo(run.slot(1));
        } finally {
            for (DetectorService s : services) {
                s.close();
            }
        }
    }

    /** Two channel ids that the default partitioner sends to the same partition. */
    static List<String> samePartition(String a, String b, int partitions) {
        for (int i = 0; ; i++) {
            for (int j = 0; j < 50; j++) {
                String x = a + "-" + i;
                String y = b + "-" + j;
                if (ChannelPartitions.partitionOf(x, partitions) == ChannelPartitions.partitionOf(y, partitions)) {
                    return List.of(x, y);
                }
            }
        }
    }
}
