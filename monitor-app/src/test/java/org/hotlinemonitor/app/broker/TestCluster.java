package org.hotlinemonitor.app.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** Real in-process KRaft clusters for the integration tests. */
public final class TestCluster {

    private TestCluster() {
    }

    /** A new cluster of one controller and {@code brokers} brokers, started and ready. The caller closes it. */
    public static KafkaClusterTestKit start(int brokers) throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(false).setNumControllerNodes(1).setNumBrokerNodes(brokers).build()).build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }

    /**
     * A new single combined node with what exactly-once Streams applications need of a one-node cluster
     * (internal topics with one replica, few partitions, no rebalance delay), plus {@code extra} broker
     * settings; started and ready. The caller closes it.
     */
    public static KafkaClusterTestKit startForStreams(Map<String, String> extra) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "2")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
        extra.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** Polls {@code condition} until it holds; fails after {@code wait}. */
    /**
     * Until the committed offsets of consumer group {@code groupId} reach the ends of {@code topic}'s partitions as of
     * now (a partition without records counts as consumed): what came before has been processed and committed.
     */
    public static void awaitConsumed(Admin admin, String topic, int partitions, String groupId, Duration wait) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        await("group " + groupId + " consumed " + ends, wait, () -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Blocks until the wall clock reaches {@code t} (a scenario on real time, as the processes' clocks run). */
    public static void waitUntil(java.time.Instant t) throws InterruptedException {
        long ms = java.time.Duration.between(java.time.Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    /** How long the tests against a cluster wait for what a running service should have done by then. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Topics for records stamped in 2023 must keep them whatever their age and must not roll a segment on every
     * append (a segment's age counts from its first record's timestamp); else the broker deletes records under the
     * producer's feet and its idempotence state with them (OUT_OF_ORDER_SEQUENCE_NUMBER).
     */
    public static final Map<String, String> OLD_RECORDS = Map.of("retention.ms", "-1", "segment.ms",
            Long.toString(Duration.ofDays(36_500).toMillis()));

    public static void await(String what, Duration wait, BooleanSupplier condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100); // polling a broker: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** The values of every committed record of {@code topic} (read_committed), from the beginning to the end offsets of now. */
    public static List<String> readCommittedValues(String bootstrapServers, String topic) {
        return read(bootstrapServers, topic, "read_committed").stream().map(ConsumerRecord::value).toList();
    }

    public static void createTopic(KafkaClusterTestKit cluster, String topic, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Every record of {@code topic}, partition by partition, from the beginning to the end offsets of now. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        return read(bootstrapServers, topic, "read_uncommitted");
    }

    /** As {@link #readCommittedValues(String, String)}, with a client configuration (security...) of its own. */
    public static List<String> readCommittedValues(Map<String, Object> clientConfig, String topic) {
        return read(clientConfig, topic, "read_committed").stream().map(ConsumerRecord::value).toList();
    }

    private static List<ConsumerRecord<String, String>> read(String bootstrapServers, String topic, String isolation) {
        return read(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, isolation);
    }

    private static List<ConsumerRecord<String, String>> read(Map<String, Object> clientConfig, String topic, String isolation) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end: " + ends);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        out.sort(Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }
}
