package org.hotlinemonitor.core.fast;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.ToIntFunction;
import org.hotlinemonitor.core.codec.EventDecoder;

/**
 * Maps short byte sequences to the same {@link String} each time, so that a replay does not allocate a
 * new string for every event of a channel it has seen before.
 *
 * <p>An open-addressing table (linear probing). It runs once per event over thousands of distinct ids,
 * so an entry is laid out in 24 bytes: its hash, length and tag packed in one word, then its first 16
 * bytes, side by side in one {@code long[]}; only keys longer than 16 bytes keep their remaining bytes
 * in a separate array. It holds at most {@code maxEntries} strings of at most {@code maxKeyLength}
 * bytes; past that, {@link #get} simply allocates, so a stream of unique values cannot make it grow
 * without bound.
 *
 * <p>Thread-safety: none; one per parser.
 */
final class StringCache {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Longs per entry (24 bytes): meta, then the key's first two 8-byte words. Meta holds the hash (high
     * 32 bits), the length + 1 (bits 24 to 31; 0 when the entry is free) and the tag + 1 (low 24 bits;
     * {@link #TAG_NONE} for no tag).
     */
    private static final int STRIDE = 3;
    private static final long TAG_BITS = 0xFF_FFFFL;
    private static final long TAG_NONE = TAG_BITS;
    private static final int INLINE = 16;

    private final int maxEntries;
    private final int maxKeyLength;
    private final ToIntFunction<String> tagger;
    private long[] table;
    private String[] values;
    /** Bytes past the first {@link #INLINE} of longer keys, by entry. */
    private byte[][] tails;
    private int capacity;
    /** Strings cached. */
    private int size;
    private int lastTag = EventDecoder.NO_TAG;

    StringCache(int maxEntries, int maxKeyLength) {
        this(maxEntries, maxKeyLength, null);
    }

    /**
     * @param tagger gives each cached string a number (for example a channel's index), handed out by
     *               {@link #lastTag()} without touching the string again; {@code null}: no tags
     */
    StringCache(int maxEntries, int maxKeyLength, ToIntFunction<String> tagger) {
        this.maxEntries = maxEntries;
        this.maxKeyLength = maxKeyLength;
        this.tagger = tagger;
        allocate(64);
    }

    /** The tag of the string last returned by {@link #get}, or {@link EventDecoder#NO_TAG}. */
    int lastTag() {
        return lastTag;
    }

    /** The string for UTF-8 {@code buf[off, off + len)}, from the cache when it is there. */
    String get(byte[] buf, int off, int len, boolean ascii) {
        lastTag = EventDecoder.NO_TAG;
        if (len > maxKeyLength) {
            return decode(buf, off, len, ascii);
        }
        long w0 = word(buf, off, len, 0);
        long w1 = word(buf, off, len, 8);
        int h = hash(w0, w1, buf, off, len);
        long meta = ((long) h << 32) | ((long) (len + 1) << 24);
        int mask = capacity - 1;
        long[] t = table;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int at = slot * STRIDE;
            long m = t[at];
            if (m == 0) {
                return insert(slot, meta, w0, w1, buf, off, len, ascii);
            }
            if ((m & ~TAG_BITS) == meta && t[at + 1] == w0 && t[at + 2] == w1
                    && (len <= INLINE || Arrays.equals(tails[slot], 0, len - INLINE, buf, off + INLINE, off + len))) {
                long tag = m & TAG_BITS;
                lastTag = tag == TAG_NONE ? EventDecoder.NO_TAG : (int) tag - 1;
                return values[slot];
            }
        }
    }

    private String insert(int slot, long meta, long w0, long w1, byte[] buf, int off, int len, boolean ascii) {
        String s = decode(buf, off, len, ascii);
        if (size >= maxEntries) {
            return s;
        }
        int tag = tagger == null ? EventDecoder.NO_TAG : tagger.applyAsInt(s);
        if (tag < -1 || tag >= TAG_NONE - 1) {
            tag = EventDecoder.NO_TAG; // not representable in the entry: callers look the string up instead
        }
        int at = slot * STRIDE;
        table[at] = meta | (tag == EventDecoder.NO_TAG ? TAG_NONE : tag + 1);
        table[at + 1] = w0;
        table[at + 2] = w1;
        values[slot] = s;
        if (len > INLINE) {
            tails[slot] = Arrays.copyOfRange(buf, off + INLINE, off + len);
        }
        lastTag = tag;
        if (++size * 4 > capacity * 3) { // a load of at most 3/4: a smaller table stays in cache
            grow();
        }
        return s;
    }

    /** The key's bytes {@code [from, from + 8)}, zero past its end, as a little-endian word. */
    private static long word(byte[] buf, int off, int len, int from) {
        int n = Math.min(8, len - from);
        if (n <= 0) {
            return 0;
        }
        if (n == 8) {
            return (long) LONGS.get(buf, off + from);
        }
        if (off + from + 8 <= buf.length) { // read a whole word and keep the key's bytes
            return (long) LONGS.get(buf, off + from) & (-1L >>> (64 - 8 * n));
        }
        long w = 0;
        for (int i = n - 1; i >= 0; i--) {
            w = (w << 8) | (buf[off + from + i] & 0xFF);
        }
        return w;
    }

    private static int hash(long w0, long w1, byte[] buf, int off, int len) {
        long h = (len ^ w0) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ w1) * 0x9E37_79B9_7F4A_7C15L;
        for (int i = off + INLINE; i < off + len; i++) {
            h = (h ^ buf[i]) * 0x9E37_79B9_7F4A_7C15L;
        }
        // A product's bit k depends only on the factors' bits up to k: without this last round, bytes late in a word
        // would never reach the low bits that pick the slot, and ids alike but for such bytes ("line-00001",
        // "line-00101"...) would pile up in long probe runs. Folding the high half down and multiplying again lets
        // every byte reach the high half, which is returned.
        h = (h ^ (h >>> 32)) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 32);
    }

    private static String decode(byte[] buf, int off, int len, boolean ascii) {
        return new String(buf, off, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private void allocate(int newCapacity) {
        capacity = newCapacity;
        table = new long[newCapacity * STRIDE];
        values = new String[newCapacity];
        tails = new byte[newCapacity][];
    }

    private void grow() {
        long[] oldTable = table;
        String[] oldValues = values;
        byte[][] oldTails = tails;
        int oldCapacity = capacity;
        allocate(oldCapacity * 2);
        int mask = capacity - 1;
        for (int i = 0; i < oldCapacity; i++) {
            long meta = oldTable[i * STRIDE];
            if (meta != 0) {
                int slot = (int) (meta >>> 32) & mask;
                while (table[slot * STRIDE] != 0) {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(oldTable, i * STRIDE, table, slot * STRIDE, STRIDE);
                values[slot] = oldValues[i];
                tails[slot] = oldTails[i];
            }
        }
    }
}
