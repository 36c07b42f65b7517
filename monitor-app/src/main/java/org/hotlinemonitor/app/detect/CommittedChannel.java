package org.hotlinemonitor.app.detect;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.broker.Topics;
import org.hotlinemonitor.core.detect.ChannelState;

/**
 * One channel's detector state as last committed, read from the detector's changelog of its channel store
 * ({@code <application id>-detector-channels-changelog}), for a process that does not run the detector: the
 * {@code record} command, which refuses an event the detector would drop as late before writing it.
 *
 * <p>The changelog has the events topic's partitioning (a channel's state is on the partition of its events), so one
 * partition is read, {@code read_committed}, from its start to its end; the newest value of the channel's key wins.
 * No consumer group, nothing committed.
 */
public final class CommittedChannel {

    private CommittedChannel() {
    }


    /**
     * @param consumerSettings the cluster and its security settings
     * @param applicationId    the detector's application id
     * @param channel          the channel
     * @param timeout          the longest the whole read may take
     * @return the channel's committed state; empty when the changelog holds nothing for the channel (removed, or never
     *         committed); {@code null} when the changelog does not exist (no detector has run with this application id)
     * @throws TimeoutException if the changelog could not be read to its end in time
     */
    public static Optional<ChannelState> read(Map<String, ?> consumerSettings, String applicationId, String channel,
                                              Duration timeout) {
        Map<String, Object> c = new HashMap<>(consumerSettings);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hotline-committed-state-reader");
        // The end offset of a transactional changelog is often a commit marker, which a fetch returns no record for: the
        // broker would hold that fetch for fetch.max.wait.ms (500 ms) before answering.
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        String topic = Topics.detectorChannelChangelog(applicationId);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return null;
            }
            TopicPartition partition = new TopicPartition(topic, ChannelPartitions.partitionOf(channel, infos.size()));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), remaining(deadline)).get(partition);
            byte[] newest = null;
            while (consumer.position(partition, remaining(deadline)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (channel.equals(r.key())) {
                        newest = r.value(); // a tombstone (null) removes it
                    }
                }
            }
            return newest == null ? Optional.empty() : Optional.of(StoredChannelSerde.fromBytes(newest).state());
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
