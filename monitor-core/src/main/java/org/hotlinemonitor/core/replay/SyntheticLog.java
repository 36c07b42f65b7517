package org.hotlinemonitor.core.replay;

import java.io.IOException;
import java.io.Writer;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.hotlinemonitor.core.codec.EventWriter;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * A synthetic call log for demos and benchmarks: {@code channels} lines over {@code days} days, with
 * answers after a random delay, rings that go unanswered and retries, line faults, outages of one slot to
 * many days (some ended by an unscheduled call from the far side), slots our side did not place, and a
 * heartbeat a minute. Events arrive up to 20 s out of order (within the default allowed lateness).
 * The same spec always gives the same bytes.
 *
 * @param channels how many channels ({@code line-00001} ...)
 * @param days     how many days
 * @param seed     random seed
 * @param start    first day (UTC)
 */
public record SyntheticLog(int channels, int days, long seed, LocalDate start) {

    private static final String[] ZONES = {"Asia/Seoul", "America/New_York", "Europe/London", "Asia/Karachi",
        "Europe/Moscow", "UTC"};

    /** The most channels: a day of them is held in memory (about 600 MB at this bound). */
    public static final int MAX_CHANNELS = 1_000_000;
    /** The most days: ten years. */
    public static final int MAX_DAYS = 3_660;
    /**
     * The most channel-days (channels times days): 5,000,000, about 2.1 GB of JSON lines (10,000 channels over 125
     * days, the benchmarks' log, are 1,250,000 and 530 MB).
     */
    public static final long MAX_CHANNEL_DAYS = 5_000_000;
    /** The first and last days a log may start on: event times are written with four-digit years. */
    public static final LocalDate FIRST_START = LocalDate.of(1970, 1, 1);
    public static final LocalDate LAST_START = LocalDate.of(9000, 1, 1);

    public SyntheticLog {
        java.util.Objects.requireNonNull(start, "start");
        String problem = problem(channels, days, start);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * What is wrong with these sizes, saying the allowed range, or {@code null} when they are within the bounds:
     * {@code channels} from 1 to {@link #MAX_CHANNELS}, {@code days} from 1 to {@link #MAX_DAYS}, their product at
     * most {@link #MAX_CHANNEL_DAYS}, {@code start} from {@link #FIRST_START} to {@link #LAST_START}.
     */
    public static String problem(int channels, int days, LocalDate start) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            return "channels must be from 1 to " + MAX_CHANNELS + ", was " + channels;
        }
        if (days < 1 || days > MAX_DAYS) {
            return "days must be from 1 to " + MAX_DAYS + " (ten years), was " + days;
        }
        if ((long) channels * days > MAX_CHANNEL_DAYS) {
            return "channels times days must be at most " + MAX_CHANNEL_DAYS + " (about 2 GB of log), was " + channels
                    + " x " + days + " = " + (long) channels * days;
        }
        if (start.isBefore(FIRST_START) || start.isAfter(LAST_START)) {
            return "start must be from " + FIRST_START + " to " + LAST_START + ", was " + start;
        }
        return null;
    }

    /** The channels the log is about. */
    public MonitorConfig config() {
        List<Channel> list = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            list.add(channel(i));
        }
        return new MonitorConfig(list, null);
    }

    private static Channel channel(int i) {
        ZoneId zone = ZoneId.of(ZONES[i % ZONES.length]);
        String id = String.format(Locale.ROOT, "line-%05d", i + 1);
        return switch (i % 4) {
            case 0 -> new Channel(id, "Liaison line " + (i + 1), Schedule.of(zone, times("09:00", "17:00"),
                    DayRule.daysOfWeek(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)), "checks 09:00,17:00 on MON-FRI"),
                    Duration.ofHours(1), 2);
            case 1 -> new Channel(id, "Military line " + (i + 1), Schedule.of(zone, times("09:00", "16:00"),
                    DayRule.everyDay(), "checks 09:00,16:00 every day"), Duration.ofHours(1), 2);
            case 2 -> new Channel(id, "Line check " + (i + 1), Schedule.of(zone, times("09:30", "15:30"),
                    DayRule.everyDay(), "checks 09:30,15:30 every day"), Duration.ofMinutes(30), 2);
            default -> new Channel(id, "Night line " + (i + 1), Schedule.of(zone, times("02:30", "21:00"),
                    DayRule.everyDay(), "checks 02:30,21:00 every day"), Duration.ofMinutes(45), 3);
        };
    }

    private static List<LocalTime> times(String... t) {
        return java.util.Arrays.stream(t).map(LocalTime::parse).toList();
    }

    /** The channel configuration as YAML, loadable by the config loader. */
    public String channelsYaml() {
        StringBuilder b = new StringBuilder("# Generated: ").append(channels).append(" channels, seed ").append(seed).append('\n');
        b.append("allowedLateness: PT5M\nchannels:\n");
        for (int i = 0; i < channels; i++) {
            Channel c = channel(i);
            b.append("  - id: ").append(c.id()).append('\n');
            b.append("    name: ").append(c.name()).append('\n');
            b.append("    zone: ").append(c.zone()).append('\n');
            b.append("    checks: [");
            List<LocalTime> ts = c.schedule().times();
            for (int j = 0; j < ts.size(); j++) {
                b.append(j > 0 ? ", " : "").append('\'').append(ts.get(j)).append('\'');
            }
            b.append("]\n");
            if (i % 4 == 0) {
                b.append("    days: [MON, TUE, WED, THU, FRI]\n");
            }
            b.append("    answerWithin: ").append(c.answerWithin()).append('\n');
            b.append("    downAfter: ").append(c.downAfter()).append('\n');
        }
        return b.toString();
    }

    /**
     * The same channel configuration as {@link #channelsYaml()}, as JSON (one channel a line), for tools that read
     * JSON.
     */
    public String channelsJson() {
        StringBuilder b = new StringBuilder("{\"allowedLateness\": \"PT5M\", \"channels\": [\n");
        for (int i = 0; i < channels; i++) {
            Channel c = channel(i);
            b.append("  {\"id\": \"").append(c.id()).append("\", \"name\": \"").append(c.name())
                    .append("\", \"zone\": \"").append(c.zone()).append("\", \"checks\": [");
            List<LocalTime> ts = c.schedule().times();
            for (int j = 0; j < ts.size(); j++) {
                b.append(j > 0 ? ", " : "").append('"').append(ts.get(j)).append('"');
            }
            b.append(']');
            if (i % 4 == 0) {
                b.append(", \"days\": [\"MON\", \"TUE\", \"WED\", \"THU\", \"FRI\"]");
            }
            b.append(", \"answerWithin\": \"").append(c.answerWithin()).append("\", \"downAfter\": ")
                    .append(c.downAfter()).append(i + 1 < channels ? "},\n" : "}\n");
        }
        return b.append("]}\n").toString();
    }

    /** Writes the log as JSON lines and returns how many events it wrote. */
    public long write(Writer out) throws IOException {
        MonitorConfig config = config();
        SplittableRandom random = new SplittableRandom(seed);
        Line[] lines = new Line[channels];
        for (int i = 0; i < channels; i++) {
            lines[i] = new Line(config.channels().get(i));
        }
        List<Pending> pending = new ArrayList<>();
        StringBuilder b = new StringBuilder(1 << 16);
        long written = 0;
        Instant dayStart = start.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int d = 0; d < days; d++) {
            Instant dayEnd = dayStart.plus(Duration.ofDays(1));
            for (Line line : lines) {
                for (Instant slot : line.channel.schedule().slotsBetween(dayStart, dayEnd)) {
                    line.slot(slot, random, pending);
                }
            }
            for (Instant t = dayStart; t.isBefore(dayEnd); t = t.plusSeconds(60)) {
                pending.add(new Pending(t.toEpochMilli(), CallEvent.heartbeat(t, "scheduler")));
            }
            pending.sort(Comparator.comparingLong(Pending::arrival));
            int n = 0;
            long cut = dayEnd.toEpochMilli();
            while (n < pending.size() && pending.get(n).arrival < cut) {
                EventWriter.appendJson(b, pending.get(n).event);
                b.append('\n');
                if (b.length() > 60_000) {
                    out.append(b);
                    b.setLength(0);
                }
                n++;
            }
            written += n;
            pending.subList(0, n).clear();
            dayStart = dayEnd;
        }
        pending.sort(Comparator.comparingLong(Pending::arrival));
        for (Pending p : pending) {
            EventWriter.appendJson(b, p.event);
            b.append('\n');
            written++;
        }
        out.append(b);
        out.flush();
        return written;
    }

    /** An event with the time it reaches the log (its time plus a little jitter). */
    private record Pending(long arrival, CallEvent event) {
    }

    /** One simulated line: its far side's behaviour, with outages that last for a number of slots. */
    private static final class Line {
        final Channel channel;
        final long within;
        int outageLeft;
        boolean faultOutage;

        Line(Channel channel) {
            this.channel = channel;
            this.within = channel.answerWithin().toMillis();
        }

        void slot(Instant slot, SplittableRandom r, List<Pending> out) {
            long s = slot.toEpochMilli();
            if (outageLeft == 0 && r.nextInt(1000) < 3) {
                outageLeft = r.nextInt(10) < 6 ? 1 : 2 + r.nextInt(r.nextInt(10) == 0 ? 60 : 8);
                faultOutage = r.nextInt(4) == 0;
            }
            if (r.nextInt(1000) < 4) {
                return; // our side never placed the call
            }
            add(out, r, CallEvent.of(channel.id(), EventKind.CALL_PLACED, at(s + r.nextInt(3000)), slot));
            if (outageLeft > 0) {
                outageLeft--;
                int tries = 1 + r.nextInt(3);
                for (int i = 0; i < tries; i++) {
                    EventKind kind = faultOutage ? EventKind.LINE_FAULT : EventKind.NO_ANSWER;
                    add(out, r, CallEvent.of(channel.id(), kind, at(s + 60_000 + i * (within / 4)), slot));
                }
                if (outageLeft == 0 && r.nextInt(5) == 0) { // the far side calls to reopen the line
                    add(out, r, new CallEvent(channel.id(), EventKind.ANSWERED, at(s + within + 600_000 + r.nextInt(3_600_000)),
                            null, null, "operator", "far side called to reopen the line"));
                }
                return;
            }
            if (r.nextInt(10) == 0) { // rang out once, answered on the retry
                add(out, r, CallEvent.of(channel.id(), EventKind.NO_ANSWER, at(s + 45_000), slot));
                add(out, r, CallEvent.of(channel.id(), EventKind.ANSWERED, at(s + 120_000 + r.nextLong(within / 2)), slot));
            } else {
                add(out, r, CallEvent.of(channel.id(), EventKind.ANSWERED, at(s + 5_000 + r.nextInt(60_000)), slot));
            }
        }

        private static Instant at(long ms) {
            return Instant.ofEpochMilli(ms);
        }

        private static void add(List<Pending> out, SplittableRandom r, CallEvent e) {
            out.add(new Pending(e.ts().toEpochMilli() + r.nextInt(20_000), e));
        }
    }
}
