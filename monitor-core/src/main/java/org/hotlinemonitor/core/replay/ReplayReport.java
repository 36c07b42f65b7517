package org.hotlinemonitor.core.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.ChannelIndex;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * What a replay found, per channel: slots due, answered, missed by cause, not placed, availability,
 * answer latency and every outage; and about the input: lines, events, rejects by reason.
 *
 * <p>Feed it as a {@link Monitor.Listener}, then {@link #close} it with the end state. Availability is
 * answered / (answered + missed): slots our side never placed are our fault and do not count against
 * the channel. An outage runs from its first missed slot to the answer that ended it.
 */
public final class ReplayReport implements Monitor.Listener {

    /**
     * The JSON form's writer: pretty-printed, leaves the target open, and does not flush after each value (a channel's
     * part is one value: a flush each would be a write to the file each). Made when first used: a Markdown report
     * needs no Jackson mapper, whose making is a good part of a short replay's time.
     */
    private static final class Json {
        static final ObjectWriter WRITER = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writer();
    }

    private static final int DUE = 0;
    private static final int ANSWERED = 1;
    private static final int MISSED_NO_ANSWER = 2;
    private static final int MISSED_FAULT = 3;
    private static final int NOT_PLACED = 4;
    private static final int LATENCY_SUM = 5;
    private static final int LATENCY_MAX = 6;
    private static final int STRIDE = 8;

    private final ChannelIndex index;
    /** Per channel, {@link #STRIDE} counters: slots due, answered, missed (no answer, fault), not placed, latency sum and max (ms). */
    private final long[] counts;
    /** Per channel, in configuration order (the report's order). */
    private final List<ChannelStats> channels;
    private final Map<String, Long> rejectsByReason = new TreeMap<>();
    private final List<InputDamage> damage = new ArrayList<>();
    private final Map<String, Long> alertsByType = new TreeMap<>();
    private final List<String> inputs = new ArrayList<>();
    private long lines;
    private long events;
    private Map<EventOutcome, Long> outcomes = Map.of();
    private Instant first;
    private Instant end;
    private Duration lateness;
    private boolean closed;
    /** {@code silentAfter}, or null when the our-side rule is off (the report then has no silences part). */
    private final Duration silentAfter;
    /** Silences of our own side: last heartbeat, silent at, heard again at (null while silent). */
    private final List<Instant[]> silences = new ArrayList<>();

    public ReplayReport(MonitorConfig config) {
        silentAfter = config.silentAfter();
        index = new ChannelIndex(config.channels());
        counts = new long[config.channels().size() * STRIDE];
        List<ChannelStats> stats = new ArrayList<>();
        for (int i = 0; i < config.channels().size(); i++) {
            stats.add(new ChannelStats(config.channels().get(i), counts, i * STRIDE));
        }
        channels = List.copyOf(stats);
    }

    /** Notes an input (file name, or "-" for standard input). */
    public void input(String name) {
        inputs.add(name);
    }

    /** Counts one input line that was not blank. */
    public void line() {
        lines++;
    }

    /** Counts one event taken by the replay. */
    public void event() {
        events++;
    }

    /** Counts one rejected record. */
    public void rejected(Rejection rejection) {
        rejectsByReason.merge(rejection.reason(), 1L, Long::sum);
    }

    @Override
    public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict, MissCause cause,
                          long firstAnswer) {
        if (channel < 0) {
            return;
        }
        // The verdict counters of all channels sit in one array, a cache line per channel: this runs for
        // every slot of every channel.
        int at = channel * STRIDE;
        long[] c = counts;
        c[at + DUE]++;
        switch (verdict) {
            case ANSWERED -> {
                c[at + ANSWERED]++;
                long ms = firstAnswer - slot;
                c[at + LATENCY_SUM] += ms;
                c[at + LATENCY_MAX] = Math.max(c[at + LATENCY_MAX], ms);
            }
            case MISSED -> c[at + (cause == MissCause.LINE_FAULT ? MISSED_FAULT : MISSED_NO_ANSWER)]++;
            case NOT_PLACED -> c[at + NOT_PLACED]++;
        }
    }

    @Override
    public void onAlert(Alert a) {
        alertsByType.merge(a.type().name(), 1L, Long::sum);
        ChannelStats s = stats(a.channel());
        switch (a.type()) {
            case OUR_SIDE_SILENT -> silences.add(new Instant[] {a.since(), a.at(), null});
            case OUR_SIDE_RESUMED -> silences.get(silences.size() - 1)[2] = a.at();
            case CHANNEL_DOWN -> s.outages.add(new Outage(a.since(), a.at(), null, a.missedSlots()));
            case CHANNEL_RESTORED -> {
                Outage open = s.outages.remove(s.outages.size() - 1);
                s.outages.add(new Outage(open.since, open.downAt, a.at(), a.missedSlots()));
            }
            default -> {
            }
        }
    }

    /** Ends the report with the replay's end, the channels' end states and what the monitor did with events. */
    public void close(Instant firstEvent, Instant end, Duration allowedLateness, Map<String, ChannelState> states,
                      Map<EventOutcome, Long> outcomes) {
        this.first = firstEvent;
        this.end = end;
        this.lateness = allowedLateness;
        this.outcomes = Map.copyOf(outcomes);
        states.forEach((id, st) -> {
            ChannelStats s = stats(id);
            if (s == null || st == null) {
                return;
            }
            s.status = st.status().name();
            s.lastAnswer = st.lastAnswerInstant();
            if (!s.outages.isEmpty() && s.outages.get(s.outages.size() - 1).end == null) {
                Outage open = s.outages.remove(s.outages.size() - 1);
                s.outages.add(new Outage(open.since, open.downAt, null, st.streak()));
            }
        });
        closed = true;
    }

    private ChannelStats stats(String channel) {
        int i = index.indexOf(channel);
        return i < 0 ? null : channels.get(i);
    }

    /** Notes an input that could not be read to its end. */
    public void damaged(InputDamage d) {
        damage.add(d);
    }

    /** The inputs that could not be read to their end, in the order read. */
    public List<InputDamage> damage() {
        return List.copyOf(damage);
    }

    /** The earliest event time taken, once closed; {@code null} when none. */
    public Instant firstEvent() {
        return first;
    }

    /** Where the replay's time ended ({@code --until}, else the newest event time taken), once closed; {@code null} when none. */
    public Instant end() {
        return end;
    }

    /**
     * A channel's availability, answered / (answered + missed), slots our side never placed left out; {@code null} for
     * an unknown channel or one without a judged slot.
     */
    public Double availability(String channel) {
        ChannelStats s = stats(channel);
        return s == null ? null : s.availability();
    }

    public long rejects() {
        return rejectsByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Refused records by reason, in the order of the reasons' names (the same on every run). */
    public Map<String, Long> rejectsByReason() {
        return Collections.unmodifiableMap(new TreeMap<>(rejectsByReason));
    }

    /** The report as a tree of maps and lists, the shape of the JSON form (the whole of it in memory: see {@link #writeJson}). */
    public Map<String, Object> toTree() {
        requireClosed();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", inputTree());
        root.put("alerts", alertsTree());
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            list.add(channelTree(i));
        }
        root.put("channels", list);
        Map<String, Object> ourSide = ourSideTree();
        if (ourSide != null) {
            root.put("ourSide", ourSide);
        }
        return root;
    }

    /** The report's {@code input} part: inputs, lines, events, rejects, damage, outcomes, time. */
    public Map<String, Object> inputTree() {
        requireClosed();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("inputs", List.copyOf(inputs));
        in.put("lines", lines);
        in.put("events", events);
        in.put("rejected", rejects());
        in.put("rejectedByReason", new TreeMap<>(rejectsByReason));
        List<Object> damaged = new ArrayList<>();
        for (InputDamage d : damage) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", d.input());
            m.put("offset", d.offset());
            m.put("compressed", d.compressed());
            m.put("lines", d.lines());
            m.put("problem", d.problem());
            damaged.add(m);
        }
        in.put("damaged", damaged);
        in.put("unscheduled", outcomes.getOrDefault(EventOutcome.UNSCHEDULED, 0L));
        in.put("afterDeadline", outcomes.getOrDefault(EventOutcome.AFTER_DEADLINE, 0L));
        in.put("heartbeats", outcomes.getOrDefault(EventOutcome.TIME_ONLY, 0L));
        in.put("firstEvent", str(first));
        in.put("end", str(end));
        in.put("allowedLateness", lateness == null ? null : lateness.toString());
        return in;
    }

    /** Alerts by type. */
    public Map<String, Object> alertsTree() {
        return new TreeMap<>(alertsByType);
    }

    /** How many channels the report has (the configuration's, in its order). */
    public int channelCount() {
        return channels.size();
    }

    /** The {@code i}-th channel's part (configuration order): its counts, availability, latency and outages. */
    public Map<String, Object> channelTree(int i) {
        requireClosed();
        ChannelStats s = channels.get(i);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", s.channel.id());
        c.put("name", s.channel.name());
        c.put("schedule", s.channel.schedule().toString());
        c.put("status", s.status);
        c.put("slotsDue", s.due());
        c.put("answered", s.answered());
        Map<String, Object> missed = new LinkedHashMap<>();
        missed.put("total", s.missedNoAnswer() + s.missedFault());
        missed.put("NO_ANSWER", s.missedNoAnswer());
        missed.put("LINE_FAULT", s.missedFault());
        c.put("missed", missed);
        c.put("notPlaced", s.notPlaced());
        c.put("availability", s.availability());
        c.put("meanAnswerLatency", s.answered() == 0 ? null : Duration.ofMillis(s.latencySumMillis() / s.answered()).toString());
        c.put("maxAnswerLatency", s.answered() == 0 ? null : Duration.ofMillis(s.latencyMaxMillis()).toString());
        c.put("lastAnswer", str(s.lastAnswer));
        List<Object> outages = new ArrayList<>();
        for (Outage o : s.outages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", o.since.toString());
            m.put("down", o.downAt.toString());
            m.put("end", o.end == null ? "ongoing" : o.end.toString());
            m.put("duration", o.duration(end).toString());
            m.put("missedSlots", o.missedSlots);
            outages.add(m);
        }
        c.put("outages", outages);
        return c;
    }

    /** Our own side's silences, or {@code null} when the rule is off ({@code silentAfter} unset). */
    public Map<String, Object> ourSideTree() {
        if (silentAfter == null) {
            return null;
        }
        Map<String, Object> ourSide = new LinkedHashMap<>();
        ourSide.put("silentAfter", silentAfter.toString());
        List<Object> episodes = new ArrayList<>();
        for (Instant[] x : silences) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lastHeartbeat", x[0].toString());
            m.put("silentAt", x[1].toString());
            m.put("heardAgain", x[2] == null ? "ongoing" : x[2].toString());
            m.put("duration", Duration.between(x[0], x[2] == null ? end : x[2]).toString());
            episodes.add(m);
        }
        ourSide.put("silences", episodes);
        return ourSide;
    }

    /** What a caller adds to the JSON form's parts as they are written ({@link #writeJson}). */
    public interface JsonExtras {
        JsonExtras NONE = new JsonExtras() {
        };

        /** Adds to the {@code input} part. */
        default void input(Map<String, Object> input) {
        }

        /** Adds to a channel's part. */
        default void channel(Map<String, Object> channel) {
        }
    }

    /** The JSON form: stable field order, pretty-printed (the whole of it in one string: see {@link #writeJson}). */
    public String toJson() {
        StringWriter out = new StringWriter();
        try {
            writeJson(out, JsonExtras.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Writes the JSON form and a newline to {@code out} (not closed) as it is built: one channel's part in memory at a
     * time, so a report of a million channels needs no more heap than one of ten. The same bytes as pretty-printing
     * {@link #toTree()} with the extras added.
     */
    public void writeJson(Writer out, JsonExtras extras) throws IOException {
        requireClosed();
        try (JsonGenerator g = Json.WRITER.createGenerator(out)) {
            g.writeStartObject();
            Map<String, Object> in = inputTree();
            extras.input(in);
            g.writeObjectField("input", in);
            g.writeObjectField("alerts", alertsTree());
            g.writeArrayFieldStart("channels");
            for (int i = 0; i < channels.size(); i++) {
                Map<String, Object> c = channelTree(i);
                extras.channel(c);
                g.writeObject(c);
            }
            g.writeEndArray();
            Map<String, Object> ourSide = ourSideTree();
            if (ourSide != null) {
                g.writeObjectField("ourSide", ourSide);
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** The Markdown form, for people (the whole of it in one string: see {@link #writeMarkdown}). */
    public String toMarkdown() {
        StringWriter out = new StringWriter();
        try {
            writeMarkdown(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Writes the Markdown form to {@code out} (not closed) as it is built, a table row at a time, so that a report of a
     * million channels needs no more heap than one of ten.
     */
    public void writeMarkdown(Appendable out) throws IOException {
        requireClosed();
        StringBuilder b = new StringBuilder();
        b.append("# Replay report\n\n");
        for (InputDamage d : damage) {
            b.append("**Input damaged**: ").append(d.describe()).append("; nothing after it is read (exit code 5).\n\n");
        }
        if (rejects() > 0) {
            b.append("**").append(rejects()).append(" input record(s) refused**, kept in the rejects with their reasons; "
                    + "the alerts leave them out (exit code 4).\n\n");
        }
        b.append("- Inputs: ").append(inputs.isEmpty() ? "none" : String.join(", ", inputs)).append('\n');
        b.append("- Events: ").append(events).append(" taken from ").append(lines).append(" lines; ")
                .append(rejects()).append(" rejected");
        if (!rejectsByReason.isEmpty()) {
            b.append(" (");
            List<String> parts = new ArrayList<>();
            rejectsByReason.forEach((r, n) -> parts.add(r + ": " + n));
            b.append(String.join(", ", parts)).append(')');
        }
        b.append('\n');
        b.append("- Unscheduled events: ").append(outcomes.getOrDefault(EventOutcome.UNSCHEDULED, 0L))
                .append("; after their slot's deadline: ").append(outcomes.getOrDefault(EventOutcome.AFTER_DEADLINE, 0L))
                .append("; heartbeats: ").append(outcomes.getOrDefault(EventOutcome.TIME_ONLY, 0L)).append('\n');
        b.append("- Time: ").append(first == null ? "no events" : first + " to " + end)
                .append(" (slots with a later deadline are pending); allowed lateness ").append(lateness).append('\n');
        b.append("- Alerts: ");
        if (alertsByType.isEmpty()) {
            b.append("none");
        } else {
            List<String> parts = new ArrayList<>();
            alertsByType.forEach((t, n) -> parts.add(t + " " + n));
            b.append(String.join(", ", parts));
        }
        b.append("\n\n## Channels\n\n");
        b.append("| channel | status | slots due | answered | missed (no answer / line fault) | not placed | availability | mean answer | last answer |\n");
        b.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (ChannelStats s : channels) {
            out.append(b);
            b.setLength(0);
            b.append("| ").append(s.channel.id()).append(" | ").append(s.status)
                    .append(" | ").append(s.due()).append(" | ").append(s.answered())
                    .append(" | ").append(s.missedNoAnswer() + s.missedFault()).append(" (").append(s.missedNoAnswer())
                    .append(" / ").append(s.missedFault()).append(')')
                    .append(" | ").append(s.notPlaced())
                    .append(" | ").append(s.availability() == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", s.availability() * 100))
                    .append(" | ").append(s.answered() == 0 ? "n/a" : human(Duration.ofMillis(s.latencySumMillis() / s.answered())))
                    .append(" | ").append(s.lastAnswer == null ? "never" : s.lastAnswer.toString()).append(" |\n");
        }
        b.append("\n## Outages\n\n");
        boolean any = channels.stream().anyMatch(s -> !s.outages.isEmpty());
        if (!any) {
            b.append("None.\n");
        } else {
            b.append("| channel | start (first missed slot) | down at | end | duration | missed slots |\n");
            b.append("| --- | --- | --- | --- | ---: | ---: |\n");
            for (ChannelStats s : channels) {
                for (Outage o : s.outages) {
                    out.append(b);
                    b.setLength(0);
                    b.append("| ").append(s.channel.id()).append(" | ").append(o.since).append(" | ").append(o.downAt)
                            .append(" | ").append(o.end == null ? "ongoing" : o.end.toString())
                            .append(" | ").append(human(o.duration(end))).append(o.end == null ? " so far" : "")
                            .append(" | ").append(o.missedSlots).append(" |\n");
                }
            }
        }
        if (silentAfter != null) {
            b.append("\n## Our side's silences (no heartbeat for ").append(human(silentAfter)).append(")\n\n");
            if (silences.isEmpty()) {
                b.append("None.\n");
            } else {
                b.append("| last heartbeat | silent at | heard again | duration |\n| --- | --- | --- | ---: |\n");
                for (Instant[] x : silences) {
                    b.append("| ").append(x[0]).append(" | ").append(x[1]).append(" | ")
                            .append(x[2] == null ? "ongoing" : x[2].toString()).append(" | ")
                            .append(human(Duration.between(x[0], x[2] == null ? end : x[2])))
                            .append(x[2] == null ? " so far" : "").append(" |\n");
                }
            }
        }
        out.append(b);
    }

    private void requireClosed() {
        if (!closed) {
            throw new IllegalStateException("report not closed");
        }
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    /** "3d 4h 5m", "7h", "41s": durations as people read them. */
    public static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return d.toMillis() % 1000 == 0 || s >= 10 ? s + "s" : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        long days = s / 86400;
        long hours = s % 86400 / 3600;
        long minutes = s % 3600 / 60;
        StringBuilder b = new StringBuilder();
        if (days > 0) {
            b.append(days).append("d ");
        }
        if (hours > 0) {
            b.append(hours).append("h ");
        }
        if (minutes > 0 || b.length() == 0) {
            b.append(minutes).append("m ");
        }
        if (days == 0 && hours == 0 && s % 60 > 0) {
            b.append(s % 60).append("s ");
        }
        return b.toString().trim();
    }

    private static final class ChannelStats {
        final Channel channel;
        private final long[] counts;
        private final int at;
        Instant lastAnswer;
        String status = "UNKNOWN";
        final List<Outage> outages = new ArrayList<>();

        ChannelStats(Channel channel, long[] counts, int at) {
            this.channel = channel;
            this.counts = counts;
            this.at = at;
        }

        long due() {
            return counts[at + DUE];
        }

        long answered() {
            return counts[at + ANSWERED];
        }

        long missedNoAnswer() {
            return counts[at + MISSED_NO_ANSWER];
        }

        long missedFault() {
            return counts[at + MISSED_FAULT];
        }

        long notPlaced() {
            return counts[at + NOT_PLACED];
        }

        long latencySumMillis() {
            return counts[at + LATENCY_SUM];
        }

        long latencyMaxMillis() {
            return counts[at + LATENCY_MAX];
        }

        Double availability() {
            long judged = answered() + missedNoAnswer() + missedFault();
            return judged == 0 ? null : (double) answered() / judged;
        }
    }

    private record Outage(Instant since, Instant downAt, Instant end, int missedSlots) {
        Duration duration(Instant replayEnd) {
            Instant stop = end != null ? end : replayEnd;
            return Duration.between(since, stop);
        }
    }
}
