package org.hotlinemonitor.core.detect;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/** Small builders for detector tests. Times are written "MM-DDTHH:MM[:SS]" in 2023, UTC. */
final class Fixtures {
    private Fixtures() {
    }

    static Instant at(String shortTime) {
        String t = shortTime.length() == 11 ? shortTime + ":00" : shortTime;
        return Instant.parse("2023-" + t + "Z");
    }

    /** Channel "c": checks 09:00 and 17:00 UTC every day, answer within 1 h, down after 2. */
    static Channel twiceDaily() {
        return channel("c", "UTC", Duration.ofHours(1), 2, "09:00", "17:00");
    }

    static Channel channel(String id, String zone, Duration answerWithin, int downAfter, String... checks) {
        List<LocalTime> times = Arrays.stream(checks).map(LocalTime::parse).toList();
        Schedule schedule = Schedule.of(ZoneId.of(zone), times, DayRule.everyDay(), "checks " + String.join(",", checks));
        return new Channel(id, null, schedule, answerWithin, downAfter);
    }

    static CallEvent ev(String time, EventKind kind) {
        return CallEvent.of("c", kind, at(time), null);
    }

    static CallEvent ev(String time, EventKind kind, String slot) {
        return CallEvent.of("c", kind, at(time), at(slot));
    }

    /** Runs events through a Monitor over the given channels, then advances to {@code until}. */
    static Run run(List<Channel> channels, Instant start, Instant until, List<CallEvent> events) {
        return run(new MonitorConfig(channels), true, start, until, events);
    }

    /** {@link #run(List, Instant, Instant, List)} with a whole configuration, reporting our side's alerts or not. */
    static Run run(MonitorConfig config, boolean reportOurSide, Instant start, Instant until, List<CallEvent> events) {
        Run run = new Run();
        Monitor monitor = new Monitor(config, new Monitor.Listener() {
            @Override
            public void onAlert(Alert alert) {
                run.alerts.add(alert);
            }

            @Override
            public void onVerdict(int channel, String channelId, long slot, long deadline, Verdict verdict,
                                  MissCause cause, long firstAnswer) {
                run.verdicts.add(SlotVerdict.ofMillis(channelId, slot, deadline, verdict, cause, firstAnswer));
            }

            @Override
            public boolean reportsOurSide() {
                return reportOurSide;
            }
        });
        monitor.start(start);
        for (CallEvent e : events) {
            run.outcomes.add(MonitorFeed.accept(monitor, e));
        }
        monitor.advanceTo(until.toEpochMilli());
        run.monitor = monitor;
        return run;
    }

    static final class Run {
        final List<Alert> alerts = new ArrayList<>();
        final List<SlotVerdict> verdicts = new ArrayList<>();
        final List<EventOutcome> outcomes = new ArrayList<>();
        Monitor monitor;

        /** Alerts as compact strings: "TYPE@at", plus " slot=..", " cause=..", " since=.. missed=N". */
        List<String> brief() {
            return alerts.stream().map(Fixtures::brief).toList();
        }
    }

    static String brief(Alert a) {
        StringBuilder b = new StringBuilder(a.type().name()).append('@').append(shorten(a.at()));
        if (a.slot() != null) {
            b.append(" slot=").append(shorten(a.slot()));
        }
        if (a.cause() != null) {
            b.append(" cause=").append(a.cause());
        }
        if (a.since() != null) {
            b.append(" since=").append(shorten(a.since()));
        }
        if (a.missedSlots() != null) {
            b.append(" missed=").append(a.missedSlots());
        }
        if (a.duration() != null) {
            b.append(" for=").append(a.duration());
        }
        return b.toString();
    }

    private static String shorten(Instant i) {
        String s = i.toString();
        s = s.startsWith("2023-") ? s.substring(5) : s;
        s = s.endsWith(":00Z") ? s.substring(0, s.length() - 4) : s.substring(0, s.length() - 1);
        return s;
    }
}
