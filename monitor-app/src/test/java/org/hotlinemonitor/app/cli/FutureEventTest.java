package org.hotlinemonitor.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.calls.OperatorRecord;
import org.hotlinemonitor.app.cli.CliTest.Result;
import org.hotlinemonitor.app.detect.DeadLetters;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One event stamped 60 s ahead of the clock, in a steady stream, on a real broker with a detector on the real clock
 * and the settings of {@code detect} (allowed lateness 0.5 s, maximum clock skew 10 s). Six channels on two partitions
 * of the events topic, three slots {@link #PERIOD} apart with a {@link #ANSWER_WITHIN} answer window; heartbeats every
 * second; on each partition one channel answers every call, one misses the second call, one is never called. The
 * event from the future is what {@code record --answered --at <now + 60 s>} would have produced had it not checked
 * {@code --at}, sent with a Kafka producer in the second slot, between its calls and their outcomes, keyed by a channel
 * that shares its partition with two others: every later event of that partition reaches the detector after it.
 *
 * <p>What each assertion guards:
 * <ul>
 *   <li>the +60 s event is in the dead letters with reason {@code beyond-until}, and counted: the detector's refusal of
 *       events more than the maximum skew ahead of its clock. Without it the event is neither refused nor applied
 *       while the test runs;</li>
 *   <li>the alerts topic, read {@code read_committed}, holds exactly what core's replay computes from the other events,
 *       each once (0 false, 0 lost), and no other event is refused: the event moved time for no one. Had it moved the
 *       partition's watermark to its own time (the behaviour before the fix, or the refusal removed together with the
 *       bound that keeps a waiting event's time at most the clock's), the second and third slots of its partition
 *       would have been decided at once (false {@code CALL_NOT_PLACED} for the calls placed after, false
 *       {@code SLOT_MISSED} for the answers) and every later event of the partition refused as late;</li>
 *   <li>{@code record --at <now + 60 s>} exits with 3 (bad input) and a message naming {@code --at}, the time and the
 *       allowed skew, and writes nothing to the events topic: {@link OperatorRecord#FUTURE_TOLERANCE} checked before
 *       Kafka.</li>
 * </ul>
 */
@org.junit.jupiter.api.Tag("integration")
class FutureEventTest {

    static final int PARTITIONS = 2;
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(4);
    static final Duration PERIOD = Duration.ofSeconds(6);
    static final int SLOTS = 3;
    static final Duration START_MARGIN = Duration.ofSeconds(6);
    static final Duration AHEAD = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** One thing the test sends at a given time. */
    record Step(Instant at, Runnable send) {
    }

    @Test
    void anEventAMinuteAheadIsRefusedAndMovesTimeForNoOne() throws Exception {
        long started = System.nanoTime();
        try (LiveRun run = new LiveRun(tmp, PARTITIONS);
             KafkaProducer<String, String> producer = FailoverTest.producer(run.bootstrap)) {
            Map<String, Integer> rank = channels();
            Instant first = LiveRun.secondsFromNow(START_MARGIN);
            List<Instant> slots = LiveRun.slots(first, PERIOD, SLOTS);
            Instant lastDeadline = slots.get(SLOTS - 1).plus(ANSWER_WITHIN);
            Path channelFile = run.channelFile(LiveRun.channelsYaml(rank.keySet(), slots, ANSWER_WITHIN, ""));
            MonitorConfig config = Live.loadChannels(channelFile);
            // The channel of partition 0 that misses its second call sends the event from the future.
            String fast = rank.entrySet().stream().filter(e -> e.getValue() == 1
                    && ChannelPartitions.partitionOf(e.getKey(), PARTITIONS) == 0).findFirst().orElseThrow().getKey();
            CallEvent[] future = new CallEvent[1];
            RecordMetadata[] futureAt = new RecordMetadata[1];

            List<Step> steps = new ArrayList<>();
            for (Instant t = Instant.now().plusSeconds(1); t.isBefore(lastDeadline.plusSeconds(1)); t = t.plusSeconds(1)) {
                steps.add(new Step(t, () -> heartbeats(producer)));
            }
            for (int k = 0; k < SLOTS; k++) {
                Instant slot = slots.get(k);
                int round = k;
                for (var c : rank.entrySet()) {
                    if (c.getValue() < 2) {
                        steps.add(new Step(slot.plusMillis(300), () -> send(producer,
                                CallEvent.of(c.getKey(), EventKind.CALL_PLACED, FailoverTest.now(), slot))));
                        boolean answers = c.getValue() == 0 || round != 1;
                        steps.add(new Step(slot.plusMillis(1500), () -> send(producer, CallEvent.of(c.getKey(),
                                answers ? EventKind.ANSWERED : EventKind.NO_ANSWER, FailoverTest.now(), slot))));
                    }
                }
            }
            steps.add(new Step(slots.get(1).plusMillis(800), () -> {
                Instant at = FailoverTest.now().plus(AHEAD);
                try {
                    // What record printed before it checked --at: its own check is bypassed by giving it "now" = at.
                    future[0] = OperatorRecord.build(config, fast, EventKind.ANSWERED, at, null, null, "operator", at).event();
                } catch (OperatorRecord.InvalidRecord e) {
                    throw new AssertionError(e);
                }
                futureAt[0] = send(producer, future[0]);
            }));
            steps.sort(Comparator.comparing(Step::at));

            DetectorService detector = run.startDetector(channelFile);
            assertThat(Instant.now()).as("the detector runs before the first slot").isBefore(first);
            for (Step s : steps) {
                FailoverTest.waitUntil(s.at());
                s.send().run();
            }
            FailoverTest.waitUntil(lastDeadline.plusSeconds(1));

            List<CallEvent> others = run.events().stream().filter(e -> !e.equals(future[0])).toList();
            Instant until = others.get(others.size() - 1).ts();
            if (until.isBefore(lastDeadline.plusSeconds(1))) {
                until = lastDeadline.plusSeconds(1);
            }
            List<String> expected = FailoverTest.replay(config, others, until);
            List<String> seen = run.awaitAlerts(expected);
            List<ConsumerRecord<String, String>> deadLetters = TestCluster.readAll(run.bootstrap, LiveRun.TOPICS.rejects());
            long afterIt = TestCluster.readAll(run.bootstrap, LiveRun.TOPICS.events()).stream()
                    .filter(r -> r.partition() == futureAt[0].partition() && r.offset() > futureAt[0].offset()).count();
            List<String> falseAlerts = RecordRoundTripTest.minus(seen, expected);
            List<String> lost = RecordRoundTripTest.minus(expected, seen);

            // record --at <now + 60 s>: refused before Kafka.
            int before = TestCluster.readAll(run.bootstrap, LiveRun.TOPICS.events()).size();
            Instant tooLate = Instant.now().plus(AHEAD).truncatedTo(ChronoUnit.SECONDS);
            Result record = CliTest.run("record", "--bootstrap-servers", run.bootstrap, "--channels", channelFile.toString(),
                    "--channel", fast, "--answered", "--at", tooLate.toString());
            int written = TestCluster.readAll(run.bootstrap, LiveRun.TOPICS.events()).size() - before;

            String futureJson = EventWriter.toJson(future[0]);
            List<String> itsRefusal = deadLetters.stream().filter(r -> r.value().equals(futureJson)).map(FutureEventTest::reason)
                    .toList();
            long othersRefused = deadLetters.stream().filter(r -> !r.value().equals(futureJson)).count();
            System.out.printf("future event: the event stamped +%d s refused as %s; %d other events (%d after it on its"
                            + " partition), %d of them refused; alerts expected %d, seen %d, false %d, lost %d; record --at +%d s:"
                            + " exit %d, %d records written (%.1f s)%n", AHEAD.toSeconds(), itsRefusal, others.size(), afterIt,
                    othersRefused, expected.size(), seen.size(), falseAlerts.size(), lost.size(), AHEAD.toSeconds(), record.code(),
                    written, (System.nanoTime() - started) / 1e9);

            assertThat(falseAlerts).as("false alerts").isEmpty();
            assertThat(lost).as("lost alerts").isEmpty();
            assertThat(seen).as("every expected alert, each exactly once").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(deadLetters).as("the +60 s event and nothing else refused").hasSize(1);
            assertThat(deadLetters.get(0).value()).isEqualTo(futureJson);
            assertThat(reason(deadLetters.get(0))).isEqualTo(Rejection.BEYOND_UNTIL);
            assertThat(new String(deadLetters.get(0).headers().lastHeader(DeadLetters.MESSAGE).value(), StandardCharsets.UTF_8))
                    .contains("the latest event time taken (replay: --until; live: the detector's clock plus the maximum clock"
                            + " skew)");
            assertThat(detector.rejects().snapshot()).isEqualTo(Map.of(Rejection.BEYOND_UNTIL, 1L));
            assertThat(afterIt).as("the partition's stream went on after it").isGreaterThanOrEqualTo(SLOTS * 2L);
            assertThat(expected).as("the replay raises misses and unplaced slots, on the partition of the +60 s event too")
                    .map(AlertCodec::fromJson)
                    .anyMatch(a -> a.type() == AlertType.SLOT_MISSED && a.channel().equals(fast))
                    .anyMatch(a -> a.type() == AlertType.CALL_NOT_PLACED);

            assertThat(record.code()).as(record.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(record.err()).contains("--at: " + tooLate, "is in the future", "at most 10 s of clock skew");
            assertThat(record.out()).isEmpty();
            assertThat(written).as("record wrote nothing").isZero();
        }
    }

    /** Three channels on each partition, each with its rank there (0: answers, 1: misses the second call, 2: never called). */
    static Map<String, Integer> channels() {
        Map<String, Integer> rank = new LinkedHashMap<>();
        int[] count = new int[PARTITIONS];
        for (int i = 0; rank.size() < PARTITIONS * 3; i++) {
            String id = "line-" + i;
            int p = ChannelPartitions.partitionOf(id, PARTITIONS);
            if (count[p] < 3) {
                rank.put(id, count[p]++);
            }
        }
        return rank;
    }

    private static void heartbeats(KafkaProducer<String, String> producer) {
        Instant at = FailoverTest.now();
        String hb = EventWriter.toJson(CallEvent.heartbeat(at, "scheduler"));
        try {
            for (int p = 0; p < PARTITIONS; p++) {
                producer.send(new ProducerRecord<>(LiveRun.TOPICS.events(), p, at.toEpochMilli(), "scheduler", hb)).get();
            }
        } catch (Exception e) {
            throw new AssertionError("could not send a heartbeat", e);
        }
    }

    /** Sends {@code e} keyed by its channel, its time as the record's timestamp (as a producer with that clock would). */
    private static RecordMetadata send(KafkaProducer<String, String> producer, CallEvent e) {
        try {
            return producer.send(new ProducerRecord<>(LiveRun.TOPICS.events(), null, e.ts().toEpochMilli(), e.channel(),
                    EventWriter.toJson(e))).get();
        } catch (Exception x) {
            throw new AssertionError("could not send " + e, x);
        }
    }

    private static String reason(ConsumerRecord<String, String> r) {
        return new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
    }
}
