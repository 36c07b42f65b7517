package org.hotlinemonitor.core.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/** Random but plausible call logs for property tests: answers, misses, faults, retries, gaps, outages. */
final class LogGen {
    private LogGen() {
    }

    static final Instant[] STARTS = {
        Instant.parse("2023-04-05T00:00:00Z"),
        Instant.parse("2024-03-08T00:00:00Z"), // spring forward in New York on 03-10
        Instant.parse("2024-11-01T00:00:00Z"), // fall back in New York on 11-03
    };

    static MonitorConfig config() {
        return new MonitorConfig(List.of(
                channel("liaison", "Asia/Seoul", Duration.ofHours(1), 2, "09:00", "17:00"),
                channel("east", "Asia/Seoul", Duration.ofMinutes(30), 2, "09:00", "16:00"),
                channel("dc", "America/New_York", Duration.ofMinutes(45), 3, "01:30", "02:30", "12:00")));
    }

    static Channel channel(String id, String zone, Duration within, int downAfter, String... checks) {
        List<LocalTime> times = java.util.Arrays.stream(checks).map(LocalTime::parse).toList();
        return new Channel(id, null, Schedule.of(ZoneId.of(zone), times, DayRule.everyDay(), "test"), within, downAfter);
    }

    /** A time-ordered log over {@code days} days from one of {@link #STARTS}. */
    static List<CallEvent> log(long seed, int days) {
        Random r = new Random(seed);
        MonitorConfig config = config();
        Instant start = STARTS[r.nextInt(STARTS.length)];
        Instant end = start.plus(Duration.ofDays(days));
        List<CallEvent> out = new ArrayList<>();
        for (Channel c : config.channels()) {
            long within = c.answerWithin().toMillis();
            double downRate = r.nextDouble() * 0.5;
            for (Instant slot : c.schedule().slotsBetween(start, end)) {
                int roll = r.nextInt(100);
                boolean named = r.nextBoolean();
                Instant s = named ? slot : null;
                if (roll < 8) {
                    continue; // not placed
                }
                out.add(new CallEvent(c.id(), EventKind.CALL_PLACED, slot.plusMillis(r.nextInt(3000)), s, null, "gen", null));
                if (r.nextDouble() < downRate) {
                    int tries = 1 + r.nextInt(3);
                    for (int i = 0; i < tries; i++) {
                        EventKind k = r.nextInt(4) == 0 ? EventKind.LINE_FAULT : EventKind.NO_ANSWER;
                        out.add(new CallEvent(c.id(), k, slot.plusMillis(r.nextLong(within)), s, null, "gen", null));
                    }
                    if (r.nextInt(10) == 0) { // answered, but too late
                        out.add(new CallEvent(c.id(), EventKind.ANSWERED, slot.plusMillis(within + 1 + r.nextInt(600_000)), null, null, "gen", null));
                    }
                } else {
                    out.add(new CallEvent(c.id(), EventKind.ANSWERED, slot.plusMillis(r.nextLong(within + 1)), s, null, "gen", null));
                }
            }
            for (int i = 0; i < days / 3; i++) { // unscheduled calls
                Instant t = start.plusMillis(r.nextLong(Duration.ofDays(days).toMillis()));
                out.add(new CallEvent(c.id(), r.nextBoolean() ? EventKind.ANSWERED : EventKind.CALL_PLACED, t, null, null, "op", "unscheduled"));
            }
        }
        for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofHours(1))) {
            out.add(CallEvent.heartbeat(t.plusMillis(r.nextInt(1000)), "gen"));
        }
        out.sort(Comparator.comparing(CallEvent::ts));
        return out;
    }

    /**
     * The same events in an arrival order that keeps every event within {@code lateness}: each arrives at
     * {@code ts + d} for a random {@code d} in {@code [0, lateness]}.
     */
    static List<CallEvent> shuffleWithin(List<CallEvent> log, Duration lateness, Random r) {
        record Arrival(long at, int tie, CallEvent event) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (CallEvent e : log) {
            arrivals.add(new Arrival(e.ts().toEpochMilli() + r.nextLong(lateness.toMillis() + 1), r.nextInt(), e));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at).thenComparingInt(Arrival::tie));
        return arrivals.stream().map(Arrival::event).toList();
    }

    /** Replays and returns the alerts as their JSON-free identity: the records themselves. */
    static Result replay(List<CallEvent> input, Duration lateness, Instant until) {
        Result result = new Result();
        ReplayDriver driver = new ReplayDriver(config(), lateness, ReplayDriver.DEFAULT_MAX_JUMP, until,
                org.hotlinemonitor.core.codec.SigningConfig.NONE, new org.hotlinemonitor.core.detect.Monitor.Listener() {
                    @Override
                    public void onAlert(org.hotlinemonitor.core.alert.Alert alert) {
                        result.alerts.add(alert);
                    }
                }, new ReplayDriver.HeldListener() {
                    @Override
                    public void taken(long token) {
                    }

                    @Override
                    public void refused(long token, Rejection why) {
                        result.rejects.add(why);
                    }
                });
        for (CallEvent e : input) {
            Rejection rej = DriverFeed.offer(driver, e);
            if (rej != null && rej != ReplayDriver.HELD) {
                result.rejects.add(rej);
            }
        }
        driver.finish();
        result.end = driver.end();
        return result;
    }

    static final class Result {
        final List<org.hotlinemonitor.core.alert.Alert> alerts = new ArrayList<>();
        final List<Rejection> rejects = new ArrayList<>();
        Instant end;
    }
}
