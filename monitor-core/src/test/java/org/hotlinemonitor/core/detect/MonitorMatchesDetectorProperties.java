package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * The {@link Monitor} runs the rules of {@link Detector} and {@link OurSideRule} in place on mutable cursors, lazily,
 * in the order its calendar gives; the pure methods of the two run the same rules on copies and return immutable
 * states. Both must decide exactly the same:
 * <ul>
 *   <li>{@link #inPlaceMonitorDecidesLikeThePureDetector}: for random logs (our-side rule off), each channel's alerts,
 *       verdicts, outcomes and final state from the monitor equal a plain fold of {@link Detector#onEvent} over that
 *       channel's events alone;</li>
 *   <li>{@link #monitorDecidesLikeThePureRulesComposed}: with every option on or off at random (random channels,
 *       schedules of check times and cron, DST days, several {@code answerWithin} and {@code downAfter},
 *       {@code silentAfter} set or not, heartbeats interleaved with gaps, every event kind, invalid and duplicate
 *       events, arrival out of order within a lateness and some beyond it, an explicit start or not, our side reported
 *       or not, a stop and resume from the saved states or not), everything the monitor hands out, in order, equals
 *       what the plainest composition of the two pure rule sets ({@link PureRules}) gives.</li>
 * </ul>
 */
class MonitorMatchesDetectorProperties {

    private static final EventKind[] KINDS = {EventKind.CALL_PLACED, EventKind.ANSWERED, EventKind.NO_ANSWER,
            EventKind.LINE_FAULT};

    static MonitorConfig config() {
        return new MonitorConfig(List.of(
                channel("liaison", "Asia/Seoul", Duration.ofHours(1), 2, "09:00", "17:00"),
                // Windows overlap (90 minutes, hourly): several open slots at once.
                channel("hourly", "Europe/Moscow", Duration.ofMinutes(90), 3, "00:00", "01:00", "02:00", "03:00",
                        "04:00", "05:00", "06:00", "07:00", "08:00", "09:00", "10:00", "11:00", "12:00"),
                channel("dc", "America/New_York", Duration.ofMinutes(45), 1, "01:30", "02:30", "12:00")));
    }

    static Channel channel(String id, String zone, Duration within, int downAfter, String... checks) {
        List<LocalTime> times = java.util.Arrays.stream(checks).map(LocalTime::parse).toList();
        return new Channel(id, null, Schedule.of(ZoneId.of(zone), times, DayRule.everyDay(), "test"), within, downAfter);
    }

    /** Sources of the generated channel events; {@code null}: none, as in old logs. */
    private static final String[] SOURCES = {null, "scheduler", "scheduler", "scheduler", "op-kim", "op-lee"};

    /**
     * A time-ordered log: per slot a random mix of kinds at random times around it, some naming it, from a few
     * sources (mostly the scheduler; some events name none).
     */
    static List<CallEvent> log(MonitorConfig config, long seed, int days) {
        Random r = new Random(seed);
        Instant start = r.nextBoolean() ? Instant.parse("2024-03-08T00:00:00Z") : Instant.parse("2024-10-31T00:00:00Z");
        Instant end = start.plus(Duration.ofDays(days));
        List<CallEvent> out = new ArrayList<>();
        for (Channel c : config.channels()) {
            long within = c.answerWithin().toMillis();
            double quiet = r.nextDouble();
            for (Instant slot : c.schedule().slotsBetween(start, end)) {
                int n = r.nextDouble() < quiet ? r.nextInt(2) : r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    EventKind kind = KINDS[r.nextInt(KINDS.length)];
                    boolean named = r.nextBoolean();
                    long offset = named ? r.nextLong(within + 1) : r.nextLong(-within / 2, within * 3 / 2);
                    String source = SOURCES[r.nextInt(SOURCES.length)];
                    out.add(new CallEvent(c.id(), kind, slot.plusMillis(offset), named ? slot : null, null, source, null));
                }
            }
        }
        for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofHours(3))) {
            out.add(CallEvent.heartbeat(t, "gen"));
        }
        out.sort(Comparator.comparing(CallEvent::ts)); // stable
        return out;
    }

    @Property(tries = 150)
    void inPlaceMonitorDecidesLikeThePureDetector(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                  @ForAll @IntRange(min = 1, max = 6) int days) {
        MonitorConfig config = config();
        List<CallEvent> log = log(config, seed, days);
        Instant start = log.get(0).ts();
        Instant end = log.get(log.size() - 1).ts().plus(Duration.ofHours(2));

        Map<String, List<Alert>> monitorAlerts = new HashMap<>();
        Map<String, List<SlotVerdict>> monitorVerdicts = new HashMap<>();
        Monitor monitor = new Monitor(config, new Monitor.Listener() {
            @Override
            public void onAlert(Alert alert) {
                monitorAlerts.computeIfAbsent(alert.channel(), k -> new ArrayList<>()).add(alert);
            }

            @Override
            public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict,
                                  MissCause cause, long firstAnswer) {
                monitorVerdicts.computeIfAbsent(channelId, k -> new ArrayList<>())
                        .add(SlotVerdict.ofMillis(channelId, slot, deadline, verdict, cause, firstAnswer));
            }
        });
        Map<String, List<EventOutcome>> monitorOutcomes = new HashMap<>();
        for (CallEvent e : log) {
            EventOutcome o = MonitorFeed.accept(monitor, e);
            if (e.channel() != null) {
                monitorOutcomes.computeIfAbsent(e.channel(), k -> new ArrayList<>()).add(o);
            }
        }
        monitor.advanceTo(end.toEpochMilli());

        Map<String, ChannelState> monitorStates = monitor.states();
        for (Channel c : config.channels()) {
            Detector d = new Detector(c);
            ChannelState state = d.initial(start);
            List<Alert> alerts = new ArrayList<>();
            List<SlotVerdict> verdicts = new ArrayList<>();
            List<EventOutcome> outcomes = new ArrayList<>();
            for (CallEvent e : log) {
                if (!c.id().equals(e.channel())) {
                    continue;
                }
                Step step = d.onEvent(state, e);
                state = step.state();
                alerts.addAll(step.alerts());
                verdicts.addAll(step.verdicts());
                outcomes.add(step.outcome());
            }
            Step last = d.advance(state, end);
            state = last.state();
            alerts.addAll(last.alerts());
            verdicts.addAll(last.verdicts());

            assertThat(monitorAlerts.getOrDefault(c.id(), List.of())).as("alerts of %s", c.id()).isEqualTo(alerts);
            assertThat(monitorVerdicts.getOrDefault(c.id(), List.of())).as("verdicts of %s", c.id()).isEqualTo(verdicts);
            assertThat(monitorOutcomes.getOrDefault(c.id(), List.of())).as("outcomes of %s", c.id()).isEqualTo(outcomes);
            ChannelState m = monitorStates.get(c.id());
            // The monitor advances a channel lazily: only its watermark may trail.
            assertThat(m).usingRecursiveComparison().ignoringFields("watermark").isEqualTo(state);
        }
    }

    // --- every option on: the monitor against the pure rules composed ---

    private static final String[] IDS = {"liaison", "dc", "hourly", "alpha", "zulu", "m-1"};
    private static final String[] ZONES = {"UTC", "Europe/Moscow", "America/New_York", "Asia/Seoul",
            "Australia/Lord_Howe", "Europe/London"};
    private static final Duration[] WINDOWS = {Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(45),
            Duration.ofHours(1), Duration.ofMinutes(90), Duration.ofHours(3), Duration.ofHours(7)};
    private static final String[] CRONS = {"0 */2 * * *", "30 9,17 * * 1-5", "*/45 1-3 * * *", "0 0 * * *",
            "15 2 * * 0,6"};
    /** Days around daylight-saving changes: US spring forward, EU spring forward, EU fall back, Lord Howe's half hour. */
    private static final String[] STARTS = {"2024-03-08T00:00:00Z", "2024-03-29T00:00:00Z", "2024-10-25T00:00:00Z",
            "2024-04-05T00:00:00Z"};
    private static final EventKind[] CHANNEL_KINDS = {EventKind.CALL_PLACED, EventKind.ANSWERED, EventKind.NO_ANSWER,
            EventKind.LINE_FAULT};
    private static final String[] BEAT_SOURCES = {"sched-a", "sched-a", "sched-a", "sched-b", null};

    /**
     * One to four channels with random ids (so configuration order is not id order), zones, answer windows (1 minute
     * to 7 hours, overlapping when longer than the check interval), {@code downAfter} 1 to 4, and schedules of check
     * times on a 15-minute grid (every day or weekdays; channels share deadlines) or cron expressions (some with the
     * elapsed-time DST rule); {@code silentAfter} as given ({@code null}: off).
     */
    static MonitorConfig randomConfig(Random r, Duration silentAfter) {
        List<String> ids = new ArrayList<>(List.of(IDS));
        java.util.Collections.shuffle(ids, r);
        int n = 1 + r.nextInt(4);
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ZoneId zone = ZoneId.of(ZONES[r.nextInt(ZONES.length)]);
            Duration within = WINDOWS[r.nextInt(WINDOWS.length)];
            int downAfter = 1 + r.nextInt(4);
            Schedule schedule;
            if (r.nextInt(4) == 0) {
                schedule = org.hotlinemonitor.core.schedule.Cron.parse(CRONS[r.nextInt(CRONS.length)], zone);
            } else {
                java.util.TreeSet<LocalTime> times = new java.util.TreeSet<>();
                int k = 1 + r.nextInt(6);
                for (int j = 0; j < k; j++) {
                    times.add(LocalTime.of(r.nextInt(24), 15 * r.nextInt(4)));
                }
                DayRule days = r.nextInt(3) == 0
                        ? DayRule.daysOfWeek(java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY))
                        : DayRule.everyDay();
                schedule = Schedule.of(zone, times, days, "random " + times);
            }
            channels.add(new Channel(ids.get(i), null, schedule, within, downAfter));
        }
        return new MonitorConfig(channels, null, silentAfter);
    }

    /**
     * A log in event-time order over {@code days} from one of {@link #STARTS}: per slot 0 to 4 events of every channel
     * kind around it (naming it or not, some after the deadline), a few unscheduled ones, duplicates, a few invalid
     * (unknown channel, a named time that is not a slot, too early for the slot named); heartbeats every 1 to 20
     * minutes from one or two schedulers (some with equal times, some without source) with random gaps of up to 8
     * hours, in half the logs on whole minutes; before some gaps a heartbeat {@code silentAfter} before a deadline (so that
     * silences fall on deadlines); or (one log in eight) none at all.
     */
    static List<CallEvent> randomLog(MonitorConfig config, Random r, int days) {
        Instant start = Instant.parse(STARTS[r.nextInt(STARTS.length)]);
        Instant end = start.plus(Duration.ofDays(days));
        List<CallEvent> out = new ArrayList<>();
        for (Channel c : config.channels()) {
            long within = c.answerWithin().toMillis();
            double quiet = r.nextDouble();
            for (Instant slot : c.schedule().slotsBetween(start, end)) {
                int n = r.nextDouble() < quiet ? r.nextInt(2) : r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    EventKind kind = CHANNEL_KINDS[r.nextInt(CHANNEL_KINDS.length)];
                    String source = SOURCES[r.nextInt(SOURCES.length)];
                    int shape = r.nextInt(20);
                    CallEvent e;
                    if (shape == 0) { // too early for the slot it names
                        e = new CallEvent(c.id(), kind, slot.minusMillis(within + 1 + r.nextLong(within)), slot, null, source, null);
                    } else if (shape == 1) { // names a time that is no slot
                        e = new CallEvent(c.id(), kind, slot.plusSeconds(60), slot.plusSeconds(7), null, source, null);
                    } else if (shape == 2) { // unknown channel
                        e = new CallEvent("nobody", kind, slot, null, null, source, null);
                    } else if (shape == 3) { // unscheduled, somewhere in the day
                        e = new CallEvent(c.id(), kind, slot.plusMillis(r.nextLong(-43_200_000L, 43_200_000L)), null, null,
                                source, null);
                    } else if (r.nextBoolean()) { // names its slot, in the window or after the deadline
                        long offset = r.nextInt(6) == 0 ? within + 1 + r.nextLong(within + 1) : r.nextLong(-within, within + 1);
                        e = new CallEvent(c.id(), kind, slot.plusMillis(offset), slot, null, source, null);
                    } else {
                        e = new CallEvent(c.id(), kind, slot.plusMillis(r.nextLong(-within / 2 - 1, within * 3 / 2 + 1)), null,
                                null, source, null);
                    }
                    out.add(e);
                    if (r.nextInt(20) == 0) {
                        out.add(e); // a duplicate
                    }
                }
            }
        }
        if (r.nextInt(8) != 0) {
            long gapMinutes = 1 + r.nextInt(20);
            long unit = r.nextBoolean() ? 60_000 : 1; // on whole minutes, a silence often falls on a deadline's instant
            for (Instant t = start.plusSeconds(60 * r.nextInt(10)); t.isBefore(end); ) {
                String source = BEAT_SOURCES[r.nextInt(BEAT_SOURCES.length)];
                out.add(CallEvent.heartbeat(t, source));
                if (r.nextInt(10) == 0) {
                    out.add(CallEvent.heartbeat(t, BEAT_SOURCES[r.nextInt(BEAT_SOURCES.length)])); // same time, another copy
                }
                if (r.nextInt(12) == 0) { // a gap
                    Instant silentAt = config.silentAfter() == null || r.nextBoolean() ? null
                            : nextDeadline(config, r, t, t.plus(Duration.ofHours(8)));
                    Instant lastBefore = silentAt == null ? null : silentAt.minus(config.silentAfter());
                    if (lastBefore != null && lastBefore.isAfter(t)) { // the silence falls exactly on a deadline
                        out.add(CallEvent.heartbeat(lastBefore, BEAT_SOURCES[r.nextInt(BEAT_SOURCES.length)]));
                        t = silentAt.plusMillis(unit * r.nextLong(3_600_000L / unit));
                    } else {
                        t = t.plusMillis(unit * r.nextLong(8 * 3_600_000L / unit));
                    }
                } else {
                    t = t.plusMillis(unit * (1 + r.nextLong(gapMinutes * 60_000L / unit)));
                }
            }
        }
        out.sort(Comparator.comparing(CallEvent::ts)); // stable
        return out;
    }

    /** The deadline of a random slot of a random channel in {@code [from, to)}, or {@code null} if it has none there. */
    private static Instant nextDeadline(MonitorConfig config, Random r, Instant from, Instant to) {
        Channel c = config.channels().get(r.nextInt(config.channels().size()));
        List<Instant> slots = c.schedule().slotsBetween(from, to);
        return slots.isEmpty() ? null : slots.get(r.nextInt(slots.size())).plus(c.answerWithin());
    }

    /**
     * The same events in arrival order: each arrives at {@code ts + d}, {@code d} in {@code [0, lateness]}, and one in
     * fifty up to 6 hours later still (beyond any lateness), ties in log order.
     */
    static List<CallEvent> arrivalOrder(List<CallEvent> log, long latenessMillis, Random r) {
        record Arrival(long at, int order, CallEvent e) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            CallEvent e = log.get(i);
            long delay = latenessMillis == 0 ? 0 : r.nextLong(latenessMillis + 1);
            if (r.nextInt(50) == 0) {
                delay += r.nextLong(6 * 3_600_000L);
            }
            arrivals.add(new Arrival(e.ts().toEpochMilli() + delay, i, e));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at).thenComparingInt(Arrival::order));
        return arrivals.stream().map(Arrival::e).toList();
    }

    /** Everything a monitor hands out, in order. */
    private static final class Recorder implements Monitor.Listener {
        final List<Alert> alerts = new ArrayList<>();
        final List<SlotVerdict> verdicts = new ArrayList<>();
        final boolean reportsOurSide;

        Recorder(boolean reportsOurSide) {
            this.reportsOurSide = reportsOurSide;
        }

        @Override
        public boolean reportsOurSide() {
            return reportsOurSide;
        }

        @Override
        public void onAlert(Alert alert) {
            alerts.add(alert);
        }

        @Override
        public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict, MissCause cause,
                              long firstAnswer) {
            verdicts.add(SlotVerdict.ofMillis(channelId, slot, deadline, verdict, cause, firstAnswer));
        }
    }

    @Property(tries = 300)
    void monitorDecidesLikeThePureRulesComposed(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                @ForAll @IntRange(min = 1, max = 4) int days,
                                                @ForAll boolean silenceRuleOn,
                                                @ForAll @IntRange(min = 1, max = 300) int silentAfterMinutes,
                                                @ForAll @IntRange(min = 0, max = 120) int latenessMinutes,
                                                @ForAll boolean explicitStart,
                                                @ForAll boolean reportOurSide,
                                                @ForAll @IntRange(min = 0, max = 100) int resumeAtPercent) {
        Reached reached = composedRun(seed, days, silenceRuleOn, silentAfterMinutes, latenessMinutes, explicitStart,
                reportOurSide, resumeAtPercent);

        // What the generator must reach often enough for the property to mean something.
        collect("our side went silent", reached.silence(), 20);
        collect("a CALL_NOT_PLACED covered", reached.covered(), 10);
        collect("an event behind the monitor's time taken", reached.behindTaken(), 20);
        collect("an event late", reached.late(), 20);
        collect("a channel down and restored", reached.restored(), 20);
        collect("a silence at the instant of a deadline", reached.silenceAtDeadline(), 15);
    }

    private static void collect(String label, boolean value, double minPercent) {
        net.jqwik.api.statistics.Statistics.label(label).collect(value);
        net.jqwik.api.statistics.Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= minPercent));
    }

    /** Which of the cases that matter a run reached. */
    record Reached(boolean silence, boolean covered, boolean behindTaken, boolean late, boolean restored,
                   boolean silenceAtDeadline) {
    }

    /** One run of {@link #monitorDecidesLikeThePureRulesComposed}: asserts, and says what it reached. */
    static Reached composedRun(long seed, int days, boolean silenceRuleOn, int silentAfterMinutes, int latenessMinutes,
                            boolean explicitStart, boolean reportOurSide, int resumeAtPercent) {
        Random r = new Random(seed);
        MonitorConfig config = randomConfig(r, silenceRuleOn ? Duration.ofMinutes(silentAfterMinutes) : null);
        List<CallEvent> log = randomLog(config, r, days);
        List<CallEvent> arrivals = arrivalOrder(log, latenessMinutes * 60_000L, r);
        Instant first = log.isEmpty() ? Instant.parse(STARTS[0]) : log.get(0).ts(); // empty: no slot, no heartbeat
        Instant last = log.isEmpty() ? first : log.get(log.size() - 1).ts();
        Instant start = first.minusSeconds(r.nextInt(3_600));
        Instant end = last.plusMillis(r.nextLong(86_400_000L));
        int cut = resumeAtPercent == 100 ? -1 : arrivals.size() * resumeAtPercent / 100; // 100: never stopped

        PureRules pure = new PureRules(config, reportOurSide);
        Recorder seen = new Recorder(reportOurSide);
        Monitor monitor = new Monitor(config, seen);
        if (explicitStart) {
            pure.start(start.toEpochMilli());
            monitor.start(start);
        }
        List<EventOutcome> pureOutcomes = new ArrayList<>();
        List<EventOutcome> outcomes = new ArrayList<>();
        Map<String, ChannelState> saved = new HashMap<>();
        int behindTaken = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            CallEvent e = arrivals.get(i);
            if (i == cut && monitor.started()) { // stop; a new monitor resumes from what the old one saved
                monitor.drainChanged(saved::put);
                Monitor resumed = new Monitor(config, seen);
                resumed.resume(monitor.watermark(), saved::get, monitor.ourSide());
                monitor = resumed;
                pure.resumedHere();
            } else if (i % 37 == 0) {
                monitor.drainChanged(saved::put); // saved now and then, as at commits
            }
            boolean behind = pure.started() && e.ts().toEpochMilli() < pure.watermark();
            EventOutcome o = pure.accept(e);
            pureOutcomes.add(o);
            outcomes.add(MonitorFeed.accept(monitor, e));
            if (behind && !o.rejected()) {
                behindTaken++;
            }
        }
        pure.advance(end.toEpochMilli());
        monitor.advanceTo(end.toEpochMilli());

        assertThat(seen.alerts).as("alerts, in order").isEqualTo(pure.alerts);
        assertThat(seen.verdicts).as("verdicts, in order").isEqualTo(pure.verdicts);
        assertThat(outcomes).as("outcomes").isEqualTo(pureOutcomes);
        assertThat(monitor.states()).as("channel states").isEqualTo(pure.states());
        assertThat(monitor.ourSide()).as("our side").isEqualTo(pure.ourSide());
        assertThat(monitor.watermark()).as("watermark").isEqualTo(pure.watermark());

        return new Reached(pure.ourSide().resumedAt() != Millis.NONE || pure.ourSide().silentSince() != Millis.NONE,
                pure.covered > 0, behindTaken > 0, outcomes.contains(EventOutcome.LATE),
                pure.alerts.stream().anyMatch(a -> a.type() == org.hotlinemonitor.core.alert.AlertType.CHANNEL_RESTORED),
                pure.silencesAtADeadline > 0);
    }
}
