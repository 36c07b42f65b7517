package org.hotlinemonitor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the Kafka benchmarks share: topics, reading a topic to its end, load and CPU figures. Not thread-safe. */
final class BenchKafka {

    private BenchKafka() {
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * Creates topics of {@code partitions} partitions that keep their records forever: the generated log's events
     * are from 2023, and the broker's default retention (7 days, by record timestamp) would delete them while the
     * benchmark reads them.
     */
    static void createTopics(Admin admin, int partitions, String... names)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        }
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }

    /** Every record of {@code topic} up to its current end, as a {@code read_committed} consumer sees it. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = partitions(consumer, topic);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts); // read_committed: the last stable offsets
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            parts.add(new TopicPartition(topic, p.partition()));
        }
        parts.sort(Comparator.comparingInt(TopicPartition::partition));
        return parts;
    }

    /** Hears each alert as it arrives: the receive time, the record's Kafka timestamp, the alert. */
    @FunctionalInterface
    interface AlertArrival {
        void arrived(long receivedAt, long timestamp, org.hotlinemonitor.core.alert.Alert alert);
    }

    /**
     * Reads {@code topic} from its start as a {@code read_committed} consumer with default settings until {@code stop},
     * handing each alert to {@code arrival} with the time it arrived; waits for the topic to exist.
     */
    static void readAlerts(String bootstrap, String topic, java.util.concurrent.atomic.AtomicBoolean stop, AlertArrival arrival) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = List.of();
            while (parts.isEmpty() && !stop.get()) {
                parts = partitions(consumer, topic);
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!stop.get()) {
                var records = consumer.poll(java.time.Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    arrival.arrived(now, r.timestamp(), org.hotlinemonitor.core.codec.AlertCodec.fromJson(
                            new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /** The 1-minute load average and what is running besides: for the record of every result. */
    static String load() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "load average " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    /** CPU time of the whole process (all threads: broker, clients, GC, compiler), in nanoseconds. */
    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time so far of the live threads whose name contains {@code part}, in nanoseconds. */
    static long threadCpu(String part) {
        var threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(part)) {
                long cpu = threads.getThreadCpuTime(t.getId());
                sum += Math.max(cpu, 0);
            }
        }
        return sum;
    }

    /** CPU time so far of every live thread, in nanoseconds, by thread id. */
    static Map<Long, Long> threadCpus() {
        var threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu > 0) {
                out.put(id, cpu);
            }
        }
        return out;
    }

    /**
     * Where the CPU went between two {@link #threadCpus} snapshots, by kind of thread (names without numbers and
     * ids), largest first, as "name share%" for the {@code top} largest; {@code wallNanos}: the time between them.
     */
    static String cpuByThreadKind(Map<Long, Long> before, Map<Long, Long> after, long wallNanos, int top) {
        var threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new HashMap<>();
        long all = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            var info = threads.getThreadInfo(e.getKey());
            if (info == null || used <= 0) {
                continue;
            }
            String kind = info.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "ID").replaceAll("\\d+", "N");
            byKind.merge(kind, used, Long::sum);
            all += used;
        }
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%.2f cores in live threads:", all / (double) wallNanos));
        byKind.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> b.append(String.format(java.util.Locale.ROOT, " [%s] %.2f;", e.getKey(), e.getValue() / (double) wallNanos)));
        return b.toString();
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The value at quantile {@code q} (0..1) of sorted {@code xs}, nearest rank. */
    static long quantile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Deletes a directory tree, best effort (temporary data of a benchmark). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
