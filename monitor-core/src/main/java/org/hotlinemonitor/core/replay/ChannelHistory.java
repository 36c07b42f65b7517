package org.hotlinemonitor.core.replay;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * The live monitor's per-channel metrics over a replay's event time, for backfilling Prometheus: fed as a
 * {@link Monitor.Listener} during the replay, then {@link #render rendered} as time series with the live names and
 * label sets (docs/metrics.md), so that the same dashboards and queries work on the replayed period:
 * <ul>
 *   <li>{@code hotline_channel_state{channel,state}}: 1 for the state the channel is in, 0 for the others;
 *       {@code unknown} while our own side is silent, as live;</li>
 *   <li>{@code hotline_channel_consecutive_missed_slots{channel}}, {@code hotline_channel_last_answer_timestamp_seconds{channel}}
 *       and {@code hotline_channel_outage_start_timestamp_seconds{channel}} ({@code NaN} for "none", as live);</li>
 *   <li>{@code hotline_channel_slots_total{channel,verdict}} and {@code hotline_alerts_total{type}}, counters from 0 at
 *       the replay's start.</li>
 * </ul>
 * Each series has a sample at the replay's start, at every change (an event or a deadline decided, at its own event
 * time), at every multiple of the step in between, and at the replay's end: dense enough for instant queries (which
 * look back 5 minutes) and for {@code increase()} over any window.
 *
 * <p>While fed it keeps only the change points, in primitive arrays (about 16 bytes each; a slot decided makes about
 * three), never the samples of the step: {@link #render} makes those as it goes. Changes of one series arrive in time
 * order except in rare cases (an event applied behind the monitor's time, an alert of an earlier instant), which
 * render sorts. Not thread-safe; feed it on the replay's thread, then render once.
 */
public final class ChannelHistory implements Monitor.Listener {

    /** The kinds of metric families, as OpenMetrics names them. */
    public enum Type {
        GAUGE, COUNTER;

        /** As a {@code # TYPE} line writes it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where {@link #render} writes: for each family, {@link #family} once, then for each of its series
     * {@link #series} once followed by its samples in increasing time, each time once.
     */
    public interface Exposition {
        /**
         * A metric family. {@code name} is the family's name (for a counter without {@code _total}); {@code unit} is
         * {@code null} or a suffix of the name ({@code seconds}).
         */
        void family(String name, Type type, String unit, String help) throws IOException;

        /** A series of the last family: its sample name (a counter's ends in {@code _total}) and label pairs. */
        void series(String sampleName, List<String[]> labels) throws IOException;

        /** A sample of the last series: epoch milliseconds, and the value ({@code NaN} allowed). */
        void sample(long atMillis, double value) throws IOException;
    }

    /** The label values of {@code hotline_channel_state}, in the order written. */
    private static final ChannelStatus[] STATES = {ChannelStatus.UP, ChannelStatus.MISSED, ChannelStatus.DOWN,
            ChannelStatus.UNKNOWN};
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final AlertType[] TYPES = AlertType.values();

    private final List<String> ids;
    /** Per channel: status (ordinal), streak, outage start and last answer (seconds, NaN for none). */
    private final Track[] status;
    private final Track[] streak;
    private final Track[] outageStart;
    private final Track[] lastAnswer;
    /** Per channel and verdict ({@code channel * VERDICTS.length + ordinal}): +1 per slot decided. */
    private final Track[] slots;
    /** Per alert type: +1 per alert. */
    private final Track[] alerts = new Track[TYPES.length];
    /** Our own side: 1 while silent. */
    private final Track silent = new Track(false);
    /** Per channel: the last state recorded, to keep only changes. */
    private final ChannelState[] last;
    private long start = Millis.NONE;

    public ChannelHistory(MonitorConfig config) {
        this.ids = config.channels().stream().map(Channel::id).toList();
        int n = ids.size();
        status = tracks(n, false);
        streak = tracks(n, false);
        outageStart = tracks(n, false);
        lastAnswer = tracks(n, false);
        slots = tracks(n * VERDICTS.length, true);
        for (int i = 0; i < alerts.length; i++) {
            alerts[i] = new Track(true);
        }
        last = new ChannelState[n];
    }

    private static Track[] tracks(int n, boolean counter) {
        Track[] t = new Track[n];
        for (int i = 0; i < n; i++) {
            t[i] = new Track(counter);
        }
        return t;
    }

    @Override
    public boolean wantsStates() {
        return true;
    }

    @Override
    public void onStateChange(int channel, String channelId, long at, ChannelState state) {
        if (start == Millis.NONE || at < start) {
            start = at;
        }
        ChannelState before = last[channel];
        if (before == null || before.status() != state.status()) {
            status[channel].add(at, state.status().ordinal());
        }
        if (before == null || before.streak() != state.streak()) {
            streak[channel].add(at, state.streak());
        }
        if (before == null || before.streakSince() != state.streakSince()) {
            outageStart[channel].add(at, seconds(state.streakSince()));
        }
        if (before == null || before.lastAnswer() != state.lastAnswer()) {
            lastAnswer[channel].add(at, seconds(state.lastAnswer()));
        }
        last[channel] = state;
    }

    @Override
    public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict, MissCause cause,
                          long firstAnswer) {
        if (channel >= 0) {
            slots[channel * VERDICTS.length + verdict.ordinal()].add(deadline, 1);
        }
    }

    @Override
    public void onAlert(Alert alert) {
        long at = alert.at().toEpochMilli();
        alerts[alert.type().ordinal()].add(at, 1);
        if (alert.type() == AlertType.OUR_SIDE_SILENT) {
            silent.add(at, 1);
        } else if (alert.type() == AlertType.OUR_SIDE_RESUMED) {
            silent.add(at, 0);
        }
    }

    /** The replay's start (when the monitor started, epoch milliseconds), or {@code null} before any event. */
    public Instant start() {
        return start == Millis.NONE ? null : Instant.ofEpochMilli(start);
    }

    /** Change points kept so far, over all series: what the history holds in memory. */
    public long changes() {
        long n = silent.size;
        for (Track[] group : List.of(status, streak, outageStart, lastAnswer, slots)) {
            for (Track t : group) {
                n += t.size;
            }
        }
        for (Track t : alerts) {
            n += t.size;
        }
        return n;
    }

    /**
     * Writes every family and series from the replay's start to {@code end} (the replay's end; changes are never after
     * it), with a sample at each change and at each multiple of {@code step} (from the epoch) in between. Nothing but
     * the families when no event was taken.
     *
     * @param step at most 5 minutes (Prometheus's default lookback) for instant queries to see every moment
     * @throws IllegalArgumentException if {@code step} is not positive or {@code end} is before the start
     */
    public void render(Instant end, Duration step, Exposition out) throws IOException {
        Objects.requireNonNull(out, "out");
        if (step.isNegative() || step.isZero() || step.toMillis() == 0) {
            throw new IllegalArgumentException("step must be at least 1 ms, was " + step);
        }
        long stepMs = step.toMillis();
        boolean any = start != Millis.NONE && end != null;
        long endMs = any ? end.toEpochMilli() : 0;
        if (any && endMs < start) {
            throw new IllegalArgumentException("end " + end + " is before the replay's start " + Instant.ofEpochMilli(start));
        }
        Grid grid = new Grid(start, endMs, stepMs);

        out.family("hotline_channel_state", Type.GAUGE, null, "The channel's state, one series per state: 1 for the "
                + "state it is in, 0 for the others (unknown: nothing decided yet, or our own side is silent; missed: its "
                + "last slot missed; down: downAfter slots missed in a row; up: answering)");
        if (any) {
            for (int c = 0; c < ids.size(); c++) {
                for (ChannelStatus s : STATES) {
                    out.series("hotline_channel_state", List.of(label("channel", ids.get(c)),
                            label("state", s.name().toLowerCase(Locale.ROOT))));
                    int wanted = s.ordinal();
                    int unknown = ChannelStatus.UNKNOWN.ordinal();
                    write(out, grid, new Track[] {status[c], silent},
                            v -> (v[1] == 1 ? unknown : (int) v[0]) == wanted ? 1 : 0);
                }
            }
        }
        gauge(out, grid, any, "hotline_channel_consecutive_missed_slots", null, "Slots missed in a row (not-placed slots "
                + "neither count nor break the run; an answer ends it)", streak);
        gauge(out, grid, any, "hotline_channel_last_answer_timestamp_seconds", "seconds",
                "When the channel last answered; NaN if never (seconds since the epoch)", lastAnswer);
        gauge(out, grid, any, "hotline_channel_outage_start_timestamp_seconds", "seconds", "The first missed slot of "
                + "the current run of misses, the start of the outage when the channel is down; NaN when its last slot "
                + "was answered (seconds since the epoch)", outageStart);

        out.family("hotline_channel_slots", Type.COUNTER, null, "Slots decided, per channel and verdict: answered by "
                + "the deadline, missed (our side tried, nobody answered), never placed by our side (our fault)");
        if (any) {
            for (int c = 0; c < ids.size(); c++) {
                for (Verdict v : VERDICTS) {
                    out.series("hotline_channel_slots_total", List.of(label("channel", ids.get(c)),
                            label("verdict", v.name())));
                    write(out, grid, new Track[] {slots[c * VERDICTS.length + v.ordinal()]}, x -> x[0]);
                }
            }
        }
        out.family("hotline_alerts", Type.COUNTER, null, "Alerts raised, by type");
        if (any) {
            for (AlertType t : TYPES) {
                out.series("hotline_alerts_total", List.<String[]>of(label("type", t.name())));
                write(out, grid, new Track[] {alerts[t.ordinal()]}, x -> x[0]);
            }
        }
    }

    private void gauge(Exposition out, Grid grid, boolean any, String name, String unit, String help, Track[] perChannel)
            throws IOException {
        out.family(name, Type.GAUGE, unit, help);
        if (any) {
            for (int c = 0; c < ids.size(); c++) {
                out.series(name, List.<String[]>of(label("channel", ids.get(c))));
                write(out, grid, new Track[] {perChannel[c]}, x -> x[0]);
            }
        }
    }

    private static String[] label(String name, String value) {
        return new String[] {name, value};
    }

    /** A series' value from its tracks' values at one instant. */
    private interface Value {
        double of(double[] trackValues);
    }

    /**
     * One series: a sample at each time of the grid and at each change of its tracks in [start, end], the value from
     * the tracks' values at that time (a gauge's last value at or before it, a counter's sum up to it).
     */
    private static void write(Exposition out, Grid grid, Track[] tracks, Value value) throws IOException {
        int[] at = new int[tracks.length];
        double[] values = new double[tracks.length];
        for (int i = 0; i < tracks.length; i++) {
            tracks[i].sort();
            values[i] = tracks[i].counter ? 0 : Double.NaN;
        }
        // A gauge track without a point before its first change (our side's silence) is "not silent", 0.
        for (int i = 0; i < tracks.length; i++) {
            if (!tracks[i].counter && (tracks[i].size == 0 || tracks[i].times[0] > grid.start)) {
                values[i] = 0;
            }
        }
        long t = grid.start;
        while (true) {
            for (int i = 0; i < tracks.length; i++) {
                Track k = tracks[i];
                while (at[i] < k.size && k.times[at[i]] <= t) {
                    values[i] = k.counter ? values[i] + k.values[at[i]] : k.values[at[i]];
                    at[i]++;
                }
            }
            out.sample(t, value.of(values));
            if (t >= grid.end) {
                return;
            }
            long next = grid.after(t);
            for (int i = 0; i < tracks.length; i++) {
                if (at[i] < tracks[i].size) {
                    next = Math.min(next, tracks[i].times[at[i]]);
                }
            }
            t = next;
        }
    }

    private static double seconds(long epochMillis) {
        return epochMillis == Millis.NONE ? Double.NaN : epochMillis / 1000.0;
    }

    /** The sample times every series has: the start, each multiple of the step after it, the end. */
    private record Grid(long start, long end, long step) {
        long after(long t) {
            long next = Math.floorDiv(t, step) * step + step;
            return Math.min(next, end);
        }
    }

    /** Change points of one value in time: a gauge's new values, or a counter's increments. */
    private static final class Track {
        final boolean counter;
        long[] times = new long[8];
        double[] values = new double[8];
        int size;
        boolean sorted = true;

        Track(boolean counter) {
            this.counter = counter;
        }

        void add(long at, double value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            if (size > 0 && at < times[size - 1]) {
                sorted = false;
            }
            times[size] = at;
            values[size] = value;
            size++;
        }

        /** Into time order, keeping the order of equal times (the later change wins). */
        void sort() {
            if (sorted) {
                return;
            }
            List<Integer> order = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                order.add(i);
            }
            order.sort((a, b) -> Long.compare(times[a], times[b])); // List.sort is stable
            long[] t = new long[size];
            double[] v = new double[size];
            for (int i = 0; i < size; i++) {
                t[i] = times[order.get(i)];
                v[i] = values[order.get(i)];
            }
            times = t;
            values = v;
            sorted = true;
        }
    }
}
