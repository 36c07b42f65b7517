package org.hotlinemonitor.bench;

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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * Topic replay with K detector instances: the throughput and memory of 1, 2, 3... {@code detect} processes of the
 * shipped jar sharing one preloaded events topic on one broker. Run by {@code bench/split-throughput.sh}; see
 * docs/benchmarks.md.
 *
 * <ol>
 *   <li>The shipped jar's {@code broker} as a child process (data in a temporary directory, free ports); it creates
 *       the project's topics ({@code hotline.events} with {@code PARTITIONS} partitions, 6 by default). The events
 *       topic is then set to keep its records ({@code retention.ms=-1}: the generated events are from 2023, and the
 *       default 7-day retention would delete them during the run).</li>
 *   <li>The log is loaded as {@link KafkaThroughputBenchmark#load} does (keyed by channel id, stamped with the
 *       event's time, as {@code KafkaEventSink} does; a heartbeat to every partition), and replayed once in this
 *       JVM with the same lateness: the alerts every run must send ({@link KafkaThroughputBenchmark#replayExpected}).</li>
 *   <li>For each K: K {@code detect} processes with one fresh application id (so they start from offset 0), their
 *       own alerts and rejects topics, each its own state directory and HTTP port, {@code --allowed-lateness PT5M
 *       --backlog-threshold PT24H} (the bulk-run settings of {@link KafkaThroughputBenchmark}) and
 *       {@code --channel-metrics failing}. From launch until the group's committed offsets (listed every 200 ms)
 *       reach the end of every partition: the rate (from the first commit, and from launch), each process's CPU
 *       and peak resident memory (sampled at each look), then the heap after a full GC ({@code jcmd GC.run},
 *       {@code GC.heap_info}), the partitions each instance held at the end, the logs' fenced and rebalance lines;
 *       then the instances are stopped (SIGTERM) and their alerts read back ({@code read_committed}) and compared
 *       with the replay's.</li>
 * </ol>
 *
 * <p>Usage: {@code SplitThroughputBenchmark JAR CHANNELS_FILE LOG K...}. System properties:
 * {@code bench.detectOpts} (each detector's JVM options, default {@code -Xmx3g}), {@code bench.brokerOpts}
 * (default {@code -Xmx1g}), {@code bench.channelMetrics} (default {@code failing}), {@code bench.partitions}
 * (default 6), {@code bench.timeoutMinutes} (per K, default 30).
 */
public final class SplitThroughputBenchmark {

    private static final List<String> DETECT_OPTS = opts("bench.detectOpts", "-Xmx3g");
    private static final List<String> BROKER_OPTS = opts("bench.brokerOpts", "-Xmx1g");
    private static final String CHANNEL_METRICS = System.getProperty("bench.channelMetrics", "failing");
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(Integer.getInteger("bench.timeoutMinutes", 30));
    private static final String EVENTS = KafkaThroughputBenchmark.EVENTS;

    private SplitThroughputBenchmark() {
    }

    /** What one K measured. */
    record Result(int instances, long records, double launchToFirstCommit, double launchToEnd, double rateAfterFirst,
                  double rateFromLaunch, double detectCores, double detectCoresMeasured, double brokerCoresMeasured,
                  List<String> peakRss, List<String> heap, String partitionsPerInstance, boolean alertsIdentical,
                  String trouble) {
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
        System.out.println("| instances | records | to first commit | to end | records/s after first commit | records/s from launch "
                + "| CPU of the detectors, launch to end | CPU measured window: detectors, broker | peak RSS each | heap after GC each "
                + "| partitions each | alerts = replay | fenced / rebalance lines |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | --- |");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %d | %,d | %.1f s | %.1f s | %,.0f | %,.0f | %.2f cores | %.2f, %.2f cores | %s | %s | %s | %s | %s |%n",
                    r.instances(), r.records(), r.launchToFirstCommit(), r.launchToEnd(), r.rateAfterFirst(), r.rateFromLaunch(),
                    r.detectCores(), r.detectCoresMeasured(), r.brokerCoresMeasured(), String.join(" + ", r.peakRss()),
                    String.join(" + ", r.heap()), r.partitionsPerInstance(), r.alertsIdentical() ? "identical" : "NO", r.trouble());
        }
        System.out.println("work directory (the logs of every process kept, the broker's data and state directories deleted): " + dir);
    }

    /** Loads the log, replays it, then runs each K against the broker at {@code bootstrap}. */
    private static List<Result> measure(Path jar, Path channels, Path log, int[] ks, Path dir, String bootstrap,
                                        LiveScaleBenchmark.Child broker) throws Exception {
        List<Result> results = new ArrayList<>();
        try (Admin admin = BenchKafka.admin(bootstrap)) {
            keepForever(admin, EVENTS);
            KafkaThroughputBenchmark.Loaded loaded = KafkaThroughputBenchmark.load(bootstrap, log, PARTITIONS);
            long records = endOffsets(admin);
            if (records != loaded.records()) {
                throw new IllegalStateException("the topic holds " + records + " records, " + loaded.records() + " were sent");
            }
            long t0 = System.nanoTime();
            MonitorConfig config = ConfigLoader.load(channels);
            KafkaThroughputBenchmark.Expected expected = KafkaThroughputBenchmark.replayExpected(config, log, PARTITIONS,
                    loaded.newest());
            config = null; // the replay's state: not kept through the runs
            System.out.printf(Locale.ROOT, "in-process replay of the log (PT5M lateness): %,d alerts, %,d before the end "
                    + "watermarks, %d rejects, %.1f s%n", expected.replayed(), expected.count(), expected.rejects(),
                    (System.nanoTime() - t0) / 1e9);
            System.gc();
            for (int k : ks) {
                results.add(run(jar, channels, dir, bootstrap, admin, broker, k, records, expected));
            }
        }
        return results;
    }

    /**
     * One K: K detectors of a fresh application id from offset 0 to the end of every partition; measures, stops them,
     * compares their alerts with the replay's.
     */
    static Result run(Path jar, Path channels, Path dir, String bootstrap, Admin admin, LiveScaleBenchmark.Child broker, int k,
                      long records, KafkaThroughputBenchmark.Expected expected) throws Exception {
        String applicationId = "bench-split-" + k;
        String alerts = "bench.split.alerts." + k;
        String rejects = "bench.split.rejects." + k;
        BenchKafka.createTopics(admin, PARTITIONS, alerts, rejects); // kept for good, like the events: alerts of 2023
        System.out.printf(Locale.ROOT, "%n%d detector instance(s), application id %s; %s%n", k, applicationId, BenchKafka.load());
        List<LiveScaleBenchmark.Child> detectors = new ArrayList<>();
        long launched = System.nanoTime();
        for (int i = 0; i < k; i++) {
            detectors.add(LiveScaleBenchmark.Child.start(dir, "detect-" + k + "-" + (i + 1), DETECT_OPTS, jar, "detect",
                    "--bootstrap-servers", bootstrap, "--channels", channels.toString(), "--application-id", applicationId,
                    "--state-dir", dir.resolve("streams-" + k + "-" + (i + 1)).toString(),
                    "--http-port", Integer.toString(LiveScaleBenchmark.freePort()), "--channel-metrics", CHANNEL_METRICS,
                    "--topic-alerts", alerts, "--topic-rejects", rejects,
                    "--allowed-lateness", KafkaThroughputBenchmark.LATENESS.toString(),
                    "--backlog-threshold", KafkaThroughputBenchmark.BACKLOG_THRESHOLD.toString()));
        }
        try {
            long[] peakRss = new long[k];
            long tFirst = 0;
            long atFirst = 0;
            long[] ticksAtFirst = new long[k];
            long brokerTicksAtFirst = 0;
            long lastPrint = launched;
            while (true) {
                Thread.sleep(200);
                for (LiveScaleBenchmark.Child c : detectors) {
                    if (!c.process().isAlive()) {
                        throw new IllegalStateException(c.name() + " stopped (exit " + c.process().exitValue() + "); see " + c.stderr());
                    }
                }
                for (int i = 0; i < k; i++) {
                    peakRss[i] = Math.max(peakRss[i], LiveScaleBenchmark.rssKb(detectors.get(i).process().pid()));
                }
                long committed = committed(admin, applicationId);
                long now = System.nanoTime();
                if (tFirst == 0 && committed > 0) {
                    tFirst = now;
                    atFirst = committed;
                    for (int i = 0; i < k; i++) {
                        ticksAtFirst[i] = LiveScaleBenchmark.cpuTicks(detectors.get(i).process().pid());
                    }
                    brokerTicksAtFirst = LiveScaleBenchmark.cpuTicks(broker.process().pid());
                    System.out.printf(Locale.ROOT, "  first commit %.1f s after launch: %,d records%n", (now - launched) / 1e9, committed);
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
                            (now - launched) / 1e9, committed, records, rss / 1024, BenchKafka.load());
                }
            }
            long tEnd = System.nanoTime();
            long detectTicks = 0;
            long detectTicksMeasured = 0;
            for (int i = 0; i < k; i++) {
                long ticks = LiveScaleBenchmark.cpuTicks(detectors.get(i).process().pid());
                detectTicks += ticks;
                detectTicksMeasured += ticks - ticksAtFirst[i];
            }
            long brokerTicksMeasured = LiveScaleBenchmark.cpuTicks(broker.process().pid()) - brokerTicksAtFirst;
            String partitions = partitionsPerInstance(admin, applicationId);
            double toEnd = (tEnd - launched) / 1e9;
            double measured = (tEnd - tFirst) / 1e9;
            double rate = (records - atFirst) / measured;
            System.out.printf(Locale.ROOT, "  end of every partition committed %.1f s after launch (first commit at %.1f s): "
                            + "%,.0f records/s after the first commit, %,.0f from launch; partitions per instance at the end: %s; %s%n",
                    toEnd, (tFirst - launched) / 1e9, rate, records / toEnd, partitions, BenchKafka.load());
            List<String> rss = new ArrayList<>();
            List<String> heap = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                LiveScaleBenchmark.Child c = detectors.get(i);
                peakRss[i] = Math.max(peakRss[i], LiveScaleBenchmark.rssKb(c.process().pid()));
                String h = LiveScaleBenchmark.heapAfterGc(c.process().pid());
                rss.add(String.format(Locale.ROOT, "%,d MB", peakRss[i] / 1024));
                heap.add(h);
                System.out.printf(Locale.ROOT, "  %s: peak RSS %,d MB, heap after a full GC %s, CPU %.1f s%n", c.name(), peakRss[i] / 1024,
                        h, LiveScaleBenchmark.cpuTicks(c.process().pid()) / 100.0);
            }
            System.out.printf(Locale.ROOT, "  broker: RSS %,d MB%n", LiveScaleBenchmark.rssKb(broker.process().pid()) / 1024);
            stop(detectors);
            StringBuilder trouble = new StringBuilder();
            for (LiveScaleBenchmark.Child c : detectors) {
                LiveScaleBenchmark.trouble(c.name(), c.stderr());
                trouble.append(trouble.isEmpty() ? "" : " + ").append(troubleCounts(c.stderr()));
            }
            boolean identical = KafkaThroughputBenchmark.compare(bootstrap, alerts, expected);
            return new Result(k, records, (tFirst - launched) / 1e9, toEnd, rate, records / toEnd,
                    detectTicks / 100.0 / toEnd, detectTicksMeasured / 100.0 / measured, brokerTicksMeasured / 100.0 / measured,
                    rss, heap, partitions, identical, trouble.toString());
        } finally {
            for (LiveScaleBenchmark.Child c : detectors) {
                c.process().destroyForcibly();
            }
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

    /** The group's committed offsets on the events topic, summed. */
    private static long committed(Admin admin, String applicationId) throws Exception {
        return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(EVENTS) && e.getValue() != null)
                .map(Map.Entry::getValue).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /**
     * The events partitions each instance of the group held at the end, as "3, 3": members are stream threads,
     * grouped by the client id before {@code -StreamThread-} (one per process).
     */
    private static String partitionsPerInstance(Admin admin, String applicationId) throws Exception {
        Map<String, Integer> byInstance = new TreeMap<>();
        for (MemberDescription m : admin.describeConsumerGroups(List.of(applicationId)).all().get().get(applicationId).members()) {
            String client = m.clientId();
            int cut = client.indexOf("-StreamThread-");
            String instance = cut < 0 ? client : client.substring(0, cut);
            int n = (int) m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(EVENTS)).count();
            byInstance.merge(instance, n, Integer::sum);
        }
        return byInstance.values().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("none");
    }

    /** Sets {@code topic} to keep its records for good. */
    private static void keepForever(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "-1"),
                AlterConfigOp.OpType.SET)))).all().get(60, TimeUnit.SECONDS);
    }

    private static long endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            ask.put(new TopicPartition(EVENTS, p), OffsetSpec.latest());
        }
        return admin.listOffsets(ask).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    private static List<String> opts(String property, String defaults) {
        String value = System.getProperty(property, defaults).strip();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }
}
