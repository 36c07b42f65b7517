package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The detector's in-memory reorder buffer: (event time, offset) order, and what it says to save and delete. */
class PendingRecordsTest {

    record Entry(long ts, long offset) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void recordsLeaveInEventTimeThenOffsetOrderWhateverTheArrivalOrder(long seed) {
        Random r = new Random(seed);
        PendingRecords p = new PendingRecords(Duration.ofMillis(60));
        List<Entry> added = new ArrayList<>();
        List<Entry> released = new ArrayList<>();
        long newest = 0;
        for (long offset = 0; offset < 5_000; offset++) {
            // Mostly in order, some up to 50 ms behind the newest, many equal times.
            long ts = r.nextInt(10) == 0 ? Math.max(0, newest - r.nextInt(50)) : newest + r.nextInt(3);
            newest = Math.max(newest, ts);
            p.add(ts, offset, (int) offset, 1, -1, "r" + offset, false);
            added.add(new Entry(ts, offset));
            long watermark = newest - 60;
            p.releaseThrough(watermark, (t, off, channel, kind, slot, record) -> {
                assertThat(t).isLessThanOrEqualTo(watermark);
                assertThat(record).isEqualTo("r" + off);
                assertThat(channel).isEqualTo((int) off);
                released.add(new Entry(t, off));
            });
        }
        p.releaseThrough(Long.MAX_VALUE, (ts, offset, channel, kind, slot, record) -> released.add(new Entry(ts, offset)));
        assertThat(p.isEmpty()).isTrue();
        added.sort(Comparator.comparingLong(Entry::ts).thenComparingLong(Entry::offset));
        assertThat(released).isEqualTo(added);
    }

    @Test
    void onlyRecordsWaitingAtASaveAreSavedAndOnlySavedRecordsThatLeaveAreDeleted() {
        PendingRecords p = new PendingRecords(Duration.ofMillis(500));
        List<Object> out = new ArrayList<>();
        PendingRecords.Released into = (ts, offset, channel, kind, slot, record) -> out.add(record);
        p.add(10, 0, 0, 0, -1, "a", false);
        p.add(20, 1, 0, 0, -1, "b", false);
        p.releaseThrough(10, into); // a comes and goes between two saves: never saved, never deleted
        assertThat(out).containsExactly("a");
        List<String> saved = new ArrayList<>();
        p.drainUnsaved((ts, offset, r) -> saved.add(r + "@" + ts));
        assertThat(saved).containsExactly("b@20");
        p.drainUnsaved((ts, offset, r) -> saved.add("again " + r));
        assertThat(saved).as("saved once").containsExactly("b@20");

        p.add(5, 7, 0, 0, -1, "restored", true); // from the store at init: earlier than b
        p.add(30, 2, 0, 0, -1, "c", false);
        p.releaseThrough(5, into);
        assertThat(out).containsExactly("a", "restored");
        p.releaseThrough(20, into); // b
        assertThat(out).containsExactly("a", "restored", "b");
        List<String> deleted = new ArrayList<>();
        p.drainLeft((ts, offset) -> deleted.add(ts + "/" + offset));
        assertThat(deleted).containsExactly("5/7", "20/1");
        p.drainLeft((ts, offset) -> deleted.add("again"));
        assertThat(deleted).hasSize(2);
        assertThat(p.size()).isEqualTo(1);
    }
}
