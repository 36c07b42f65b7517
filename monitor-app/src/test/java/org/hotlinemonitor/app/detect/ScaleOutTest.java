package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.processor.TaskId;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out, as docs/kafka.md promises it: two detector instances with one application id share the events
 * topic's partitions; when one stops mid-stream, the other takes its channels over, restoring their state from
 * the changelogs; every alert that replay computes from the same events appears on the alerts topic exactly once
 * for a {@code read_committed} reader. A real KRaft broker (KafkaClusterTestKit), six partitions, 24 channels.
 */
@org.junit.jupiter.api.Tag("integration")
class ScaleOutTest {

    static final Duration LATENESS = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(90);
    static final int PARTITIONS = 6;
    static final int CHANNELS = 24;
    static final String APP_ID = "scale-out-detector";
    static final DetectorTopics TOPICS = new DetectorTopics("scale.events", "scale.alerts", "scale.rejects");

    @TempDir
    Path tmp;

    @Test
    void whenOneOfTwoInstancesStopsTheOtherTakesOverAndEveryAlertAppearsOnce() throws Exception {
        takeOver((a, clockOfA) -> a.close()); // leaves the group: b takes over at once
    }

    @Test
    void whenOneOfTwoInstancesDiesTheOtherTakesOverAndEveryAlertAppearsOnce() throws Exception {
        takeOver((a, clockOfA) -> {
            // Its stream thread dies on its next read of the clock, in the middle of its work: no clean
            // close, no leaving the group, whatever it had not committed is aborted; b takes over once
            // a's session times out.
            clockOfA.die();
            TestCluster.await("a has died", WAIT, () -> a.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR
                    || a.state() == org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING);
            assertThat(a.failure()).as("a died of its clock").isPresent();
        });
    }

    /** How instance a stops in the middle of the stream. */
    interface Stop {
        void stop(DetectorService a, DyingClock clockOfA) throws Exception;
    }

    /** The shared test clock, as seen by one instance, until that instance's clock dies. */
    static final class DyingClock extends java.time.Clock {
        private final MutableClock clock;
        private volatile boolean dead;

        DyingClock(MutableClock clock) {
            this.clock = clock;
        }

        void die() {
            dead = true;
        }

        @Override
        public Instant instant() {
            if (dead) {
                throw new IllegalStateException("this instance's clock died (the test kills the instance)");
            }
            return clock.instant();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private void takeOver(Stop stopA) throws Exception {
        try (KafkaClusterTestKit cluster = TestCluster.startForStreams(Map.of());
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
             KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPICS.events(), PARTITIONS, (short) 1),
                    new NewTopic(TOPICS.alerts(), 3, (short) 1), new NewTopic(TOPICS.rejects(), 1, (short) 1))).all().get();
            Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
            MutableClock clock = new MutableClock(base.minus(Duration.ofMinutes(1)));
            MonitorConfig config = Harness.config(channels(base));
            List<CallEvent> sent = new ArrayList<>();
            Feed feed = new Feed(admin, producer, clock, sent);

            DyingClock clockOfA = new DyingClock(clock);
            DetectorService a = service(cluster, config, clockOfA, tmp.resolve("a"));
            DetectorService b = service(cluster, config, clock, tmp.resolve("b"));
            try {
                TestCluster.await("both instances have tasks", WAIT, () -> activeTasks(a) > 0 && activeTasks(b) > 0
                        && activeTasks(a) + activeTasks(b) == PARTITIONS && a.isRunning() && b.isRunning());
                feed.heartbeats(base.minus(Duration.ofSeconds(30))); // every task starts monitoring then
                feed.slot(base, 0);
                feed.slot(base, 1);
                int before = activeTasks(a);

                stopA.stop(a, clockOfA); // mid-stream: b takes a's partitions over from the changelogs
                TestCluster.await("b owns every partition", WAIT, () -> activeTasks(b) == PARTITIONS && b.isRunning());
                assertThat(before).as("a had work to hand over").isPositive();

                feed.slot(base, 2);
                feed.slot(base, 3);
                Instant end = slot(base, 3).plus(Duration.ofMinutes(3));
                feed.heartbeats(end);
                feed.awaitConsumed();
                clock.set(end.plus(LATENESS).plusSeconds(1)); // past every deadline, by the clock too

                List<String> expected = replay(config, sent, end);
                assertThat(expected).as("the events raise downs and restorations")
                        .anyMatch(s -> s.contains("CHANNEL_DOWN")).anyMatch(s -> s.contains("CHANNEL_RESTORED"))
                        .anyMatch(s -> s.contains("SLOT_MISSED"));
                List<String> seen = new ArrayList<>();
                TestCluster.await(expected.size() + " alerts", WAIT, () -> {
                    seen.clear();
                    seen.addAll(TestCluster.readCommittedValues(cluster.bootstrapServers(), TOPICS.alerts()));
                    return seen.size() >= expected.size();
                });
                assertThat(seen).as("every expected alert, each exactly once").containsExactlyInAnyOrderElementsOf(expected);
                assertThat(b.rejects().total() + a.rejects().total()).as("nothing refused").isZero();
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** Produces the test's events with their event time as Kafka timestamp, moving the clock as time would. */
    static final class Feed {
        final Admin admin;
        final KafkaProducer<String, String> producer;
        final MutableClock clock;
        final List<CallEvent> sent;

        Feed(Admin admin, KafkaProducer<String, String> producer, MutableClock clock, List<CallEvent> sent) {
            this.admin = admin;
            this.producer = producer;
            this.clock = clock;
            this.sent = sent;
        }

        /**
         * Slot {@code k} of every channel: placed, then the outcome of the channel's pattern; then the clock passes
         * the deadline and heartbeats move every partition's time.
         * Pattern by channel {@code i % 3}: 0 always answers; 1 misses slots 0 and 1 (down) and answers from 2
         * (restored); 2 answers slot 0 and misses from 1 (down at slot 2).
         */
        void slot(Instant base, int k) throws Exception {
            Instant slot = ScaleOutTest.slot(base, k);
            moveClock(slot.plusSeconds(5));
            for (int i = 0; i < CHANNELS; i++) {
                send(CallEvent.of(id(i), EventKind.CALL_PLACED, slot.plusSeconds(5), slot));
            }
            moveClock(slot.plusSeconds(20));
            for (int i = 0; i < CHANNELS; i++) {
                boolean answers = switch (i % 3) {
                    case 0 -> true;
                    case 1 -> k >= 2;
                    default -> k == 0;
                };
                send(CallEvent.of(id(i), answers ? EventKind.ANSWERED : EventKind.NO_ANSWER, slot.plusSeconds(20), slot));
            }
            heartbeats(slot.plus(Duration.ofMinutes(1)).plus(LATENESS).plusSeconds(1));
        }

        void heartbeats(Instant at) throws Exception {
            moveClock(at);
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

        /** Once the detectors consumed what came before (a moved clock would make unconsumed records late). */
        void moveClock(Instant t) throws Exception {
            awaitConsumed();
            clock.set(t);
        }

        void awaitConsumed() throws Exception {
            TestCluster.awaitConsumed(admin, TOPICS.events(), PARTITIONS, APP_ID, WAIT);
        }
    }

    /** Core's replay over the same events, to the same end: the alerts the live detectors must raise. */
    static List<String> replay(MonitorConfig config, List<CallEvent> events, Instant until) {
        return ExpectedAlerts.replay(config, LATENESS, events, until);
    }

    static Instant slot(Instant base, int k) {
        return base.plus(Duration.ofMinutes(5L * k));
    }

    static String id(int i) {
        return String.format("line-%02d", i);
    }

    static String channels(Instant base) {
        List<String> times = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            times.add("'" + slot(base, k).atZone(ZoneOffset.UTC).toLocalTime() + "'");
        }
        StringBuilder yaml = new StringBuilder("channels:\n");
        for (int i = 0; i < CHANNELS; i++) {
            yaml.append("  - {id: ").append(id(i)).append(", zone: UTC, checks: [").append(String.join(", ", times))
                    .append("], answerWithin: PT1M, downAfter: 2}\n");
        }
        return yaml.toString();
    }

    static DetectorService service(KafkaClusterTestKit cluster, MonitorConfig config, java.time.Clock clock, Path stateDir) {
        // A short session, so that a dead instance's partitions move within seconds (the broker's minimum is 6 s).
        DetectorSettings settings = DetectorSettings.of(cluster.bootstrapServers())
                .withApplicationId(APP_ID).withStateDir(stateDir).withTopics(TOPICS).withAllowedLateness(LATENESS)
                .withStreamsOverrides(Map.of("commit.interval.ms", "100", "session.timeout.ms", "6000",
                        "heartbeat.interval.ms", "1000"));
        DetectorService s = new DetectorService(settings, config, clock);
        s.start();
        return s;
    }

    static int activeTasks(DetectorService s) {
        var streams = s.streams();
        if (streams == null || !s.isRunning()) {
            return 0;
        }
        return streams.metadataForLocalThreads().stream()
                .mapToInt(t -> (int) t.activeTasks().stream().map(task -> task.taskId()).map(TaskId::partition).count())
                .sum();
    }


    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
