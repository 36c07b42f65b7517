package org.hotlinemonitor.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Topic replay with K detector instances: the throughput and memory of 1, 2, 3... {@code detect} processes of the
 * shipped jar sharing one events topic on one broker. Run by {@code bench/split-throughput.sh}; see
 * docs/benchmarks.md.
 *
 * <ol>
 *   <li>The shipped jar's {@code broker} as a child process (data in a temporary directory, free ports).</li>
 *   <li>The log is scanned (records and each partition's newest event) and replayed once in this JVM with the same
 *       lateness: the alerts every run must send ({@link KafkaThroughputBenchmark#replayExpected}).</li>
 *   <li>For each K: an events, an alerts and a rejects topic of its own ({@code PARTITIONS} partitions, 6 as the
 *       project creates them, kept for good: {@code retention.ms=-1}, the events and alerts are from 2023 and the
 *       default 7-day retention would delete them during the run); K {@code detect} processes of one fresh
 *       application id, each with its own state directory and HTTP port, {@code --allowed-lateness PT5M
 *       --backlog-threshold PT24H} (the bulk-run settings of {@link KafkaThroughputBenchmark}) and
 *       {@code --channel-metrics failing}. They start on the empty topic; once each has logged its ready line and
 *       their group has been stable for 3 s with every instance holding partitions, the log is loaded into the topic
 *       as {@link KafkaThroughputBenchmark#load} does (keyed by channel id, stamped with the event's time, as
 *       {@code KafkaEventPublisher} does; a heartbeat to every partition), from a thread of this JVM. That is the start.
 *       With {@code -Dbench.preloaded=true} the log is loaded first and the detectors launched on it (the start is
 *       the launch): a late joiner then finds the first's tasks with state, and Kafka Streams leaves them there.</li>
 *   <li>From the start until the group's committed offsets (listed every 200 ms) reach the end of every partition:
 *       the rate (from the start, and from the first commit), the CPU of the detectors and the broker, each
 *       detector's peak resident memory (sampled at each look), then its heap after a full GC ({@code jcmd GC.run},
 *       {@code GC.heap_info}), the partitions each instance held, the logs' fenced and rebalance lines; then the
 *       instances are stopped (SIGTERM), their alerts read back ({@code read_committed}) and compared, byte for byte,
 *       with the replay's.</li>
 * </ol>
 *
 * <p>Usage: {@code SplitThroughputBenchmark JAR CHANNELS_FILE LOG K...}. System properties:
 * {@code bench.detectOpts} (each detector's JVM options, default {@code -Xmx3g}), {@code bench.brokerOpts}
 * (default {@code -Xmx1g}), {@code bench.channelMetrics} (default {@code failing}), {@code bench.partitions}
 * (default 6), {@code bench.preloaded}, {@code bench.timeoutMinutes} (per K, default 30).
 */
public final class SplitThroughputBenchmark {

    private static final List<String> DETECT_OPTS = opts("bench.detectOpts", "-Xmx3g");
    private static final List<String> BROKER_OPTS = opts("bench.brokerOpts", "-Xmx1g");
    private static final String CHANNEL_METRICS = System.getProperty("bench.channelMetrics", "failing");
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(Integer.getInteger("bench.timeoutMinutes", 30));
    /**
     * {@code -Dbench.preloaded=true}: launch the detectors on the loaded topic (a restart on a backlog), instead of on
     * the empty topic with the log loaded once their group has settled.
     */
    private static final boolean PRELOADED = Boolean.getBoolean("bench.preloaded");

    private SplitThroughputBenchmark() {
    }

    /** What one K measured. */
    record Result(int instances, long records, double launchToStart, double startToFirstCommit, double startToEnd,
                  double rateFromStart, double rateAfterFirst, double detectCores, double brokerCores, List<String> peakRss,
                  List<String> heap, String partitionsPerInstance, boolean alertsIdentical, String trouble) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: SplitThroughputBenchmark JAR CHANNELS_FILE LOG K...");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path channels = Path.of(args[1]);
        Path log = Path.of(args[2]);
        int[] ks = Arrays.stream(args, 3, args.length).mapToInt(Integer::parseInt).toArray();
        for (int k : ks) {
            if (k < 1 || k > PARTITIONS) {
                throw new IllegalArgumentException("instances must be 1 to the " + PARTITIONS + " partitions, was " + k);
            }
        }
        Path dir = Files.createTempDirectory("split-throughput");
        System.out.printf(Locale.ROOT, "split throughput: log %s (%,d bytes), channels %s, %d partitions, instances %s; "
                        + "detect %s --channel-metrics %s, broker %s; %d cores; %s%n", log, Files.size(log), channels, PARTITIONS,
                Arrays.toString(ks), DETECT_OPTS, CHANNEL_METRICS, BROKER_OPTS, Runtime.getRuntime().availableProcessors(),
                BenchKafka.load());
        int brokerPort = LiveScaleBenchmark.freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        LiveScaleBenchmark.Child broker = LiveScaleBenchmark.Child.start(dir, "broker", BROKER_OPTS, jar, "broker",
                "--broker-port", Integer.toString(brokerPort), "--controller-port", Integer.toString(LiveScaleBenchmark.freePort()),
                "--data-dir", dir.resolve("broker").toString(), "--partitions", Integer.toString(PARTITIONS));
        List<Result> results = new ArrayList<>();
        try {
            System.out.println("broker " + broker.await("Broker running at"));
            results = measure(jar, channels, log, ks, dir, bootstrap, broker);
        } finally {
            broker.process().destroy();
            if (!broker.process().waitFor(60, TimeUnit.SECONDS)) {
                broker.process().destroyForcibly();
            }
            BenchKafka.deleteTree(dir.resolve("broker")); // the data: gigabytes at a million channels
            for (int k : ks) {
                for (int i = 1; i <= k; i++) {
                    BenchKafka.deleteTree(dir.resolve("streams-" + k + "-" + i));
                }
            }
        }
        System.out.println();
        System.out.println("| instances | records | launch to start | start to first commit | start to end | records/s from the start "
                + "| records/s after the first commit | CPU from the start: detectors, broker | peak RSS each | heap after GC each "
                + "| partitions each | alerts = replay | fenced / rebalance lines |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | --- |");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %d | %,d | %.1f s | %.1f s | %.1f s | %,.0f | %,.0f | %.2f, %.2f cores | %s | %s | %s | %s | %s |%n",
                    r.instances(), r.records(), r.launchToStart(), r.startToFirstCommit(), r.startToEnd(), r.rateFromStart(),
                    r.rateAfterFirst(), r.detectCores(), r.brokerCores(), String.join(" + ", r.peakRss()),
                    String.join(" + ", r.heap()), r.partitionsPerInstance(), r.alertsIdentical() ? "identical" : "NO", r.trouble());
        }
        System.out.println("work directory (the logs of every process kept, the broker's data and state directories deleted): " + dir);
        if (results.stream().anyMatch(r -> !r.alertsIdentical())) {
            System.out.println("FAILED: the alerts of some run are not the replay's");
            System.exit(1);
        }
    }

    /** Scans and replays the log, then runs each K against the broker at {@code bootstrap}. */
    private static List<Result> measure(Path jar, Path channels, Path log, int[] ks, Path dir, String bootstrap,
                                        LiveScaleBenchmark.Child broker) throws Exception {
        List<Result> results = new ArrayList<>();
        try (Admin admin = BenchKafka.admin(bootstrap)) {
            long t0 = System.nanoTime();
            KafkaThroughputBenchmark.Loaded scanned = scan(log);
            MonitorConfig config = ConfigLoader.load(channels);
            KafkaThroughputBenchmark.Expected expected = KafkaThroughputBenchmark.replayExpected(config, log, PARTITIONS,
                    scanned.newest());
            config = null; // the replay's state: not kept through the runs
            System.out.printf(Locale.ROOT, "%,d records to load; in-process replay of the log (PT5M lateness): %,d alerts, %,d "
                    + "before the end watermarks, %d rejects, %.1f s%n", scanned.records(), expected.replayed(), expected.count(),
                    expected.rejects(), (System.nanoTime() - t0) / 1e9);
            System.gc();
            for (int k : ks) {
                results.add(run(jar, channels, log, dir, bootstrap, admin, broker, k, scanned, expected));
            }
        }
        return results;
    }

    /**
     * What {@link KafkaThroughputBenchmark#load} will write, without writing it: the records (a heartbeat to every
     * partition) and each partition's newest event time.
     */
    static KafkaThroughputBenchmark.Loaded scan(Path log) throws Exception {
        long[] newest = new long[PARTITIONS];
        Arrays.fill(newest, Long.MIN_VALUE);
        long records = 0;
        EventDecoder parser = new JsonEventParser();
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                byte[] value = line.getBytes(StandardCharsets.UTF_8);
                parser.decodeParts(value, 0, value.length);
                long ts = parser.tsMillis();
                if (parser.kind() == EventKind.HEARTBEAT) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        newest[p] = Math.max(newest[p], ts);
                    }
                    records += PARTITIONS;
                } else {
                    int p = ChannelPartitions.partitionOf(parser.channel(), PARTITIONS);
                    newest[p] = Math.max(newest[p], ts);
                    records++;
                }
            }
        }
        return new KafkaThroughputBenchmark.Loaded(records, newest);
    }

    /**
     * One K: K detectors of a fresh application id on a topic of their own, from offset 0 to the end of every
     * partition; measures, stops them, compares their alerts with the replay's. Unless {@link #PRELOADED}, the
     * detectors start on the empty topic and the log is loaded once the group is settled.
     */
    static Result run(Path jar, Path channels, Path log, Path dir, String bootstrap, Admin admin, LiveScaleBenchmark.Child broker,
                      int k, KafkaThroughputBenchmark.Loaded scanned, KafkaThroughputBenchmark.Expected expected) throws Exception {
        String applicationId = "bench-split-" + k;
        String events = "bench.split.events." + k;
        String alerts = "bench.split.alerts." + k;
        String rejects = "bench.split.rejects." + k;
        // 6 partitions like the project's, kept for good: the events and alerts are from 2023
        BenchKafka.createTopics(admin, PARTITIONS, events, alerts, rejects);
        long records = scanned.records();
        System.out.printf(Locale.ROOT, "%n%d detector instance(s), application id %s, %s; %s%n", k, applicationId,
                PRELOADED ? "launched on the loaded topic" : "launched on the empty topic, the log loaded once the group settles",
                BenchKafka.load());
        if (PRELOADED) {
            checkLoaded(KafkaThroughputBenchmark.load(bootstrap, events, log, PARTITIONS), scanned, admin, events);
        }
        List<LiveScaleBenchmark.Child> detectors = new ArrayList<>();
        long launched = System.nanoTime();
        for (int i = 0; i < k; i++) {
            detectors.add(LiveScaleBenchmark.Child.start(dir, "detect-" + k + "-" + (i + 1), DETECT_OPTS, jar, "detect",
                    "--bootstrap-servers", bootstrap, "--channels", channels.toString(), "--application-id", applicationId,
                    "--state-dir", dir.resolve("streams-" + k + "-" + (i + 1)).toString(),
                    "--http-port", Integer.toString(LiveScaleBenchmark.freePort()), "--channel-metrics", CHANNEL_METRICS,
                    "--topic-events", events, "--topic-alerts", alerts, "--topic-rejects", rejects,
                    "--allowed-lateness", KafkaThroughputBenchmark.LATENESS.toString(),
                    "--backlog-threshold", KafkaThroughputBenchmark.BACKLOG_THRESHOLD.toString()));
        }
        Thread loader = null;
        AtomicReference<Object> loadResult = new AtomicReference<>();
        try {
            long start = launched;
            String atStart = "";
            if (!PRELOADED) {
                atStart = awaitSettled(admin, applicationId, events, detectors, k, launched);
                start = System.nanoTime();
                loader = new Thread(() -> {
                    try {
                        loadResult.set(KafkaThroughputBenchmark.load(bootstrap, events, log, PARTITIONS));
                    } catch (Exception e) {
                        loadResult.set(e);
                    }
                }, "loader");
                loader.start();
            }
            long[] peakRss = new long[k];
            long tFirst = 0;
            long atFirst = 0;
            long[] ticksAtStart = new long[k];
            for (int i = 0; i < k; i++) {
                ticksAtStart[i] = LiveScaleBenchmark.cpuTicks(detectors.get(i).process().pid());
            }
            long brokerTicksAtStart = LiveScaleBenchmark.cpuTicks(broker.process().pid());
            long lastPrint = start;
            while (true) {
                Thread.sleep(200);
                for (LiveScaleBenchmark.Child c : detectors) {
                    if (!c.process().isAlive()) {
                        throw new IllegalStateException(c.name() + " stopped (exit " + c.process().exitValue() + "); see " + c.stderr());
                    }
                }
                if (loadResult.get() instanceof Exception e) {
                    throw new IllegalStateException("loading failed", e);
                }
                for (int i = 0; i < k; i++) {
                    peakRss[i] = Math.max(peakRss[i], LiveScaleBenchmark.rssKb(detectors.get(i).process().pid()));
                }
                long committed = committed(admin, applicationId, events);
                long now = System.nanoTime();
                if (tFirst == 0 && committed > 0) {
                    tFirst = now;
                    atFirst = committed;
                    System.out.printf(Locale.ROOT, "  first commit %.1f s after launch, %.1f s after the start: %,d records%n",
                            (now - launched) / 1e9, (now - start) / 1e9, committed);
                }
                if (committed >= records) {
                    break;
                }
                if (now - launched > TIMEOUT_NANOS) {
                    throw new IllegalStateException(k + " instance(s) did not finish in time: " + committed + " of " + records);
                }
                if (now - lastPrint > 10_000_000_000L) {
                    lastPrint = now;
                    long rss = Arrays.stream(peakRss).sum();
                    System.out.printf(Locale.ROOT, "  +%3.0f s: %,d of %,d records committed; peak RSS of the detectors %,d MB; %s%n",
                            (now - start) / 1e9, committed, records, rss / 1024, BenchKafka.load());
                }
            }
            long tEnd = System.nanoTime();
            long detectTicks = 0;
            for (int i = 0; i < k; i++) {
                detectTicks += LiveScaleBenchmark.cpuTicks(detectors.get(i).process().pid()) - ticksAtStart[i];
            }
            long brokerTicks = LiveScaleBenchmark.cpuTicks(broker.process().pid()) - brokerTicksAtStart;
            if (loader != null) {
                loader.join();
                if (loadResult.get() instanceof Exception e) {
                    throw new IllegalStateException("loading failed", e);
                }
                checkLoaded((KafkaThroughputBenchmark.Loaded) loadResult.get(), scanned, admin, events);
            }
            String partitions = partitionsPerInstance(admin, applicationId, events);
            double fromStart = (tEnd - start) / 1e9;
            double afterFirst = (tEnd - tFirst) / 1e9;
            double rate = (records - atFirst) / afterFirst;
            System.out.printf(Locale.ROOT, "  end of every partition committed %.1f s after the start (%s; launch %.1f s before it; "
                            + "first commit %.1f s after it): %,.0f records/s from the start, %,.0f after the first commit; "
                            + "partitions per instance %s at the end; %s%n",
                    fromStart, PRELOADED ? "the start is the launch" : "the start is the load's", (start - launched) / 1e9,
                    (tFirst - start) / 1e9, records / fromStart, rate, atStart.isEmpty() ? "" : atStart + " at the start, " + partitions,
                    BenchKafka.load());
            List<String> rss = new ArrayList<>();
            List<String> heap = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                LiveScaleBenchmark.Child c = detectors.get(i);
                peakRss[i] = Math.max(peakRss[i], LiveScaleBenchmark.rssKb(c.process().pid()));
                String h = LiveScaleBenchmark.heapAfterGc(c.process().pid());
                rss.add(String.format(Locale.ROOT, "%,d MB", peakRss[i] / 1024));
                heap.add(h);
                System.out.printf(Locale.ROOT, "  %s: peak RSS %,d MB, heap after a full GC %s, CPU %.1f s since launch%n", c.name(),
                        peakRss[i] / 1024, h, LiveScaleBenchmark.cpuTicks(c.process().pid()) / 100.0);
            }
            System.out.printf(Locale.ROOT, "  broker: RSS %,d MB%n", LiveScaleBenchmark.rssKb(broker.process().pid()) / 1024);
            stop(detectors);
            StringBuilder trouble = new StringBuilder();
            for (LiveScaleBenchmark.Child c : detectors) {
                LiveScaleBenchmark.trouble(c.name(), c.stderr());
                trouble.append(trouble.isEmpty() ? "" : " + ").append(troubleCounts(c.stderr()));
            }
            boolean identical = KafkaThroughputBenchmark.compare(bootstrap, alerts, expected);
            return new Result(k, records, (start - launched) / 1e9, (tFirst - start) / 1e9, fromStart, records / fromStart, rate,
                    detectTicks / 100.0 / fromStart, brokerTicks / 100.0 / fromStart, rss, heap,
                    atStart.isEmpty() ? partitions : atStart + " → " + partitions, identical, trouble.toString());
        } finally {
            for (LiveScaleBenchmark.Child c : detectors) {
                c.process().destroyForcibly();
            }
            if (loader != null) {
                loader.join();
            }
        }
    }

    private static void checkLoaded(KafkaThroughputBenchmark.Loaded loaded, KafkaThroughputBenchmark.Loaded scanned, Admin admin,
                                    String topic) throws Exception {
        long end = endOffsets(admin, topic);
        if (loaded.records() != scanned.records() || end != scanned.records() || !Arrays.equals(loaded.newest(), scanned.newest())) {
            throw new IllegalStateException("loaded " + loaded.records() + " records, " + end + " on the topic, " + scanned.records()
                    + " expected; newest per partition " + Arrays.toString(loaded.newest()) + ", expected " + Arrays.toString(scanned.newest()));
        }
    }

    /**
     * Waits until every detector logged its ready line and the group has been stable for 3 s with all K instances
     * holding events partitions and every partition held; returns the partitions per instance then, as "3, 3".
     */
    private static String awaitSettled(Admin admin, String applicationId, String events, List<LiveScaleBenchmark.Child> detectors,
                                       int k, long launched) throws Exception {
        long settledSince = 0;
        String last = "";
        while (true) {
            Thread.sleep(500);
            for (LiveScaleBenchmark.Child c : detectors) {
                if (!c.process().isAlive()) {
                    throw new IllegalStateException(c.name() + " stopped (exit " + c.process().exitValue() + "); see " + c.stderr());
                }
            }
            boolean ready = true;
            for (LiveScaleBenchmark.Child c : detectors) {
                ready &= Files.exists(c.stderr()) && Files.readString(c.stderr()).contains("ready: detector");
            }
            long t = System.nanoTime();
            if (t - launched > TIMEOUT_NANOS) {
                throw new IllegalStateException("the group of " + k + " did not settle: ready " + ready + ", partitions per instance "
                        + last);
            }
            if (!ready) { // the group may not exist yet
                continue;
            }
            var group = admin.describeConsumerGroups(List.of(applicationId)).all().get().get(applicationId);
            Map<String, Integer> byInstance = byInstance(group.members(), events);
            int held = byInstance.values().stream().mapToInt(Integer::intValue).sum();
            boolean settled = ready && group.groupState() == GroupState.STABLE && byInstance.size() == k
                    && byInstance.values().stream().allMatch(n -> n > 0) && held == PARTITIONS;
            String now = byInstance.values().toString();
            if (!settled || !now.equals(last)) {
                settledSince = settled ? t : 0;
            } else if (settledSince != 0 && t - settledSince >= 3_000_000_000L) {
                System.out.printf(Locale.ROOT, "  settled %.1f s after launch: partitions per instance %s; %s%n",
                        (t - launched) / 1e9, now, BenchKafka.load());
                return now.replaceAll("[\\[\\]]", "");
            }
            last = now;
        }
    }

    /** Stops the detectors with SIGTERM, all at once, and waits for each. */
    private static void stop(List<LiveScaleBenchmark.Child> detectors) throws InterruptedException {
        for (LiveScaleBenchmark.Child c : detectors) {
            c.process().destroy();
        }
        for (LiveScaleBenchmark.Child c : detectors) {
            boolean stopped = c.process().waitFor(90, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "  %s stopped by SIGTERM (exit %s)%n", c.name(), stopped ? c.process().exitValue() : "none, killed");
        }
    }

    private static String troubleCounts(Path stderr) throws java.io.IOException {
        List<String> lines = Files.readAllLines(stderr);
        long fenced = lines.stream().filter(l -> l.contains("Fenced") || l.contains("InvalidProducerEpoch")).count();
        long rebalance = lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("rebalanc")).count();
        return fenced + " / " + rebalance;
    }

    /** The group's committed offsets on {@code events}, summed. */
    private static long committed(Admin admin, String applicationId, String events) throws Exception {
        return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(events) && e.getValue() != null)
                .map(Map.Entry::getValue).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** The partitions of {@code events} each instance of the group holds, as "3, 3". */
    private static String partitionsPerInstance(Admin admin, String applicationId, String events) throws Exception {
        var members = admin.describeConsumerGroups(List.of(applicationId)).all().get().get(applicationId).members();
        return byInstance(members, events).values().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("none");
    }

    /**
     * The partitions of {@code events} by instance: members are stream threads, grouped by the client id before
     * {@code -StreamThread-} (one per process).
     */
    private static Map<String, Integer> byInstance(java.util.Collection<MemberDescription> members, String events) {
        Map<String, Integer> byInstance = new TreeMap<>();
        for (MemberDescription m : members) {
            String client = m.clientId();
            int cut = client.indexOf("-StreamThread-");
            String instance = cut < 0 ? client : client.substring(0, cut);
            int n = (int) m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(events)).count();
            byInstance.merge(instance, n, Integer::sum);
        }
        return byInstance;
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(ask).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    private static List<String> opts(String property, String defaults) {
        String value = System.getProperty(property, defaults).strip();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }
}
