package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotlinemonitor.app.broker.TestCluster;
import org.junit.jupiter.api.Test;

/**
 * The detector's broker watch in a cluster: one broker stops answering requests while it stays registered with the
 * controller, so it keeps leading its partition (as a broker killed with {@code kill -9} does until it is fenced,
 * {@code broker.session.timeout.ms} later). The other brokers still answer metadata requests; the watch must count it
 * as an outage all the same, since the producers keep the events of that partition (the three-broker drill,
 * docs/operations.md).
 */
@org.junit.jupiter.api.Tag("integration")
class BrokerWatchTest {

    static final String TOPIC = "watched.events";

    @Test
    void aLeaderOfTheEventsTopicThatDoesNotAnswerStopsTheClockWhileTheOtherBrokersAnswer() throws Exception {
        try (KafkaClusterTestKit cluster = TestCluster.start(3);
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            // one partition on each broker, one replica: partition p is led by broker p for good
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(0), 1, List.of(1), 2, List.of(2))))).all().get();
            try (BrokerWatch watch = new BrokerWatch(Map.of("bootstrap.servers", cluster.bootstrapServers()), BrokerWatch.DEFAULT_GRACE,
                    "test", TOPIC, 3)) {
                Thread.sleep(3 * BrokerWatch.PROBE_EVERY.toMillis());
                assertThat(watch.down()).as("every leader answers").isFalse();
                assertThat(watch.trustedUntil(1_000_000)).isEqualTo(1_000_000);

                BrokerServer broker = cluster.brokers().get(1);
                broker.socketServer().stopProcessingRequests();
                TestCluster.await("the watch sees the silent leader", Duration.ofSeconds(10), watch::down);
                assertThat(watch.trustedUntil(1_000_000)).as("the clock stops").isLessThan(1_000_000);

                // the cluster as a whole still answers: the old probe (describeCluster, any broker) saw no outage
                String others = cluster.brokers().entrySet().stream().filter(e -> e.getKey() != 1)
                        .map(e -> "localhost:" + e.getValue().boundPort(cluster.nodes().brokerListenerName())).reduce((a, b) -> a + "," + b)
                        .orElseThrow();
                try (Admin survivors = Admin.create(Map.of("bootstrap.servers", others))) {
                    assertThat(survivors.describeCluster().clusterId().get(10, TimeUnit.SECONDS)).isNotBlank();
                }
                Thread.sleep(2000);
                assertThat(watch.down()).as("still down while the leader is silent").isTrue();
            }
        }
    }
}
