package org.hotlinemonitor.app.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.hotlinemonitor.app.calls.ClockTimer;
import org.hotlinemonitor.app.calls.EventIds;
import org.hotlinemonitor.app.calls.ManualTime;
import org.hotlinemonitor.app.calls.MutableClock;
import org.hotlinemonitor.app.calls.PlacerSettings;
import org.hotlinemonitor.app.calls.SimulationScript;
import org.hotlinemonitor.app.produce.SchedulerService;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The only broker of a cluster stops and starts again while the producer keeps placing calls: no slot
 * is placed twice, no event is lost (idempotent producer, {@code acks=all}, retries within the delivery
 * timeout, the sink's outbox while the client has no metadata), and a record written twice by the
 * cluster is an identical copy with the same id.
 */
@org.junit.jupiter.api.Tag("integration")
class BrokerRestartTest {

    static final String TOPIC = "hotline.events";

    @Test
    void eventsPublishedWhileTheBrokerIsDownArriveOnceItIsBack() throws Exception {
        List<LocalTime> tenMinutes = new ArrayList<>();
        for (int m = 0; m < 24 * 60; m += 10) {
            tenMinutes.add(LocalTime.of(m / 60, m % 60));
        }
        List<Channel> channels = new ArrayList<>();
        for (String id : List.of("alpha", "bravo", "charlie", "delta")) {
            channels.add(new Channel(id, null, Schedule.of(ZoneId.of("UTC"), tenMinutes, DayRule.everyDay(), "every 10 min"),
                    Duration.ofMinutes(5), 2));
        }
        KafkaClusterTestKit cluster = TestCluster.start(1);
        try {
            TestCluster.createTopic(cluster, TOPIC, 3);
            MutableClock clock = MutableClock.at("2023-04-07T00:00:00Z");
            ManualTime time = new ManualTime(clock, new ClockTimer(clock));
            SchedulerService.Settings settings = SchedulerService.Settings.of(cluster.bootstrapServers(), new MonitorConfig(channels), "producer-br",
                    new PlacerSettings.Simulated(SimulationScript.DEFAULT)).withHeartbeatEvery(Duration.ofMinutes(1));
            BrokerServer broker = cluster.brokers().values().iterator().next();
            SchedulerService producer = new SchedulerService(settings, time.timer(), false);
            try (producer) {
                producer.start();
                time.runUntil(Instant.parse("2023-04-07T00:30:00Z"));
                broker.shutdown();
                broker.awaitShutdown();
                long deliveredBeforeRestart = producer.delivered();
                time.runUntil(Instant.parse("2023-04-07T01:00:00Z")); // three slots per channel while the broker is down
                broker.startup();
                time.runUntil(Instant.parse("2023-04-07T01:35:00Z"));
                assertThat(producer.flush(Duration.ofSeconds(120))).isTrue();
                assertThat(producer.delivered()).isGreaterThan(deliveredBeforeRestart);
            }
            assertThat(producer.failed()).isZero();
            // 00:00 to 01:30 every 10 minutes: 10 slots a channel, each placed once (and answered)
            assertThat(producer.stats().placed()).isEqualTo(40);
            assertThat(producer.stats().answered()).isEqualTo(40);

            List<ConsumerRecord<String, String>> records = TestCluster.readAll(cluster.bootstrapServers(), TOPIC);
            // A batch the broker wrote but could not acknowledge before it stopped may be written again
            // after the restart (idempotence does not cover every leader change): such a copy is the same
            // record, with the same id, in the same partition; the detector ignores it. Nothing else may differ.
            Map<String, List<ConsumerRecord<String, String>>> byId = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                String id = ProducerRestartTest.events(List.of(r)).get(0).id();
                byId.computeIfAbsent(r.partition() + " " + id, k -> new ArrayList<>()).add(r);
            }
            long copies = 0;
            for (List<ConsumerRecord<String, String>> same : byId.values()) {
                assertThat(same).extracting(ConsumerRecord::value).containsOnly(same.get(0).value());
                copies += same.size() - 1;
            }
            System.out.printf("broker restart: %d records, %d acknowledged sends, %d redelivered copies%n",
                    records.size(), producer.delivered(), copies);
            assertThat((long) records.size()).isEqualTo(producer.delivered() + copies);

            List<CallEvent> events = ProducerRestartTest.events(records);
            Set<String> callIds = events.stream().filter(e -> e.kind() != EventKind.HEARTBEAT).map(CallEvent::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> expected = new TreeSet<>();
            for (Channel c : channels) {
                for (int m = 0; m <= 90; m += 10) {
                    Instant slot = Instant.parse("2023-04-07T00:00:00Z").plus(Duration.ofMinutes(m));
                    expected.add(EventIds.attempt(c.id(), slot, EventKind.CALL_PLACED, 1));
                    expected.add(EventIds.attempt(c.id(), slot, EventKind.ANSWERED, 1));
                }
            }
            assertThat(callIds).as("no event lost, none extra").isEqualTo(expected);
            // one heartbeat a minute from 00:00 to 01:35, each on all three partitions
            Map<String, Set<Integer>> heartbeats = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                if (r.value().contains("\"HEARTBEAT\"")) {
                    heartbeats.computeIfAbsent(ProducerRestartTest.events(List.of(r)).get(0).id(), k -> new HashSet<>())
                            .add(r.partition());
                }
            }
            assertThat(heartbeats).hasSize(96).allSatisfy((id, partitions) -> assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2));
        } finally {
            cluster.close(); // not try-with-resources: its close() may throw InterruptedException
        }
    }
}
