package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.app.detect.Harness.event;
import static org.hotlinemonitor.app.detect.Harness.heartbeat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The live topology (TopologyTestDriver, the real processor) against wild timestamps: a few events stamped far in the
 * future (beyond the maximum clock skew) or far in the past (before monitoring started), put anywhere in a history
 * whose events arrive up to 3 s after their time (six times the lateness), never change the alerts derived from the
 * other events, and are each refused.
 */
class WildTimestampsProperties {

    static final Instant START = Instant.parse("2023-04-06T23:50:00Z");
    static final Instant END = Instant.parse("2023-04-09T08:30:00Z");
    static final Duration LATENESS = Duration.ofMillis(500);
    static final List<String> CHANNELS = List.of("east-coast", "ship");

    /** An event as it arrives: the clock then, the key, the JSON. */
    record Arrival(Instant at, String key, String json) {
    }

    @Property(tries = 25)
    void wildTimestampsChangeNoOtherEventsAlerts(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                 @ForAll @IntRange(min = 1, max = 4) int wild) throws IOException {
        Random r = new Random(seed);
        List<Arrival> history = history(r);
        List<Arrival> withWild = new ArrayList<>(history);
        for (int i = 0; i < wild; i++) {
            int at = 1 + r.nextInt(withWild.size() - 1);
            Instant arrives = withWild.get(at - 1).at();
            Instant ts = r.nextBoolean()
                    ? arrives.plusSeconds(60 + (long) (r.nextDouble() * 365 * 86_400)) // from the future
                    : START.minusSeconds(3600 + (long) (r.nextDouble() * 365 * 86_400)); // from the past
            String channel = CHANNELS.get(r.nextInt(2));
            String kind = r.nextBoolean() ? "ANSWERED" : "HEARTBEAT";
            String json = kind.equals("HEARTBEAT") ? heartbeat(ts) : event(channel, kind, ts, null);
            withWild.add(at, new Arrival(arrives, kind.equals("HEARTBEAT") ? "scheduler" : channel, json));
        }
        Run clean = run(history);
        Run dirty = run(withWild);
        assertThat(clean.alerts).as("the history alone raises alerts").isNotEmpty();
        assertThat(clean.rejected).as("nothing of the history is refused").isZero();
        assertThat(dirty.alerts).as("wild timestamps change no other event's alerts").isEqualTo(clean.alerts);
        assertThat(dirty.rejected).as("each wild event refused").isEqualTo(wild);
    }

    record Run(List<String> alerts, long rejected) {
    }

    static Run run(List<Arrival> arrivals) throws IOException {
        Path dir = Files.createTempDirectory("wild");
        try (Harness h = new Harness(Harness.TWO_CHANNELS, LATENESS, START, dir)) {
            for (Arrival a : arrivals) {
                h.sendAt(a.at(), a.key(), a.json());
            }
            h.tick(END);
            return new Run(h.alerts(), h.rejects.total());
        }
    }

    /**
     * Two days of both channels (09:00 and 16:00 Seoul, answer within an hour): each slot answered, missed or never
     * placed, heartbeats every 30 minutes; each event arrives 0 to 3 s after its time, in arrival order.
     */
    static List<Arrival> history(Random r) {
        List<Arrival> out = new ArrayList<>();
        for (Instant t = START; t.isBefore(END); t = t.plus(Duration.ofMinutes(30))) {
            out.add(arrival(r, t, "scheduler", heartbeat(t)));
        }
        for (Instant day = Instant.parse("2023-04-07T00:00:00Z"); day.isBefore(END); day = day.plus(Duration.ofDays(1))) {
            for (Instant slot : List.of(day, day.plus(Duration.ofHours(7)))) {
                for (String c : CHANNELS) {
                    int what = r.nextInt(3);
                    if (what == 2) {
                        continue; // never placed
                    }
                    Instant placed = slot.plusSeconds(1 + r.nextInt(60));
                    out.add(arrival(r, placed, c, event(c, "CALL_PLACED", placed, null)));
                    Instant outcome = placed.plusSeconds(10 + r.nextInt(3000));
                    out.add(arrival(r, outcome, c, event(c, what == 0 ? "ANSWERED" : "NO_ANSWER", outcome, null)));
                }
            }
        }
        out.sort(Comparator.comparing(Arrival::at));
        return out;
    }

    static Arrival arrival(Random r, Instant ts, String key, String json) {
        return new Arrival(ts.plusMillis(r.nextInt(3000)), key, json);
    }
}
