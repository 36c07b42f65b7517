package org.hotlinemonitor.core.status;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.MonitorConfig;

/**
 * What a status page and a replay report show, from the detector's own output: each channel's decided slots (with
 * whether a maintenance window covered them), its outages from the alerts, its current state, and the latest alerts.
 * Fed by the live detector as it commits and by a replay as it runs, so a page and a report say the same as the
 * alerts. Answers in each channel's own time zone: a day strip is a local day.
 *
 * <ul>
 *   <li>A day is {@code answered} when every slot counted that day was answered, {@code missed} when none was,
 *       {@code partly} when some were; {@code maintenance} when every decided slot of the day fell in a maintenance
 *       window; {@code unknown} when nothing was counted (no data: before monitoring began, our side never placed the
 *       call, or no slot that day). Counted: {@link Verdict#ANSWERED} and {@link Verdict#MISSED} outside maintenance.</li>
 *   <li>Availability over a window: answered / (answered + missed) of the slots in it that count; none: no value.</li>
 *   <li>State: {@code unknown} until the channel's first answered or missed slot, or alert of its far side (a slot
 *       our side never placed says nothing of the far side); {@code down} from its {@code CHANNEL_DOWN}
 *       (down since the outage's first missed slot) to its {@code CHANNEL_RESTORED} or an answered slot; {@code up}
 *       otherwise; {@code our-side-silent} for every channel while our own side is silent (nothing can be said of
 *       the far side then).</li>
 * </ul>
 *
 * <p>Keeps everything from the first verdict unless {@link #forget forgotten} (the live page keeps the last 90 days).
 * Thread-safe: writers and readers may be on different threads; every answer is a copy.
 */
public final class StatusLedger {

    /** What a day strip shows. */
    public enum DayKind {
        ANSWERED, MISSED, PARTLY, UNKNOWN, MAINTENANCE;

        /** As in JSON and CSS classes: lower case. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A channel's current state, as the page shows it. */
    public enum State {
        UP, DOWN, OUR_SIDE_SILENT, UNKNOWN;

        /** As in JSON and CSS classes: {@code up}, {@code down}, {@code our-side-silent}, {@code unknown}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A decided slot; {@code cause} only for {@link Verdict#MISSED}. */
    public record Slot(Instant slot, Verdict verdict, MissCause cause, boolean maintenance) {
        public Slot {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(verdict, "verdict");
        }

        /** {@code answered}, {@code missed (no answer)}, {@code missed (line fault)}, {@code not placed}; {@code , maintenance}. */
        public String describe() {
            String what = switch (verdict) {
                case ANSWERED -> "answered";
                case MISSED -> cause == MissCause.LINE_FAULT ? "missed (line fault)" : "missed (no answer)";
                case NOT_PLACED -> "not placed by our side";
            };
            return maintenance ? what + ", maintenance" : what;
        }
    }

    /** One local day of a channel: its kind, its counts and its slots in time order. */
    public record Day(LocalDate date, DayKind kind, int answered, int missed, int notPlaced, int maintenance,
                      List<Slot> slots) {
        public Day {
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(kind, "kind");
            slots = List.copyOf(slots);
        }

        /**
         * The hover text: the day and each slot, in {@code zone}, e.g.
         * {@code Fri 2023-04-07: 09:00 answered; 16:00 missed (no answer)}, or {@code Fri 2023-04-07: no data}.
         */
        public String describe(ZoneId zone) {
            StringBuilder b = new StringBuilder()
                    .append(date.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).append(' ').append(date)
                    .append(": ");
            if (slots.isEmpty()) {
                return b.append("no data").toString();
            }
            for (int i = 0; i < slots.size(); i++) {
                Slot s = slots.get(i);
                b.append(i == 0 ? "" : "; ").append(HOUR_MINUTE.format(s.slot().atZone(zone))).append(' ').append(s.describe());
            }
            return b.toString();
        }
    }

    /** An outage: from its first missed slot ({@code start}) to the answer that ended it ({@code end}, null while open). */
    public record Incident(String channel, Instant start, Instant detected, Instant end, int missedSlots) {
        public Incident {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(start, "start");
        }

        public boolean open() {
            return end == null;
        }

        /** From start to end, or to {@code now} while open. */
        public Duration duration(Instant now) {
            return Duration.between(start, end == null ? now : end);
        }
    }

    /** Counted slots of a window. */
    public record Availability(long answered, long missed) {
        /** answered / (answered + missed); empty when no slot counted. */
        public OptionalDouble ratio() {
            long n = answered + missed;
            return n == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) answered / n);
        }
    }

    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");
    private static final Comparator<Slot> BY_TIME = Comparator.comparing(Slot::slot);

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final List<Incident> incidents = new ArrayList<>();
    private final Deque<Alert> recent = new ArrayDeque<>();
    private final int recentLimit;
    private Instant ourSideSilentSince;

    /** One per channel of {@code config}, in its order; keeps the latest {@code recentAlerts} alerts. */
    public StatusLedger(MonitorConfig config, int recentAlerts) {
        if (recentAlerts < 0) {
            throw new IllegalArgumentException("recentAlerts must not be negative, was " + recentAlerts);
        }
        for (Channel c : config.channels()) {
            lanes.put(c.id(), new Lane(c));
        }
        this.recentLimit = recentAlerts;
    }

    private static final class Lane {
        final Channel channel;
        final List<Slot> slots = new ArrayList<>();
        boolean seen;
        Instant downSince;
        Instant lastAnswered;

        Lane(Channel channel) {
            this.channel = channel;
        }
    }

    /** A slot was decided. Unknown channels are ignored (a channel removed from the configuration). */
    public synchronized void verdict(String channel, Instant slot, Verdict verdict, MissCause cause, boolean maintenance) {
        Lane lane = lanes.get(channel);
        if (lane == null) {
            return;
        }
        Slot s = new Slot(slot, verdict, verdict == Verdict.MISSED ? cause : null, maintenance);
        List<Slot> slots = lane.slots;
        if (slots.isEmpty() || slots.get(slots.size() - 1).slot().isBefore(slot)) {
            slots.add(s);
        } else { // at or behind the latest: rare (a restart deciding a slot again, or an earlier one); keep the order
            int at = Collections.binarySearch(slots, s, BY_TIME);
            if (at >= 0) {
                slots.set(at, s); // a slot is decided once: the same slot again replaces it
            } else {
                slots.add(-at - 1, s);
            }
        }
        if (verdict != Verdict.NOT_PLACED) {
            lane.seen = true;
        }
        if (verdict == Verdict.MISSED && lane.downSince != null) {
            countMissWhileDown(lane, slot);
        }
        if (verdict == Verdict.ANSWERED) {
            lane.downSince = null;
            if (lane.lastAnswered == null || slot.isAfter(lane.lastAnswered)) {
                lane.lastAnswered = slot;
            }
        }
    }

    /**
     * A missed slot of a channel that is down, decided after its outage was detected, adds to the open incident's
     * count: the {@code CHANNEL_DOWN} carried the count at detection, which grows until the line answers.
     */
    private void countMissWhileDown(Lane lane, Instant slot) {
        for (int i = incidents.size() - 1; i >= 0; i--) {
            Incident open = incidents.get(i);
            if (open.open() && open.channel().equals(lane.channel.id())) {
                Instant deadline = slot.plus(lane.channel.answerWithin());
                if (open.detected() == null || deadline.isAfter(open.detected())) {
                    incidents.set(i, new Incident(open.channel(), open.start(), open.detected(), null, open.missedSlots() + 1));
                }
                return;
            }
        }
    }

    /**
     * What the detector had decided of a channel before this ledger heard it (the process restarted, or the channel's
     * task moved here): the channel is known (no longer {@code unknown}), and when {@code downSince} is given, down since
     * then, with an open incident of {@code missedSlots} that this ledger did not see detected. Its
     * {@code CHANNEL_RESTORED}, or an answered slot, ends it as usual. Unknown channels are ignored.
     */
    public synchronized void resumed(String channel, Instant downSince, int missedSlots) {
        Lane lane = lanes.get(channel);
        if (lane == null) {
            return;
        }
        lane.seen = true;
        if (downSince != null && !hasOpen(channel, downSince)) {
            lane.downSince = downSince;
            incidents.add(new Incident(channel, downSince, null, null, missedSlots));
        }
    }

    /** An alert was raised: outages, our side's silence and the recent alerts follow it. */
    public synchronized void alert(Alert alert) {
        if (alert.id() != null && recent.stream().anyMatch(a -> alert.id().equals(a.id()))) {
            return; // the same alert again (a live detector's commit retried): known already
        }
        if (recentLimit > 0) {
            recent.addLast(alert);
            while (recent.size() > recentLimit) {
                recent.removeFirst();
            }
        }
        switch (alert.type()) {
            case OUR_SIDE_SILENT -> ourSideSilentSince = alert.since() == null ? alert.at() : alert.since();
            case OUR_SIDE_RESUMED -> ourSideSilentSince = null;
            case CHANNEL_DOWN -> {
                Lane lane = lanes.get(alert.channel());
                int open = lane == null ? -1 : openIncident(alert.channel(), alert.since());
                if (lane != null && open < 0) {
                    lane.seen = true;
                    lane.downSince = alert.since();
                    incidents.add(new Incident(alert.channel(), alert.since(), alert.at(), null,
                            alert.missedSlots() == null ? 0 : alert.missedSlots()));
                } else if (lane != null && incidents.get(open).detected() == null) { // known from a resumed state
                    Incident i = incidents.get(open);
                    incidents.set(open, new Incident(i.channel(), i.start(), alert.at(), null,
                            alert.missedSlots() == null ? i.missedSlots() : alert.missedSlots()));
                }
            }
            case CHANNEL_RESTORED -> {
                Lane lane = lanes.get(alert.channel());
                if (lane != null) {
                    lane.seen = true;
                    lane.downSince = null;
                    closeIncident(alert);
                }
            }
            default -> {
                Lane lane = lanes.get(alert.channel());
                if (lane != null && alert.type() != AlertType.CALL_NOT_PLACED) {
                    lane.seen = true;
                }
            }
        }
    }

    private boolean hasOpen(String channel, Instant start) {
        return openIncident(channel, start) >= 0;
    }

    /** The index of the channel's open incident that began at {@code start}, or -1. */
    private int openIncident(String channel, Instant start) {
        for (int i = incidents.size() - 1; i >= 0; i--) {
            Incident open = incidents.get(i);
            if (open.open() && open.channel().equals(channel) && open.start().equals(start)) {
                return i;
            }
        }
        return -1;
    }

    private void closeIncident(Alert restored) {
        for (int i = incidents.size() - 1; i >= 0; i--) {
            Incident open = incidents.get(i);
            if (open.open() && open.channel().equals(restored.channel()) && open.start().equals(restored.since())) {
                int missed = restored.missedSlots() == null ? open.missedSlots() : restored.missedSlots();
                incidents.set(i, new Incident(open.channel(), open.start(), open.detected(), restored.at(), missed));
                return;
            }
        }
        // The CHANNEL_DOWN came before this ledger began (a restart): the outage is known from its end.
        incidents.add(new Incident(restored.channel(), restored.since(), null, restored.at(),
                restored.missedSlots() == null ? 0 : restored.missedSlots()));
    }

    /** Drops the slots before {@code before} and the incidents that ended before it (the live page keeps 90 days). */
    public synchronized void forget(Instant before) {
        for (Lane lane : lanes.values()) {
            int n = 0;
            while (n < lane.slots.size() && lane.slots.get(n).slot().isBefore(before)) {
                n++;
            }
            lane.slots.subList(0, n).clear();
        }
        incidents.removeIf(i -> i.end() != null && i.end().isBefore(before));
    }

    /** The channels, in configuration order. */
    public List<Channel> channels() {
        return lanes.values().stream().map(l -> l.channel).toList();
    }

    public synchronized State state(String channel) {
        Lane lane = lane(channel);
        if (ourSideSilentSince != null) {
            return State.OUR_SIDE_SILENT;
        }
        if (!lane.seen) {
            return State.UNKNOWN;
        }
        return lane.downSince != null ? State.DOWN : State.UP;
    }

    /** The first missed slot of the channel's open outage, or null. */
    public synchronized Instant downSince(String channel) {
        return lane(channel).downSince;
    }

    /** The latest slot answered, or null. */
    public synchronized Instant lastAnswered(String channel) {
        return lane(channel).lastAnswered;
    }

    /** Since when our own side is silent, or null. */
    public synchronized Instant ourSideSilentSince() {
        return ourSideSilentSince;
    }

    /** The channel's decided slots in [from, to), in time order. */
    public synchronized List<Slot> slots(String channel, Instant from, Instant to) {
        List<Slot> out = new ArrayList<>();
        for (Slot s : lane(channel).slots) {
            if (!s.slot().isBefore(from) && s.slot().isBefore(to)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The earliest decided slot of any channel, or null before the first. */
    public synchronized Instant firstSlot() {
        return lanes.values().stream().filter(l -> !l.slots.isEmpty()).map(l -> l.slots.get(0).slot())
                .min(Comparator.naturalOrder()).orElse(null);
    }

    /** The latest decided slot of any channel, or null before the first. */
    public synchronized Instant lastSlot() {
        return lanes.values().stream().filter(l -> !l.slots.isEmpty()).map(l -> l.slots.get(l.slots.size() - 1).slot())
                .max(Comparator.naturalOrder()).orElse(null);
    }

    /** The {@code count} local days of the channel ending with {@code last} (its own zone), oldest first. */
    public synchronized List<Day> days(String channel, LocalDate last, int count) {
        Lane lane = lane(channel);
        ZoneId zone = lane.channel.zone();
        LocalDate first = last.minusDays(count - 1L);
        Instant from = first.atStartOfDay(zone).toInstant();
        Instant to = last.plusDays(1).atStartOfDay(zone).toInstant();
        Map<LocalDate, List<Slot>> byDay = new LinkedHashMap<>();
        for (Slot s : lane.slots) {
            if (!s.slot().isBefore(from) && s.slot().isBefore(to)) {
                byDay.computeIfAbsent(s.slot().atZone(zone).toLocalDate(), d -> new ArrayList<>()).add(s);
            }
        }
        List<Day> out = new ArrayList<>(count);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            out.add(day(d, byDay.getOrDefault(d, List.of())));
        }
        return out;
    }

    /** The kind and counts of a day's slots (pure: the rule of the class comment). */
    public static Day day(LocalDate date, List<Slot> slots) {
        int answered = 0;
        int missed = 0;
        int notPlaced = 0;
        int maintenance = 0;
        for (Slot s : slots) {
            if (s.maintenance()) {
                maintenance++;
            } else if (s.verdict() == Verdict.ANSWERED) {
                answered++;
            } else if (s.verdict() == Verdict.MISSED) {
                missed++;
            } else {
                notPlaced++;
            }
        }
        DayKind kind;
        if (!slots.isEmpty() && maintenance == slots.size()) {
            kind = DayKind.MAINTENANCE;
        } else if (answered + missed == 0) {
            kind = DayKind.UNKNOWN;
        } else if (missed == 0) {
            kind = DayKind.ANSWERED;
        } else if (answered == 0) {
            kind = DayKind.MISSED;
        } else {
            kind = DayKind.PARTLY;
        }
        return new Day(date, kind, answered, missed, notPlaced, maintenance, slots);
    }

    /** The channel's counted slots in [from, to). */
    public synchronized Availability availability(String channel, Instant from, Instant to) {
        long answered = 0;
        long missed = 0;
        for (Slot s : lane(channel).slots) {
            if (s.maintenance() || s.slot().isBefore(from) || !s.slot().isBefore(to)) {
                continue;
            }
            if (s.verdict() == Verdict.ANSWERED) {
                answered++;
            } else if (s.verdict() == Verdict.MISSED) {
                missed++;
            }
        }
        return new Availability(answered, missed);
    }

    /** Every outage known, in the order they began to be known (CHANNEL_DOWN, or a lone CHANNEL_RESTORED). */
    public synchronized List<Incident> incidents() {
        return List.copyOf(incidents);
    }

    /** The latest alerts, oldest first. */
    public synchronized List<Alert> recentAlerts() {
        return List.copyOf(recent);
    }

    private Lane lane(String channel) {
        Lane lane = lanes.get(channel);
        if (lane == null) {
            throw new IllegalArgumentException("unknown channel '" + channel + "'");
        }
        return lane;
    }
}
