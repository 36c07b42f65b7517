package org.hotlinemonitor.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.tools.ConsumerPerformance;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.detect.DetectorTopics;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.LogInput;
import org.hotlinemonitor.core.replay.Replay;

/**
 * Sustained detector throughput on a real broker, next to Kafka's own {@link ConsumerPerformance} on the same
 * topic in the same run. Run by {@code bench/kafka-throughput.sh}; see docs/benchmarks.md.
 *
 * <p>One JVM holds everything: the project's {@link EmbeddedBroker} (data in a temporary directory, free
 * ports), the loader, {@code ConsumerPerformance} and the {@link DetectorService}. They share the machine's
 * cores: what the broker spends serving a reader is spent in both measurements.
 *
 * <ol>
 *   <li>Load: every line of the log becomes one record of {@code hotline.events} ({@code PARTITIONS}
 *       partitions), keyed by channel id, timestamped with the event's time, as {@code KafkaEventPublisher} does;
 *       a heartbeat becomes one record per partition.</li>
 *   <li>Then, {@code RUNS} times: {@code ConsumerPerformance} reads the whole topic (its own group); then a
 *       detector (its own application id, state directory and output topics) reads it from offset 0 with
 *       {@code exactly_once_v2} until its committed offsets reach the end of every partition.</li>
 *   <li>The alerts of the last run are compared with an in-process replay of the same log.</li>
 * </ol>
 *
 * <p>Usage: {@code KafkaThroughputBenchmark CHANNELS.yaml LOG [RUNS] [PARTITIONS]}
 */
public final class KafkaThroughputBenchmark {

    static final String EVENTS = "hotline.events";
    /**
     * The detector's settings apart from the defaults, for a bulk run over a log from 2023: replay's allowed
     * lateness, so that the log's 20 s of disorder is not refused and the alerts can be compared with replay's;
     * and a backlog threshold long enough that the clock never counts (see {@link #settings}).
     */
    static final Duration LATENESS = Duration.ofMinutes(5);
    static final Duration BACKLOG_THRESHOLD = Duration.ofHours(24);

    private KafkaThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KafkaThroughputBenchmark CHANNELS.yaml LOG [RUNS] [PARTITIONS]");
            System.exit(2);
        }
        Path channels = Path.of(args[0]);
        Path log = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        MonitorConfig config = ConfigLoader.load(channels);
        Path dir = Files.createTempDirectory("kafka-bench");
        System.out.printf(Locale.ROOT, "log %s (%,d bytes), %d channels, %d partitions, %d runs; %d cores; %s%n",
                log, Files.size(log), config.channels().size(), partitions, runs,
                Runtime.getRuntime().availableProcessors(), BenchKafka.load());
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dir, 0, 0));
             Admin admin = BenchKafka.admin(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            BenchKafka.createTopics(admin, partitions, EVENTS);
            Loaded loaded = load(bootstrap, log, partitions);
            long records = totalEnd(admin, partitions);
            if (records != loaded.records) {
                throw new IllegalStateException("the topic holds " + records + " records, " + loaded.records + " were sent");
            }

            double[] raw = new double[runs];
            double[] detector = new double[runs];
            double[] parseOnly = new double[runs];
            double[] nothing = new double[runs];
            String lastAlerts = null;
            for (int i = 0; i < runs; i++) {
                raw[i] = consumerPerformance(bootstrap, records, "bench-consumer-perf-" + i);
                DetectorTopics topics = new DetectorTopics(EVENTS, "bench.alerts." + i, "bench.rejects." + i);
                BenchKafka.createTopics(admin, partitions, topics.alerts(), topics.rejects());
                boolean profile = i == runs - 1 && System.getProperty("bench.profile") != null;
                if (profile) {
                    profiler("start,event=cpu,interval=1ms,threads");
                }
                detector[i] = detector(bootstrap, admin, config, topics, dir.resolve("streams-" + i), "bench-detector-" + i,
                        records);
                if (profile) {
                    profiler("stop,collapsed,file=" + System.getProperty("bench.profile"));
                }
                parseOnly[i] = reference(bootstrap, admin, true, dir.resolve("parse-" + i), "bench-parse-only-" + i, records);
                nothing[i] = reference(bootstrap, admin, false, dir.resolve("nothing-" + i), "bench-nothing-" + i, records);
                System.out.printf(Locale.ROOT, "run %d: / ConsumerPerformance: detector %.2f, parse-only %.2f, do-nothing %.2f%n",
                        i + 1, detector[i] / raw[i], parseOnly[i] / raw[i], nothing[i] / raw[i]);
                lastAlerts = topics.alerts();
            }
            double[] ratios = new double[runs];
            for (int i = 0; i < runs; i++) {
                ratios[i] = detector[i] / raw[i];
            }
            System.out.printf(Locale.ROOT, "median ConsumerPerformance: %,.0f records/s%n", BenchKafka.median(raw));
            System.out.printf(Locale.ROOT, "median detector (exactly_once_v2): %,.0f records/s%n", BenchKafka.median(detector));
            System.out.printf(Locale.ROOT, "median ratio detector/ConsumerPerformance: %.2f (target at least 0.50)%n",
                    BenchKafka.median(ratios));
            System.out.printf(Locale.ROOT, "for reference, the same Kafka Streams set-up with a processor that only parses each record's "
                            + "JSON: median %,.0f records/s, ratio %.2f; that does nothing: median %,.0f records/s, ratio %.2f%n",
                    BenchKafka.median(parseOnly), median(parseOnly, raw), BenchKafka.median(nothing), median(nothing, raw));
            compareWithReplay(bootstrap, lastAlerts, config, log, partitions, loaded.newest);
        } finally {
            BenchKafka.deleteTree(dir);
        }
    }

    /**
     * Runs an async-profiler command when {@code -Dbench.profile=FILE} is set and the profiler's Java API and
     * library are on the class and library paths (for looking into the last run only; docs/benchmarks.md).
     */
    private static void profiler(String command) throws Exception {
        Class<?> c = Class.forName("one.profiler.AsyncProfiler");
        Object p = c.getMethod("getInstance", String.class).invoke(null, System.getProperty("bench.profiler.lib"));
        c.getMethod("execute", String.class).invoke(p, command);
    }

    private static double median(double[] rates, double[] raw) {
        double[] r = new double[rates.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = rates[i] / raw[i];
        }
        return BenchKafka.median(r);
    }

    /**
     * The floor under any detector on this set-up: the detector's Kafka Streams configuration (exactly_once_v2,
     * its stream threads, max.task.idle.ms off) with a processor that only parses each record's JSON
     * ({@code parse}) or does nothing at all, no stores, no output. Returns its rate in records/s, measured as
     * the detector's is.
     */
    static double reference(String bootstrap, Admin admin, boolean parse, Path stateDir, String applicationId, long records)
            throws Exception {
        Topology topology = new Topology();
        topology.addSource("events", new ByteArrayDeserializer(), new ByteArrayDeserializer(), EVENTS);
        topology.addProcessor("reference", () -> new Processor<byte[], byte[], Void, Void>() {
            private final EventDecoder parser = new JsonEventParser();
            private long parsed;

            @Override
            public void process(Record<byte[], byte[]> r) {
                if (parse) {
                    try {
                        parser.decodeParts(r.value(), 0, r.value().length);
                        parsed += parser.tsMillis() & 1;
                    } catch (EventFormatException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }, "events");
        DetectorSettings settings = settings(bootstrap, applicationId, stateDir, DetectorTopics.DEFAULT);
        Committed progress;
        try (KafkaStreams streams = new KafkaStreams(topology, settings.streamsProperties())) {
            streams.start();
            progress = awaitCommitted(admin, applicationId, records, applicationId, () -> { });
        }
        double rate = (records - progress.atFirst()) / ((System.nanoTime() - progress.tFirst()) / 1e9);
        System.out.printf(Locale.ROOT, "%s: %,.0f records/s; %s%n", parse ? "parse-only processor" : "do-nothing processor", rate,
                BenchKafka.load());
        return rate;
    }

    /** When (nanoTime) an application's first offsets were committed, and how many records they covered. */
    record Committed(long tFirst, long atFirst) {
    }

    /**
     * Waits until {@code applicationId}'s committed offsets (listed every 100 ms) cover {@code records}; prints
     * progress every 10 s as {@code what}, runs {@code check} at each look (it may throw), gives up after 10 minutes.
     */
    static Committed awaitCommitted(Admin admin, String applicationId, long records, String what, Runnable check)
            throws Exception {
        long t0 = System.nanoTime();
        long lastPrint = t0;
        long tFirst = 0;
        long atFirst = 0;
        while (true) {
            Thread.sleep(100);
            check.run();
            long committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get()
                    .values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
            long now = System.nanoTime();
            if (tFirst == 0 && committed > 0) {
                tFirst = now;
                atFirst = committed;
            }
            if (committed >= records) {
                return new Committed(tFirst, atFirst);
            }
            if (now - t0 > 600_000_000_000L) {
                throw new IllegalStateException(what + " did not finish within 10 minutes: " + committed + " of " + records);
            }
            if (now - lastPrint > 10_000_000_000L) {
                lastPrint = now;
                System.out.printf(Locale.ROOT, "  %s: %,d of %,d records committed after %.0f s; %s%n", what, committed, records,
                        (now - t0) / 1e9, BenchKafka.load());
            }
        }
    }

    /** What the loader wrote: records in all, and per partition the newest event time (epoch ms). */
    record Loaded(long records, long[] newest) {
    }

    /** Writes the log to the events topic, as fast as one producer goes. */
    static Loaded load(String bootstrap, Path log, int partitions) throws Exception {
        return load(bootstrap, EVENTS, log, partitions);
    }

    /** Writes the log to {@code topic}, as {@link #load(String, Path, int)} does to the events topic. */
    static Loaded load(String bootstrap, String topic, Path log, int partitions) throws Exception {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        // One request in flight and generous timeouts: with five, a request that timed out on the loaded machine
        // left the 4.3 client retrying it behind later ones (OUT_OF_ORDER_SEQUENCE_NUMBER) until it gave up, as
        // KafkaEventPublisher found after broker restarts. Big batches keep one in flight fast enough.
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] newest = new long[partitions];
        java.util.Arrays.fill(newest, Long.MIN_VALUE);
        long records = 0;
        long events = 0;
        EventDecoder parser = new JsonEventParser();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                byte[] value = line.getBytes(StandardCharsets.UTF_8);
                parser.decodeParts(value, 0, value.length);
                long ts = parser.tsMillis();
                events++;
                if (parser.kind() == EventKind.HEARTBEAT) {
                    byte[] key = parser.source() == null ? null : parser.source().getBytes(StandardCharsets.UTF_8);
                    for (int p = 0; p < partitions; p++) {
                        producer.send(new ProducerRecord<>(topic, p, ts, key, value), (m, e) -> failed(failure, e));
                        newest[p] = Math.max(newest[p], ts);
                        records++;
                    }
                } else {
                    String channel = parser.channel();
                    producer.send(new ProducerRecord<>(topic, null, ts, channel.getBytes(StandardCharsets.UTF_8), value),
                            (m, e) -> failed(failure, e));
                    int p = ChannelPartitions.partitionOf(channel, partitions);
                    newest[p] = Math.max(newest[p], ts);
                    records++;
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "loaded %,d events as %,d records (heartbeats to every partition) in %.1f s: %,.0f records/s; %s%n",
                events, records, s, records / s, BenchKafka.load());
        return new Loaded(records, newest);
    }

    private static void failed(AtomicReference<Exception> failure, Exception e) {
        if (e != null) {
            failure.compareAndSet(null, e);
        }
    }

    private static long totalEnd(Admin admin, int partitions) throws Exception {
        return sum(endOffsets(admin, partitions));
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            ask.put(new TopicPartition(EVENTS, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(ask).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Runs {@code ConsumerPerformance} in this JVM over the whole topic, as {@code kafka-consumer-perf-test.sh}
     * would, and returns its fetch rate in records/s (the time after its group join, as the detector's rate is).
     */
    static double consumerPerformance(String bootstrap, long records, String group) {
        String[] args = {"--bootstrap-server", bootstrap, "--topic", EVENTS, "--num-records", String.valueOf(records),
                "--group", group, "--timeout", "60000"};
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        long cpu0 = BenchKafka.processCpu();
        long t0 = System.nanoTime();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ConsumerPerformance.main(args);
        } finally {
            System.setOut(out);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long cpu = BenchKafka.processCpu() - cpu0;
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
        // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        String[] f = lines[lines.length - 1].split(",\\s*");
        long consumed = Long.parseLong(f[4].strip());
        if (consumed < records) {
            throw new IllegalStateException("ConsumerPerformance read " + consumed + " of " + records + " records: "
                    + String.join(" | ", lines));
        }
        double mb = Double.parseDouble(f[2]);
        double fetchRate = Double.parseDouble(f[9]);
        System.out.printf(Locale.ROOT, "ConsumerPerformance: %,d records, %.1f MB, %.1f s in all (group join %s ms), fetch %.1f MB/s, "
                        + "%,.0f records/s; CPU %.2f cores; %s%n",
                consumed, mb, wall, f[6].strip(), Double.parseDouble(f[8]), fetchRate, cpu / 1e9 / wall, BenchKafka.load());
        return fetchRate;
    }

    /**
     * Runs a detector over the whole topic and returns its rate in records/s from its first committed offset
     * to the commit that reaches the end of every partition.
     */
    static double detector(String bootstrap, Admin admin, MonitorConfig config, DetectorTopics topics, Path stateDir,
                           String applicationId, long records) throws Exception {
        DetectorSettings settings = settings(bootstrap, applicationId, stateDir, topics);
        long cpu0 = BenchKafka.processCpu();
        Map<Long, Long> threads0 = BenchKafka.threadCpus();
        long t0 = System.nanoTime();
        Committed progress;
        long streamCpu;
        try (DetectorService service = new DetectorService(settings, config)) {
            service.start();
            progress = awaitCommitted(admin, applicationId, records, "detector", () -> {
                if (service.failure().isPresent()) {
                    throw new IllegalStateException("the detector failed", service.failure().get());
                }
            });
            streamCpu = BenchKafka.threadCpu("-StreamThread-");
            System.out.println("  " + BenchKafka.cpuByThreadKind(threads0, BenchKafka.threadCpus(), System.nanoTime() - t0, 8));
        }
        long t1 = System.nanoTime();
        long cpu = BenchKafka.processCpu() - cpu0;
        double all = (t1 - t0) / 1e9;
        double steady = (t1 - progress.tFirst()) / 1e9;
        double rate = (records - progress.atFirst()) / steady;
        System.out.printf(Locale.ROOT, "detector: %,d records in %.1f s from start (%.1f s to its first commit), %,.0f records/s after it "
                        + "(%,.0f from start); CPU: %.2f cores for the process, stream thread %.0f ns per record; %s%n",
                records, all, (progress.tFirst() - t0) / 1e9, rate, records / all, cpu / 1e9 / all, (double) streamCpu / records,
                BenchKafka.load());
        return rate;
    }

    /**
     * The defaults but for two settings a bulk run over old records needs (docs/benchmarks.md): replay's
     * allowed lateness, and a backlog threshold of a day. With the default 2 s, a task that waits 2 s for a fetch
     * (the loaded machine, or a partition read to its end before the others) would let the clock count, move its
     * watermark from 2023 to today and decide three years of slots at once.
     */
    static DetectorSettings settings(String bootstrap, String applicationId, Path stateDir, DetectorTopics topics) {
        return DetectorSettings.of(bootstrap).withApplicationId(applicationId).withStateDir(stateDir).withTopics(topics)
                .withAllowedLateness(LATENESS).withBacklogThreshold(BACKLOG_THRESHOLD);
    }

    /**
     * Sanity: the detector's alerts against a replay of the same log with the same lateness (see
     * {@link #replayExpected} and {@link #compare}).
     */
    static void compareWithReplay(String bootstrap, String alertsTopic, MonitorConfig config, Path log, int partitions,
                                  long[] newest) throws Exception {
        compare(bootstrap, alertsTopic, replayExpected(config, log, partitions, newest));
        System.out.printf(Locale.ROOT, "end watermark of partition 0: %s%n", Instant.ofEpochMilli(newest[0] - LATENESS.toMillis()));
    }

    /**
     * What a detector that read the whole topic must have sent: the alerts of a replay of the same log with the
     * same lateness ({@code expected}, as JSON with their counts), cut per channel at its partition's end watermark.
     * Each task ends with its watermark at its partition's newest event less the lateness; replay ends at the
     * newest event. {@code cut}: the replay's alerts left out that way.
     */
    record Expected(Map<String, Integer> alerts, long count, long replayed, long cut, long rejects) {
    }

    static Expected replayExpected(MonitorConfig config, Path log, int partitions, long[] newest) throws Exception {
        List<Alert> replayed = new ArrayList<>();
        AtomicLong rejects = new AtomicLong();
        new Replay(new Replay.Options(config, LATENESS, null, false), replayed::add, r -> rejects.incrementAndGet(),
                Replay.Progress.NONE).run(List.of(LogInput.of(log.toString(), null)), java.io.InputStream.nullInputStream());
        Map<String, Integer> expected = new HashMap<>();
        long cut = 0;
        for (Alert a : replayed) {
            long end = newest[ChannelPartitions.partitionOf(a.channel(), partitions)] - LATENESS.toMillis();
            if (a.at().toEpochMilli() < end) {
                expected.merge(AlertCodec.toJson(a), 1, Integer::sum);
            } else {
                cut++;
            }
        }
        long count = expected.values().stream().mapToLong(Integer::longValue).sum();
        return new Expected(expected, count, replayed.size(), cut, rejects.get());
    }

    /**
     * Reads {@code alertsTopic} ({@code read_committed}) and compares its alerts, byte for byte (ids included),
     * with {@code expected}; prints the counts; returns whether they are the same alerts, each as many times.
     */
    static boolean compare(String bootstrap, String alertsTopic, Expected expected) {
        List<ConsumerRecord<byte[], byte[]>> fromKafka = BenchKafka.readAll(bootstrap, alertsTopic);
        Map<String, Integer> live = new HashMap<>();
        Map<String, Integer> byType = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : fromKafka) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            live.merge(json, 1, Integer::sum);
            byType.merge(AlertCodec.fromJson(json).type().name(), 1, Integer::sum);
        }
        long same = 0;
        for (Map.Entry<String, Integer> e : live.entrySet()) {
            same += Math.min(e.getValue(), expected.alerts().getOrDefault(e.getKey(), 0));
        }
        Map<String, Integer> expectedByType = new TreeMap<>();
        expected.alerts().forEach((json, n) -> expectedByType.merge(AlertCodec.fromJson(json).type().name(), n, Integer::sum));
        long liveCount = fromKafka.size();
        System.out.printf(Locale.ROOT, "alerts: detector %,d %s; replay %,d, of them %,d before the end watermarks %s "
                        + "(%,d after, left out; %d rejects); identical: %,d; only in the detector: %,d; only in replay: %,d%n",
                liveCount, byType, expected.replayed(), expected.count(), expectedByType, expected.cut(), expected.rejects(),
                same, liveCount - same, expected.count() - same);
        return same == liveCount && same == expected.count();
    }
}
