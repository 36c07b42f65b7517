package org.hotlinemonitor.app.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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

    public static void createTopic(KafkaClusterTestKit cluster, String topic, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Every record of {@code topic}, partition by partition, from the beginning to the end offsets of now. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
