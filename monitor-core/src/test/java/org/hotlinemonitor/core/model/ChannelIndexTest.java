package org.hotlinemonitor.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hotlinemonitor.core.Internals;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

class ChannelIndexTest {

    private static final Schedule NOON = Schedule.of(ZoneOffset.UTC, List.of(LocalTime.NOON), DayRule.everyDay(), "test");

    private static List<Channel> channels(String pattern, int n) {
        List<Channel> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new Channel(String.format(pattern, i), null, NOON, Duration.ofHours(1), 2));
        }
        return list;
    }

    @Test
    void findsEveryConfiguredIdByValueAndNothingElse() {
        List<Channel> list = channels("line-%05d", 10_000);
        ChannelIndex index = new ChannelIndex(list);
        assertThat(index.size()).isEqualTo(10_000);
        for (int i = 0; i < list.size(); i++) {
            assertThat(index.indexOf(new String(list.get(i).id()))).isEqualTo(i); // an equal string, not the same one
        }
        assertThat(index.indexOf("line-10001")).isEqualTo(-1);
        assertThat(index.indexOf("")).isEqualTo(-1);
        assertThat(index.indexOf(null)).isEqualTo(-1);
    }

    @Test
    void refusesADuplicateId() {
        List<Channel> list = channels("line-%d", 3);
        list.add(list.get(1));
        assertThatThrownBy(() -> new ChannelIndex(list)).hasMessageContaining("duplicate channel id 'line-2'");
    }

    /** Numbered ids, the usual naming of configured channels, must not pile up in runs of the table. */
    @Test
    void numberedIdsSpreadOverTheTable() throws Exception {
        for (String pattern : new String[] {"line-%05d", "line-%07d", "kr-%d", "%d-us-kr"}) {
            ChannelIndex index = new ChannelIndex(channels(pattern, 100_000));
            // At this load (at most a third) a random hash compares 1.2 keys per lookup; folding the hash's halves
            // compared 3 to 6 for these ids.
            assertThat(meanProbes(index)).as(pattern).isLessThan(1.5);
        }
    }

    /**
     * The mean number of keys a lookup of a configured id compares (1 when every id sits in its own slot). The table
     * stays private to the index; the test reads it, and asks the index where each key's run starts.
     */
    private static double meanProbes(ChannelIndex index) throws Exception {
        String[] keys = Internals.field(index, "keys");
        int[] hashes = Internals.field(index, "hashes");
        int mask = Internals.field(index, "mask");
        java.lang.reflect.Method home = ChannelIndex.class.getDeclaredMethod("home", int.class);
        home.setAccessible(true);
        long probes = 0;
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != null) {
                probes += ((slot - (int) home.invoke(index, hashes[slot])) & mask) + 1;
            }
        }
        return index.size() == 0 ? 0 : (double) probes / index.size();
    }

}
