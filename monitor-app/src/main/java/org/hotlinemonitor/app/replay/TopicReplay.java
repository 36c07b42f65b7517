package org.hotlinemonitor.app.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.app.broker.KafkaClientConfig;
import org.hotlinemonitor.app.detect.DeadLetters;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.ingest.EventGate;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.BadInputException;
import org.hotlinemonitor.core.replay.RecordReplay;
import org.hotlinemonitor.core.replay.RejectRecord;
import org.hotlinemonitor.core.replay.Replay;
import org.hotlinemonitor.core.replay.ReplayDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a time range of the events topic into a {@link RecordReplay}: replay's source when it reads Kafka
 * instead of files.
 *
 * <h2>What is read</h2>
 * Every partition, from the first record whose Kafka timestamp is at or after {@code since}
 * ({@code offsetsForTimes}) to the end offset found when the read starts (the last stable offset:
 * {@code read_committed}, so aborted records are never seen). With {@code until}, events after it are
 * skipped (not replayed, not refused), and a partition is left at its first event after
 * {@code until + allowedLateness} that is within {@code maxJump} of the partition's time (its newest such event
 * read, at first {@code since}): any event behind it at or before {@code until} would be late. An event further
 * ahead may be an outlier, which moves no time, so the partition is read on past it. No
 * consumer group: partitions are assigned, nothing is committed, nothing is left behind on the cluster.
 *
 * <h2>Order</h2>
 * Each partition is kept in offset order (the order its live task read it), and the partitions are merged by
 * event time: the next record is the head, among all partitions' heads, with the earliest event time (a record
 * that does not parse counts as earliest), ties by partition. A record is handed on only when every partition
 * that is not finished has a head, so the order depends on the topic's contents alone, never on how fetches
 * arrive. Because within a partition the order is offset order, an event is late in this merged replay exactly
 * when it is late by its own partition's event time, as the live task judged it (see docs/kafka.md).
 *
 * <p>A head more than {@code maxJump} ahead of its partition's time (the newest event time handed on from it, at
 * first {@code since}) is merged by its own time only when {@value ReplayDriver#CONFIRM} records of the partition,
 * itself included, within {@code maxJump} of it follow among its next {@value ReplayDriver#WINDOW} (a jump in the
 * partition's log; the head waits until enough of them are fetched, or the partition ends). Otherwise it is an
 * outlier and merged at its partition's time, so that it does not hold back the records behind it; the replay
 * then holds it and refuses it ({@link ReplayDriver}).
 *
 * <h2>Checks</h2>
 * As the live detector, in its order: a record without a value or that does not parse is {@code malformed} or
 * {@code invalid-field}; then {@code unknown-channel}; then {@code wrong-partition} (a channel's events must be
 * on the partition the default partitioner gives its id); then the slot checks; then, in the replay, lateness.
 *
 * <p>Use once, from one thread: {@link #run}.
 */
public final class TopicReplay {

    private static final Logger LOG = LoggerFactory.getLogger(TopicReplay.class);

    /** Records held per partition before its fetching is paused, to bound memory while another partition lags. */
    private static final int HIGH_WATER = 50_000;
    private static final int PROGRESS_EVERY = 16_384;

    /**
     * What to read.
     *
     * @param bootstrapServers the cluster
     * @param topic            the events topic
     * @param since            the first record read in each partition is the first whose timestamp is at or after it
     * @param until            events after it are not replayed; {@code null}: read to the end
     * @param allowedLateness  the replay's (a partition is left at its first event after {@code until} plus this)
     * @param maxJump          the replay's (see {@link ReplayDriver}); an event further ahead of its partition's time
     *                         does not end the partition's read
     * @param timeout          how long to wait for the cluster: for metadata and offsets, and for any fetch
     *                         while records are still expected
     * @param overrides        extra consumer settings (security); may be empty
     */
    public record Source(String bootstrapServers, String topic, Instant since, Instant until, Duration allowedLateness,
                         Duration maxJump, Duration timeout, Map<String, Object> overrides) {
        public Source {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(allowedLateness, "allowedLateness");
            Objects.requireNonNull(maxJump, "maxJump");
            Objects.requireNonNull(timeout, "timeout");
            overrides = Map.copyOf(overrides);
            if (until != null && until.isBefore(since)) {
                throw new IllegalArgumentException("until (" + until + ") is before since (" + since + ")");
            }
        }

        public Source withAllowedLateness(Duration lateness) {
            return new Source(bootstrapServers, topic, since, until, lateness, maxJump, timeout, overrides);
        }

        public Source withMaxJump(Duration jump) {
            return new Source(bootstrapServers, topic, since, until, allowedLateness, jump, timeout, overrides);
        }

        /** Without secrets: {@code overrides} may hold passwords. */
        @Override
        public String toString() {
            return "Source[" + bootstrapServers + ", " + topic + ", since " + since + ", until " + until + ", lateness "
                    + allowedLateness + ", timeout " + timeout + ", overrides " + KafkaClientConfig.redacted(overrides) + "]";
        }
    }

    /** The events topic does not exist. */
    public static final class NoSuchTopicException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchTopicException(String message) {
            super(message);
        }
    }

    /** What the read did, for a line on stderr. */
    public record Summary(int partitions, long records, long skippedAfterUntil) {
    }

    /** One record as read and parsed, waiting in its partition's queue. */
    private static final class Parsed {
        long offset;
        byte[] raw;
        Rejection rejection;
        EventKind kind;
        int channel;
        long ts;
        long slot;
        /** Its source, or {@code null}. */
        String source;
        /** The merge key once it is the head (see {@link #place}): event time, earliest for a record that did not parse. */
        long key;
        boolean placed;
        /** Placed at its partition's time: more than maxJump ahead of it, and not confirmed by the records after it. */
        boolean outlier;
    }

    /** A partition being read: its queue, where it ends, and whether it is done. */
    private static final class Part {
        final TopicPartition tp;
        final long end;
        final ArrayDeque<Parsed> queue = new ArrayDeque<>();
        boolean finished;
        boolean paused;
        /** In the merge's heads: its head is {@link #place placed}. */
        boolean inHeads;
        /** Its newest event read that was within maxJump of the one before (for where to stop after until). */
        long newest;
        /** Its newest event time handed on, outliers aside (for the merge). */
        long time;

        Part(TopicPartition tp, long end, long since) {
            this.tp = tp;
            this.end = end;
            this.newest = since;
            this.time = since;
        }

        int partition() {
            return tp.partition();
        }
    }

    private final Source source;
    private final MonitorConfig config;

    public TopicReplay(Source source, MonitorConfig config) {
        this.source = Objects.requireNonNull(source, "source");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The consumer's settings: no group, no commits, {@code read_committed}, large fetches. */
    Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hotline-replay");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1 << 20);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, source.timeout().toMillis()));
        c.putAll(source.overrides());
        return c;
    }

    /**
     * Reads the range into {@code replay} (which the caller then {@link RecordReplay#finish finishes}).
     *
     * @param progress told, every few thousand records, how many of the range's records have been handed on
     * @throws NoSuchTopicException if the topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException if the cluster does not answer within the timeout
     * @throws BadInputException under strict mode, at the first refused record
     */
    public Summary run(RecordReplay replay, Replay.Progress progress) throws BadInputException {
        String topic = source.topic();
        String name = "kafka:" + topic;
        replay.input(name);
        EventGate check = replay.gate().copy();
        EventDecoder parser = new JsonEventParser(check::indexOf, 0);
        long untilMs = source.until() == null ? Long.MAX_VALUE : source.until().toEpochMilli();
        long stopAfter = source.until() == null ? Long.MAX_VALUE : untilMs + source.allowedLateness().toMillis();
        long maxJump = source.maxJump().toMillis();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, source.timeout());
            if (infos == null || infos.isEmpty()) {
                throw new NoSuchTopicException("topic '" + topic + "' does not exist at " + source.bootstrapServers());
            }
            int partitions = infos.size();
            int[] owner = owners(check, partitions);
            List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(tps);
            Map<TopicPartition, Long> times = new HashMap<>();
            tps.forEach(tp -> times.put(tp, source.since().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, source.timeout());
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, source.timeout());
            Map<Integer, Part> parts = new HashMap<>();
            long total = 0;
            for (TopicPartition tp : tps) {
                long end = ends.get(tp);
                OffsetAndTimestamp start = starts.get(tp);
                long from = start == null ? end : Math.min(start.offset(), end);
                consumer.seek(tp, from);
                Part p = new Part(tp, end, source.since().toEpochMilli());
                p.finished = from >= end;
                parts.put(tp.partition(), p);
                total += end - from;
            }
            LOG.info("replaying {} from {} ({} partitions, up to {} records{})", topic, source.since(), partitions, total,
                    source.until() == null ? "" : ", events until " + source.until());

            // Invariant: a partition is in heads exactly when inHeads is set, and then its head is placed.
            PriorityQueue<Part> heads = new PriorityQueue<>((a, b) -> {
                int c = Long.compare(a.queue.peekFirst().key, b.queue.peekFirst().key);
                return c != 0 ? c : Integer.compare(a.partition(), b.partition());
            });
            long handedOn = 0;
            long skipped = 0;
            long lastFetch = System.nanoTime();
            while (true) {
                for (Part p : parts.values()) {
                    if (!p.inHeads && place(p, maxJump)) {
                        heads.add(p);
                        p.inHeads = true;
                    }
                }
                // Hand on records while every unfinished partition has a head: the merge cannot go wrong then.
                if (parts.values().stream().noneMatch(TopicReplay::starving)) {
                    if (heads.isEmpty()) {
                        break; // every partition finished, every record handed on
                    }
                    while (!heads.isEmpty()) {
                        Part p = heads.poll();
                        p.inHeads = false;
                        Parsed r = p.queue.pollFirst();
                        if (r.kind != null && !r.outlier) {
                            p.time = Math.max(p.time, r.ts);
                        }
                        RejectRecord.Origin where = new RejectRecord.Offset(topic, p.partition(), r.offset);
                        if (r.rejection != null) {
                            replay.refuse(r.rejection, where, r.raw);
                        } else {
                            replay.offer(r.channel, r.kind, r.ts, r.slot, r.source, where, r.raw);
                        }
                        if (++handedOn % PROGRESS_EVERY == 0) {
                            progress.update(name, handedOn, total, handedOn);
                        }
                        if (place(p, maxJump)) {
                            heads.add(p);
                            p.inHeads = true;
                        } else if (!p.finished) {
                            break; // its next record, or those that place it, are not here yet
                        }
                    }
                    continue;
                }
                List<TopicPartition> pause = new ArrayList<>();
                List<TopicPartition> resume = new ArrayList<>();
                for (Part p : parts.values()) {
                    boolean shouldPause = p.finished || p.queue.size() >= HIGH_WATER;
                    if (shouldPause != p.paused) {
                        (shouldPause ? pause : resume).add(p.tp);
                        p.paused = shouldPause;
                    }
                }
                consumer.pause(pause);
                consumer.resume(resume);
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty()) {
                    lastFetch = System.nanoTime();
                }
                for (TopicPartition tp : batch.partitions()) {
                    Part p = parts.get(tp.partition());
                    for (ConsumerRecord<byte[], byte[]> record : batch.records(tp)) {
                        if (p.finished || record.offset() >= p.end) {
                            p.finished = true;
                            break;
                        }
                        Parsed r = parse(record, parser, check, owner, partitions);
                        boolean jump = r.kind != null && r.ts - p.newest > maxJump;
                        if (r.kind != null && !jump && r.ts > p.newest) {
                            p.newest = r.ts;
                        }
                        if (r.kind != null && r.ts > untilMs) {
                            skipped++;
                            if (r.ts > stopAfter && !jump) {
                                p.finished = true; // any event behind it at or before until would be late
                            }
                            continue;
                        }
                        p.queue.addLast(r);
                    }
                }
                for (Part p : parts.values()) {
                    // Also when the last records were aborted or control records: the position passes the end
                    // without a record.
                    if (!p.finished && consumer.position(p.tp) >= p.end) {
                        p.finished = true;
                    }
                }
                if (System.nanoTime() - lastFetch > source.timeout().toNanos()) {
                    throw new org.apache.kafka.common.errors.TimeoutException("no record from " + topic + " within "
                            + source.timeout() + " while partitions still had records to read");
                }
            }
            progress.update(name, handedOn, total, handedOn);
            LOG.info("replayed {} records of {}; {} events after until skipped", handedOn, topic, skipped);
            return new Summary(partitions, handedOn, skipped);
        }
    }

    /** A partition whose next record, or records that place it, are still to be fetched. */
    private static boolean starving(Part p) {
        return !p.finished && !p.inHeads;
    }

    /**
     * Decides the merge key of the partition's head (see the class comment). Returns false when there is no head,
     * or when it is more than maxJump ahead of the partition's time and the records that decide whether it is an
     * outlier are not all fetched yet.
     */
    private static boolean place(Part p, long maxJump) {
        Parsed head = p.queue.peekFirst();
        if (head == null) {
            return false;
        }
        if (head.placed) {
            return true;
        }
        if (head.kind == null || head.ts - p.time <= maxJump) {
            head.key = head.kind == null ? Long.MIN_VALUE : head.ts;
            head.placed = true;
            return true;
        }
        int near = 1;
        int seen = 0;
        java.util.Iterator<Parsed> next = p.queue.iterator();
        next.next();
        while (near < ReplayDriver.CONFIRM && seen < ReplayDriver.WINDOW && next.hasNext()) {
            Parsed r = next.next();
            seen++;
            if (r.kind != null && Math.abs(r.ts - head.ts) <= maxJump) {
                near++;
            }
        }
        if (near < ReplayDriver.CONFIRM && seen < ReplayDriver.WINDOW && !p.finished) {
            return false;
        }
        head.outlier = near < ReplayDriver.CONFIRM;
        head.key = head.outlier ? p.time : head.ts;
        head.placed = true;
        return true;
    }

    /** For each channel index, the partition that owns it: the default partitioner on its id. */
    private int[] owners(EventGate check, int partitions) {
        int[] owner = new int[config.channels().size()];
        for (Channel c : config.channels()) {
            owner[check.indexOf(c.id())] = ChannelPartitions.partitionOf(c.id(), partitions);
        }
        return owner;
    }

    private static Parsed parse(ConsumerRecord<byte[], byte[]> record, EventDecoder parser,
                                EventGate check, int[] owner, int partitions) {
        Parsed r = new Parsed();
        r.offset = record.offset();
        byte[] value = record.value();
        r.raw = value;
        if (value == null) {
            r.rejection = EventGate.noValue();
            return r;
        }
        try {
            parser.decodeParts(value, 0, value.length);
        } catch (EventFormatException e) {
            r.rejection = EventGate.unreadable(e);
            return r;
        }
        EventKind kind = parser.kind();
        long ts = parser.tsMillis();
        long slot = parser.slotMillis(); // Millis.NONE for none
        int channel = -1;
        if (kind != EventKind.HEARTBEAT) {
            channel = parser.channelTag();
            if (channel == EventDecoder.NO_TAG) {
                channel = check.indexOf(parser.channel());
            }
        }
        // The checks in the live detector's order (EventGate.admit): signature, partition, then the rest.
        Rejection refused = check.admit(parser, channel, channel >= 0 ? owner[channel] : EventGate.NO_OWNER, partitions,
                record.partition());
        r.kind = kind;
        r.ts = ts;
        if (refused != null) {
            r.rejection = refused;
            return r;
        }
        r.channel = channel;
        r.slot = slot;
        r.source = parser.source();
        return r;
    }
}
