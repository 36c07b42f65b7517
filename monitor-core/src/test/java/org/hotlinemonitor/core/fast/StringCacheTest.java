package org.hotlinemonitor.core.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.hotlinemonitor.core.Internals;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.junit.jupiter.api.Test;

class StringCacheTest {

    private static String get(StringCache c, String s) {
        byte[] padded = ("xx" + s + "yy").getBytes(StandardCharsets.UTF_8); // the key sits inside a larger buffer
        int len = s.getBytes(StandardCharsets.UTF_8).length;
        return c.get(padded, 2, len, s.chars().allMatch(ch -> ch < 128));
    }

    @Test
    void sameBytesGiveTheSameInstanceAndTag() {
        Map<String, Integer> asked = new HashMap<>();
        StringCache c = new StringCache(100, 64, s -> {
            asked.merge(s, 1, Integer::sum);
            return s.length();
        });
        String a = get(c, "line-00096");
        assertThat(c.lastTag()).isEqualTo(10);
        assertThat(get(c, "line-00096")).isSameAs(a);
        assertThat(c.lastTag()).isEqualTo(10);
        assertThat(asked).containsEntry("line-00096", 1); // tagged once
    }

    @Test
    void keysThatDifferOnlyPastTheFirstSixteenBytesStayApart() {
        StringCache c = new StringCache(100, 64, String::length);
        String a = get(c, "liaison-office-line-a");
        String b = get(c, "liaison-office-line-b");
        assertThat(a).isEqualTo("liaison-office-line-a");
        assertThat(b).isEqualTo("liaison-office-line-b");
        assertThat(get(c, "liaison-office-line-a")).isSameAs(a);
        assertThat(get(c, "liaison-office-line-b")).isSameAs(b);
        assertThat(get(c, "liaison-office-line-")).isEqualTo("liaison-office-line-");
        assertThat(get(c, "")).isEmpty();
        assertThat(get(c, "短い")).isEqualTo("短い");
    }

    /**
     * Ids that differ only in a few digits, the way configured channels are often named, must spread over the table:
     * with a hash whose low bits ignored the digits in a word's high bytes, 10,000 such ids took 100 reads per lookup.
     */
    @Test
    void numberedIdsSpreadOverTheTable() {
        for (String pattern : new String[] {"line-%05d", "kr-%d", "liaison-office-line-%05d", "%d-us-kr"}) {
            StringCache c = new StringCache(20_000, 64, s -> 0);
            for (int i = 1; i <= 10_000; i++) {
                get(c, String.format(pattern, i));
            }
            assertThat(Internals.<Integer>field(c, "size")).isEqualTo(10_000);
            // Linear probing at this load (10,000 in 16,384 slots) reads 1.8 entries on average with a random hash.
            assertThat(meanProbes(c)).as(pattern).isLessThan(2.5);
        }
    }

    /**
     * The mean number of entries a lookup of a cached string reads (1 when every string sits in its own slot), from the
     * table: an entry's meta holds its hash in the high 32 bits, whose low bits give the slot it starts from. The
     * table stays private to the cache; the test reads it ({@link Internals}).
     */
    private static double meanProbes(StringCache c) {
        int capacity = Internals.field(c, "capacity");
        int size = Internals.field(c, "size");
        int stride = Internals.field(c, "STRIDE");
        long[] table = Internals.field(c, "table");
        int mask = capacity - 1;
        long probes = 0;
        for (int slot = 0; slot < capacity; slot++) {
            long meta = table[slot * stride];
            if (meta != 0) {
                probes += ((slot - (int) (meta >>> 32)) & mask) + 1;
            }
        }
        return size == 0 ? 0 : (double) probes / size;
    }

    @Test
    void growsAndStopsCachingAtItsLimit() {
        StringCache c = new StringCache(1000, 64, s -> Integer.parseInt(s.substring(3)));
        for (int i = 0; i < 1500; i++) {
            assertThat(get(c, "ch-" + i)).isEqualTo("ch-" + i);
            assertThat(c.lastTag()).isEqualTo(i < 1000 ? i : EventDecoder.NO_TAG);
        }
        assertThat(Internals.<Integer>field(c, "size")).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            String s = get(c, "ch-" + i);
            assertThat(s).isEqualTo("ch-" + i);
            assertThat(c.lastTag()).isEqualTo(i);
        }
        assertThat(get(c, "x".repeat(65))).hasSize(65);
        assertThat(c.lastTag()).isEqualTo(EventDecoder.NO_TAG);
    }
}
