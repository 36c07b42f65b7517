package org.hotlinemonitor.app.detect;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * What this detector instance knows, for readers on other threads (metrics, the HTTP API): the state of each
 * channel its tasks own, each task's watermark, and counts of events, decided slots (by verdict) and alerts.
 *
 * <p>The tasks publish at each commit, just after saving to their stores ({@link DetectorProcessor}), so a reader
 * sees the committed state, at most {@code commit.interval.ms} old: the same state a restart would resume from.
 * Verdicts and answer latencies are published at commit too; alerts are counted as they are sent. One
 * {@link Listener} (the metrics binder) hears when channels or partitions join or leave the view, and the answer
 * latencies of each commit. A task that moves to another instance takes its channels with it: with
 * several instances, each one's view holds the channels of its own tasks. One {@link Decisions} (the status page's
 * feed) hears each commit's decided slots and sent alerts.
 *
 * <p>Thread-safe: written by the stream threads, read from anywhere.
 */
public final class DetectorView {

    private static final EventKind[] KINDS = EventKind.values();
    private static final AlertType[] TYPES = AlertType.values();
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final ChannelStatus[] STATUSES = ChannelStatus.values();

    /**
     * Hears about the view from the stream threads: keep it quick, and never throw (it would fail the task).
     */
    public interface Listener {
        /** A channel joined the view (its task started here, or moved here). */
        default void channelJoined(String id) {
        }

        /** A channel left the view (its task moved to another instance, or stopped). */
        default void channelLeft(String id) {
        }

        /** A partition's task published its first watermark here. */
        default void partitionJoined(int partition) {
        }

        /** A partition's task left this instance. */
        default void partitionLeft(int partition) {
        }

        /**
         * An alert was sent: {@code delayMillis} from the instant it became true (its {@code at}) to its sending, by
         * the detector's clock.
         */
        default void alertSent(AlertType type, long delayMillis) {
        }

        /**
         * The first {@code count} entries of {@code millis} are the answer latencies, in milliseconds from the slot
         * to its first answer, of the slots decided {@link Verdict#ANSWERED} since the last commit, and those of
         * {@code channels} the channel of each. The arrays are the task's buffers: read them during the call only.
         */
        default void answered(String[] channels, long[] millis, int count) {
        }
    }

    private static final Listener NO_LISTENER = new Listener() {
    };

    /**
     * Hears each commit's decided slots and sent alerts, for a status page ({@code StatusFeed}). Called from the stream
     * threads at commit, just after the task saved its stores, with what the task decided and sent since its last
     * commit: keep it quick (work in proportion to what it is given), and never throw (it would fail the task).
     * With several detector instances, each one hears its own tasks only.
     */
    public interface Decisions {
        /**
         * Slots decided since the last commit: the first {@code count} entries of each array, in the order decided.
         * {@code slots} are epoch milliseconds, {@code verdicts} {@link Verdict} ordinals, {@code causes}
         * {@link MissCause} ordinals for missed slots (-1 otherwise). The arrays are the task's buffers: read them during
         * the call only.
         */
        void decided(String[] channels, long[] slots, byte[] verdicts, byte[] causes, int count);

        /**
         * Alerts sent since the last commit, in the order sent (after that commit's {@link #decided} call). The list is
         * the task's buffer: read it during the call only.
         */
        void sent(List<Alert> alerts);

        /**
         * A channel joined the view with its committed state: restored when its task started here (a restart, or the
         * task moved here), or its first state. Called before that commit's {@link #decided}.
         */
        default void joined(String id, ChannelState state) {
        }
    }

    private static final Decisions NO_DECISIONS = new Decisions() {
        @Override
        public void decided(String[] channels, long[] slots, byte[] verdicts, byte[] causes, int count) {
        }

        @Override
        public void sent(List<Alert> alerts) {
        }
    };

    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();
    /** The partition of each channel in {@code channels}: whose our-side state applies to it. */
    private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
    private final Map<Integer, Monitor.OurSide> ourSide = new ConcurrentHashMap<>();
    private final Map<Integer, Long> watermarks = new ConcurrentHashMap<>();
    private final AtomicLongArray events = new AtomicLongArray(KINDS.length);
    private final LongAdder[] alerts = new LongAdder[TYPES.length];
    private final AtomicLongArray verdicts = new AtomicLongArray(VERDICTS.length);
    /**
     * Slots decided per channel, by verdict ordinal, since this instance started: kept when a channel leaves (a
     * counter never goes back), continued if it comes back.
     */
    private final Map<String, AtomicLongArray> channelVerdicts = new ConcurrentHashMap<>();
    /**
     * The owned channels of each partition by their detector status (indexed by {@link ChannelStatus#ordinal()}), kept
     * as channels join, change and leave: the counts by shown state cost O(partitions), not O(channels).
     */
    private final Map<Integer, AtomicLongArray> statusCounts = new ConcurrentHashMap<>();
    /** The detectors of the configured channels (the topology's, shared), for {@link #nextDeadline}; none until set. */
    private volatile java.util.function.Function<String, Detector> detectors = id -> null;
    private volatile Listener listener = NO_LISTENER;
    private volatile Decisions decisions = NO_DECISIONS;

    public DetectorView() {
        for (int i = 0; i < alerts.length; i++) {
            alerts[i] = new LongAdder();
        }
    }

    /**
     * A view holding {@code states} as if the tasks of {@code partitions} partitions had published them (the channels
     * dealt to the partitions in turn), with {@code detectors} for the next deadlines: for a tool that reads a view
     * without running a detector (monitor-bench's scrape benchmark). No listener hears these channels join.
     */
    public static DetectorView of(Map<String, ChannelState> states, Map<String, Detector> detectors, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        DetectorView view = new DetectorView();
        view.detectors(detectors::get);
        int i = 0;
        for (Map.Entry<String, ChannelState> e : states.entrySet()) {
            view.putChannel(i++ % partitions, e.getKey(), e.getValue());
        }
        return view;
    }

    /** The committed state of a channel owned by this instance, if any. */
    public Optional<ChannelState> channel(String id) {
        return Optional.ofNullable(channels.get(id));
    }

    /**
     * The channel's state as shown to people and dashboards: {@link ChannelStatus#UNKNOWN} while our own side is
     * silent (its task heard no heartbeat for {@code silentAfter}: nothing can be said of the far side), else the
     * detector's status; empty when this instance does not own the channel.
     */
    public Optional<ChannelStatus> status(String id) {
        ChannelState state = channels.get(id);
        return state == null ? Optional.empty() : Optional.of(shown(state, silentSince(id)));
    }

    /**
     * The one rule for what a channel shows: {@link ChannelStatus#UNKNOWN} while our side is silent
     * ({@code silentSince} not {@link Millis#NONE}), else the detector's status.
     */
    public static ChannelStatus shown(ChannelState state, long silentSince) {
        return silentSince != Millis.NONE ? ChannelStatus.UNKNOWN : state.status();
    }

    /** When our side went silent for the task that owns the channel (epoch ms), or {@link Millis#NONE}. */
    public long silentSince(String id) {
        Integer partition = partitionOf.get(id);
        Monitor.OurSide s = partition == null ? null : ourSide.get(partition);
        return s == null ? Millis.NONE : s.silentSince();
    }

    /** Each owned partition's view of our side's heartbeats. A copy. */
    public Map<Integer, Monitor.OurSide> ourSide() {
        return Map.copyOf(ourSide);
    }

    /** The newest heartbeat any owned task applied (epoch ms), or {@link Millis#NONE}. */
    public long lastHeartbeat() {
        return ourSide.values().stream().mapToLong(Monitor.OurSide::lastHeartbeat).max().orElse(Millis.NONE);
    }

    /** The earliest start of a silence of our side among the owned tasks still silent (epoch ms), or {@link Millis#NONE}. */
    public long ourSideSilentSince() {
        return ourSide.values().stream().mapToLong(Monitor.OurSide::silentSince).filter(t -> t != Millis.NONE)
                .min().orElse(Millis.NONE);
    }

    /** The committed states of the channels this instance owns, by id; a copy. */
    public Map<String, ChannelState> channels() {
        return Map.copyOf(channels);
    }

    /** Each owned partition's watermark (epoch ms): every deadline before it is decided. A copy. */
    public Map<Integer, Long> watermarks() {
        return Map.copyOf(watermarks);
    }

    /** Events accepted on arrival (not refused) by kind, since this instance started. */
    public Map<EventKind, Long> events() {
        Map<EventKind, Long> out = new EnumMap<>(EventKind.class);
        for (EventKind k : KINDS) {
            out.put(k, events.get(k.ordinal()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Alerts sent by type, since this instance started. */
    public Map<AlertType, Long> alerts() {
        Map<AlertType, Long> out = new EnumMap<>(AlertType.class);
        for (AlertType t : TYPES) {
            out.put(t, alerts[t.ordinal()].sum());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Slots decided by verdict, since this instance started (as committed). */
    public Map<Verdict, Long> verdicts() {
        Map<Verdict, Long> out = new EnumMap<>(Verdict.class);
        for (Verdict v : VERDICTS) {
            out.put(v, verdicts.get(v.ordinal()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The number of slots decided with {@code verdict} so far; no copy, for a metrics function. */
    public long verdictCount(Verdict verdict) {
        return verdicts.get(verdict.ordinal());
    }

    /**
     * The number of the channel's slots decided with {@code verdict} by this instance so far (0 for a channel it never
     * decided); no copy, for a metrics function.
     */
    public long channelVerdictCount(String id, Verdict verdict) {
        AtomicLongArray a = channelVerdicts.get(id);
        return a == null ? 0 : a.get(verdict.ordinal());
    }

    /** The number of events of {@code kind} accepted so far; no copy, for a metrics function. */
    public long eventCount(EventKind kind) {
        return events.get(kind.ordinal());
    }

    /** The number of alerts of {@code type} sent so far; no copy, for a metrics function. */
    public long alertCount(AlertType type) {
        return alerts[type.ordinal()].sum();
    }

    /** Sets the one listener (replacing any before it); {@code null} removes it. */
    public void listen(Listener l) {
        this.listener = l == null ? NO_LISTENER : l;
    }

    /** Sets the one hearer of each commit's decisions (replacing any before it); {@code null} removes it. */
    public void decisions(Decisions d) {
        this.decisions = d == null ? NO_DECISIONS : d;
    }

    /** Hands a task's decided slots (the first {@code count} of each array) to the {@link Decisions}. */
    void decided(String[] channels, long[] slots, byte[] verdicts, byte[] causes, int count) {
        if (count > 0) {
            decisions.decided(channels, slots, verdicts, causes, count);
        }
    }

    /** Hands a task's alerts sent since its last commit to the {@link Decisions}. */
    void sent(List<Alert> alerts) {
        if (!alerts.isEmpty()) {
            decisions.sent(alerts);
        }
    }

    void putChannel(int partition, String id, ChannelState state) {
        Integer before = partitionOf.put(id, partition);
        ChannelState old = channels.put(id, state);
        if (old != null) {
            count(before == null ? partition : before, old.status(), -1);
        }
        count(partition, state.status(), 1);
        if (old == null) {
            listener.channelJoined(id);
            decisions.joined(id, state);
        }
    }

    void removeChannels(Iterable<String> ids) {
        for (String id : ids) {
            ChannelState old = channels.remove(id);
            Integer partition = partitionOf.remove(id);
            if (old != null) {
                if (partition != null) {
                    count(partition, old.status(), -1);
                }
                listener.channelLeft(id);
            }
        }
    }

    private void count(int partition, ChannelStatus status, int delta) {
        statusCounts.computeIfAbsent(partition, p -> new AtomicLongArray(STATUSES.length)).addAndGet(status.ordinal(), delta);
    }

    /**
     * The number of owned channels showing each state ({@link #shown}), indexed by {@link ChannelStatus#ordinal()}: all
     * of a partition's channels are {@link ChannelStatus#UNKNOWN} while our side is silent for its task. O(partitions):
     * the counts are kept as channels change. A reader on another thread may see a commit half applied.
     */
    public long[] shownCounts() {
        long[] out = new long[STATUSES.length];
        statusCounts.forEach((partition, counts) -> {
            Monitor.OurSide s = ourSide.get(partition);
            boolean silent = s != null && s.silentSince() != Millis.NONE;
            for (int i = 0; i < out.length; i++) {
                long n = counts.get(i);
                out[silent ? ChannelStatus.UNKNOWN.ordinal() : i] += n;
            }
        });
        return out;
    }

    /**
     * Calls {@code action} with each owned channel's id and shown state ({@link #shown}), without copying the view:
     * O(channels), for a reader that needs each (the metrics' {@code failing} mode, once per scrape).
     */
    public void forEachShown(java.util.function.BiConsumer<String, ChannelStatus> action) {
        channels.forEach((id, state) -> action.accept(id, shown(state, silentSince(id))));
    }

    /**
     * Sets where the configured channels' detectors are found, for {@link #nextDeadline}: the topology's own
     * {@link ChannelRegistry}, not copied, so the deadlines cost no memory per channel here; {@code null} for a channel
     * not configured.
     */
    void detectors(java.util.function.Function<String, Detector> byChannel) {
        this.detectors = Objects.requireNonNull(byChannel, "byChannel");
    }

    java.util.function.Function<String, Detector> detectors() {
        return detectors;
    }

    /**
     * The deadline of the channel's earliest undecided slot (epoch ms) in {@code state}, a state of the channel read
     * before, or {@link Millis#NONE}: when its schedule has ended, or {@code state} is null (this instance does
     * not own it).
     */
    public long nextDeadline(String id, ChannelState state) {
        Detector d = detectors.apply(id);
        return state == null || d == null ? Millis.NONE : d.nextDeadline(state);
    }

    void putWatermark(int partition, long watermark) {
        if (watermarks.put(partition, watermark) == null) {
            listener.partitionJoined(partition);
        }
    }

    void putOurSide(int partition, Monitor.OurSide state) {
        ourSide.put(partition, state);
    }

    void removeOurSide(int partition) {
        ourSide.remove(partition);
    }

    void removeWatermark(int partition) {
        if (watermarks.remove(partition) != null) {
            listener.partitionLeft(partition);
        }
    }

    /** Adds a task's verdict counts (indexed by {@link Verdict#ordinal()}) and zeroes them. */
    void addVerdicts(long[] byVerdict) {
        for (int i = 0; i < byVerdict.length; i++) {
            if (byVerdict[i] != 0) {
                verdicts.addAndGet(i, byVerdict[i]);
                byVerdict[i] = 0;
            }
        }
    }

    /**
     * Adds a task's per-channel verdicts: the first {@code count} entries of {@code ids} and {@code verdictOrdinals}
     * (one per decided slot).
     */
    void addChannelVerdicts(String[] ids, byte[] verdictOrdinals, int count) {
        for (int i = 0; i < count; i++) {
            channelVerdicts.computeIfAbsent(ids[i], k -> new AtomicLongArray(VERDICTS.length))
                    .incrementAndGet(verdictOrdinals[i]);
        }
    }

    /**
     * Hands a task's answer latencies (the first {@code count} of {@code millis}) and their channels (of
     * {@code channels}) to the listener.
     */
    void answered(String[] channels, long[] millis, int count) {
        if (count > 0) {
            listener.answered(channels, millis, count);
        }
    }

    /** Adds a task's event counts (indexed by {@link EventKind#ordinal()}) and zeroes them. */
    void addEvents(long[] byKind) {
        for (int i = 0; i < byKind.length; i++) {
            if (byKind[i] != 0) {
                events.addAndGet(i, byKind[i]);
                byKind[i] = 0;
            }
        }
    }

    void alertSent(AlertType type, long delayMillis) {
        alerts[type.ordinal()].increment();
        listener.alertSent(type, delayMillis);
    }

    @Override
    public String toString() {
        Map<String, Object> m = new HashMap<>();
        m.put("channels", channels.size());
        m.put("watermarks", watermarks);
        return "DetectorView" + m;
    }
}
