package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;

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
        PendingRecords p = new PendingRecords();
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
            while (!p.isEmpty() && p.firstTs() <= watermark) {
                assertThat(p.firstRecord()).isEqualTo("r" + p.firstOffset());
                assertThat(p.firstChannel()).isEqualTo((int) p.firstOffset());
                released.add(new Entry(p.firstTs(), p.firstOffset()));
                p.removeFirst();
            }
        }
        while (!p.isEmpty()) {
            released.add(new Entry(p.firstTs(), p.firstOffset()));
            p.removeFirst();
        }
        added.sort(Comparator.comparingLong(Entry::ts).thenComparingLong(Entry::offset));
        assertThat(released).isEqualTo(added);
    }

    @Test
    void onlyRecordsWaitingAtASaveAreSavedAndOnlySavedRecordsThatLeaveAreDeleted() {
        PendingRecords p = new PendingRecords();
        p.add(10, 0, 0, 0, -1, "a", false);
        p.add(20, 1, 0, 0, -1, "b", false);
        p.removeFirst(); // a comes and goes between two saves: never saved, never deleted
        List<String> saved = new ArrayList<>();
        p.drainUnsaved((ts, offset, r) -> saved.add(r + "@" + ts));
        assertThat(saved).containsExactly("b@20");
        p.drainUnsaved((ts, offset, r) -> saved.add("again " + r));
        assertThat(saved).as("saved once").containsExactly("b@20");

        p.add(5, 7, 0, 0, -1, "restored", true); // from the store at init: earlier than b
        p.add(30, 2, 0, 0, -1, "c", false);
        assertThat(p.firstRecord()).isEqualTo("restored");
        p.removeFirst();
        p.removeFirst(); // b
        List<String> deleted = new ArrayList<>();
        p.drainLeft((ts, offset) -> deleted.add(ts + "/" + offset));
        assertThat(deleted).containsExactly("5/7", "20/1");
        p.drainLeft((ts, offset) -> deleted.add("again"));
        assertThat(deleted).hasSize(2);
        assertThat(p.size()).isEqualTo(1);
    }
}
