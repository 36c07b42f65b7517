package org.hotlinemonitor.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;

/**
 * Wild timestamps inserted anywhere in a history change none of the alerts of the other lines, and each is
 * refused: one ahead as an outlier, one behind as an outlier (before the replay has a time) or as late.
 *
 * <p>What the property assumes of a wild line: it is a channel event without a slot (a heartbeat far in the past
 * is taken by the existing rule, and changes nothing, so it would not be refused); one in the past lies 2 to 365
 * days before the line it is inserted before; one in the future lies 2 to 365 days after the history's last
 * event, so that the replay's time never comes within maxJump of it (a line only a little ahead of its
 * neighbours, which the history then catches up with, is taken in its turn as an ordinary event). At most 3 are
 * inserted: fewer than the {@value ReplayDriver#CONFIRM} that confirm a jump, wherever they lie.
 */
class OutlierProperties {

    static final Duration LATENESS = Duration.ofMinutes(5);
    static final EventKind[] KINDS = {EventKind.CALL_PLACED, EventKind.ANSWERED, EventKind.NO_ANSWER, EventKind.LINE_FAULT};
    static final String[] CHANNELS = {"liaison", "east", "dc"};

    @Property(tries = 200)
    void wildTimestampsChangeNoAlertAndAreEachRefused(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                     @ForAll @IntRange(min = 1, max = 8) int days,
                                                     @ForAll @IntRange(min = 1, max = 3) int wild) {
        List<CallEvent> history = LogGen.log(seed, days);
        var plain = LogGen.replay(history, LATENESS, null);
        assertThat(plain.rejects).isEmpty();

        Random r = new Random(seed * 31 + wild);
        Instant last = history.get(history.size() - 1).ts();
        List<CallEvent> input = new ArrayList<>(history);
        List<CallEvent> inserted = new ArrayList<>();
        for (int i = 0; i < wild; i++) {
            int at = r.nextInt(input.size() + 1);
            Duration by = Duration.ofDays(2).plusMillis(r.nextLong(Duration.ofDays(363).toMillis()));
            Instant ts = r.nextBoolean() ? last.plus(by) : input.get(Math.min(at, input.size() - 1)).ts().minus(by);
            CallEvent e = CallEvent.of(CHANNELS[r.nextInt(CHANNELS.length)], KINDS[r.nextInt(KINDS.length)], ts, null);
            input.add(at, e);
            inserted.add(e);
        }
        var result = LogGen.replay(input, LATENESS, null);

        assertThat(result.alerts).as("wild lines %s", inserted).isEqualTo(plain.alerts);
        assertThat(result.end).isEqualTo(plain.end);
        assertThat(result.rejects).as("wild lines %s", inserted).hasSize(wild)
                .allMatch(rj -> rj.reason().equals(Rejection.OUTLIER) || rj.reason().equals(Rejection.LATE));
    }
}
