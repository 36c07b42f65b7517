package org.hotlinemonitor.app.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints alerts from the alerts topic as they are committed: a {@code read_committed} consumer on a thread of its
 * own, in its own consumer group (so that a restart resumes where the last one stopped, and it never takes work
 * from the detector's group), one line per alert on {@code out}.
 *
 * <p>It reads every partition of the topic by assignment, not by subscription, so there is no rebalance to wait
 * for: {@link #start()} returns once each partition's starting position is known (the group's committed offset,
 * else the end or the beginning, as asked), before anything it should print can be written.
 *
 * <p>Owns its consumer; {@link #close()} reads up to the end of what is committed (at most {@link #DRAIN_LIMIT}),
 * prints it, and stops.
 */
final class AlertPrinter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertPrinter.class);
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

    /** How an alert is printed. */
    enum Format {
        /** The canonical JSON line, as on the topic. */
        JSON,
        /** One line for people: time in the channel's zone, type, channel, detail. */
        TEXT
    }

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Format format;
    private final MonitorConfig config;
    private final PrintStream out;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean draining;
    private volatile long printed;

    /**
     * @param fromBeginning where a partition without a committed offset starts: true for its beginning, false for
     *                      its end
     */
    AlertPrinter(String bootstrapServers, String topic, String groupId, boolean fromBeginning, Format format,
                 MonitorConfig config, PrintStream out) {
        this(bootstrapServers, Map.of(), topic, groupId, fromBeginning, format, config, out);
    }

    /** As above, with Kafka client settings (security...) for its consumer. */
    AlertPrinter(String bootstrapServers, Map<String, String> kafka, String topic, String groupId, boolean fromBeginning,
                 Format format, MonitorConfig config, PrintStream out) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        this.topic = topic;
        this.format = format;
        this.config = config;
        this.out = out;
        this.thread = new Thread(this::loop, "alert-printer");
        this.thread.setDaemon(true);
    }

    /** Assigns every partition, finds where each starts, and starts printing. */
    void start() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30))); // fixes the start before the detector writes
        thread.start();
    }

    /** Alerts printed so far. */
    long printed() {
        return printed;
    }

    private void loop() {
        try {
            Map<TopicPartition, Long> ends = null;
            while (true) {
                var records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> r : records) {
                    out.println(format == Format.JSON ? r.value() : text(r.value()));
                    printed++;
                }
                if (!records.isEmpty()) {
                    out.flush();
                    consumer.commitSync(); // after printing: a restart prints nothing twice, unless it died in between
                }
                if (draining) {
                    if (ends == null) {
                        ends = consumer.endOffsets(consumer.assignment()); // read_committed: the last stable offsets
                    }
                    if (ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // close() gave up waiting
        } catch (RuntimeException e) {
            LOG.error("cannot print alerts from {}", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    /** The readable line for an alert's JSON; the JSON itself if it cannot be read. */
    String text(String json) {
        Alert a;
        try {
            a = AlertCodec.fromJson(json);
        } catch (RuntimeException e) {
            return json;
        }
        Channel channel = config.channel(a.channel());
        ZoneId zone = channel == null ? ZoneOffset.UTC : channel.zone();
        return String.format(Locale.ROOT, "%s  %-16s %-20s %s", TIME.format(a.at().atZone(zone)), a.type(), a.channel(),
                detail(a, zone));
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT);

    private static String detail(Alert a, ZoneId zone) {
        return switch (a.type()) {
            case SLOT_MISSED -> "the " + local(a.slot(), zone) + " call was not answered ("
                    + a.cause().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
            case CALL_NOT_PLACED -> "our side placed no call for the " + local(a.slot(), zone) + " slot";
            case CHANNEL_DOWN -> "down: " + a.missedSlots() + " missed calls in a row since " + local(a.since(), zone);
            case CHANNEL_RESTORED -> "answered again after " + a.missedSlots() + " missed calls, down "
                    + human(a.duration());
            case OUR_SIDE_SILENT -> "no heartbeat from our side since " + local(a.since(), zone)
                    + ": channels unknown, unplaced calls not alerted one by one";
            case OUR_SIDE_RESUMED -> "our side heard again after " + human(a.duration()) + " of silence";
        };
    }

    private static String local(Instant t, ZoneId zone) {
        return t == null ? "?" : CLOCK.format(t.atZone(zone));
    }

    private static String human(Duration d) {
        if (d == null) {
            return "?";
        }
        long minutes = d.toMinutes();
        return minutes >= 60 ? (minutes / 60) + " h " + (minutes % 60) + " min" : minutes + " min";
    }

    /** Prints what is committed up to now (at most {@link #DRAIN_LIMIT}), then closes the consumer. */
    @Override
    public void close() {
        if (!thread.isAlive() && stopped.getCount() == 1) { // never started
            consumer.close(Duration.ZERO);
            return;
        }
        draining = true;
        try {
            if (!stopped.await(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                consumer.wakeup();
                stopped.await(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
