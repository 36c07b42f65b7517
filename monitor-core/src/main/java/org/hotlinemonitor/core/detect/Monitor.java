package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.ChannelIndex;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * Runs the {@link Detector} of every configured channel over one stream of events in event-time order.
 *
 * <p>Alerts and verdicts are handed to the {@link Listener} in non-decreasing order of their time;
 * slots of different channels with the same deadline are decided in channel-id order. Channels are
 * advanced lazily: a channel is touched only when one of its events arrives or its next deadline
 * falls before the time being advanced to, so a step costs the same with ten channels or a million.
 *
 * <p>Each channel's state is kept in the detector's mutable form and changed in place by the
 * detector's rules (see {@link Detector}): no state is copied per event. {@link #states},
 * {@link #drainChanged} and {@link #ourSide} return immutable snapshots.
 *
 * <p><b>Our own side.</b> When the configuration sets {@code silentAfter}, the monitor also runs the rules of
 * {@link OurSideRule} on the heartbeats of our side (the schedulers), in place on one cursor: time passing
 * {@code silentAfter} beyond the last heartbeat raises one {@code OUR_SIDE_SILENT}, the next heartbeat
 * {@code OUR_SIDE_RESUMED}, and a {@code CALL_NOT_PLACED} that {@link OurSideRule#covers(OurSide, Alert) the silence
 * covers} is not raised (the verdict is still {@link Verdict#NOT_PLACED}). The monitor holds no rule of its own: it
 * only orders the steps, the silence being a deadline like a slot's, decided in time order with them and first at
 * equal instants, so replay and live agree.
 *
 * <p><b>Where the rules live.</b> Every decision is made by {@link Detector} (one channel) or {@link OurSideRule}
 * (our side); what the monitor adds is the order of the steps (above), lazy advancing, and which events are late (an
 * event older than the monitor's time is taken when its own channel has not moved past it, see {@link #acceptValidated}).
 * {@code MonitorMatchesDetectorProperties} checks it against the plainest composition of the two pure rule sets.
 *
 * <p><b>Sources.</b> Alerts name the sources of the events their decision used ({@link Alert#sources()}, and
 * {@link Detector} for the rules); {@code OUR_SIDE_SILENT} names the source of the last heartbeat,
 * {@code OUR_SIDE_RESUMED} that of the heartbeat that ended the silence. The monitor interns source names to small
 * ints ({@link #sourceId}), which the fast paths pass instead of strings, and shares equal per-slot source sets
 * between channels: a channel holds one reference for its open slot's sources. At most {@value #MAX_SOURCE_NAMES}
 * distinct names are interned; later new names all count as {@link Alert#MORE_SOURCES}, so a flood of made-up
 * names cannot grow the table.
 *
 * <p><b>One form per operation.</b> The monitor's operations take an event in parts (channel index, kind, epoch
 * milliseconds, interned source), the form replay and the live detector need on their hot paths, where nothing is
 * built per event:
 * <ul>
 *   <li>look a channel up: {@link Validator#indexOf}, {@link Validator#channel}, {@link Validator#channelAt} (on
 *       {@link #validator()});</li>
 *   <li>validate an event: {@link Validator#validate}, before it waits to be put in order;</li>
 *   <li>apply it: {@link #acceptValidated}, with its source as {@link #sourceId};</li>
 *   <li>hear a decided slot: {@link Listener#onVerdict} (a {@link SlotVerdict} in parts);</li>
 *   <li>read state: {@link #states} (every channel), {@link #drainChanged} (those changed since, to save them),
 *       {@link #ourSide}.</li>
 * </ul>
 * Tests that hold events as {@link CallEvent}s feed them through a helper of their own ({@code MonitorFeed});
 * {@link Detector} keeps the rules' object forms ({@link Detector#onEvent}, {@link Detector#validate(CallEvent)}).
 *
 * <p>No clock and no I/O: time comes from the events and from {@link #advanceTo}. Not thread-safe, except its
 * {@link #validator()}, which only reads the configuration.
 */
public final class Monitor {

    /** Receives what the monitor decides, in time order. */
    public interface Listener {
        void onAlert(Alert alert);

        /**
         * A slot was decided (what a {@link SlotVerdict} holds, in parts: no object is built per verdict).
         * {@code channel} is the channel's position in the configuration; times are epoch milliseconds;
         * {@code cause} is set only for {@link Verdict#MISSED}, {@code firstAnswer} only for
         * {@link Verdict#ANSWERED} (else {@link Millis#NONE}). Does nothing by default.
         */
        default void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict,
                               MissCause cause, long firstAnswer) {
        }

        /**
         * Whether this listener wants {@link #onStateChange}: asked once, when the monitor is made. False by default,
         * so that a monitor whose listener does not want them builds no state snapshot per change.
         */
        default boolean wantsStates() {
            return false;
        }

        /**
         * Whether this listener is handed {@code OUR_SIDE_SILENT} and {@code OUR_SIDE_RESUMED}: asked once, when the
         * monitor is made. True by default. Several monitors that each see all heartbeats (the tasks of a partitioned
         * detector) all apply our side's rule, and one of them reports it.
         */
        default boolean reportsOurSide() {
            return true;
        }

        /**
         * A channel's state may have changed at {@code at} (epoch milliseconds): when monitoring started, an event of
         * the channel was applied at that time (an answer makes it up at once), or its slot whose deadline is
         * {@code at} was decided. {@code state} is the channel's state just after, as {@link #states} would give it.
         * Called only when {@link #wantsStates()}; per channel in non-decreasing {@code at}, after the verdicts and
         * alerts of the same change.
         */
        default void onStateChange(int channel, String channelId, long at, ChannelState state) {
        }
    }

    /** The most source names {@link #sourceId} interns. */
    public static final int MAX_SOURCE_NAMES = 1 << 16;

    private final Lane[] lanes;
    private final Sources sources = new Sources();
    private final Validator validator;
    /** The lanes by next deadline, then rank. */
    private final Deadlines<Lane> due;
    private final java.util.function.Consumer<Lane> decideNext = this::decideNext;
    private final Listener listener;
    /** {@link Listener#wantsStates()}, asked once. */
    private final boolean observeStates;
    private final Sink sink = new Sink();
    private long watermark = NONE;
    /** Where this monitor started or resumed: nothing before it is taken. */
    private long floor = NONE;
    /** Our side's rules ({@code silentAfter}), and our side's state in their mutable form. */
    private final OurSideRule ourSideRule;
    private final OurSideRule.Cursor heartbeats = new OurSideRule.Cursor();
    /** Where our side's alerts go: the listener, or nowhere when this monitor does not report them. */
    private final java.util.function.Consumer<Alert> ourSideAlerts;
    /** The indexes of the lanes whose state changed since the last {@link #drainChanged}, each once. */
    private int[] changed = new int[16];
    private int changedCount;

    /** A monitor of {@code config}'s channels, not started, that hands what it decides to {@code listener}. */
    public Monitor(MonitorConfig config, Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.observeStates = listener.wantsStates();
        this.ourSideRule = new OurSideRule(config.silentAfter());
        this.ourSideAlerts = listener.reportsOurSide() ? listener::onAlert : alert -> { };
        List<String> byId = config.channels().stream().map(Channel::id).sorted().toList();
        ChannelIndex index = new ChannelIndex(config.channels());
        Detector[] detectors = new Detector[config.channels().size()];
        for (int i = 0; i < detectors.length; i++) {
            detectors[i] = new Detector(config.channels().get(i));
        }
        this.validator = new Validator(index, detectors);
        // Allocated after the detectors, not among them: the lanes are written on every event, the
        // detectors are read by the validating thread; sharing cache lines would make them bounce.
        this.lanes = new Lane[detectors.length];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(detectors[i], i, Collections.binarySearch(byId, detectors[i].channel().id()), sources);
        }
        this.due = new DeadlineCalendar<>(Arrays.asList(lanes));
    }

    /** True once {@link #start} has run. */
    public boolean started() {
        return watermark != NONE;
    }

    /** Starts monitoring every channel at {@code start}; slots whose deadline is before it are not judged. */
    public void start(Instant start) {
        if (started()) {
            throw new IllegalStateException("already started at " + Instant.ofEpochMilli(watermark));
        }
        watermark = start.toEpochMilli();
        floor = watermark;
        for (Lane lane : lanes) {
            lane.detector.start(lane, watermark);
            schedule(lane);
            changed(lane);
            observed(lane, watermark);
        }
    }

    /**
     * Resumes a monitor that was started before and whose states were saved: every deadline before
     * {@code watermark} (epoch milliseconds) counts as decided, and each channel continues from
     * {@code states.apply(id)}, which must not be {@code null} (a channel new to the configuration starts
     * from {@link Detector#initial} at the watermark), and our side from {@code ourSide}, as {@link #ourSide()} gave it
     * ({@link OurSide#NEVER_HEARD} when none was saved). Nothing counts as {@link #drainChanged changed}.
     *
     * @throws IllegalStateException    if already started
     * @throws IllegalArgumentException if a channel has no state, or {@code watermark} is {@link Millis#NONE}
     */
    public void resume(long watermark, java.util.function.Function<String, ChannelState> states, OurSide ourSide) {
        if (started()) {
            throw new IllegalStateException("already started at " + Instant.ofEpochMilli(this.watermark));
        }
        if (watermark == NONE) {
            throw new IllegalArgumentException("no watermark to resume at");
        }
        for (Lane lane : lanes) {
            ChannelState s = states.apply(lane.id);
            if (s == null) {
                throw new IllegalArgumentException("no state to resume channel '" + lane.id + "' with");
            }
            lane.load(s);
        }
        this.watermark = watermark;
        this.floor = watermark;
        heartbeats.load(ourSideRule, ourSide);
        heartbeats.lastHeartbeatSource = ourSide.lastHeartbeatSource() == null ? null
                : sources.name(sources.id(ourSide.lastHeartbeatSource())); // interned, as a heartbeat's would be
        for (Lane lane : lanes) {
            schedule(lane);
        }
    }

    /**
     * Hands every channel whose state changed since the last call (by an event, a decided slot,
     * {@link #start}) to {@code each}, as an immutable snapshot, in no particular order, and forgets
     * them: a caller that saves states saves only these.
     */
    public void drainChanged(java.util.function.BiConsumer<String, ChannelState> each) {
        int n = changedCount;
        changedCount = 0;
        for (int i = 0; i < n; i++) {
            Lane lane = lanes[changed[i]];
            lane.changed = false;
            each.accept(lane.id, lane.freeze());
        }
    }

    private void changed(Lane lane) {
        if (!lane.changed) {
            lane.changed = true;
            if (changedCount == changed.length) {
                changed = Arrays.copyOf(changed, changedCount * 2);
            }
            changed[changedCount++] = lane.index;
        }
    }

    /**
     * The time up to which every deadline before it is decided, epoch milliseconds, or {@link Millis#NONE} before
     * {@link #start}.
     */
    public long watermark() {
        return watermark;
    }

    /**
     * The small int that stands for a source name in {@link #acceptValidated(int, EventKind, long, long, int)}:
     * 0 for {@code null} (no source), else a positive id below {@link #MAX_SOURCE_NAMES}, the same for equal names
     * for the life of this monitor. Not thread-safe: called on the thread that applies events.
     */
    public int sourceId(String source) {
        return source == null ? 0 : sources.id(source);
    }

    /**
     * Applies one event that already passed {@link Validator#validate} (replay and the live detector validate events on
     * arrival, before they wait to be put in order, and must not pay for it twice), on the event's parts:
     * {@code channel} is the channel's {@link Validator#indexOf index} ({@code -1} for a heartbeat), times are epoch
     * milliseconds, {@code slot} is the slot the event names or {@link Millis#NONE}, {@code source} the
     * {@link #sourceId} of its source (0: none). Events should come in event-time order: one older than the watermark
     * is applied if its own channel has seen nothing since (no decided deadline, no later event), else it is
     * {@link EventOutcome#LATE} and changes nothing. Starts the monitor at the event's time if needed.
     */
    public EventOutcome acceptValidated(int channel, EventKind kind, long ts, long slot, int source) {
        if (kind != EventKind.HEARTBEAT && (channel < 0 || channel >= lanes.length)) {
            throw new IllegalArgumentException("no channel at index " + channel + " (unknown channel?)");
        }
        if (!started()) {
            start(Instant.ofEpochMilli(ts));
        }
        String name = sources.name(source);
        if (ts < watermark) {
            return acceptBehind(channel, kind, ts, slot, name);
        }
        advance(ts);
        if (kind == EventKind.HEARTBEAT) {
            return ourSideRule.heartbeat(heartbeats, ts, name, ourSideAlerts);
        }
        return applyTo(lanes[channel], kind, ts, slot, name);
    }

    /** Applies a channel event to its lane (the detector refuses it as late if the lane's own time is past it). */
    private EventOutcome applyTo(Lane lane, EventKind kind, long ts, long slot, String source) {
        long cursor = lane.cursor;
        sink.lane = lane;
        EventOutcome outcome = lane.detector.apply(lane, kind, ts, slot, source, sink);
        if (!outcome.rejected()) {
            changed(lane);
            observed(lane, ts);
        }
        if (lane.cursor != cursor) {
            schedule(lane); // its old calendar entry is now stale
        }
        return outcome;
    }

    /**
     * An event older than the monitor's time: judged by its own channel's time, not by how long it travelled. It is
     * {@link EventOutcome#LATE} only when its channel has already decided a deadline at or after it, or applied a later
     * event, or started after it (the lane's own watermark is past it): applying it then could not give what applying it
     * in time order gives. Otherwise nothing of its channel happened since {@code ts}, so applying it now is the same
     * as applying it in order (time is not moved: every deadline before the monitor's time stays decided). A heartbeat is
     * late when it is older than the monitor's start, than a heartbeat already applied (it would change nothing), or
     * than a silence already declared (it would have prevented it).
     */
    private EventOutcome acceptBehind(int channel, EventKind kind, long ts, long slot, String source) {
        if (kind == EventKind.HEARTBEAT) {
            // Before this monitor's start: late; else late or not by our side's rules.
            return ts < floor ? EventOutcome.LATE : ourSideRule.heartbeat(heartbeats, ts, source, ourSideAlerts);
        }
        return applyTo(lanes[channel], kind, ts, slot, source);
    }

    /**
     * Reads, and so brings into the processor's cache, the state of the channels at indexes
     * {@code channels[from..to)} that events about to be {@link #acceptValidated accepted} will touch (indexes
     * outside the configuration, heartbeats' -1, are skipped). Changes nothing. With many channels each event's
     * lane is a cache miss: applied one by one the misses come one after the other, read here first they
     * overlap.
     */
    public void prefetch(int[] channels, int from, int to) {
        Lane[] ls = lanes;
        long sum = 0;
        for (int i = from; i < to; i++) {
            int c = channels[i];
            if (c >= 0 && c < ls.length) {
                Lane lane = ls[c];
                sum += lane.watermark + lane.nextDeadline + lane.detector.answerWithinMillis();
            }
        }
        prefetched += sum; // used, so that the reads are made
    }

    /** What {@link #prefetch} read, summed: kept only so that its reads cannot be left out. */
    private long prefetched;

    /** What looks channels up and validates events: immutable, for other threads (see {@link Validator}). */
    public Validator validator() {
        return validator;
    }

    /**
     * The monitor's read-only part: channel lookup and event validation. Immutable and thread-safe; a
     * replay validates on its reading thread while another thread applies events.
     */
    public static final class Validator {
        private final ChannelIndex index;
        private final Detector[] detectors;
        // What validation reads, per channel, in flat arrays: the detector objects are scattered in memory.
        private final Schedule[] schedules;
        private final long[] windows;

        private Validator(ChannelIndex index, Detector[] detectors) {
            this.index = index;
            this.detectors = detectors;
            this.schedules = new Schedule[detectors.length];
            this.windows = new long[detectors.length];
            for (int i = 0; i < detectors.length; i++) {
                schedules[i] = detectors[i].channel().schedule();
                windows[i] = detectors[i].answerWithinMillis();
            }
        }

        /**
         * A copy, to be made on the thread that uses it: the copy then lives apart from the objects that
         * other threads write (a shared cache line would slow both threads down).
         */
        public Validator copy() {
            return new Validator(index, detectors);
        }

        /** The position of a channel in the configuration, or -1 when it is not configured. */
        public int indexOf(String channel) {
            return index.indexOf(channel);
        }

        /** How many channels are configured. */
        public int channels() {
            return index.size();
        }

        /**
         * Checks what can be checked of an event before it is buffered or applied: its channel is configured
         * ({@code channel} is its {@link #indexOf index}, {@code -1}: unknown), and a slot it names is valid
         * ({@link Detector#validate}). Returns the rejection, or {@code null}. On the event's parts: times in epoch
         * milliseconds, {@code slot} the named slot or {@link Millis#NONE}.
         */
        public EventOutcome validate(EventKind kind, int channel, long ts, long slot) {
            if (kind == EventKind.HEARTBEAT) {
                return null;
            }
            return channel < 0 ? EventOutcome.UNKNOWN_CHANNEL
                    : Detector.validate(schedules[channel], windows[channel], kind, ts, slot);
        }

        /** The channel configuration behind a channel id, or {@code null}. */
        public Channel channel(String id) {
            int i = index.indexOf(id);
            return i < 0 ? null : detectors[i].channel();
        }

        /** The channel configuration at an {@link #indexOf index}. */
        public Channel channelAt(int index) {
            return detectors[index].channel();
        }
    }

    /**
     * Moves time to {@code to} (epoch milliseconds): decides, in time order, every slot of every channel with a deadline
     * before it. Starts the monitor at {@code to} if needed.
     */
    public void advanceTo(long to) {
        if (!started()) {
            start(Instant.ofEpochMilli(to));
        }
        advance(to);
    }

    private void advance(long to) {
        if (to <= watermark) {
            return;
        }
        while (true) {
            long next = due.next();
            boolean deadline = next != NONE && next < to;
            // Our side first, up to just past the next deadline: a silence at its instant comes first and covers it.
            // One comparison when no silence is near.
            ourSideRule.advance(heartbeats, deadline ? next + 1 : to, ourSideAlerts);
            if (!deadline) {
                break;
            }
            due.takeNext(decideNext);
        }
        watermark = to;
    }

    /**
     * Our side's heartbeat state, to save along with the channels' states and {@link #resume} with; changes only
     * on heartbeats and silences.
     */
    public OurSide ourSide() {
        return heartbeats.freeze();
    }

    /**
     * What the monitor knows of our side's heartbeats, in epoch milliseconds, {@link Millis#NONE} for "never".
     *
     * @param lastHeartbeat the newest heartbeat applied
     * @param silentSince   when the current silence began ({@code lastHeartbeat + silentAfter}), NONE when heard
     * @param resumedAt     the heartbeat that ended the last silence
     * @param lastHeartbeatSource the source of {@code lastHeartbeat} (of equal times the smallest), or {@code null}
     */
    public record OurSide(long lastHeartbeat, long silentSince, long resumedAt, String lastHeartbeatSource) {
        /** Before any heartbeat. */
        public static final OurSide NEVER_HEARD = new OurSide(NONE, NONE, NONE, null);
    }

    /** Decides the lane's earliest undecided slot alone, so that deadlines of other channels interleave in time order. */
    private void decideNext(Lane lane) {
        long cursor = lane.cursor;
        long deadline = lane.nextDeadline;
        sink.lane = lane;
        lane.detector.advance(lane, deadline + 1, sink);
        if (lane.cursor == cursor) {
            throw new IllegalStateException("deadline " + Instant.ofEpochMilli(deadline) + " of "
                    + lane.id + " was not decided");
        }
        changed(lane);
        observed(lane, deadline);
        schedule(lane);
    }

    /** Tells a listener that {@link Listener#wantsStates() wants states} the lane's state as of {@code at}. */
    private void observed(Lane lane, long at) {
        if (observeStates) {
            listener.onStateChange(lane.index, lane.id, at, lane.freeze());
        }
    }

    private void schedule(Lane lane) {
        lane.nextDeadline = lane.detector.nextDeadline(lane);
        due.file(lane); // a lane without a deadline (NONE) is not filed
    }

    /**
     * Every channel's state in configuration order (empty before {@link #start}). A channel's state is
     * advanced lazily: its watermark may trail {@link #watermark()}, which is the time that holds for all.
     */
    public Map<String, ChannelState> states() {
        Map<String, ChannelState> out = new LinkedHashMap<>();
        if (started()) {
            for (Lane lane : lanes) {
                out.put(lane.id, lane.freeze());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Hands the detector's decisions for the lane being worked on to the listener. */
    private final class Sink implements Detector.Decisions {
        Lane lane;

        @Override
        public void verdict(long slot, long deadline, Verdict verdict, MissCause cause, long firstAnswer) {
            listener.onVerdict(lane.index, lane.id, slot, deadline, verdict, cause, firstAnswer);
        }

        @Override
        public void alert(Alert alert) {
            if (ourSideRule.covers(heartbeats, alert)) {
                return; // OUR_SIDE_SILENT stands for it
            }
            listener.onAlert(alert);
        }
    }

    /** One channel: its detector, and its state in the detector's mutable form. */
    private static final class Lane extends Detector.Cursor implements Deadlines.Entry {
        final Detector detector;
        final String id;
        /** The channel's position in the configuration. */
        final int index;
        /** The channel id's position in id order: the tie-break between equal deadlines. */
        final int rank;
        long nextDeadline = NONE;
        /** Listed in {@code changed}. */
        boolean changed;
        private final Sources sources;

        Lane(Detector detector, int index, int rank, Sources sources) {
            this.detector = detector;
            this.id = detector.channel().id();
            this.index = index;
            this.rank = rank;
            this.sources = sources;
        }

        @Override
        List<String> withSource(List<String> set, String source) {
            return sources.withSource(set, source);
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public long deadline() {
            return nextDeadline;
        }
    }

    /**
     * The monitor's source names, interned to small ints, and its per-slot source sets, interned so that channels
     * share them: the common set of one scheduler's name is one list for all channels, found without allocating.
     */
    private static final class Sources {
        /** Interned sets beyond this many are not kept (made-up names cannot grow the table without bound). */
        private static final int MAX_SETS = 1 << 14;

        private String[] names = new String[16];
        private final Map<String, Integer> ids = new HashMap<>();
        private final Map<String, List<String>> singles = new HashMap<>();
        private final Map<List<String>, List<String>> sets = new HashMap<>();
        /** The last name looked up and its id: events come in runs of one source. */
        private String lastName;
        private int lastId;

        Sources() {
            ids.put(Alert.MORE_SOURCES, 1);
            names[1] = Alert.MORE_SOURCES;
        }

        int id(String name) {
            if (name == lastName) {
                return lastId;
            }
            Integer known = ids.get(name);
            int id;
            if (known != null) {
                id = known;
            } else if (ids.size() + 1 >= MAX_SOURCE_NAMES) {
                id = 1; // the table is full: a new name counts as "more"
            } else {
                id = ids.size() + 1;
                if (id == names.length) {
                    names = Arrays.copyOf(names, id * 2);
                }
                names[id] = name;
                ids.put(name, id);
            }
            lastName = name;
            lastId = id;
            return id;
        }

        String name(int id) {
            if (id < 0 || id > ids.size()) {
                throw new IllegalArgumentException("no source with id " + id);
            }
            return names[id];
        }

        List<String> withSource(List<String> set, String source) {
            if (source == null || set.contains(source)) {
                return set;
            }
            if (set.isEmpty()) {
                List<String> one = singles.get(source);
                if (one == null) {
                    one = List.of(source);
                    if (singles.size() < MAX_SETS) {
                        singles.put(source, one);
                    }
                }
                return one;
            }
            List<String> next = SourceSet.add(set, source);
            List<String> known = sets.get(next);
            if (known != null) {
                return known;
            }
            if (sets.size() < MAX_SETS) {
                sets.put(next, next);
            }
            return next;
        }
    }
}
