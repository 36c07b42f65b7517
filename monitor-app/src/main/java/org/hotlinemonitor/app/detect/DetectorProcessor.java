package org.hotlinemonitor.app.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.hotlinemonitor.app.broker.ChannelPartitions;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.codec.AlertCodec;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.ingest.EventGate;
import org.hotlinemonitor.core.ingest.RejectCounter;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.ingest.Signing;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core detector inside a stream task: one instance per task, that is per partition of the events topic,
 * owning the channels whose id the default partitioner sends to that partition. The task's channels run in a
 * core {@link Monitor}, the same in-place engine replay runs, so live and replay share the rules and their order.
 *
 * <h2>Time, with replay's semantics</h2>
 * The checks of an event, the judgements of lateness and clock skew below, and the reasons a record is refused with are
 * replay's code ({@link EventGate}); this adapter keeps what only Kafka has: the record's partition and offset in the dead
 * letter, {@code wrong-partition}, the changelogged waiting records and the punctuation that releases them.
 * <ul>
 *   <li>The task's <b>watermark</b> is {@code max(newest event time seen, clock) - allowedLateness}, never
 *       decreasing, and persisted. It moves on every record and on a wall-clock punctuator that reads the
 *       injected {@link Clock}. While the task reads a <b>backlog</b> (the last record's Kafka timestamp is
 *       more than {@code backlogThreshold} behind the clock, and it came less than {@code backlogThreshold}
 *       ago), the clock does not count: only event time moves the watermark, as in replay, so a restart
 *       does not turn the records written meanwhile into late ones.</li>
 *   <li>An event further ahead of the clock than {@code futureTolerance} (the maximum clock skew) is refused
 *       ({@code beyond-until}); an event within it waits, and counts toward the watermark only up to the clock, so
 *       that one producer with a wrong clock cannot decide the slots of the partition early.</li>
 *   <li>An event older than the watermark is judged against its own channel's time (docs/time.md): applied at once
 *       when its channel has seen nothing since, else <b>late</b>, to the dead letters. The others wait in
 *       the reorder buffer, ordered by (event time, offset), and are applied in that order once the watermark
 *       reaches them: replay's order.</li>
 *   <li>Before an event is applied, and after each move of the watermark, every owned channel's slots whose
 *       deadline is before that time are decided, in deadline order (ties in channel-id order): the alerts
 *       leave in time order.</li>
 *   <li>The task <b>starts</b> at its first released event's time (replay starts at the first event), or,
 *       if its watermark first moves while nothing waits, at that watermark (a partition without events).
 *       Every owned channel starts with it. A channel added later starts at the watermark of the moment it
 *       is found (on restart).</li>
 * </ul>
 *
 * <h2>State: in memory, saved at each commit</h2>
 * The channels' states, the waiting records, the watermark and the start live in memory while the task runs.
 * Just before each commit ({@link CommitHook}) the processor writes to its changelogged stores what changed
 * since the last commit: the channels whose state changed, the records that came and still wait, deletes for
 * saved records that left, the watermark. With {@code exactly_once_v2} those writes commit in one transaction
 * with the input offsets and the alerts, so the stores always hold the state as of the committed offsets; a
 * record that comes and goes between two commits never touches a store. On init (after the stores are
 * restored) the processor loads them back.
 *
 * <h2>Restarts with another configuration</h2>
 * On init, stored channels no longer configured for this partition are dropped; channels whose
 * {@link ChannelFingerprint} changed restart their schedule at the watermark ({@link ChannelRestart}); new
 * channels start at the watermark; unchanged ones continue. Records restored into the reorder buffer are
 * checked again against the configuration when released.
 *
 * <p>Not thread-safe: Kafka Streams calls one task's processor, punctuator and commit hook from one thread.
 */
final class DetectorProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorProcessor.class);

    static final String META_WATERMARK = "watermark";
    static final String META_START = "start";
    /** Our side's heartbeat state ({@link Monitor.OurSide}), saved when it changed. */
    static final String META_LAST_HEARTBEAT = "last-heartbeat";
    static final String META_SILENT_SINCE = "silent-since";
    static final String META_RESUMED_AT = "resumed-at";
    /**
     * The last heartbeat's source, as the key's suffix (the store holds longs: the value, the time of the heartbeat
     * that made it the last one's source, is not read back); at most one such key, none while the last heartbeat
     * named no source. Written only when the source changes, not on every heartbeat.
     */
    static final String META_LAST_HEARTBEAT_SOURCE = "last-heartbeat-source:";

    /** Channel tags for ids that are not this task's: configured for another partition, or not at all. */
    private static final int OTHER_PARTITION = -2;
    private static final int UNKNOWN = -3;
    private static final EventKind[] KINDS = EventKind.values();
    /** Bits of a waiting record's kind that hold the kind's ordinal; the source's {@link Monitor#sourceId} is above. */
    private static final int KIND_BITS = 4;
    private static final int KIND_MASK = (1 << KIND_BITS) - 1;

    /** What every task of one topology shares: immutable, apart from the thread-safe counter and clock. */
    static final class Setup {
        /** The channels, by partition; changed while the tasks run when they come from a channels topic. */
        final ChannelRegistry channels;
        final long lateness;
        final Duration latenessDuration;
        final Clock clock;
        /** How far the clock may be trusted: not past a broker outage (docs/time.md). */
        final BrokerContact contact;
        final RejectCounter rejects;
        final DetectorView view;
        final DetectorTopology.Options options;
        /** The our-side silence rule's {@code silentAfter}, or null when off. */
        final Duration silentAfter;

        Setup(ChannelRegistry channels, Duration silentAfter, Duration allowedLateness, Clock clock, BrokerContact contact,
              RejectCounter rejects, DetectorView view, DetectorTopology.Options options) {
            this.channels = Objects.requireNonNull(channels, "channels");
            if (channels.partitions() != options.eventPartitions()) {
                throw new IllegalArgumentException("the channels are sorted into " + channels.partitions()
                        + " partitions, the events topic has " + options.eventPartitions());
            }
            this.latenessDuration = Objects.requireNonNull(allowedLateness, "allowedLateness");
            this.lateness = allowedLateness.toMillis();
            this.clock = Objects.requireNonNull(clock, "clock");
            this.contact = Objects.requireNonNull(contact, "contact");
            this.rejects = Objects.requireNonNull(rejects, "rejects");
            this.view = Objects.requireNonNull(view, "view");
            view.detectors(channels::detector);
            this.options = Objects.requireNonNull(options, "options");
            this.silentAfter = silentAfter;
        }
    }

    private final Setup setup;
    private final long backlogThreshold;
    private final PendingRecords pending;
    /** Checks the events of sources that must sign; this task's own (it holds a Mac per source), in {@link #gate}. */
    private final Signing signing;
    /** Events accepted on arrival since the last commit, by kind ordinal: published to the view at commit. */
    private final long[] eventsByKind = new long[KINDS.length];
    /** Slots decided since the last commit, by verdict ordinal: published to the view at commit. */
    private final long[] verdictsByKind = new long[Verdict.values().length];
    /** The channel and verdict of each slot decided since the last commit, the first {@code decidedCount}: for the view. */
    private String[] decidedChannels = new String[16];
    private byte[] decidedVerdicts = new byte[16];
    /** The slot (epoch ms) and miss cause ordinal (-1: none) of each: for the view's {@link DetectorView.Decisions}. */
    private long[] decidedSlots = new long[16];
    private byte[] decidedCauses = new byte[16];
    private int decidedCount;
    /** The alerts sent since the last commit, for the view's {@link DetectorView.Decisions}; rare, cleared at commit. */
    private final List<Alert> sentSinceCommit = new ArrayList<>();
    /**
     * Answer latencies (ms, slot to first answer) of the slots answered since the last commit, and the channel of
     * each; grow together, reused.
     */
    private long[] answerLatencies = new long[16];
    private String[] answerChannels = new String[16];
    private int answerLatencyCount;

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, StoredChannel> channels;
    private KeyValueStore<Bytes, BufferedRecord> buffer;
    private KeyValueStore<String, Long> task;
    /** This task's channels, in id order, as of {@link #ownedVersion} of its partition. */
    private Map<String, ChannelRegistry.Entry> owned;
    private long ownedVersion;
    private Monitor.Listener listener;
    private Monitor monitor;
    /** The checks of an event, its lateness and skew, and the reasons, shared with replay; bound to {@link #monitor}. */
    private EventGate gate;
    private EventDecoder parser;
    private int partition;
    private String topic;
    /** Every deadline before it is decided (once started); events before it are late. Saved at commit. */
    private long watermark;
    /** When the task started monitoring, or NONE before. Saved at commit. */
    private long start;
    private long savedWatermark;
    private long savedStart;
    private Monitor.OurSide savedOurSide;
    /** The newest event time seen since init (the persisted watermark covers what came before). */
    private long newest;
    /** Clock time of the last record, and whether its Kafka timestamp was behind the clock (a backlog). */
    private long lastRecordAt;
    private boolean backlog;

    DetectorProcessor(Setup setup) {
        this.setup = setup;
        this.pending = new PendingRecords(setup.latenessDuration);
        this.signing = new Signing(setup.options.signing());
        this.backlogThreshold = setup.options.backlogThreshold().toMillis();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.channels = context.getStateStore(DetectorTopology.CHANNEL_STORE);
        this.buffer = context.getStateStore(DetectorTopology.REORDER_STORE);
        this.task = context.getStateStore(DetectorTopology.TASK_STORE);
        this.partition = context.taskId().partition();
        int partitions = setup.options.eventPartitions();
        this.ownedVersion = setup.channels.version(partition); // read before the channels: a change meanwhile is seen again
        this.owned = setup.channels.partition(partition);
        this.listener = new Monitor.Listener() {
            @Override
            public boolean reportsOurSide() {
                // Every task sees every heartbeat (they go to all partitions), so every task applies the our-side rule
                // to its own channels; the task of partition 0 alone reports it, so that a silence is one alert, as in
                // replay.
                return partition == 0;
            }

            @Override
            public void onAlert(Alert alert) {
                send(alert);
            }

            @Override
            public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict,
                                  MissCause cause, long firstAnswer) {
                // Counted for the metrics, published at commit; no allocation on this path but a rare buffer growth.
                verdictsByKind[verdict.ordinal()]++;
                if (decidedCount == decidedChannels.length) {
                    decidedChannels = Arrays.copyOf(decidedChannels, decidedCount * 2);
                    decidedVerdicts = Arrays.copyOf(decidedVerdicts, decidedCount * 2);
                    decidedSlots = Arrays.copyOf(decidedSlots, decidedCount * 2);
                    decidedCauses = Arrays.copyOf(decidedCauses, decidedCount * 2);
                }
                decidedChannels[decidedCount] = channelId;
                decidedSlots[decidedCount] = slot;
                decidedCauses[decidedCount] = cause == null ? -1 : (byte) cause.ordinal();
                decidedVerdicts[decidedCount++] = (byte) verdict.ordinal();
                if (verdict == Verdict.ANSWERED && firstAnswer != NONE) {
                    if (answerLatencyCount == answerLatencies.length) {
                        answerLatencies = Arrays.copyOf(answerLatencies, answerLatencyCount * 2);
                        answerChannels = Arrays.copyOf(answerChannels, answerLatencyCount * 2);
                    }
                    answerChannels[answerLatencyCount] = channelId;
                    answerLatencies[answerLatencyCount++] = Math.max(0, firstAnswer - slot);
                }
            }
        };
        newMonitor();
        this.watermark = orNone(task.get(META_WATERMARK));
        this.start = orNone(task.get(META_START));
        this.savedWatermark = watermark;
        this.savedStart = start;
        this.savedOurSide = new Monitor.OurSide(orNone(task.get(META_LAST_HEARTBEAT)), orNone(task.get(META_SILENT_SINCE)),
                orNone(task.get(META_RESUMED_AT)), savedHeartbeatSource());
        this.newest = NONE;
        pending.clear(); // Kafka Streams makes a processor per task; this keeps init safe to repeat anyway
        java.util.Arrays.fill(eventsByKind, 0);
        Arrays.fill(decidedChannels, null);
        decidedCount = 0;
        sentSinceCommit.clear();
        reconcile();
        loadWaiting();
        if (start != NONE) {
            monitor.states().forEach((id, state) -> setup.view.putChannel(partition, id, state));
            setup.view.putWatermark(partition, watermark);
            setup.view.putOurSide(partition, savedOurSide);
        }
        CommitHook hook = context.getStateStore(DetectorTopology.COMMIT_HOOK);
        hook.beforeCommit(this::save);
        // Until a fresh record arrives or the task has been idle for the threshold, assume a backlog: the
        // first punctuation may come before the first fetch after a restart.
        this.lastRecordAt = setup.clock.millis();
        this.backlog = true;
        context.schedule(setup.options.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, t -> punctuate());
        LOG.info("detector task {} owns {} of {} channels (partition {} of {}); watermark {}, started {}, {} records waiting",
                context.taskId(), owned.size(), setup.channels.size(), partition, partitions, text(watermark), text(start),
                pending.size());
    }

    /** Brings the stored channels in line with the configuration (see the class comment) and resumes the monitor. */
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
        // Written at once, not at the first commit, so that the stores show the configuration in force from the start.
        for (String id : dropped) {
            channels.delete(id);
            LOG.info("channel {}: no longer configured for partition {}; its state is dropped", id, partition);
        }
        if (start == NONE) {
            return; // channels start with the task
        }
        Map<String, ChannelState> states = new HashMap<>();
        for (Map.Entry<String, ChannelRegistry.Entry> e : owned.entrySet()) {
            states.put(e.getKey(), carry(e.getKey(), e.getValue(), stored.get(e.getKey())));
        }
        monitor.resume(watermark, states::get, savedOurSide);
    }

    /**
     * An owned channel's state from what was known of it ({@code null}: nothing): a new channel arrives, a changed one
     * restarts its schedule, an unchanged one continues.
     */
    private ChannelState carry(String id, ChannelRegistry.Entry entry, StoredChannel known) {
        return known == null ? arrive(id, entry)
                : known.fingerprint() != entry.fingerprint() ? change(id, entry, known.state()) : known.state();
    }

    /** A channel new to this task, started at the watermark (the task has started); its state is stored at once. */
    private ChannelState arrive(String id, ChannelRegistry.Entry entry) {
        ChannelState state = entry.detector().initial(Instant.ofEpochMilli(watermark));
        channels.put(id, new StoredChannel(entry.fingerprint(), state));
        LOG.info("channel {}: new; starts at {}", id, text(watermark));
        return state;
    }

    /** A channel whose configuration changed: its schedule restarts at the watermark ({@link ChannelRestart}). */
    private ChannelState change(String id, ChannelRegistry.Entry entry, ChannelState old) {
        ChannelState state = ChannelRestart.restart(entry.detector(), old, watermark);
        channels.put(id, new StoredChannel(entry.fingerprint(), state));
        LOG.info("channel {}: configuration changed; schedule restarts at {}, status {} and streak {} kept",
                id, text(watermark), state.status(), state.streak());
        return state;
    }

    /** A monitor of the owned channels, not started; the parser and the gate bound to it. */
    private void newMonitor() {
        List<Channel> mine = new ArrayList<>(owned.size());
        owned.values().forEach(e -> mine.add(e.channel()));
        this.monitor = new Monitor(new MonitorConfig(mine, null, setup.silentAfter), listener); // see reportsOurSide
        this.gate = new EventGate(monitor.validator(), signing, setup.latenessDuration, null, setup.options.futureTolerance());
        this.parser = new JsonEventParser(monitor.validator()::indexOf, 0); // -1 for a channel not this task's
    }

    /**
     * Applies a change of this partition's channels (a channels topic changed while the task runs): the channels removed
     * leave (their state is deleted), those added start at the watermark, those whose configuration changed restart their
     * schedule there ({@link ChannelRestart}), the others continue; as at a restart with another configuration. Waiting
     * records are checked again against the new channels when released.
     */
    private void reconfigure() {
        long version = setup.channels.version(partition);
        Map<String, ChannelRegistry.Entry> now = setup.channels.partition(partition);
        List<String> removed = new ArrayList<>();
        owned.keySet().forEach(id -> {
            if (!now.containsKey(id)) {
                removed.add(id);
            }
        });
        boolean detectorsChanged = !removed.isEmpty();
        for (Map.Entry<String, ChannelRegistry.Entry> e : now.entrySet()) {
            detectorsChanged |= owned.get(e.getKey()) != e.getValue(); // the registry makes a new entry for each change
        }
        ownedVersion = version;
        if (!detectorsChanged) {
            return;
        }
        boolean started = start != NONE;
        Map<String, ChannelState> old = Map.of();
        if (started) {
            saveChannels(); // the states as they stand, before the old monitor goes
            old = monitor.states();
        }
        Monitor.OurSide ourSide = monitor.ourSide();
        Map<String, ChannelRegistry.Entry> before = owned;
        owned = now;
        newMonitor();
        for (String id : removed) {
            channels.delete(id);
            LOG.info("channel {}: removed from the channels; its state is dropped", id);
        }
        setup.view.removeChannels(removed);
        int added = 0;
        int changed = 0;
        Map<String, ChannelState> states = new HashMap<>();
        for (Map.Entry<String, ChannelRegistry.Entry> e : now.entrySet()) {
            ChannelRegistry.Entry was = before.get(e.getKey());
            boolean same = was != null && was.fingerprint() == e.getValue().fingerprint();
            added += was == null ? 1 : 0;
            changed += was == null || same ? 0 : 1;
            if (started) { // else the channels start with the task
                ChannelState state = carry(e.getKey(), e.getValue(),
                        was == null ? null : new StoredChannel(was.fingerprint(), old.get(e.getKey())));
                states.put(e.getKey(), state);
                if (!same) {
                    setup.view.putChannel(partition, e.getKey(), state);
                }
            }
        }
        if (started) {
            monitor.resume(watermark, states::get, ourSide);
        }
        // The waiting records were checked against the old channels and hold the old monitor's indexes: each is checked
        // again when released, as a record restored from the store is.
        pending.replaceRecords((offset, r) -> r instanceof Record<?, ?> rec ? buffered(offset, rec) : r);
        LOG.info("detector task {}: channels changed: {} added, {} changed, {} removed; {} channels now, at {}",
                context.taskId(), added, changed, removed.size(), owned.size(), text(watermark));
    }

    /** Loads the saved waiting records; they are checked again when released (the configuration may have changed). */
    private void loadWaiting() {
        try (KeyValueIterator<Bytes, BufferedRecord> it = buffer.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, BufferedRecord> kv = it.next();
                BufferedRecord r = kv.value;
                pending.add(BufferedRecord.eventTime(kv.key), r.offset(), UNKNOWN, 0, NONE, r, true);
            }
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata md = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("a record from " + DetectorTopology.SOURCE + " without metadata"));
        if (topic == null) {
            topic = md.topic();
        }
        long now = setup.clock.millis();
        backlog = record.timestamp() < now - backlogThreshold;
        lastRecordAt = now;

        byte[] value = record.value();
        Rejection why = null;
        if (value == null) {
            why = EventGate.noValue();
        } else {
            try {
                parser.decodeParts(value, 0, value.length);
            } catch (EventFormatException e) {
                why = EventGate.unreadable(e);
            }
        }
        long w = Math.max(watermark, candidate(now));
        if (why == null) {
            EventKind kind = parser.kind();
            int channel = kind == EventKind.HEARTBEAT ? -1 : channel();
            long ts = parser.tsMillis();
            long slot = parser.slotMillis();
            why = admit(channel, md.partition());
            if (why == null) {
                why = gate.ahead(ts, now);
            }
            if (why == null) {
                if (w != NONE && ts < w) {
                    // Behind the watermark: judged against its own channel's time, not by how long it travelled. A task
                    // that has not started yet starts at its first event, if the event is within the maximum skew of the
                    // clock (one from the distant past must not start it years ago).
                    if (start == NONE && pending.isEmpty() && gate.nearClock(ts, now)) {
                        begin(ts);
                    }
                    advanceTo(w);
                    why = applyBehind(channel, kind, ts, slot, monitor.sourceId(parser.source()));
                    if (why == null) {
                        eventsByKind[kind.ordinal()]++;
                    }
                } else {
                    pending.add(ts, md.offset(), channel, kind.ordinal() | monitor.sourceId(parser.source()) << KIND_BITS,
                            slot, record, false);
                    eventsByKind[kind.ordinal()]++;
                    // An event ahead of the clock (within futureTolerance) waits, and moves time no further than the clock;
                    // nor, during a broker outage and shortly after, further than the time the outage began.
                    long t = Math.min(ts, setup.contact.trustedUntil(now));
                    if (t > newest) {
                        newest = t;
                    }
                }
            }
        }
        if (why != null) {
            reject(record.key(), value, record.timestamp(), record.headers(), why, md.topic(), md.partition(), md.offset());
        }
        advanceTo(Math.max(w, candidate(now)));
    }

    private void punctuate() {
        if (setup.channels.version(partition) != ownedVersion) {
            reconfigure();
        }
        advanceTo(Math.max(watermark, candidate(setup.clock.millis())));
    }

    /**
     * {@code max(newest event, clock unless reading a backlog) - lateness}, or NONE. The clock counts only up to
     * where the broker contact trusts it: during a broker outage the producers keep the events stamped meanwhile.
     */
    private long candidate(long now) {
        boolean caughtUp = !backlog || now - lastRecordAt >= backlogThreshold;
        long t = Math.max(newest, caughtUp ? setup.contact.trustedUntil(now) : NONE);
        return t == NONE ? NONE : t - setup.lateness;
    }

    /** Moves the watermark to {@code w} (if later), releases what it passed, decides the deadlines before it. */
    private void advanceTo(long w) {
        if (w == NONE) {
            return;
        }
        if (w > watermark) {
            watermark = w;
        }
        release();
        if (start == NONE && pending.isEmpty()) {
            begin(watermark);
        }
        if (start != NONE) {
            monitor.advanceTo(watermark);
        }
    }

    /** Applies, in (event time, offset) order, every waiting record at or before the watermark. */
    private void release() {
        pending.releaseThrough(watermark, released);
    }

    /** Applies one released record: the first starts the task, if it has not started. */
    private final PendingRecords.Released released = (ts, offset, channel, kindAndSource, slot, r) -> {
        if (start == NONE) {
            begin(ts);
        }
        if (r instanceof BufferedRecord saved) {
            applySaved(ts, saved);
        } else {
            apply(channel, KINDS[kindAndSource & KIND_MASK], ts, slot, kindAndSource >>> KIND_BITS, offset, (Record<?, ?>) r);
        }
    };

    /** Starts the task at {@code t}: every owned channel starts then. */
    private void begin(long t) {
        start = t;
        monitor.start(Instant.ofEpochMilli(t));
        LOG.info("detector task {} starts monitoring {} channels at {}", context.taskId(), owned.size(), text(t));
    }

    /**
     * The index in this task's monitor of the channel of the event last parsed, or {@link #OTHER_PARTITION}
     * or {@link #UNKNOWN}. The parser's tag is the index; ids it could not tag are looked up.
     */
    private int channel() {
        int tag = parser.channelTag();
        if (tag >= 0) {
            return tag;
        }
        String id = parser.channel();
        // A tag of -1 is the monitor's answer already (a cached id, not this task's): asked again only when untagged.
        int i = tag == EventDecoder.NO_TAG ? monitor.validator().indexOf(id) : -1;
        return i >= 0 ? i : setup.channels.contains(id) ? OTHER_PARTITION : UNKNOWN;
    }

    /** Applies a record checked on arrival to its channel. */
    private void apply(int channel, EventKind kind, long ts, long slot, int source, long offset, Record<?, ?> r) {
        EventOutcome outcome = monitor.acceptValidated(channel, kind, ts, slot, source);
        if (outcome.rejected()) { // cannot happen for a checked record at or after the watermark; kept honest
            reject((byte[]) r.key(), (byte[]) r.value(), r.timestamp(), r.headers(), refusal(outcome, channel, ts, slot),
                    topic, partition, offset);
        }
    }

    /**
     * Applies at once an event older than the watermark, if its channel has seen nothing since its time (no deadline
     * decided at or after it, no later event: {@link EventGate#behind}, replay's rule); else it is late. Returns the
     * rejection, or {@code null}.
     */
    private Rejection applyBehind(int channel, EventKind kind, long ts, long slot, int source) {
        EventOutcome outcome = EventGate.behind(monitor, channel, kind, ts, slot, source);
        return outcome.rejected() ? refusal(outcome, channel, ts, slot) : null;
    }

    /** Applies a record restored from the reorder store: parsed and checked again, against today's configuration. */
    private void applySaved(long ts, BufferedRecord r) {
        Rejection why;
        try {
            parser.decodeParts(r.value(), 0, r.value().length);
            EventKind kind = parser.kind();
            int channel = kind == EventKind.HEARTBEAT ? -1 : channel();
            why = admit(channel, r.partition());
            if (why == null) {
                EventOutcome outcome = monitor.acceptValidated(channel, kind, parser.tsMillis(), parser.slotMillis(),
                        monitor.sourceId(parser.source()));
                why = outcome.rejected() ? refusal(outcome, channel, parser.tsMillis(), parser.slotMillis()) : null;
            }
        } catch (EventFormatException e) { // parsed on arrival; the parser has not changed since
            why = EventGate.unreadable(e);
        }
        if (why != null) {
            reject(r.key(), r.value(), r.timestamp(), r.headersCopy(), why, r.topic(), r.partition(), r.offset());
        }
    }

    /**
     * Writes what changed since the last commit to the stores; run by the {@link CommitHook} just before each
     * commit, so that the stores hold the state as of the committed offsets.
     */
    private void save() {
        saveChannels();
        pending.drainLeft((t, offset) -> buffer.delete(BufferedRecord.key(t, offset)));
        pending.drainUnsaved((t, offset, r) -> buffer.put(BufferedRecord.key(t, offset), r instanceof BufferedRecord b ? b
                : buffered(offset, (Record<?, ?>) r)));
        if (watermark != savedWatermark) {
            task.put(META_WATERMARK, watermark);
            savedWatermark = watermark;
        }
        if (start != savedStart) {
            task.put(META_START, start);
            savedStart = start;
        }
        Monitor.OurSide ourSide = monitor.ourSide();
        if (!ourSide.equals(savedOurSide)) {
            putOrDelete(META_LAST_HEARTBEAT, ourSide.lastHeartbeat());
            putOrDelete(META_SILENT_SINCE, ourSide.silentSince());
            putOrDelete(META_RESUMED_AT, ourSide.resumedAt());
            if (!Objects.equals(ourSide.lastHeartbeatSource(), savedOurSide.lastHeartbeatSource())) {
                if (savedOurSide.lastHeartbeatSource() != null) {
                    task.delete(META_LAST_HEARTBEAT_SOURCE + savedOurSide.lastHeartbeatSource());
                }
                if (ourSide.lastHeartbeatSource() != null) {
                    task.put(META_LAST_HEARTBEAT_SOURCE + ourSide.lastHeartbeatSource(), ourSide.lastHeartbeat());
                }
            }
            savedOurSide = ourSide;
        }
        if (watermark != NONE) {
            setup.view.putWatermark(partition, watermark);
            setup.view.putOurSide(partition, ourSide);
        }
        setup.view.addEvents(eventsByKind);
        setup.view.addVerdicts(verdictsByKind);
        setup.view.addChannelVerdicts(decidedChannels, decidedVerdicts, decidedCount);
        setup.view.decided(decidedChannels, decidedSlots, decidedVerdicts, decidedCauses, decidedCount);
        setup.view.sent(sentSinceCommit);
        sentSinceCommit.clear();
        Arrays.fill(decidedChannels, 0, decidedCount, null);
        decidedCount = 0;
        setup.view.answered(answerChannels, answerLatencies, answerLatencyCount);
        Arrays.fill(answerChannels, 0, answerLatencyCount, null);
        answerLatencyCount = 0;
    }

    /** A record read from this task's partition, as the reorder store keeps it. */
    private BufferedRecord buffered(long offset, Record<?, ?> r) {
        return new BufferedRecord(topic, partition, offset, r.timestamp(), (byte[]) r.key(), (byte[]) r.value(),
                r.headers().toArray());
    }

    /** Writes the channels whose state changed since the last call to the store and the view. */
    private void saveChannels() {
        monitor.drainChanged((id, state) -> {
            channels.put(id, new StoredChannel(owned.get(id).fingerprint(), state));
            setup.view.putChannel(partition, id, state);
        });
    }

    /** The source of the last heartbeat as {@link #save} stored it, or {@code null}. */
    private String savedHeartbeatSource() {
        String found = null;
        try (KeyValueIterator<String, Long> it = task.prefixScan(META_LAST_HEARTBEAT_SOURCE,
                new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                found = it.next().key.substring(META_LAST_HEARTBEAT_SOURCE.length());
            }
        }
        return found;
    }

    /** The task leaves this instance (or stops): its channels are no longer this instance's to show. */
    @Override
    public void close() {
        if (owned != null) {
            setup.view.removeChannels(owned.keySet());
            setup.view.removeWatermark(partition);
            setup.view.removeOurSide(partition);
        }
    }

    /** Sends an alert to the alerts topic, stamped with the clock. */
    private void send(Alert a) {
        long now = setup.clock.millis();
        setup.view.alertSent(a.type(), Math.max(0, now - a.at().toEpochMilli()));
        sentSinceCommit.add(a);
        context.forward(new Record<>(utf8(a.channel()), utf8(AlertCodec.toJson(a)), now, new RecordHeaders()),
                DetectorTopology.ALERTS_SINK);
    }

    /**
     * The checks of the event just parsed, in the gate's one order ({@link EventGate#admit}); {@code null} when it passes.
     * Only Kafka has partitions: the owner of a channel configured for another partition is the default partitioner's.
     */
    private Rejection admit(int channel, int fromPartition) {
        int owner = EventGate.NO_OWNER;
        if (channel == OTHER_PARTITION) {
            owner = ChannelPartitions.partitionOf(parser.channel(), setup.options.eventPartitions());
        }
        return gate.admit(parser, channel, owner, setup.options.eventPartitions(), fromPartition);
    }

    /**
     * The rejection for an outcome of the monitor about an event checked before ({@code channel}: its index here, -1 for
     * a heartbeat), at the task's watermark.
     */
    private Rejection refusal(EventOutcome outcome, int channel, long ts, long slot) {
        return outcome == EventOutcome.LATE ? gate.late(channel, ts, watermark) : gate.refusal(outcome, channel, null, ts, slot);
    }

    private void reject(byte[] key, byte[] value, long timestamp, Headers headers, Rejection why, String fromTopic,
                        int fromPartition, long offset) {
        setup.rejects.increment(why.reason());
        LOG.debug("rejected {}/{}@{}: {}: {}", fromTopic, fromPartition, offset, why.reason(), why.message());
        context.forward(new Record<>(key, value, timestamp, DeadLetters.headers(headers, why, fromTopic, fromPartition, offset)),
                DetectorTopology.REJECTS_SINK);
    }

    private void putOrDelete(String key, long value) {
        if (value == NONE) {
            task.delete(key);
        } else {
            task.put(key, value);
        }
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
