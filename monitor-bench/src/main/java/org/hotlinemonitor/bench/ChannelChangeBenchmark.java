package org.hotlinemonitor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.detect.BrokerContact;
import org.hotlinemonitor.app.detect.ChannelRegistry;
import org.hotlinemonitor.app.detect.DetectorTopics;
import org.hotlinemonitor.app.detect.DetectorTopology;
import org.hotlinemonitor.app.detect.DetectorView;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * What a change of the channels topic costs a running detector task: the task of partition 0 of {@code PARTITIONS}
 * (Kafka Streams' test driver, no broker) owns its share of {@code CHANNELS} channels and has started; then, {@code
 * CHANGES} times, one of its channels changes schedule in the {@link ChannelRegistry} (as the topic's reader would do)
 * and the next punctuation applies it. Prints the time of each punctuation with a change and of one without (the
 * difference is the change's cost: the task's monitor of its channels is rebuilt), and the heap used.
 *
 * <p>Usage: {@code ChannelChangeBenchmark CHANNELS [PARTITIONS] [CHANGES]} (defaults 6 partitions, 5 changes);
 * {@code bench/channel-change.sh}.
 */
public final class ChannelChangeBenchmark {

    private ChannelChangeBenchmark() {
    }

    /** A clock the benchmark moves. */
    static final class Moving extends Clock {
        volatile Instant now;

        Moving(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    public static void main(String[] args) throws Exception {
        int channels = Integer.parseInt(args[0]);
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ChannelRegistry registry = new ChannelRegistry(partitions);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            Channel c = channel(String.format("line-%07d", i), i % 1440);
            registry.put(c);
            if (ChannelPartitions.partitionOf(c.id(), partitions) == 0) {
                mine.add(c.id());
            }
        }
        Instant start = Instant.parse("2024-03-01T00:00:00Z");
        Moving clock = new Moving(start);
        Topology topology = DetectorTopology.build(new Topology(), registry, null, DetectorTopics.DEFAULT, Duration.ofMillis(500),
                clock, BrokerContact.ALWAYS, new RejectCounter(), new DetectorView(), DetectorTopology.Options.defaults(partitions));
        Path state = Files.createTempDirectory("channel-change");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "channel-change-bench");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        Duration tick = DetectorTopology.DEFAULT_PUNCTUATE_INTERVAL;
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, p, start)) {
            // Idle past the backlog threshold: the clock counts and the task starts; then a few quiet punctuations.
            for (int i = 0; i < 20; i++) {
                clock.now = clock.now.plusSeconds(1);
                driver.advanceWallClockTime(tick);
            }
            long[] quiet = new long[changes];
            long[] changed = new long[changes];
            for (int k = 0; k < changes; k++) {
                clock.now = clock.now.plusSeconds(1);
                long t0 = System.nanoTime();
                driver.advanceWallClockTime(tick);
                quiet[k] = System.nanoTime() - t0;
                registry.put(channel(mine.get(k * 7919 % mine.size()), 720 + k)); // a new check time: a changed schedule
                clock.now = clock.now.plusSeconds(1);
                t0 = System.nanoTime();
                driver.advanceWallClockTime(tick);
                changed[k] = System.nanoTime() - t0;
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("channels %,d, partitions %d: the task of partition 0 owns %,d%n", channels, partitions, mine.size());
            System.out.printf("punctuation without a change, ms: %s%n", ms(quiet));
            System.out.printf("punctuation applying one change, ms: %s%n", ms(changed));
            Arrays.sort(changed);
            Arrays.sort(quiet);
            System.out.printf("median: %.1f ms with a change, %.1f ms without; heap used after GC %,d MB%n",
                    changed[changes / 2] / 1e6, quiet[changes / 2] / 1e6, (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }

    private static String ms(long[] nanos) {
        StringBuilder s = new StringBuilder();
        for (long n : nanos) {
            s.append(String.format("%.1f ", n / 1e6));
        }
        return s.toString().strip();
    }

    /** A channel checked daily at {@code minute} (of the day, UTC). */
    private static Channel channel(String id, int minute) {
        LocalTime at = LocalTime.of(minute / 60 % 24, minute % 60);
        return new Channel(id, id, Schedule.of(ZoneOffset.UTC, Set.of(at), DayRule.everyDay(), "checks " + at + " every day"),
                Duration.ofHours(1), 2);
    }
}
