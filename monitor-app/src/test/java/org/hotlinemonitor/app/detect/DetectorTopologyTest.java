package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.detect.Harness.event;
import static org.hotlinemonitor.app.detect.Harness.header;
import static org.hotlinemonitor.app.detect.Harness.heartbeat;
import static org.hotlinemonitor.app.detect.Harness.utf8;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector topology's rules, in a TopologyTestDriver on a clock moved by hand. */
class DetectorTopologyTest {

    /** 09:00 and 16:00 in Seoul are 00:00Z and 07:00Z. */
    static final String CHANNELS = Harness.TWO_CHANNELS;
    static final Duration LATENESS = Duration.ofMillis(500);
    static final Instant START = Instant.parse("2023-04-06T23:50:00Z");
    static final Instant SLOT1 = Instant.parse("2023-04-07T00:00:00Z");
    static final Instant SLOT2 = Instant.parse("2023-04-07T07:00:00Z");

    @TempDir
    Path stateDir;



    static String json(Alert a) {
        return AlertCodec.toJson(a);
    }

    /** Sends an event at the clock's time {@code at}: it arrives then (within the lateness of its time, or it is late). */
    static void sendAt(Harness h, Instant at, String key, String json) {
        h.clock.set(at);
        h.send(key, json);
    }

    @Test
    void missedSlotsThenDownThenRestoredAndASilentChannelIsNotPlacedByTheClock() {
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            sendAt(h, START, "scheduler", heartbeat("2023-04-06T23:50:00Z"));
            h.tick(START.plusSeconds(1)); // the task starts at the heartbeat

            sendAt(h, SLOT1.plusMillis(1100), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T00:00:01Z", "2023-04-07T00:00:00Z"));
            sendAt(h, SLOT1.plusMillis(59_100), "east-coast", event("east-coast", "NO_ANSWER", "2023-04-07T00:00:59Z", "2023-04-07T00:00:00Z"));
            h.tick(Instant.parse("2023-04-07T01:00:00.400Z"));
            assertThat(h.alerts()).as("the watermark (clock - 0.5 s) has not passed the deadline yet").isEmpty();

            Instant decided = Instant.parse("2023-04-07T01:00:00.600Z");
            h.tick(decided);
            Instant deadline1 = SLOT1.plus(Duration.ofHours(1));
            List<TestRecord<String, String>> first = h.alertRecords();
            assertThat(first).extracting(TestRecord::value).containsExactly(
                    json(Alert.slotMissed("east-coast", SLOT1, deadline1, MissCause.NO_ANSWER)),
                    json(Alert.callNotPlaced("ship", SLOT1, deadline1)));
            assertThat(first).extracting(TestRecord::key).containsExactly("east-coast", "ship");
            assertThat(first).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(decided.toEpochMilli()));

            sendAt(h, SLOT2.plusMillis(1100), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T07:00:01Z", null));
            sendAt(h, SLOT2.plusMillis(30_100), "east-coast", event("east-coast", "LINE_FAULT", "2023-04-07T07:00:30Z", null));
            h.tick(Instant.parse("2023-04-07T08:00:01Z"));
            Instant deadline2 = SLOT2.plus(Duration.ofHours(1));
            assertThat(h.alerts()).containsExactly(
                    json(Alert.slotMissed("east-coast", SLOT2, deadline2, MissCause.LINE_FAULT)),
                    json(Alert.channelDown("east-coast", SLOT1, deadline2, 2)));

            Instant answer = Instant.parse("2023-04-07T09:30:00Z");
            sendAt(h, answer, "east-coast", event("east-coast", "ANSWERED", "2023-04-07T09:30:00Z", null));
            assertThat(h.alerts()).as("held until the watermark passes it").isEmpty();
            h.tick(answer.plusSeconds(1));
            assertThat(h.alerts()).containsExactly(json(Alert.channelRestored("east-coast", SLOT1, answer, 2)));
            assertThat(h.rejects.total()).isZero();
        }
    }

    @Test
    void eachCommitHandsItsDecidedSlotsAndSentAlertsToTheViewsDecisions() {
        List<String> heard = new java.util.ArrayList<>();
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            h.view.decisions(new DetectorView.Decisions() {
                @Override
                public void decided(String[] channels, long[] slots, byte[] verdicts, byte[] causes, int count) {
                    for (int i = 0; i < count; i++) {
                        heard.add(channels[i] + " " + Instant.ofEpochMilli(slots[i]) + " "
                                + org.hotlinemonitor.core.detect.Verdict.values()[verdicts[i]]
                                + (causes[i] < 0 ? "" : " " + MissCause.values()[causes[i]]));
                    }
                }

                @Override
                public void sent(List<Alert> alerts) {
                    alerts.forEach(a -> heard.add(a.type() + " " + a.channel()));
                }
            });
            sendAt(h, START, "scheduler", heartbeat("2023-04-06T23:50:00Z"));
            h.tick(START.plusSeconds(1));
            sendAt(h, SLOT1.plusMillis(1100), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T00:00:01Z", "2023-04-07T00:00:00Z"));
            sendAt(h, SLOT1.plusMillis(59_100), "east-coast", event("east-coast", "NO_ANSWER", "2023-04-07T00:00:59Z", "2023-04-07T00:00:00Z"));
            h.tick(Instant.parse("2023-04-07T01:00:00.600Z"));
            assertThat(heard).containsExactly(
                    "east-coast 2023-04-07T00:00:00Z MISSED NO_ANSWER",
                    "ship 2023-04-07T00:00:00Z NOT_PLACED",
                    "SLOT_MISSED east-coast", "CALL_NOT_PLACED ship");
            heard.clear();
            sendAt(h, SLOT2.plusMillis(1100), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T07:00:01Z", null));
            sendAt(h, SLOT2.plusMillis(30_100), "east-coast", event("east-coast", "LINE_FAULT", "2023-04-07T07:00:30Z", null));
            h.tick(Instant.parse("2023-04-07T08:00:01Z"));
            assertThat(heard).containsExactly("east-coast 2023-04-07T07:00:00Z MISSED LINE_FAULT",
                    "SLOT_MISSED east-coast", "CHANNEL_DOWN east-coast");
            heard.clear();
            h.tick(Instant.parse("2023-04-07T08:00:02Z"));
            assertThat(heard).as("nothing decided, nothing heard: each slot and alert once").isEmpty();
        }
    }

    @Test
    void anEventAheadOfTheClockWaitsForTheClockAndMovesTimeForNoOne() {
        try (Harness h = new Harness(CHANNELS, LATENESS, SLOT1.plusSeconds(3590), stateDir)) {
            // The clock says 00:59:50; a producer whose clock is 8 s fast stamps its event 00:59:58, within the skew.
            h.send("scheduler", heartbeat("2023-04-07T00:59:50Z"));
            h.send("east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T00:59:51Z", "2023-04-07T00:00:00Z"));
            h.send("east-coast", event("east-coast", "ANSWERED", "2023-04-07T00:59:58Z", "2023-04-07T00:00:00Z"));
            // One 40 s ahead: beyond the maximum skew, refused; it moves time for no one.
            h.send("scheduler", heartbeat("2023-04-07T01:00:30Z"));
            assertThat(h.rejects()).extracting(r -> header(r, DeadLetters.REASON)).containsExactly("beyond-until");
            h.tick(SLOT1.plusSeconds(3599));
            assertThat(h.alerts()).as("the deadline at 01:00 is the clock's to pass, not the events'").isEmpty();
            h.tick(SLOT1.plusSeconds(3601));
            Instant deadline1 = SLOT1.plus(Duration.ofHours(1));
            assertThat(h.alerts()).as("the answer 8 s ahead counted once the clock reached it")
                    .containsExactly(json(Alert.callNotPlaced("ship", SLOT1, deadline1)));
        }
    }

    @Test
    void duringABrokerOutageTheClockDecidesNothingAndTheEventsKeptMeanwhileCount() {
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            sendAt(h, START, "scheduler", heartbeat("2023-04-06T23:50:00Z"));
            sendAt(h, SLOT1.plusSeconds(60), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T00:01:00Z", null));
            sendAt(h, SLOT1.plusSeconds(61), "ship", event("ship", "CALL_PLACED", "2023-04-07T00:01:01Z", null));
            // The broker stops answering at 00:59:30; the answer given at 00:59:40 waits in its producer.
            h.outageFrom.set(SLOT1.plusSeconds(3570).toEpochMilli());
            h.tick(SLOT1.plusSeconds(3700));
            assertThat(h.alerts()).as("the clock passed the deadline (01:00) during the outage: nothing decided").isEmpty();
            // A fresh heartbeat from a producer that reconnected first moves time no further than the outage's start.
            sendAt(h, SLOT1.plusSeconds(3702), "scheduler", heartbeat("2023-04-07T01:01:42Z"));
            assertThat(h.alerts()).isEmpty();
            // The kept answer arrives at 01:01:45, 105 s after its time: its slot is undecided, so it counts.
            sendAt(h, SLOT1.plusSeconds(3705), "east-coast", event("east-coast", "ANSWERED", "2023-04-07T00:59:40Z", null));
            assertThat(h.rejects()).isEmpty();
            h.outageFrom.set(Long.MAX_VALUE); // the grace after the outage is over
            h.tick(SLOT1.plusSeconds(3710));
            Instant deadline1 = SLOT1.plus(Duration.ofHours(1));
            assertThat(h.alerts()).as("the deadline decided after the outage, with the answer in, stamped at the deadline")
                    .containsExactly(json(Alert.slotMissed("ship", SLOT1, deadline1, MissCause.NO_ANSWER)));
        }
    }

    @Test
    void anEventDelayedInTransitIsJudgedByItsSlotsWindowNotByHowLongItTravelled() {
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            sendAt(h, START, "scheduler", heartbeat("2023-04-06T23:50:00Z"));
            h.tick(START.plusSeconds(5));
            // A `record` run from a laptop: stamped at 00:10:00, it reaches the detector 3 s later (lateness 0.5 s).
            sendAt(h, SLOT1.plusSeconds(603), "east-coast", event("east-coast", "ANSWERED", "2023-04-07T00:10:00Z", null));
            // Another, 50 minutes on the way (a broker outage): its slot's deadline (01:00) is still ahead.
            sendAt(h, SLOT1.plusSeconds(3500), "ship", event("ship", "CALL_PLACED", "2023-04-07T00:01:40Z", null));
            assertThat(h.rejects()).isEmpty();
            h.tick(SLOT1.plusSeconds(3601));
            Instant deadline1 = SLOT1.plus(Duration.ofHours(1));
            assertThat(h.alerts()).as("placed, so the far side's miss; not our CALL_NOT_PLACED")
                    .containsExactly(json(Alert.slotMissed("ship", SLOT1, deadline1, MissCause.NO_ANSWER)));
            // An answer for slot 1 that comes after its deadline was decided (deadline + lateness): late, and says why.
            sendAt(h, SLOT1.plusSeconds(3700), "ship", event("ship", "ANSWERED", "2023-04-07T00:59:00Z", null));
            List<TestRecord<byte[], byte[]>> rejects = h.rejects();
            assertThat(rejects).extracting(r -> header(r, DeadLetters.REASON)).containsExactly("late");
            assertThat(header(rejects.get(0), DeadLetters.MESSAGE)).contains("channel 'ship' had moved past it");
            assertThat(h.alerts()).isEmpty();
        }
    }

    @Test
    void aBacklogIsJudgedByEventTimeThenTheClockTakesOverWhenCaughtUp() {
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            // Back two hours after the deadline, the detector reads what was written meanwhile: the clock is far
            // ahead of these records, but they were not late when written, so they count.
            Instant back = SLOT1.plus(Duration.ofHours(2));
            h.clock.set(back);
            h.sendWritten("scheduler", heartbeat("2023-04-06T23:50:00Z"), START);
            h.sendWritten("east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T00:00:01Z", null), SLOT1.plusSeconds(1));
            h.sendWritten("east-coast", event("east-coast", "ANSWERED", "2023-04-07T00:00:30Z", null), SLOT1.plusSeconds(30));
            h.sendWritten("scheduler", heartbeat("2023-04-07T00:01:00Z"), SLOT1.plusSeconds(60));
            h.tick(back.plusSeconds(1));
            assertThat(h.alerts()).as("still catching up: only event time counts").isEmpty();

            h.tick(back.plusSeconds(2)); // nothing more for the backlog threshold: caught up, the clock counts
            Instant deadline1 = SLOT1.plus(Duration.ofHours(1));
            assertThat(h.alerts()).containsExactly(json(Alert.callNotPlaced("ship", SLOT1, deadline1)));
            assertThat(h.rejects.total()).isZero();

            h.send("east-coast", event("east-coast", "ANSWERED", "2023-04-07T01:59:00Z", null));
            assertThat(h.rejects()).as("a minute behind the clock, but nothing of its channel happened since: taken")
                    .isEmpty();
            assertThat(h.rejects.total()).isZero();
        }
    }

    @Test
    void eventsOutOfOrderWithinTheLatenessAreAppliedInEventTimeOrder() {
        try (Harness h = new Harness(CHANNELS, Duration.ofSeconds(30), START, stateDir)) {
            sendAt(h, START, "scheduler", heartbeat("2023-04-06T23:50:00Z"));
            // The answer at the deadline arrives after a heartbeat 20 s past the deadline: still in time.
            Instant deadline1 = SLOT1.plus(Duration.ofHours(1));
            sendAt(h, deadline1.plusSeconds(20), "scheduler", heartbeat("2023-04-07T01:00:20Z"));
            sendAt(h, deadline1.plusSeconds(21), "east-coast", event("east-coast", "ANSWERED", "2023-04-07T01:00:00Z", "2023-04-07T00:00:00Z"));
            h.tick(deadline1.plusSeconds(40));
            assertThat(h.alerts()).containsExactly(json(Alert.callNotPlaced("ship", SLOT1, deadline1)));
            KeyValueStore<String, StoredChannel> store = h.driver.getKeyValueStore(DetectorTopology.CHANNEL_STORE);
            assertThat(store.get("east-coast").state().status()).isEqualTo(ChannelStatus.UP);

            // What other threads (metrics, the HTTP API) read: the committed states, the watermark and the counts.
            assertThat(h.view.channels()).containsOnlyKeys("east-coast", "ship");
            assertThat(h.view.channel("east-coast")).contains(store.get("east-coast").state());
            assertThat(h.view.channel("ship").orElseThrow().cursorInstant()).as("its first slot decided")
                    .isAfter(SLOT1);
            assertThat(h.view.watermarks()).containsEntry(0, deadline1.plusSeconds(10).toEpochMilli());
            assertThat(h.view.events()).containsEntry(EventKind.HEARTBEAT, 2L).containsEntry(EventKind.ANSWERED, 1L)
                    .containsEntry(EventKind.CALL_PLACED, 0L);
            assertThat(h.view.alerts()).containsEntry(AlertType.CALL_NOT_PLACED, 1L).containsEntry(AlertType.SLOT_MISSED, 0L);
        }
    }

    @Test
    void badRecordsGoToTheRejectsWithTheirBytesAndOriginAndTheStreamKeepsGoing() {
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            sendAt(h, START, "scheduler", heartbeat("2023-04-06T23:50:00Z")); // offset 0
            h.tick(START.plusSeconds(10));

            String notJson = "{\"channel\":\"east-coast\",\"kind\":";
            RecordHeaders traced = new RecordHeaders();
            traced.add("trace-id", utf8("abc-1"));
            h.send(utf8("east-coast"), utf8(notJson), traced); // 1
            String badKind = event("east-coast", "ANSWER", "2023-04-06T23:50:09Z", null);
            h.send("east-coast", badKind); // 2
            String unknown = event("west-coast", "ANSWERED", "2023-04-06T23:50:09Z", null);
            h.send("west-coast", unknown); // 3
            String notASlot = event("east-coast", "CALL_PLACED", "2023-04-06T23:50:09Z", "2023-04-07T00:30:00Z");
            h.send("east-coast", notASlot); // 4
            String tooEarly = event("east-coast", "CALL_PLACED", "2023-04-06T22:50:09Z", "2023-04-07T00:00:00Z");
            h.send("east-coast", tooEarly); // 5
            String late = event("east-coast", "CALL_PLACED", "2023-04-06T23:49:59Z", null);
            h.send("east-coast", late); // 6: before the task started (23:50:00), and the watermark is 23:50:09.5
            String ahead = event("east-coast", "CALL_PLACED", "2023-04-06T23:52:00Z", null);
            h.send("east-coast", ahead); // 7: the clock says 23:50:10
            h.send((byte[]) null, null, new RecordHeaders()); // 8: no value

            List<TestRecord<byte[], byte[]>> rejects = h.rejects();
            assertThat(rejects).extracting(r -> header(r, DeadLetters.REASON)).containsExactly(
                    "malformed", "invalid-field", "unknown-channel", "not-a-slot", "too-early", "late", "beyond-until",
                    "malformed");
            assertThat(rejects).extracting(r -> r.value() == null ? null : new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                    .containsExactly(notJson, badKind, unknown, notASlot, tooEarly, late, ahead, null);
            assertThat(rejects).extracting(r -> header(r, DeadLetters.OFFSET))
                    .containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
            assertThat(rejects).allSatisfy(r -> {
                assertThat(header(r, DeadLetters.TOPIC)).isEqualTo("hotline.events");
                assertThat(header(r, DeadLetters.PARTITION)).isEqualTo("0");
                assertThat(header(r, DeadLetters.MESSAGE)).isNotBlank();
            });
            assertThat(rejects.get(0).key()).isEqualTo(utf8("east-coast"));
            assertThat(header(rejects.get(0), "trace-id")).as("original headers kept").isEqualTo("abc-1");
            assertThat(header(rejects.get(1), DeadLetters.FIELD)).isEqualTo("kind");
            assertThat(header(rejects.get(5), DeadLetters.MESSAGE)).contains("had moved past it")
                    .contains("2023-04-06T23:50:09.500Z");
            assertThat(rejects.get(5).timestamp()).isEqualTo(START.plusSeconds(10).toEpochMilli());
            assertThat(header(rejects.get(6), DeadLetters.MESSAGE)).contains("is after 2023-04-06T23:50:20Z, the latest event time"
                    + " taken (replay: --until; live: the detector's clock plus the maximum clock skew)");
            assertThat(h.rejects.snapshot()).isEqualTo(Map.of("malformed", 2L, "invalid-field", 1L,
                    "unknown-channel", 1L, "not-a-slot", 1L, "too-early", 1L, "late", 1L, "beyond-until", 1L));

            // ... and the stream goes on.
            sendAt(h, SLOT1.plusMillis(1100), "east-coast", event("east-coast", "CALL_PLACED", "2023-04-07T00:00:01Z", null));
            h.tick(SLOT1.plus(Duration.ofHours(1)).plusSeconds(1));
            assertThat(h.alerts()).hasSize(2).first().asString().contains("\"type\":\"SLOT_MISSED\"");
        }
    }

    @Test
    void aTaskOwnsOnlyTheChannelsOfItsPartitionAndRefusesEventsOfOthers() {
        // TopologyTestDriver reads partition 0; declare 2 partitions and find a channel of each.
        String mine = null;
        String other = null;
        for (int i = 0; mine == null || other == null; i++) {
            String id = "line-" + i;
            if (ChannelPartitions.partitionOf(id, 2) == 0) {
                mine = mine == null ? id : mine;
            } else {
                other = other == null ? id : other;
            }
        }
        String yaml = """
                channels:
                  - {id: %s, zone: UTC, checks: ['09:00']}
                  - {id: %s, zone: UTC, checks: ['09:00']}
                """.formatted(mine, other);
        Instant start = Instant.parse("2023-04-07T08:00:00Z");
        try (Harness h = new Harness(Harness.config(yaml), LATENESS, DetectorTopology.Options.defaults(2), start, stateDir)) {
            sendAt(h, start, other, event(other, "CALL_PLACED", "2023-04-07T08:00:00Z", null));
            List<TestRecord<byte[], byte[]>> rejects = h.rejects();
            assertThat(rejects).extracting(r -> header(r, DeadLetters.REASON)).containsExactly("wrong-partition");
            assertThat(header(rejects.get(0), DeadLetters.MESSAGE)).contains("belongs to partition 1 of 2");

            h.tick(start.plus(Duration.ofHours(3)));
            h.tick(start.plus(Duration.ofHours(3)).plusSeconds(1));
            assertThat(h.alerts()).as("only the owned channel is advanced by this task").containsExactly(
                    json(Alert.callNotPlaced(mine, Instant.parse("2023-04-07T09:00:00Z"), Instant.parse("2023-04-07T10:00:00Z"))));
        }
    }

    @Test
    void theLastHeartbeatsSourceIsSavedWithOurSidesStateForARestart() {
        try (Harness h = new Harness(CHANNELS, LATENESS, START, stateDir)) {
            KeyValueStore<String, Long> task = h.driver.getKeyValueStore(DetectorTopology.TASK_STORE);
            sendAt(h, START, "scheduler", heartbeat(START));
            h.tick(START.plusSeconds(1));
            assertThat(task.get(DetectorProcessor.META_LAST_HEARTBEAT_SOURCE + "scheduler")).isEqualTo(START.toEpochMilli());

            Instant next = START.plusSeconds(10);
            sendAt(h, next, "backup", "{\"kind\":\"HEARTBEAT\",\"ts\":\"" + next + "\",\"source\":\"backup\"}");
            h.tick(next.plusSeconds(1));
            assertThat(task.get(DetectorProcessor.META_LAST_HEARTBEAT_SOURCE + "backup")).isEqualTo(next.toEpochMilli());
            assertThat(task.get(DetectorProcessor.META_LAST_HEARTBEAT_SOURCE + "scheduler")).as("one such key at most").isNull();
            assertThat(task.get(DetectorProcessor.META_LAST_HEARTBEAT)).isEqualTo(next.toEpochMilli());
        }
    }
}
