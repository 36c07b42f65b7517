package org.hotlinemonitor.app.produce;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back the recent events of a topic, for a restarting scheduler: every partition from the first
 * record whose timestamp is at or after {@code since} ({@code offsetsForTimes}) up to the end offsets
 * found when the read starts. No consumer group, no committed offsets.
 *
 * <p>Lines that are not valid events are skipped (logged): judging them is the detector's business.
 */
public final class EventHistoryReader {

    private static final Logger LOG = LoggerFactory.getLogger(EventHistoryReader.class);

    private EventHistoryReader() {
    }

    /**
     * @param bootstrapServers the cluster
     * @param overrides        extra consumer settings (security); may be empty
     * @param topic            the events topic; a topic that does not exist has no history
     * @param since            the earliest record timestamp wanted
     * @param keep             which events to return
     * @param timeout          the longest the whole read may take
     * @return the kept events, partition by partition in offset order
     * @throws TimeoutException if the topic could not be read to its end in time
     */
    public static List<CallEvent> read(String bootstrapServers, Map<String, ?> overrides, String topic, Instant since,
                                       Predicate<CallEvent> keep, Duration timeout) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hotline-history-reader");
        c.putAll(overrides);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CallEvent> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                LOG.info("topic {} does not exist yet: no history to resume from", topic);
                return out;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, remaining(deadline));
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, remaining(deadline)));
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp start = starts.get(p);
                consumer.seek(p, start == null ? ends.get(p) : start.offset());
            }
            EventDecoder parser = new JsonEventParser();
            ends.entrySet().removeIf(e -> consumer.position(e.getKey(), remaining(deadline)) >= e.getValue());
            while (!ends.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read " + topic + " back to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        CallEvent e = parser.decode(r.value(), 0, r.value().length);
                        if (keep.test(e)) {
                            out.add(e);
                        }
                    } catch (EventFormatException e) {
                        LOG.warn("{}-{}@{}: not an event, skipped: {}", topic, r.partition(), r.offset(), e.getMessage());
                    }
                }
                ends.entrySet().removeIf(e -> consumer.position(e.getKey(), remaining(deadline)) >= e.getValue());
            }
        }
        return out;
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }
}
