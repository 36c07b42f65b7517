package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.core.detect.Fixtures.at;
import static org.hotlinemonitor.core.model.EventKind.ANSWERED;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.hotlinemonitor.core.model.Millis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReorderBufferTest {

    /** Offers an answer at {@code ts} of channel 0, carrying {@code tag} as its slot part. */
    private static boolean offer(ReorderBuffer b, String ts, long tag) {
        return b.offer(at(ts).toEpochMilli(), 0, ANSWERED.ordinal(), tag);
    }

    private static boolean offer(ReorderBuffer b, String ts) {
        return offer(b, ts, Millis.NONE);
    }

    /** Collects released times as instants. */
    private static ReorderBuffer.Sink into(List<Instant> out) {
        return (ts, channel, kind, slot) -> out.add(Instant.ofEpochMilli(ts));
    }

    @Test
    void releasesInTimeOrderOnceTheWatermarkPasses() {
        ReorderBuffer b = new ReorderBuffer(Duration.ofMinutes(5));
        List<Instant> out = new ArrayList<>();
        assertThat(offer(b, "04-06T09:03")).isTrue();
        assertThat(offer(b, "04-06T09:01")).isTrue();
        assertThat(offer(b, "04-06T09:02")).isTrue();
        b.release(into(out));
        assertThat(out).isEmpty();
        assertThat(offer(b, "04-06T09:07")).isTrue(); // watermark 09:02
        b.release(into(out));
        assertThat(out).containsExactly(at("04-06T09:01"));
        b.flush(into(out));
        assertThat(out)
                .containsExactly(at("04-06T09:01"), at("04-06T09:02"), at("04-06T09:03"), at("04-06T09:07"));
    }

    @Test
    void refusesEventsOlderThanTheWatermark() {
        ReorderBuffer b = new ReorderBuffer(Duration.ofMinutes(5));
        offer(b, "04-06T09:10");
        assertThat(offer(b, "04-06T09:05")).as("exactly at the watermark").isTrue();
        assertThat(offer(b, "04-06T09:04:59")).as("before the watermark").isFalse();
        assertThat(b.size()).isEqualTo(2);
    }

    @Test
    void zeroLatenessReleasesEverythingOlderThanTheNewest() {
        ReorderBuffer b = new ReorderBuffer(Duration.ZERO);
        List<Instant> out = new ArrayList<>();
        offer(b, "04-06T09:00");
        offer(b, "04-06T09:01");
        b.release(into(out));
        assertThat(out).hasSize(1);
        assertThat(offer(b, "04-06T09:00:30")).isFalse();
    }

    @Test
    void equalTimesLeaveInArrivalOrderAndCarryTheirParts() {
        ReorderBuffer b = new ReorderBuffer(Duration.ofMinutes(1));
        offer(b, "04-06T09:00:00.500", 3);
        offer(b, "04-06T09:00:00.200", 1);
        offer(b, "04-06T09:00:00.500", 4);
        offer(b, "04-06T09:00:00.200", 2);
        List<Long> tags = new ArrayList<>();
        b.flush((ts, channel, kind, slot) -> tags.add(slot));
        assertThat(tags).containsExactly(1L, 2L, 3L, 4L);
        assertThat(b.size()).isZero();
    }

    /** An event as the live detector's way hands it back: its time and its arrival number (carried as its slot). */
    record Out(long ts, long arrival) {
    }

    /**
     * The live detector's way ({@link ReorderBuffer#add}, {@link ReorderBuffer#releaseThrough}) against the rule itself:
     * at each release, exactly the events held at or before the watermark leave, in (time, arrival) order, whatever the
     * times (behind events already released, far ahead of the watermark, equal), the watermark's steps and the lateness
     * (bucket width). spread: how far, in ms, an event may be from the watermark (negative: behind it); jump: the
     * watermark's largest step.
     */
    @ParameterizedTest
    @CsvSource(textBlock = """
            1,     PT0.5S,      50,      60,        7
            2,     PT0.5S,    -100,   20000,      900
            3,     PT5M,     -5000, 3600000,   120000
            4,     PT0S,         0,     300,       40
            5,     P30D,   -100000, 86400000, 7200000
            6,     PT0.5S,   -3000, 172800000, 50000000
            7,     PT0.5S, -1000000000000, 1000000000000, 400000000000
            8,     PT0.5S,   -2000,    2000,     3000
            9,     PT0S,     -1000,     100,      500
            """)
    void addedEventsLeaveThroughTheWatermarkInTimeThenArrivalOrder(long seed, Duration lateness, long behind, long ahead,
                                                                     long jump) {
        Random r = new Random(seed);
        ReorderBuffer b = new ReorderBuffer(lateness);
        List<Out> held = new ArrayList<>();
        List<Out> out = new ArrayList<>();
        long watermark = 1_680_000_000_000L;
        for (long arrival = 0; arrival < 20_000; arrival++) {
            long ts = r.nextInt(4) == 0 && !held.isEmpty() ? held.get(r.nextInt(held.size())).ts() // an equal time
                    : watermark + behind + (long) (r.nextDouble() * (ahead - behind));
            b.add(ts, 0, 0, arrival);
            held.add(new Out(ts, arrival));
            if (r.nextInt(5) == 0) {
                watermark += (long) (r.nextDouble() * r.nextDouble() * jump);
                long w = watermark;
                List<Out> expected = held.stream().filter(o -> o.ts() <= w)
                        .sorted(Comparator.comparingLong(Out::ts).thenComparingLong(Out::arrival)).toList();
                held.removeAll(expected);
                out.clear();
                b.releaseThrough(w, (t, channel, kind, slot) -> out.add(new Out(t, slot)));
                assertThat(out).as("released through %s", w).isEqualTo(expected);
                assertThat(b.size()).isEqualTo(held.size());
                assertThat(b.isEmpty()).isEqualTo(held.isEmpty());
            }
        }
        out.clear();
        b.releaseThrough(Long.MAX_VALUE, (t, channel, kind, slot) -> out.add(new Out(t, slot)));
        held.sort(Comparator.comparingLong(Out::ts).thenComparingLong(Out::arrival));
        assertThat(out).isEqualTo(held);
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void anAddedEventCarriesItsPartsAndMayComeBeforeWhatLeft() {
        ReorderBuffer b = new ReorderBuffer(Duration.ofMillis(500));
        List<String> out = new ArrayList<>();
        ReorderBuffer.Sink sink = (ts, channel, kind, slot) -> out.add(ts + ":" + channel + ":" + kind + ":" + slot);
        b.add(10_000, 1, 2, 3);
        b.add(12_500, 4, 5, 6);
        b.releaseThrough(10_000, sink);
        assertThat(out).containsExactly("10000:1:2:3");
        b.add(5_000, 7, 8, 9); // before what left (a record restored from a store, say): held all the same
        b.add(12_500, 10, 11, 12);
        b.releaseThrough(12_499, sink);
        assertThat(out).containsExactly("10000:1:2:3", "5000:7:8:9");
        b.releaseThrough(12_500, sink);
        assertThat(out).containsExactly("10000:1:2:3", "5000:7:8:9", "12500:4:5:6", "12500:10:11:12");
        assertThat(b.isEmpty()).isTrue();
        b.add(12_600, 13, 14, 15); // the second just emptied, again
        b.releaseThrough(12_600, sink);
        assertThat(out).endsWith("12600:13:14:15");
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void theReplayWayAndTheLiveWayDoNotMixOnOneBuffer() {
        ReorderBuffer replay = new ReorderBuffer(Duration.ofMinutes(5));
        assertThat(offer(replay, "04-06T00:00")).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> replay.add(at("04-06T00:01").toEpochMilli(), 0, 0, Millis.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("add on a buffer used with offer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> replay.releaseThrough(Long.MAX_VALUE, (ts, c, k, s) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("releaseThrough on a buffer used with offer");

        ReorderBuffer live = new ReorderBuffer(Duration.ofMinutes(5));
        live.add(at("04-06T00:00").toEpochMilli(), 0, 0, Millis.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> offer(live, "04-06T00:01"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("offer on a buffer used with add");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> live.flush((ts, c, k, s) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("flush on a buffer used with add");
        List<Instant> out = new ArrayList<>();
        live.releaseThrough(Long.MAX_VALUE, into(out));
        assertThat(out).as("still usable its own way").containsExactly(at("04-06T00:00"));
    }
}
