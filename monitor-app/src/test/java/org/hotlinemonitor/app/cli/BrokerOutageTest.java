package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.cli.FailoverTest.ANSWER_WITHIN;
import static org.hotlinemonitor.app.cli.FailoverTest.APP_ID;
import static org.hotlinemonitor.app.cli.FailoverTest.PARTITIONS;
import static org.hotlinemonitor.app.cli.FailoverTest.PERIOD;
import static org.hotlinemonitor.app.cli.FailoverTest.TOPICS;
import static org.hotlinemonitor.app.cli.FailoverTest.now;
import static org.hotlinemonitor.app.cli.FailoverTest.waitUntil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only broker stops across a slot's deadline while calls are answered, and starts again: a detector on the real
 * clock must raise exactly the alerts core's replay computes from the events, each once. The answers given while the
 * broker is down wait in the producer (the scheduler's sink: idempotent, retried within the delivery timeout, an outbox while the broker is gone) and
 * reach the detector after the deadline passed on the clock; a detector that decided the deadline by the clock
 * during the outage would page SLOT_MISSED for answered slots (false) and refuse the answers as late.
 *
 * <p>Three rounds, 20 s apart, each slot answered within 10 s (as {@link FailoverTest}): before, across and after the
 * outage. Of the four channels on each partition the first answers every slot; the second misses the first slot
 * ({@code downAfter: 1}: down) and answers the others (restored, during the outage); the last two are never placed.
 */
@org.junit.jupiter.api.Tag("integration")
class BrokerOutageTest {

    /** The broker stops this long after the second slot, and starts again this long after its deadline. */
    static final Duration STOP_AFTER_SLOT = Duration.ofSeconds(3);
    static final Duration BACK_AFTER_DEADLINE = Duration.ofSeconds(5);

    /**
     * The producer tries the broker again every 3 s (Kafka's default backs off from 50 ms to 1 s): its answers reach
     * the topic up to 3 s after the broker is back, later than the detector's own clients reconnect.
     */
    static final Map<String, Object> SLOW_RECONNECT = Map.of("reconnect.backoff.ms", 3000, "reconnect.backoff.max.ms", 3000);

    @TempDir
    Path tmp;

    @Test
    void aBrokerRestartAcrossADeadlineNeitherPagesFalselyNorLosesAnAlert() throws Exception {
        Instant first = nextSlot(Instant.now().plusSeconds(15));
        Map<String, Integer> rank = FailoverTest.channels();
        Path channelFile = Files.writeString(tmp.resolve("channels.yaml"), FailoverTest.yaml(rank.keySet(), first));
        MonitorConfig config = Live.loadChannels(channelFile);
        KafkaClusterTestKit cluster = TestCluster.startForStreams(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
        try {
            String bootstrap = cluster.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPICS.events(), PARTITIONS, (short) 1),
                        new NewTopic(TOPICS.alerts(), 3, (short) 1), new NewTopic(TOPICS.rejects(), 1, (short) 1))).all().get();
            }
            BrokerServer broker = cluster.brokers().values().iterator().next();
            List<CallEvent> sent = new ArrayList<>();
            try (KafkaEventPublisher producer = new KafkaEventPublisher(KafkaEventPublisher.producerConfig(bootstrap, "outage-test",
                    KafkaEventPublisher.DEFAULT_DELIVERY_TIMEOUT, SLOW_RECONNECT), TOPICS.events(), KafkaEventPublisher.DEFAULT_DELIVERY_TIMEOUT);
                 DetectorService detector = new DetectorService(Live.detectorSettings(bootstrap, KafkaClientConfig.NONE, TOPICS, APP_ID,
                         tmp.resolve("detector"), 1, Live.Timing.forSpeed(1)), config);
                 FailoverTest.AlertWatch alerts = new FailoverTest.AlertWatch(bootstrap)) {
                detector.start();
                TestCluster.await("the detector runs", Duration.ofSeconds(60), detector::isRunning);
                CallEvent hb = CallEvent.heartbeat(now(), "scheduler");
                producer.publishHeartbeat(hb);
                sent.add(hb);

                double outage = 0;
                int sentWhileDown = 0;
                Instant outageDeadline = null;
                for (int round = 0; round < 3; round++) {
                    Instant slot = first.plus(PERIOD.multipliedBy(round));
                    Instant deadline = slot.plus(ANSWER_WITHIN);
                    waitUntil(slot.plusSeconds(1));
                    for (var c : rank.entrySet()) {
                        if (c.getValue() < 2) {
                            send(producer, CallEvent.of(c.getKey(), EventKind.CALL_PLACED, now(), slot), sent);
                        }
                    }
                    long stopped = 0;
                    if (round == 1) {
                        waitUntil(slot.plus(STOP_AFTER_SLOT));
                        stopped = System.nanoTime();
                        broker.shutdown();
                        broker.awaitShutdown();
                    }
                    waitUntil(slot.plusSeconds(5));
                    for (var c : rank.entrySet()) {
                        if (c.getValue() < 2) {
                            boolean answers = c.getValue() == 0 || round > 0;
                            send(producer, CallEvent.of(c.getKey(), answers ? EventKind.ANSWERED : EventKind.NO_ANSWER,
                                    now(), slot), sent);
                            if (round == 1) {
                                sentWhileDown++;
                            }
                        }
                    }
                    if (round == 1) {
                        outageDeadline = deadline;
                        waitUntil(deadline.plus(BACK_AFTER_DEADLINE));
                        broker.startup();
                        outage = (System.nanoTime() - stopped) / 1e9;
                    }
                }
                assertThat(producer.flush(Duration.ofSeconds(60))).as("every event delivered").isTrue();
                assertThat(producer.failed()).as("no event given up").isZero();
                Instant end = first.plus(PERIOD.multipliedBy(2)).plus(ANSWER_WITHIN).plusMillis(1);
                assertThat(Instant.now()).as("the three rounds ran on time").isBefore(end);
                waitUntil(end.plus(PERIOD.minus(ANSWER_WITHIN)).minusSeconds(2)); // before the next slot's deadline
                alerts.drain();
                List<String> seen = alerts.values().stream().filter(v -> AlertCodec.fromJson(v).at().isBefore(end)).toList();
                List<String> expected = FailoverTest.replay(config, sent, end);
                List<String> refused = TestCluster.readAll(bootstrap, TOPICS.rejects()).stream().map(FailoverTest::describe)
                        .toList();
                List<String> falseAlerts = seen.stream().filter(s -> !expected.contains(s)).toList();
                List<String> lost = expected.stream().filter(s -> !seen.contains(s)).toList();
                int duplicates = seen.size() - (int) seen.stream().distinct().count();
                Instant acrossOutage = outageDeadline;
                long duringOutage = expected.stream().filter(v -> AlertCodec.fromJson(v).at().equals(acrossOutage)).count();
                System.out.printf("broker outage: broker down %.1f s across a deadline; %d events sent while it was down;"
                                + " alerts expected %d (%d at the deadline it spanned), seen %d, false %d, lost %d, duplicates %d;"
                                + " refused %d%n", outage, sentWhileDown, expected.size(), duringOutage, seen.size(),
                        falseAlerts.size(), lost.size(), duplicates, refused.size());

                System.out.println("false: " + falseAlerts + "\nlost: " + lost + "\nrefused: " + refused);
                assertThat(expected).as("the events raise misses, downs, restorations and unplaced slots")
                        .anyMatch(s -> s.contains("SLOT_MISSED")).anyMatch(s -> s.contains("CHANNEL_DOWN"))
                        .anyMatch(s -> s.contains("CHANNEL_RESTORED")).anyMatch(s -> s.contains("CALL_NOT_PLACED"));
                assertThat(refused).as("no event refused").isEmpty();
                assertThat(falseAlerts).as("no false alert").isEmpty();
                assertThat(lost).as("no lost alert").isEmpty();
                assertThat(duplicates).as("each alert once").isZero();
            }
        } finally {
            cluster.close();
        }
    }

    private static void send(KafkaEventPublisher producer, CallEvent e, List<CallEvent> sent) {
        producer.publish(e);
        sent.add(e);
    }

    /** The first slot at or after {@code t}, on the {@link FailoverTest#PERIOD} grid. */
    private static Instant nextSlot(Instant t) {
        long period = PERIOD.toMillis();
        return Instant.ofEpochMilli((t.toEpochMilli() + period - 1) / period * period);
    }
}
