package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.core.detect.Fixtures.at;
import static org.hotlinemonitor.core.model.EventKind.ANSWERED;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.model.Millis;
import org.junit.jupiter.api.Test;

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
}
