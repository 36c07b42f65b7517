package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.core.detect.Fixtures.at;
import static org.hotlinemonitor.core.detect.Fixtures.ev;
import static org.hotlinemonitor.core.model.EventKind.ANSWERED;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.model.CallEvent;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    @Test
    void releasesInTimeOrderOnceTheWatermarkPasses() {
        ReorderBuffer b = new ReorderBuffer(Duration.ofMinutes(5));
        List<CallEvent> out = new ArrayList<>();
        assertThat(b.offer(ev("04-06T09:03", ANSWERED))).isTrue();
        assertThat(b.offer(ev("04-06T09:01", ANSWERED))).isTrue();
        assertThat(b.offer(ev("04-06T09:02", ANSWERED))).isTrue();
        b.release(out::add);
        assertThat(out).isEmpty();
        assertThat(b.offer(ev("04-06T09:07", ANSWERED))).isTrue(); // watermark 09:02
        b.release(out::add);
        assertThat(out).extracting(CallEvent::ts).containsExactly(at("04-06T09:01"));
        b.flush(out::add);
        assertThat(out).extracting(CallEvent::ts)
                .containsExactly(at("04-06T09:01"), at("04-06T09:02"), at("04-06T09:03"), at("04-06T09:07"));
    }

    @Test
    void refusesEventsOlderThanTheWatermark() {
        ReorderBuffer b = new ReorderBuffer(Duration.ofMinutes(5));
        b.offer(ev("04-06T09:10", ANSWERED));
        assertThat(b.offer(ev("04-06T09:05", ANSWERED))).as("exactly at the watermark").isTrue();
        assertThat(b.offer(ev("04-06T09:04:59", ANSWERED))).as("before the watermark").isFalse();
        assertThat(b.size()).isEqualTo(2);
    }

    @Test
    void zeroLatenessReleasesEverythingOlderThanTheNewest() {
        ReorderBuffer b = new ReorderBuffer(Duration.ZERO);
        List<CallEvent> out = new ArrayList<>();
        b.offer(ev("04-06T09:00", ANSWERED));
        b.offer(ev("04-06T09:01", ANSWERED));
        b.release(out::add);
        assertThat(out).hasSize(1);
        assertThat(b.offer(ev("04-06T09:00:30", ANSWERED))).isFalse();
    }
}
