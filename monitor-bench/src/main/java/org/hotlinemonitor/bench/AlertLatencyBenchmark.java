package org.hotlinemonitor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.hotlinemonitor.app.broker.EmbeddedBroker;
import org.hotlinemonitor.app.detect.DetectorService;
import org.hotlinemonitor.app.detect.DetectorSettings;
import org.hotlinemonitor.app.detect.DetectorTopics;
import org.hotlinemonitor.app.produce.KafkaEventPublisher;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.Cron;

/**
 * Alert latency, live: from a slot's deadline (an alert's {@code at}) to the alert on {@code hotline.alerts},
 * with the detector's default settings on the system clock. Run by {@code bench/alert-latency.sh}; see
 * docs/benchmarks.md.
 *
 * <p>One JVM: the {@link EmbeddedBroker}, a {@link DetectorService} with {@link DetectorSettings#of defaults}, a
 * producer ({@link KafkaEventPublisher}, as the live producers use) and a {@code read_committed} consumer of the alerts.
 * {@code CHANNELS} channels are checked every minute ({@code cron: "* * * * *"}), with {@code answerWithin} from
 * 5 to 54 s so that deadlines spread over the minute, and two missed slots make a channel down. Each slot is
 * answered (60%), rings out ({@code NO_ANSWER}, 30%: {@code SLOT_MISSED}, and {@code CHANNEL_DOWN} on the second)
 * or is never placed (10%: {@code CALL_NOT_PLACED}); an event is sent at a random moment in the first half of its
 * slot's window, stamped with the clock when sent. The first minute is a warm-up; the alerts of the next
 * {@code MINUTES} minutes are measured: for each, the consumer's receive time less its {@code at} (the honest
 * figure: when a reader has it), and its Kafka timestamp (the detector's clock when it sent it) less its {@code at}.
 *
 * <p>Usage: {@code AlertLatencyBenchmark [CHANNELS] [MINUTES] [PARTITIONS]} (defaults 2000, 4, 6)
 */
public final class AlertLatencyBenchmark {

    private AlertLatencyBenchmark() {
    }

    /** An alert as received. */
    record Received(long receivedAt, long timestamp, Alert alert) {
    }

    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        MonitorConfig config = config(channels);
        Path dir = Files.createTempDirectory("latency-bench");
        DetectorTopics topics = DetectorTopics.DEFAULT;
        System.out.printf(Locale.ROOT, "%d channels checked every minute, %d measured minutes after one warm-up, %d partitions; %d cores; %s%n",
                channels, minutes, partitions, Runtime.getRuntime().availableProcessors(), BenchKafka.load());
        try (EmbeddedBroker broker = EmbeddedBroker.start(new EmbeddedBroker.Config(dir, 0, 0));
             Admin admin = BenchKafka.admin(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            BenchKafka.createTopics(admin, partitions, topics.events(), topics.alerts(), topics.rejects());
            List<Received> received = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> readAlerts(bootstrap, topics.alerts(), received, stop), "alert-reader");
            reader.start();
            DetectorSettings settings = DetectorSettings.of(bootstrap).withStateDir(dir.resolve("streams"));
            System.out.printf(Locale.ROOT, "detector settings: allowed lateness %s, punctuation %s, backlog threshold %s, "
                            + "exactly_once_v2 (commit.interval.ms 100)%n",
                    settings.allowedLateness(), settings.punctuateInterval(), settings.backlogThreshold());
            long start;
            long end;
            long rejected;
            try (DetectorService detector = new DetectorService(settings, config);
                 KafkaEventPublisher sink = new KafkaEventPublisher(KafkaEventPublisher.producerConfig(bootstrap, "latency-bench",
                         Duration.ofMinutes(1), Map.of()), topics.events(), Duration.ofMinutes(1))) {
                detector.start();
                if (!detector.awaitRunning(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the detector is not running after 2 minutes: " + detector.state());
                }
                // The first whole minute that starts at least 5 s from now.
                start = (System.currentTimeMillis() / 60_000 + 1) * 60_000;
                if (start - System.currentTimeMillis() < 5_000) {
                    start += 60_000;
                }
                end = start + (minutes + 1) * 60_000L;
                produce(sink, config, start, end);
                // The last deadline of the last slot is at most 54 s after its slot: wait for its alerts.
                Thread.sleep(Math.max(0, end + 5_000 - System.currentTimeMillis()));
                rejected = detector.rejects().total();
                if (detector.failure().isPresent()) {
                    throw new IllegalStateException("the detector failed", detector.failure().get());
                }
                System.out.printf(Locale.ROOT, "events sent %,d, failed %,d; rejected by the detector %,d; %s%n",
                        sink.delivered(), sink.failed(), rejected, BenchKafka.load());
            }
            stop.set(true);
            reader.join();
            report(received, start + 60_000, end);
        } finally {
            BenchKafka.deleteTree(dir);
        }
    }

    /** {@code n} channels checked every minute, deadlines spread over the minute by their answer window. */
    static MonitorConfig config(int n) {
        List<Channel> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Channel(String.format(Locale.ROOT, "line-%05d", i), null, Cron.parse("* * * * *", ZoneOffset.UTC),
                    Duration.ofSeconds(5 + i % 50), 2));
        }
        return new MonitorConfig(list);
    }

    /** Sends each slot's event at its moment, for the slots in {@code [start, end)}; returns at {@code end}. */
    static void produce(KafkaEventPublisher sink, MonitorConfig config, long start, long end) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(1);
        for (long slot = start; slot < end; slot += 60_000) {
            List<long[]> plan = new ArrayList<>(); // send at, channel index, kind ordinal
            for (int i = 0; i < config.channels().size(); i++) {
                double p = random.nextDouble();
                long window = config.channels().get(i).answerWithin().toMillis();
                long at = slot + random.nextLong(window / 2);
                if (p < 0.6) {
                    plan.add(new long[] {at, i, EventKind.ANSWERED.ordinal()});
                } else if (p < 0.9) {
                    plan.add(new long[] {at, i, EventKind.NO_ANSWER.ordinal()});
                } // else: never placed
            }
            plan.sort((a, b) -> Long.compare(a[0], b[0]));
            for (long[] e : plan) {
                long wait = e[0] - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                Channel c = config.channels().get((int) e[1]);
                sink.publish(CallEvent.of(c.id(), EventKind.values()[(int) e[2]], Instant.now(), Instant.ofEpochMilli(slot)));
            }
        }
        Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
    }

    /** Reads the alerts topic as a {@code read_committed} consumer with default settings, noting when each arrives. */
    static void readAlerts(String bootstrap, String topic, List<Received> out, AtomicBoolean stop) {
        BenchKafka.readAlerts(bootstrap, topic, stop, (receivedAt, timestamp, alert) -> {
            synchronized (out) {
                out.add(new Received(receivedAt, timestamp, alert));
            }
        });
    }

    /** Prints the latency quantiles of the alerts whose {@code at} is in {@code [from, to)}, in all and by type. */
    static void report(List<Received> received, long from, long to) {
        List<Received> measured;
        synchronized (received) {
            measured = received.stream().filter(r -> r.alert().at().toEpochMilli() >= from && r.alert().at().toEpochMilli() < to).toList();
        }
        System.out.printf(Locale.ROOT, "alerts received %,d, measured (at in [%s, %s)) %,d%n", received.size(),
                Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), measured.size());
        line("all, receive - at", measured.stream().mapToLong(r -> r.receivedAt() - r.alert().at().toEpochMilli()).toArray());
        line("all, Kafka timestamp - at", measured.stream().mapToLong(r -> r.timestamp() - r.alert().at().toEpochMilli()).toArray());
        Map<String, List<Received>> byType = new TreeMap<>();
        measured.forEach(r -> byType.computeIfAbsent(r.alert().type().name(), k -> new ArrayList<>()).add(r));
        byType.forEach((type, rs) -> line(type + ", receive - at",
                rs.stream().mapToLong(r -> r.receivedAt() - r.alert().at().toEpochMilli()).toArray()));
    }

    private static void line(String what, long[] ms) {
        if (ms.length == 0) {
            System.out.printf(Locale.ROOT, "%s: none%n", what);
            return;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%s (%,d alerts), ms: min %d, p50 %d, p90 %d, p99 %d, max %d%n", what, ms.length, ms[0],
                BenchKafka.quantile(ms, 0.5), BenchKafka.quantile(ms, 0.9), BenchKafka.quantile(ms, 0.99), ms[ms.length - 1]);
    }
}
