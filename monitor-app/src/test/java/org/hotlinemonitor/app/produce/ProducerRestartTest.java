package org.hotlinemonitor.app.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.calls.ClockTimer;
import org.hotlinemonitor.app.calls.ManualTime;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.calls.RetryPolicy;
import org.hotlinemonitor.app.calls.SimulationScript;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The restart rule against a real broker: a producer stopped mid-run and restarted reads back its own
 * events, places no slot twice, and deals with every slot that fell due while it was down (late if
 * its window is still open, reported not placed if it closed).
 */
@org.junit.jupiter.api.Tag("integration")
public class ProducerRestartTest {

    static final String TOPIC = "restart.events";
    static final String SOURCE = "producer-it";
    static KafkaClusterTestKit cluster;

    /** Two channels calling every hour on the hour, UTC, answered within 30 minutes. */
    static final MonitorConfig CONFIG = new MonitorConfig(List.of(hourly("alpha"), hourly("bravo")));

    /** The far side takes exactly two minutes to answer, so that a stop can catch a call in flight. */
    static final SimulationScript SLOW = new SimulationScript(1, Duration.ofMinutes(2), Duration.ofMinutes(2), 0.0,
            Duration.ofMinutes(1), Duration.ofSeconds(5), List.of());

    static Channel hourly(String id) {
        List<LocalTime> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(LocalTime.of(h, 0));
        }
        return new Channel(id, null, Schedule.of(ZoneId.of("UTC"), hours, DayRule.everyDay(), "hourly"), Duration.ofMinutes(30), 2);
    }

    @BeforeAll
    static void cluster() throws Exception {
        cluster = TestCluster.start(1);
        TestCluster.createTopic(cluster, TOPIC, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    MutableClock clock = MutableClock.at("2023-04-07T00:00:00Z");

    SchedulerService.Settings settings() {
        return SchedulerService.Settings.of(cluster.bootstrapServers(), CONFIG, SOURCE, new PlacerSettings.Simulated(SLOW))
                .withTopic(TOPIC).withRetry(RetryPolicy.DEFAULT).withHeartbeatEvery(Duration.ofMinutes(10))
                .withRestartLookback(Duration.ofHours(6));
    }

    /** Runs a producer from the clock's current time to {@code until}, then stops it. */
    SchedulerService run(Instant until) {
        ManualTime time = new ManualTime(clock, new ClockTimer(clock));
        SchedulerService p = new SchedulerService(settings(), time.timer(), false);
        try (p) {
            p.start();
            time.runUntil(until);
            assertThat(p.flush(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(p.failed()).isZero();
        return p;
    }

    @Test
    void aRestartedProducerPlacesNoSlotTwiceAndSkipsNone() throws Exception {
        // First run: 00:00 placed and answered at 00:02; 01:00 placed at 01:00, its answer due at 01:02.
        run(Instant.parse("2023-04-07T01:01:00Z"));
        // Restart a minute later: nothing placed again; the call in flight at the stop gets attempt 2.
        run(Instant.parse("2023-04-07T01:05:00Z"));
        // Down from 01:05 to 03:10: 02:00's window closed, 03:00's is still open.
        clock.set(Instant.parse("2023-04-07T03:10:00Z"));
        SchedulerService third = run(Instant.parse("2023-04-07T04:30:00Z"));
        assertThat(third.stats().notPlaced()).isEqualTo(2);
        assertThat(third.stats().late()).isEqualTo(2);

        List<CallEvent> events = events(TestCluster.readAll(cluster.bootstrapServers(), TOPIC));
        List<String> ids = events.stream().filter(e -> e.kind() != EventKind.HEARTBEAT).map(CallEvent::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        for (String ch : List.of("alpha", "bravo")) {
            assertThat(ids.stream().filter(i -> i.startsWith(ch + "/")).sorted().collect(Collectors.toList())).containsExactly(
                    ch + "/2023-04-07T00:00:00Z/ANSWERED/1",
                    ch + "/2023-04-07T00:00:00Z/CALL_PLACED/1",
                    ch + "/2023-04-07T01:00:00Z/ANSWERED/2",
                    ch + "/2023-04-07T01:00:00Z/CALL_PLACED/1",
                    ch + "/2023-04-07T01:00:00Z/CALL_PLACED/2",
                    // 02:00: window closed while down, not placed (the detector says CALL_NOT_PLACED)
                    ch + "/2023-04-07T03:00:00Z/ANSWERED/1",
                    ch + "/2023-04-07T03:00:00Z/CALL_PLACED/1",
                    ch + "/2023-04-07T04:00:00Z/ANSWERED/1",
                    ch + "/2023-04-07T04:00:00Z/CALL_PLACED/1");
        }
        assertThat(events).filteredOn(e -> e.kind() == EventKind.CALL_PLACED && e.slot().equals(Instant.parse("2023-04-07T03:00:00Z")))
                .extracting(CallEvent::note).containsOnly("late: placed PT10M after the slot");
        assertThat(events).filteredOn(e -> e.kind() != EventKind.HEARTBEAT).extracting(CallEvent::source).containsOnly(SOURCE);
    }

    public static List<CallEvent> events(List<ConsumerRecord<String, String>> records) throws EventFormatException {
        EventDecoder parser = new JsonEventParser();
        List<CallEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            CallEvent e = decode(parser, r.value());
            assertThat(r.timestamp()).as("record timestamp is the event's ts").isEqualTo(e.ts().toEpochMilli());
            assertThat(r.key()).isEqualTo(e.channel() != null ? e.channel() : e.source());
            out.add(e);
        }
        return out;
    }

    /** The event in one JSON line, read by the core's parser as the detector reads it. */
    private static CallEvent decode(EventDecoder parser, String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parser.decode(bytes, 0, bytes.length);
    }
}
