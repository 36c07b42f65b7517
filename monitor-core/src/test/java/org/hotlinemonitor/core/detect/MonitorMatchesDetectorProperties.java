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
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * The {@link Monitor} runs the detector's rules in place on mutable lanes; the {@link Detector}'s public
 * methods run the same rules on copies and return immutable states. Both must decide exactly the same:
 * for random logs, each channel's alerts, verdicts, outcomes and final state from the monitor equal a
 * plain fold of {@link Detector#onEvent} over that channel's events.
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
            public void onVerdict(SlotVerdict verdict) {
                monitorVerdicts.computeIfAbsent(verdict.channel(), k -> new ArrayList<>()).add(verdict);
            }
        });
        Map<String, List<EventOutcome>> monitorOutcomes = new HashMap<>();
        for (CallEvent e : log) {
            EventOutcome o = monitor.accept(e);
            if (e.channel() != null) {
                monitorOutcomes.computeIfAbsent(e.channel(), k -> new ArrayList<>()).add(o);
            }
        }
        monitor.advanceTo(end);

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
            ChannelState m = monitor.state(c.id());
            // The monitor advances a channel lazily: only its watermark may trail.
            assertThat(m).usingRecursiveComparison().ignoringFields("watermark").isEqualTo(state);
        }
    }
}
