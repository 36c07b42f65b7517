package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.replay.ReplayDriver;

/**
 * The replay (reorder buffer, jumps of time, alert order, then the {@link Monitor}) against the pure rules composed
 * ({@link PureRules}) over the same events in time order, with the options of both on or off at random: random channels
 * and schedules, {@code silentAfter} set or not, heartbeats interleaved with gaps, every event kind, invalid and
 * duplicate events (refused alike), arrival out of order within the allowed lateness (which must change nothing), and
 * {@code maxJump} (never below the longest gap of the log, nor the span of its first four events: outliers are the
 * replay's own rule). Heartbeats of two sources at one instant are left out (see {@link #oneSourcePerInstant}). The
 * replay hands each instant's alerts on sorted by channel id ({@code AlertOrder}); the pure rules' alerts are compared
 * in that order.
 */
class ReplayMatchesPureRulesProperties {

    private static final Comparator<Alert> REPLAY_ORDER = Comparator.comparing(Alert::at).thenComparing(Alert::channel);

    @Property(tries = 300)
    void replayWithinTheLatenessDecidesLikeThePureRulesInTimeOrder(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 4) int days,
            @ForAll boolean silenceRuleOn,
            @ForAll @IntRange(min = 1, max = 300) int silentAfterMinutes,
            @ForAll @IntRange(min = 0, max = 120) int latenessMinutes,
            @ForAll @IntRange(min = 9, max = 48) int maxJumpHours) {
        Random r = new Random(seed);
        MonitorConfig config = MonitorMatchesDetectorProperties.randomConfig(r,
                silenceRuleOn ? Duration.ofMinutes(silentAfterMinutes) : null);
        List<CallEvent> log = oneSourcePerInstant(MonitorMatchesDetectorProperties.randomLog(config, r, days));
        Duration lateness = Duration.ofMinutes(latenessMinutes);
        List<CallEvent> arrivals = withinLateness(log, lateness.toMillis(), r);

        List<Alert> replayed = new ArrayList<>();
        List<Rejection> refused = new ArrayList<>();
        // No event may be an outlier (refused for a jump of time no other event confirms: the replay's own rule,
        // OutlierProperties): maxJump at least the longest gap between valid events (only they move the replay's time)
        // and the span of the first four (which confirm the start).
        Monitor.Validator validator = new Monitor(config, a -> { }).validator();
        List<Long> valid = log.stream().filter(e -> MonitorFeed.validate(validator, e) == null)
                .map(e -> e.ts().toEpochMilli()).toList();
        long longestGap = valid.isEmpty() ? 0 : valid.get(Math.min(3, valid.size() - 1)) - valid.get(0);
        for (int i = 1; i < valid.size(); i++) {
            longestGap = Math.max(longestGap, valid.get(i) - valid.get(i - 1));
        }
        Duration maxJump = Duration.ofMillis(Math.max(maxJumpHours * 3_600_000L, longestGap + 1));
        ReplayDriver driver = new ReplayDriver(config, lateness, maxJump, null,
                org.hotlinemonitor.core.codec.SigningConfig.NONE, replayed::add,
                new ReplayDriver.HeldListener() {
                    @Override
                    public void taken(long token) {
                    }

                    @Override
                    public void refused(long token, Rejection why) {
                        refused.add(why);
                    }
                });
        for (CallEvent e : arrivals) {
            Rejection rejection = org.hotlinemonitor.core.replay.DriverFeed.offer(driver, e);
            if (rejection != null && rejection != ReplayDriver.HELD) {
                refused.add(rejection);
            }
        }
        driver.finish();

        PureRules pure = new PureRules(config, true);
        int invalid = 0;
        for (CallEvent e : log) {
            if (pure.accept(e).rejected()) {
                invalid++;
            }
        }
        if (driver.end() != null) {
            pure.advance(driver.end().toEpochMilli());
        }
        List<Alert> expected = new ArrayList<>(pure.alerts);
        expected.sort(REPLAY_ORDER); // stable: each channel's own order within an instant

        assertThat(refused).as("only the invalid events are refused").hasSize(invalid);
        assertThat(replayed).isEqualTo(expected);

        Monitor.OurSide ourSide = pure.ourSide();
        collect("our side went silent", ourSide.silentSince() != Millis.NONE || ourSide.resumedAt() != Millis.NONE,
                20);
        collect("a CALL_NOT_PLACED covered", pure.covered > 0, 10);
        collect("arrival out of order", !arrivals.equals(log), 50);
    }

    private static void collect(String label, boolean value, double minPercent) {
        net.jqwik.api.statistics.Statistics.label(label).collect(value);
        net.jqwik.api.statistics.Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= minPercent));
    }

    /**
     * The log without heartbeats of a second source at an instant that already has one: of heartbeats at the same
     * instant the first applied ends a silence and its source is the one {@code OUR_SIDE_RESUMED} names, so the order of
     * equal-time heartbeats of different sources, which reordering within the lateness may change, shows in the alert.
     */
    private static List<CallEvent> oneSourcePerInstant(List<CallEvent> log) {
        java.util.Map<java.time.Instant, String> sourceAt = new java.util.HashMap<>();
        List<CallEvent> out = new ArrayList<>();
        for (CallEvent e : log) {
            if (e.kind() == org.hotlinemonitor.core.model.EventKind.HEARTBEAT) {
                String first = sourceAt.computeIfAbsent(e.ts(), t -> e.source() == null ? "" : e.source());
                if (!first.equals(e.source() == null ? "" : e.source())) {
                    continue;
                }
            }
            out.add(e);
        }
        return out;
    }

    /** Each event arrives at {@code ts + d}, {@code d} in {@code [0, lateness]}: never later than the lateness. */
    private static List<CallEvent> withinLateness(List<CallEvent> log, long latenessMillis, Random r) {
        record Arrival(long at, int order, CallEvent e) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            CallEvent e = log.get(i);
            arrivals.add(new Arrival(e.ts().toEpochMilli() + (latenessMillis == 0 ? 0 : r.nextLong(latenessMillis + 1)), i, e));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at).thenComparingInt(Arrival::order));
        return arrivals.stream().map(Arrival::e).toList();
    }
}
