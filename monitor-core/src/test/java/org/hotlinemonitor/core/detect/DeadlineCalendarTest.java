package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.hotlinemonitor.core.model.Millis;
import org.junit.jupiter.api.Test;

class DeadlineCalendarTest {

    /** An entry whose deadline the test moves by hand. */
    private static final class Lane implements Deadlines.Entry {
        final int rank;
        long deadline = Millis.NONE;

        Lane(int rank) {
            this.rank = rank;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public String toString() {
            return "lane " + rank + " at " + deadline;
        }
    }

    private static List<Lane> lanes(int n) {
        return IntStream.range(0, n).mapToObj(Lane::new).toList();
    }

    private static void file(DeadlineCalendar<Lane> c, Lane lane, long at) {
        lane.deadline = at;
        c.file(lane);
    }

    /** Takes the next instant's lanes, as ranks. */
    private static List<Integer> takeNext(DeadlineCalendar<Lane> c) {
        List<Integer> ranks = new ArrayList<>();
        c.takeNext(lane -> ranks.add(lane.rank));
        return ranks;
    }

    @Test
    void lanesDueAtOneInstantComeInRankOrderHoweverFiled() {
        List<Lane> lanes = lanes(6);
        DeadlineCalendar<Lane> c = new DeadlineCalendar<>(lanes);
        for (int rank : new int[] {4, 1, 5, 0, 3}) {
            file(c, lanes.get(rank), 1_000);
        }
        assertThat(c.next()).isEqualTo(1_000);
        assertThat(takeNext(c)).containsExactly(0, 1, 3, 4, 5);
        assertThat(c.next()).isEqualTo(Millis.NONE);
    }

    @Test
    void earlierInstantsComeFirstWhateverTheFilingOrder() {
        List<Lane> lanes = lanes(3);
        DeadlineCalendar<Lane> c = new DeadlineCalendar<>(lanes);
        file(c, lanes.get(0), 3_000);
        file(c, lanes.get(1), 1_000);
        file(c, lanes.get(2), 2_000);
        assertThat(c.next()).isEqualTo(1_000);
        assertThat(takeNext(c)).containsExactly(1);
        assertThat(c.next()).isEqualTo(2_000);
        assertThat(takeNext(c)).containsExactly(2);
        assertThat(takeNext(c)).containsExactly(0);
        assertThat(c.next()).isEqualTo(Millis.NONE);
    }

    @Test
    void aLaneRefiledElsewhereIsNotHandedOutAtItsOldInstant() {
        List<Lane> lanes = lanes(3);
        DeadlineCalendar<Lane> c = new DeadlineCalendar<>(lanes);
        file(c, lanes.get(0), 1_000);
        file(c, lanes.get(1), 1_000);
        file(c, lanes.get(2), 1_000);
        file(c, lanes.get(1), 5_000); // re-scheduled: its entry at 1_000 is stale
        file(c, lanes.get(2), Millis.NONE); // no deadline any more: nothing filed, its old entry stale
        assertThat(takeNext(c)).containsExactly(0);
        assertThat(c.next()).isEqualTo(5_000);
        assertThat(takeNext(c)).containsExactly(1);
        assertThat(c.next()).isEqualTo(Millis.NONE);
    }

    @Test
    void aLaneFiledTwiceAtOneInstantIsHandedOutOnce() {
        List<Lane> lanes = lanes(3);
        DeadlineCalendar<Lane> c = new DeadlineCalendar<>(lanes);
        file(c, lanes.get(2), 1_000);
        file(c, lanes.get(0), 1_000);
        file(c, lanes.get(0), 2_000);
        file(c, lanes.get(0), 1_000); // back at 1_000: filed there twice now, in rank order or not
        file(c, lanes.get(1), 1_000);
        file(c, lanes.get(1), 1_000);
        assertThat(takeNext(c)).containsExactly(0, 1, 2);
        assertThat(c.next()).isEqualTo(2_000);
        assertThat(takeNext(c)).isEmpty(); // lane 0's entry at 2_000 went stale
        assertThat(c.next()).isEqualTo(Millis.NONE);
    }

    @Test
    void lanesRefiledWhileBeingHandedOutGoToTheirNewInstant() {
        List<Lane> lanes = lanes(4);
        DeadlineCalendar<Lane> c = new DeadlineCalendar<>(lanes);
        for (Lane lane : lanes) {
            file(c, lane, 1_000);
        }
        List<Integer> first = new ArrayList<>();
        c.takeNext(lane -> {
            first.add(lane.rank);
            file(c, lane, 1_000 + 1_000L * (4 - lane.rank)); // each decided lane moves on, as the monitor's do
        });
        assertThat(first).containsExactly(0, 1, 2, 3);
        List<Long> order = new ArrayList<>();
        while (c.next() != Millis.NONE) {
            long at = c.next();
            c.takeNext(lane -> order.add(at * 10 + lane.rank));
        }
        assertThat(order).containsExactly(2_000L * 10 + 3, 3_000L * 10 + 2, 4_000L * 10 + 1, 5_000L * 10);
    }

    @Test
    void manyInstantsComeOutByDeadlineThenRankLikeASort() {
        Random random = new Random(17);
        List<Lane> lanes = lanes(500);
        DeadlineCalendar<Lane> c = new DeadlineCalendar<>(lanes);
        for (int round = 0; round < 3; round++) {
            // File every lane, some several times (only the last filing counts), over many distinct instants.
            for (int i = 0; i < 2_000; i++) {
                file(c, lanes.get(random.nextInt(lanes.size())), 1_000L * random.nextInt(300) - 100_000);
            }
            List<Lane> expected = lanes.stream().filter(l -> l.deadline != Millis.NONE)
                    .sorted(Comparator.comparingLong(Lane::deadline).thenComparingInt(Lane::rank)).toList();
            List<Lane> got = new ArrayList<>();
            long last = Long.MIN_VALUE;
            while (c.next() != Millis.NONE) {
                assertThat(c.next()).as("instants ascending").isGreaterThan(last);
                last = c.next();
                c.takeNext(got::add);
            }
            assertThat(got).containsExactlyElementsOf(expected);
            lanes.forEach(l -> l.deadline = Millis.NONE); // all decided; the next round reuses the batches
        }
    }

    /**
     * Filing and taking interleaved at random over many distinct instants (hundreds pending at once, so that the table
     * of batches grows, collides and closes gaps when taken) give what a sorted map of the pending instants gives.
     */
    @Test
    void manyPendingInstantsFiledAndTakenAtRandomMatchASortedMap() {
        for (int seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            List<Lane> lanes = lanes(300);
            DeadlineCalendar<Lane> c = new DeadlineCalendar<>(lanes);
            java.util.TreeMap<Long, java.util.TreeSet<Integer>> model = new java.util.TreeMap<>();
            long now = 0;
            for (int step = 0; step < 3_000; step++) {
                if (random.nextInt(3) > 0) {
                    Lane lane = lanes.get(random.nextInt(lanes.size()));
                    // instants a multiple of 1024 apart, some shared: the low bits alike, as real deadlines' are
                    long at = now + 1_024L * (1 + random.nextInt(random.nextBoolean() ? 8 : 2_000));
                    file(c, lane, at);
                    model.computeIfAbsent(at, k -> new java.util.TreeSet<>()).add(lane.rank);
                } else if (!model.isEmpty()) {
                    long at = model.firstKey();
                    assertThat(c.next()).as("seed %d step %d", seed, step).isEqualTo(at);
                    List<Integer> expected = model.remove(at).stream().filter(r -> lanes.get(r).deadline == at).toList();
                    assertThat(takeNext(c)).as("seed %d step %d", seed, step).isEqualTo(expected);
                    now = at;
                }
            }
            while (!model.isEmpty()) {
                long at = model.firstKey();
                assertThat(c.next()).isEqualTo(at);
                assertThat(takeNext(c)).isEqualTo(model.remove(at).stream().filter(r -> lanes.get(r).deadline == at).toList());
            }
            assertThat(c.next()).isEqualTo(Millis.NONE);
        }
    }

    @Test
    void ranksMustNumberTheLanes() {
        assertThatThrownBy(() -> new DeadlineCalendar<>(List.of(new Lane(0), new Lane(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice: 0");
        assertThatThrownBy(() -> new DeadlineCalendar<>(List.of(new Lane(0), new Lane(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2");
    }
}
