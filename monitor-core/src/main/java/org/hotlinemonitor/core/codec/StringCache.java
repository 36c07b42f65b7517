package org.hotlinemonitor.core.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps short byte sequences to the same {@link String} each time, so that a replay does not allocate a
 * new string for every event of a channel it has seen before.
 *
 * <p>An open-addressing table (linear probing) keyed by a copy of the bytes. It holds at most
 * {@code maxEntries} strings of at most {@code maxKeyLength} bytes; past that, {@link #get} simply
 * allocates, so a stream of unique values cannot make it grow without bound.
 *
 * <p>Thread-safety: none; one per parser.
 */
final class StringCache {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** What {@link #lastTag()} is when the last string has no tag (it was not cached, or there is no tagger). */
    static final int NO_TAG = Integer.MIN_VALUE;

    private final int maxEntries;
    private final int maxKeyLength;
    private final java.util.function.ToIntFunction<String> tagger;
    private byte[][] keys;
    private String[] values;
    private int[] hashes;
    /** Per entry, the tagger's number for its string, computed once when the entry is made. */
    private int[] tags;
    private int size;
    private int lastTag = NO_TAG;

    StringCache(int maxEntries, int maxKeyLength) {
        this(maxEntries, maxKeyLength, null);
    }

    /**
     * @param tagger gives each cached string a number (for example a channel's index), handed out by
     *               {@link #lastTag()} without touching the string again; {@code null}: no tags
     */
    StringCache(int maxEntries, int maxKeyLength, java.util.function.ToIntFunction<String> tagger) {
        this.maxEntries = maxEntries;
        this.maxKeyLength = maxKeyLength;
        this.tagger = tagger;
        allocate(64);
    }

    /** The tag of the string last returned by {@link #get}, or {@link #NO_TAG}. */
    int lastTag() {
        return lastTag;
    }

    /** The string for UTF-8 {@code buf[off, off + len)}, from the cache when it is there. */
    String get(byte[] buf, int off, int len, boolean ascii) {
        lastTag = NO_TAG;
        if (len > maxKeyLength) {
            return decode(buf, off, len, ascii);
        }
        int h = hash(buf, off, len);
        int mask = keys.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            byte[] key = keys[slot];
            if (key == null) {
                String s = decode(buf, off, len, ascii);
                if (size < maxEntries) {
                    s = s.intern(); // the same instance as the configuration's channel id: identity compares
                    keys[slot] = Arrays.copyOfRange(buf, off, off + len);
                    values[slot] = s;
                    hashes[slot] = h;
                    tags[slot] = tagger == null ? NO_TAG : tagger.applyAsInt(s);
                    lastTag = tags[slot];
                    if (++size * 2 > keys.length) {
                        grow();
                    }
                }
                return s;
            }
            if (hashes[slot] == h && key.length == len && sameBytes(key, buf, off, len)) {
                lastTag = tags[slot];
                return values[slot];
            }
        }
    }

    /**
     * Whether {@code key} equals {@code buf[off, off + len)}, whose length is that of {@code key}:
     * eight bytes at a time, which for ids this short beats {@code Arrays.equals} and its call.
     */
    private static boolean sameBytes(byte[] key, byte[] buf, int off, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if ((long) LONGS.get(key, i) != (long) LONGS.get(buf, off + i)) {
                return false;
            }
        }
        for (; i < len; i++) {
            if (key[i] != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** A hash of the bytes, eight at a time. */
    private static int hash(byte[] buf, int off, int len) {
        long h = len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(buf, i)) * 0x9E37_79B9_7F4A_7C15L;
        }
        for (; i < end; i++) {
            h = (h ^ buf[i]) * 0x9E37_79B9_7F4A_7C15L;
        }
        return (int) (h ^ (h >>> 32)); // the high half of a product is the well-mixed half
    }

    int size() {
        return size;
    }

    private static String decode(byte[] buf, int off, int len, boolean ascii) {
        return new String(buf, off, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private void allocate(int capacity) {
        keys = new byte[capacity][];
        values = new String[capacity];
        hashes = new int[capacity];
        tags = new int[capacity];
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldValues = values;
        int[] oldHashes = hashes;
        int[] oldTags = tags;
        allocate(oldKeys.length * 2);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = oldHashes[i] & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
                hashes[slot] = oldHashes[i];
                tags[slot] = oldTags[i];
            }
        }
    }
}
