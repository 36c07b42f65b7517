package org.hotlinemonitor.app.kafka;

import static org.hotlinemonitor.core.detect.ChannelState.NONE;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.EventParser;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Step;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core {@link Detector} inside a stream task: one instance per task, that is per partition of the
 * events topic, owning the channels whose id the default partitioner sends to that partition.
 *
 * <h2>Time, with replay's semantics</h2>
 * <ul>
 *   <li>The task's <b>watermark</b> is {@code max(newest event time seen, clock) - allowedLateness}, never
 *       decreasing, and persisted. It moves on every record and on a wall-clock punctuator that reads the
 *       injected {@link Clock}. While the task reads a <b>backlog</b> (the last record's Kafka timestamp is
 *       more than {@code backlogThreshold} behind the clock, and it came less than {@code backlogThreshold}
 *       ago), the clock does not count: only event time moves the watermark, as in replay, so a restart
 *       does not turn the records written meanwhile into late ones.</li>
 *   <li>An event further ahead of the clock than {@code futureTolerance} is refused ({@code beyond-until}):
 *       one producer with a wrong clock would otherwise decide every slot of the partition up to its time.</li>
 *   <li>An event older than the watermark is <b>late</b>: it goes to the dead letters. The others wait in
 *       the reorder store, keyed (event time, offset), and are applied in that order once the watermark
 *       reaches them: replay's order.</li>
 *   <li>Before an event is applied, and after each move of the watermark, every owned channel's slots whose
 *       deadline is before that time are decided, in deadline order: the alerts leave in time order.</li>
 *   <li>The task <b>starts</b> at its first released event's time (replay starts at the first event), or,
 *       if its watermark first moves while nothing waits, at that watermark (a partition without events).
 *       Every owned channel starts with it. A channel added later starts at the watermark of the moment it
 *       is found (on restart).</li>
 * </ul>
 *
 * <h2>Restarts with another configuration</h2>
 * On init (after the stores are restored), stored channels no longer configured for this partition are
 * dropped; channels whose {@link ChannelFingerprint} changed restart their schedule at the watermark
 * ({@link ChannelRestart}); new channels start at the watermark; unchanged ones continue.
 *
 * <p>Not thread-safe: Kafka Streams calls one task's processor from one thread.
 */
final class DetectorProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorProcessor.class);

    static final String META_WATERMARK = "watermark";
    static final String META_START = "start";

    /** What every task of one topology shares: immutable, apart from the thread-safe counter and clock. */
    static final class Setup {
        final Map<String, Detector> detectors;
        final Map<String, Long> fingerprints;
        final long lateness;
        final Duration latenessDuration;
        final Clock clock;
        final RejectCounter rejects;
        final DetectorTopology.Options options;

        Setup(MonitorConfig config, Duration allowedLateness, Clock clock, RejectCounter rejects,
              DetectorTopology.Options options) {
            Map<String, Detector> d = new LinkedHashMap<>();
            Map<String, Long> f = new HashMap<>();
            for (Channel c : config.channels()) {
                d.put(c.id(), new Detector(c));
                f.put(c.id(), ChannelFingerprint.of(c));
            }
            this.detectors = Collections.unmodifiableMap(d);
            this.fingerprints = Map.copyOf(f);
            this.latenessDuration = Objects.requireNonNull(allowedLateness, "allowedLateness");
            this.lateness = allowedLateness.toMillis();
            this.clock = Objects.requireNonNull(clock, "clock");
            this.rejects = Objects.requireNonNull(rejects, "rejects");
            this.options = Objects.requireNonNull(options, "options");
        }
    }

    /** A channel's next deadline, ordered by deadline, then channel id (as replay breaks ties). */
    private record Due(long deadline, String channel) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : channel.compareTo(o.channel);
        }
    }

    private final Setup setup;
    private final EventParser parser = new EventParser();
    private final TreeSet<Due> due = new TreeSet<>();
    private final Map<String, Long> dueAt = new HashMap<>();

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, StoredChannel> channels;
    private KeyValueStore<Bytes, BufferedRecord> buffer;
    private KeyValueStore<String, Long> task;
    private Map<String, Detector> owned;
    private int partition;
    /** Persisted: every deadline before it is decided (lazily: see {@link #decideBefore}); events before it are late. */
    private long watermark;
    /** Persisted: when the task started monitoring, or NONE before. */
    private long start;
    /** The newest event time seen since init (the persisted watermark covers what came before). */
    private long newest;
    /**
     * The reorder store's contents, in its order: loaded at init, then kept in step with every put and delete.
     * Releasing reads this, not the store: a range scan of the cached RocksDB store on every record (an iterator
     * over the cache merged with one over RocksDB) was the biggest single cost per record in the Kafka throughput
     * benchmark. It holds only what waits for the watermark, at most {@code allowedLateness} of events (records
     * enter at or after the watermark, which trails the newest event by the lateness).
     */
    private final TreeMap<Bytes, BufferedRecord> waiting = new TreeMap<>();
    /** Clock time of the last record, and whether its Kafka timestamp was behind the clock (a backlog). */
    private long lastRecordAt;
    private boolean backlog;

    DetectorProcessor(Setup setup) {
        this.setup = setup;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.channels = context.getStateStore(DetectorTopology.CHANNEL_STORE);
        this.buffer = context.getStateStore(DetectorTopology.REORDER_STORE);
        this.task = context.getStateStore(DetectorTopology.TASK_STORE);
        this.partition = context.taskId().partition();
        int partitions = setup.options.eventPartitions();
        Map<String, Detector> mine = new LinkedHashMap<>();
        setup.detectors.forEach((id, d) -> {
            if (ChannelPartitions.partitionOf(id, partitions) == partition) {
                mine.put(id, d);
            }
        });
        this.owned = Collections.unmodifiableMap(mine);
        this.watermark = orNone(task.get(META_WATERMARK));
        this.start = orNone(task.get(META_START));
        this.newest = NONE;
        waiting.clear();
        try (KeyValueIterator<Bytes, BufferedRecord> it = buffer.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, BufferedRecord> kv = it.next();
                waiting.put(kv.key, kv.value);
            }
        }
        due.clear();
        dueAt.clear();
        reconcile();
        // Until a fresh record arrives or the task has been idle for the threshold, assume a backlog: the
        // first punctuation may come before the first fetch after a restart.
        this.lastRecordAt = setup.clock.millis();
        this.backlog = true;
        context.schedule(setup.options.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, t -> punctuate());
        LOG.info("detector task {} owns {} of {} channels (partition {} of {}); watermark {}, started {}",
                context.taskId(), owned.size(), setup.detectors.size(), partition, partitions, text(watermark), text(start));
    }

    /** Brings the stored channels in line with the configuration (see the class comment). */
    private void reconcile() {
        Map<String, StoredChannel> stored = new HashMap<>();
        List<String> dropped = new ArrayList<>();
        try (KeyValueIterator<String, StoredChannel> it = channels.all()) {
            while (it.hasNext()) {
                KeyValue<String, StoredChannel> kv = it.next();
                if (owned.containsKey(kv.key)) {
                    stored.put(kv.key, kv.value);
                } else {
                    dropped.add(kv.key);
                }
            }
        }
        for (String id : dropped) {
            channels.delete(id);
            LOG.info("channel {}: no longer configured for partition {}; its state is dropped", id, partition);
        }
        if (start == NONE) {
            return; // channels start with the task
        }
        for (Map.Entry<String, Detector> e : owned.entrySet()) {
            String id = e.getKey();
            Detector d = e.getValue();
            StoredChannel s = stored.get(id);
            long fingerprint = setup.fingerprints.get(id);
            ChannelState state;
            if (s == null) {
                state = d.initial(Instant.ofEpochMilli(watermark));
                channels.put(id, new StoredChannel(fingerprint, state));
                LOG.info("channel {}: new; starts at {}", id, text(watermark));
            } else if (s.fingerprint() != fingerprint) {
                state = ChannelRestart.restart(d, s.state(), watermark);
                channels.put(id, new StoredChannel(fingerprint, state));
                LOG.info("channel {}: configuration changed; schedule restarts at {}, status {} and streak {} kept",
                        id, text(watermark), state.status(), state.streak());
            } else {
                state = s.state();
            }
            schedule(id, d, state);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata md = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("a record from " + DetectorTopology.SOURCE + " without metadata"));
        long now = setup.clock.millis();
        backlog = record.timestamp() < now - setup.options.backlogThreshold().toMillis();
        lastRecordAt = now;

        byte[] value = record.value();
        CallEvent event = null;
        Rejection why = null;
        if (value == null) {
            why = new Rejection(Rejection.MALFORMED, null, "record has no value");
        } else {
            try {
                event = parser.parse(value, 0, value.length);
            } catch (EventFormatException e) {
                why = new Rejection(e.field() == null ? Rejection.MALFORMED : Rejection.INVALID_FIELD, e.field(),
                        e.getMessage());
            }
        }
        if (why == null) {
            why = check(event, md.partition());
        }
        long w = Math.max(watermark, candidate(now));
        if (why == null) {
            long ts = event.ts().toEpochMilli();
            if (ts > now + setup.options.futureTolerance().toMillis()) {
                why = new Rejection(Rejection.BEYOND_UNTIL, "ts", "event at " + event.ts() + " is more than "
                        + setup.options.futureTolerance() + " ahead of the detector's clock (" + Instant.ofEpochMilli(now)
                        + "): it would move time for every channel of the partition; check its producer's clock");
            } else if (w != NONE && ts < w) {
                why = late(event, w);
            } else {
                Bytes key = BufferedRecord.key(ts, md.offset());
                BufferedRecord buffered = new BufferedRecord(md.topic(), md.partition(), md.offset(), record.timestamp(),
                        record.key(), value, record.headers().toArray());
                buffer.put(key, buffered);
                waiting.put(key, buffered);
                newest = Math.max(newest, ts);
            }
        }
        if (why != null) {
            reject(record.key(), value, record.timestamp(), record.headers(), why, md.topic(), md.partition(), md.offset());
        }
        advanceTo(Math.max(w, candidate(now)));
    }

    private void punctuate() {
        advanceTo(Math.max(watermark, candidate(setup.clock.millis())));
    }

    /** {@code max(newest event, clock unless reading a backlog) - lateness}, or NONE. */
    private long candidate(long now) {
        boolean caughtUp = !backlog || now - lastRecordAt >= setup.options.backlogThreshold().toMillis();
        long t = Math.max(newest, caughtUp ? now : NONE);
        return t == NONE ? NONE : t - setup.lateness;
    }

    /** Moves the watermark to {@code w} (if later), releases what it passed, decides the deadlines before it. */
    private void advanceTo(long w) {
        if (w == NONE) {
            return;
        }
        if (w > watermark) {
            watermark = w;
            task.put(META_WATERMARK, w);
        }
        release();
        if (start == NONE && waiting.isEmpty()) {
            begin(watermark);
        }
        if (start != NONE) {
            decideBefore(watermark);
        }
    }

    /** Applies, in (event time, offset) order, every buffered record at or before the watermark. */
    private void release() {
        NavigableMap<Bytes, BufferedRecord> ready = waiting.headMap(BufferedRecord.key(watermark, Long.MAX_VALUE), true);
        while (!ready.isEmpty()) {
            Map.Entry<Bytes, BufferedRecord> next = ready.pollFirstEntry();
            long ts = BufferedRecord.eventTime(next.getKey());
            if (start == NONE) {
                begin(ts);
            }
            decideBefore(ts);
            apply(next.getValue());
            buffer.delete(next.getKey());
        }
    }

    /** Starts the task at {@code t}: every owned channel without state starts then. */
    private void begin(long t) {
        start = t;
        task.put(META_START, t);
        for (Map.Entry<String, Detector> e : owned.entrySet()) {
            StoredChannel s = channels.get(e.getKey());
            ChannelState state = s != null ? s.state() : e.getValue().initial(Instant.ofEpochMilli(t));
            if (s == null) {
                channels.put(e.getKey(), new StoredChannel(setup.fingerprints.get(e.getKey()), state));
            }
            schedule(e.getKey(), e.getValue(), state);
        }
        LOG.info("detector task {} starts monitoring {} channels at {}", context.taskId(), owned.size(), text(t));
    }

    /** Decides, in deadline order (ties by channel id), every owned channel's slots whose deadline is before {@code to}. */
    private void decideBefore(long to) {
        while (!due.isEmpty() && due.first().deadline() < to) {
            Due next = due.pollFirst();
            dueAt.remove(next.channel());
            Detector d = owned.get(next.channel());
            StoredChannel s = channels.get(next.channel());
            // Only this deadline, so that the deadlines of different channels interleave in time order.
            Step step = d.advance(s.state(), next.deadline() + 1);
            if (d.nextDeadline(step.state()) == next.deadline()) {
                throw new IllegalStateException("deadline " + Instant.ofEpochMilli(next.deadline()) + " of "
                        + next.channel() + " was not decided");
            }
            save(next.channel(), s, step);
            schedule(next.channel(), d, step.state());
        }
    }

    /** Applies a released record to its channel. */
    private void apply(BufferedRecord r) {
        CallEvent event;
        try {
            event = parser.parse(r.value(), 0, r.value().length);
        } catch (EventFormatException e) { // parsed on arrival; the parser has not changed since
            reject(r, new Rejection(e.field() == null ? Rejection.MALFORMED : Rejection.INVALID_FIELD, e.field(),
                    e.getMessage()));
            return;
        }
        if (event.kind() == EventKind.HEARTBEAT) {
            return; // it moved the watermark on arrival; decideBefore has moved the channels
        }
        // Checked on arrival, but the configuration may have changed since (a restart while it waited).
        Rejection why = check(event, r.partition());
        if (why != null) {
            reject(r, why);
            return;
        }
        String id = event.channel();
        Detector d = owned.get(id);
        StoredChannel s = channels.get(id);
        Step step = d.onEvent(s.state(), event);
        if (step.outcome().rejected()) {
            reject(r, step.outcome() == EventOutcome.LATE ? late(event, s.state().watermark()) : rejection(step.outcome(), event));
            return;
        }
        save(id, s, step);
        schedule(id, d, step.state());
    }

    /** Stores a channel's new state (when it changed) and sends the step's alerts. */
    private void save(String id, StoredChannel old, Step step) {
        if (!step.state().equals(old.state())) {
            channels.put(id, new StoredChannel(old.fingerprint(), step.state()));
        }
        List<Alert> alerts = step.alerts();
        if (alerts.isEmpty()) {
            return;
        }
        long now = setup.clock.millis();
        for (Alert a : alerts) {
            context.forward(new Record<>(utf8(a.channel()), utf8(AlertCodec.toJson(a)), now, new RecordHeaders()),
                    DetectorTopology.ALERTS_SINK);
        }
    }

    private void schedule(String id, Detector d, ChannelState state) {
        Long old = dueAt.remove(id);
        if (old != null) {
            due.remove(new Due(old, id));
        }
        long next = d.nextDeadline(state);
        if (next != NONE) {
            due.add(new Due(next, id));
            dueAt.put(id, next);
        }
    }

    /** What can be checked of an event without state; {@code null} when it passes. */
    private Rejection check(CallEvent event, int fromPartition) {
        if (event.kind() == EventKind.HEARTBEAT) {
            return null;
        }
        Detector d = setup.detectors.get(event.channel());
        if (d == null) {
            return rejection(EventOutcome.UNKNOWN_CHANNEL, event);
        }
        if (!owned.containsKey(event.channel())) {
            return new Rejection(DeadLetters.WRONG_PARTITION, "channel", "channel '" + event.channel()
                    + "' belongs to partition " + ChannelPartitions.partitionOf(event.channel(), setup.options.eventPartitions())
                    + " of " + setup.options.eventPartitions() + " (default partitioner on the channel id), but the record was read from partition "
                    + fromPartition + "; produce events keyed by their channel id");
        }
        EventOutcome invalid = d.validate(event);
        return invalid == null ? null : rejection(invalid, event);
    }

    private Rejection rejection(EventOutcome outcome, CallEvent event) {
        Detector d = setup.detectors.get(event.channel());
        return switch (outcome) {
            case UNKNOWN_CHANNEL -> new Rejection(Rejection.UNKNOWN_CHANNEL, "channel",
                    "unknown channel '" + event.channel() + "' (not in the channel configuration)");
            case NOT_A_SLOT -> new Rejection(Rejection.NOT_A_SLOT, "slot",
                    "slot " + event.slot() + " is not a scheduled slot of channel '" + event.channel() + "' ("
                            + d.channel().schedule() + ")");
            case TOO_EARLY -> new Rejection(Rejection.TOO_EARLY, "ts",
                    "event at " + event.ts() + " is more than answerWithin (" + d.channel().answerWithin()
                            + ") before its slot " + event.slot());
            default -> throw new IllegalArgumentException("not a rejection: " + outcome);
        };
    }

    private Rejection late(CallEvent event, long w) {
        return new Rejection(Rejection.LATE, "ts", "event at " + event.ts() + " arrived after the watermark "
                + Instant.ofEpochMilli(w) + " (allowed lateness " + setup.latenessDuration
                + " exceeded); verdicts before it are final");
    }

    private void reject(BufferedRecord r, Rejection why) {
        reject(r.key(), r.value(), r.timestamp(), r.headersCopy(), why, r.topic(), r.partition(), r.offset());
    }

    private void reject(byte[] key, byte[] value, long timestamp, Headers headers, Rejection why, String topic,
                        int fromPartition, long offset) {
        setup.rejects.increment(why.reason());
        LOG.debug("rejected {}/{}@{}: {}: {}", topic, fromPartition, offset, why.reason(), why.message());
        context.forward(new Record<>(key, value, timestamp, DeadLetters.headers(headers, why, topic, fromPartition, offset)),
                DetectorTopology.REJECTS_SINK);
    }

    private static long orNone(Long v) {
        return v == null ? NONE : v;
    }

    private static String text(long t) {
        return t == NONE ? "never" : Instant.ofEpochMilli(t).toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
