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
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;

/** Same input, same alerts; reordering within the allowed lateness and duplication change nothing. */
class ReplayDeterminismProperties {

    static final Duration LATENESS = Duration.ofMinutes(5);

    @Property(tries = 60)
    void sameInputSameAlerts(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                             @ForAll @IntRange(min = 1, max = 8) int days) {
        List<CallEvent> log = LogGen.log(seed, days);
        var a = LogGen.replay(log, LATENESS, null);
        var b = LogGen.replay(log, LATENESS, null);
        assertThat(b.alerts).isEqualTo(a.alerts);
        assertThat(a.rejects).isEmpty();
    }

    @Property(tries = 100)
    void reorderingWithinLatenessChangesNothing(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                @ForAll @IntRange(min = 1, max = 8) int days) {
        List<CallEvent> log = LogGen.log(seed, days);
        Instant until = log.get(log.size() - 1).ts();
        var ordered = LogGen.replay(log, LATENESS, until);
        var shuffled = LogGen.replay(LogGen.shuffleWithin(log, LATENESS, new Random(seed)), LATENESS, until);
        assertThat(shuffled.rejects).isEmpty();
        assertThat(shuffled.alerts).isEqualTo(ordered.alerts);
    }

    @Property(tries = 100)
    void duplicatesChangeNothing(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                 @ForAll @IntRange(min = 1, max = 8) int days) {
        List<CallEvent> log = LogGen.log(seed, days);
        Instant until = log.get(log.size() - 1).ts();
        Random r = new Random(seed ^ 0x5DEECE66DL);
        List<CallEvent> doubled = new ArrayList<>(log);
        for (CallEvent e : log) {
            int copies = r.nextInt(10) == 0 ? 1 + r.nextInt(2) : 0;
            for (int i = 0; i < copies; i++) {
                doubled.add(e);
            }
        }
        var ordered = LogGen.replay(log, LATENESS, until);
        var withDuplicates = LogGen.replay(LogGen.shuffleWithin(doubled, LATENESS, r), LATENESS, until);
        assertThat(withDuplicates.rejects).isEmpty();
        assertThat(withDuplicates.alerts).isEqualTo(ordered.alerts);
    }

    @Property(tries = 40)
    void eventsLaterThanTheLatenessAreRejectedNeverApplied(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        List<CallEvent> log = LogGen.log(seed, 4);
        Instant until = log.get(log.size() - 1).ts();
        var ordered = LogGen.replay(log, LATENESS, until);
        // Replay a copy of the first half's events again at the end, long after the watermark passed them.
        List<CallEvent> replayed = new ArrayList<>(log);
        List<CallEvent> stale = log.subList(0, log.size() / 2).stream()
                .filter(e -> e.ts().isBefore(until.minus(LATENESS))).toList();
        replayed.addAll(stale);
        var result = LogGen.replay(replayed, LATENESS, until);
        assertThat(result.alerts).isEqualTo(ordered.alerts);
        // A stale heartbeat is taken when no silence was declared after it (it changes nothing then); every stale event
        // of a channel is refused, since its channel moved past it.
        long channelEvents = stale.stream().filter(e -> e.kind() != org.hotlinemonitor.core.model.EventKind.HEARTBEAT).count();
        assertThat(result.rejects).hasSizeBetween((int) channelEvents, stale.size())
                .allMatch(rj -> rj.reason().equals(Rejection.LATE));
    }

    @Property(tries = 30)
    void theLogsExerciseEveryAlertType(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        // Guards the generator: properties over logs without outages would prove little.
        var result = LogGen.replay(LogGen.log(seed, 30), LATENESS, null);
        assertThat(result.alerts).extracting(a -> a.type()).contains(AlertType.SLOT_MISSED, AlertType.CALL_NOT_PLACED);
    }
}
