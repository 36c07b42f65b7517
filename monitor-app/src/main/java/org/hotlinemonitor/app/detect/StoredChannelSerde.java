package org.hotlinemonitor.app.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.OpenSlot;
import org.hotlinemonitor.core.model.Millis;

/**
 * A compact binary form of {@link StoredChannel}, for the detector's channel store and its changelog.
 *
 * <p>Version 2, big-endian (version 1 is the same without the {@code sources} parts):
 * <pre>
 * byte     version = 2
 * int64    fingerprint
 * byte     status: 0 UNKNOWN, 1 UP, 2 MISSED, 3 DOWN
 * byte     presence bits of the optional times below: 1 watermark, 2 cursor, 4 streakSince,
 *          8 lastAnswer, 16 openSlot, 32 openFirstAnswer (an absent time is Millis.NONE)
 * varint   streak
 * int64... the present times, in that order
 * varint   openFlags
 * sources  openSources
 * varint   count of moreOpen entries, then per entry:
 *          int64 slot, varint flags, byte 1 + int64 firstAnswer, or byte 0 when it has none, sources
 * </pre>
 * where {@code sources} is a varint count of names, then per name a varint length and that many bytes of
 * UTF-8 (the {@code +more} marker is written as the name it is). Varints are unsigned LEB128 of the int's 32
 * bits. A channel that has seen no events of its current slot takes about 30 bytes; one scheduler's name on its
 * open slot adds the name's length and 2. A reader refuses a version it does not know rather than guess; this one
 * reads versions 1 (written before sources were kept: its open slots have none, so an alert about a slot opened
 * before the upgrade names only the sources seen after it) and 2.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class StoredChannelSerde implements Serde<StoredChannel> {

    static final byte VERSION = 2;
    /** The version before sources were kept; still read. */
    static final byte VERSION_1 = 1;

    private static final int P_WATERMARK = 1;
    private static final int P_CURSOR = 2;
    private static final int P_STREAK_SINCE = 4;
    private static final int P_LAST_ANSWER = 8;
    private static final int P_OPEN_SLOT = 16;
    private static final int P_OPEN_FIRST_ANSWER = 32;

    @Override
    public Serializer<StoredChannel> serializer() {
        return (topic, value) -> value == null ? null : toBytes(value);
    }

    @Override
    public Deserializer<StoredChannel> deserializer() {
        return (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
    }

    public static byte[] toBytes(StoredChannel stored) {
        ChannelState s = stored.state();
        List<OpenSlot> more = s.moreOpen();
        int presence = bit(s.watermark(), P_WATERMARK) | bit(s.cursor(), P_CURSOR)
                | bit(s.streakSince(), P_STREAK_SINCE) | bit(s.lastAnswer(), P_LAST_ANSWER)
                | bit(s.openSlot(), P_OPEN_SLOT) | bit(s.openFirstAnswer(), P_OPEN_FIRST_ANSWER);
        int size = 1 + 8 + 1 + 1 + 5 + 6 * 8 + 5 + 5 + more.size() * (8 + 5 + 1 + 8) + sourcesSize(s.openSources());
        for (OpenSlot o : more) {
            size += sourcesSize(o.sources());
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION);
        b.putLong(stored.fingerprint());
        b.put(statusCode(s.status()));
        b.put((byte) presence);
        putVarint(b, s.streak());
        putIfPresent(b, s.watermark());
        putIfPresent(b, s.cursor());
        putIfPresent(b, s.streakSince());
        putIfPresent(b, s.lastAnswer());
        putIfPresent(b, s.openSlot());
        putIfPresent(b, s.openFirstAnswer());
        putVarint(b, s.openFlags());
        putSources(b, s.openSources());
        putVarint(b, more.size());
        for (OpenSlot o : more) {
            b.putLong(o.slot());
            putVarint(b, o.flags());
            if (o.firstAnswer() == Millis.NONE) {
                b.put((byte) 0);
            } else {
                b.put((byte) 1);
                b.putLong(o.firstAnswer());
            }
            putSources(b, o.sources());
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    public static StoredChannel fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            byte version = b.get();
            if (version != VERSION && version != VERSION_1) {
                throw new SerializationException("stored channel state has version " + version
                        + ", this detector reads versions " + VERSION_1 + " and " + VERSION);
            }
            boolean sources = version >= VERSION;
            long fingerprint = b.getLong();
            ChannelStatus status = status(b.get());
            int presence = b.get();
            int streak = getVarint(b);
            long watermark = getIfPresent(b, presence, P_WATERMARK);
            long cursor = getIfPresent(b, presence, P_CURSOR);
            long streakSince = getIfPresent(b, presence, P_STREAK_SINCE);
            long lastAnswer = getIfPresent(b, presence, P_LAST_ANSWER);
            long openSlot = getIfPresent(b, presence, P_OPEN_SLOT);
            long openFirstAnswer = getIfPresent(b, presence, P_OPEN_FIRST_ANSWER);
            int openFlags = getVarint(b);
            List<String> openSources = sources ? getSources(b) : List.of();
            int n = getVarint(b);
            if (n < 0 || n > b.remaining()) {
                throw new SerializationException("stored channel state: bad count of open slots " + n);
            }
            List<OpenSlot> more = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long slot = b.getLong();
                int flags = getVarint(b);
                long firstAnswer = b.get() == 0 ? Millis.NONE : b.getLong();
                more.add(new OpenSlot(slot, flags, firstAnswer, sources ? getSources(b) : List.of()));
            }
            if (b.hasRemaining()) {
                throw new SerializationException("stored channel state: " + b.remaining() + " trailing bytes");
            }
            return new StoredChannel(fingerprint, new ChannelState(watermark, cursor, status, streak, streakSince,
                    lastAnswer, openSlot, openFlags, openFirstAnswer, more, openSources));
        } catch (BufferUnderflowException e) {
            throw new SerializationException("stored channel state is truncated (" + bytes.length + " bytes)", e);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("stored channel state is inconsistent: " + e.getMessage(), e);
        }
    }

    private static int sourcesSize(List<String> sources) {
        int size = 5;
        for (String name : sources) {
            size += 5 + name.length() * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
        }
        return size;
    }

    private static void putSources(ByteBuffer b, List<String> sources) {
        putVarint(b, sources.size());
        for (String name : sources) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            putVarint(b, utf8.length);
            b.put(utf8);
        }
    }

    private static List<String> getSources(ByteBuffer b) {
        int n = getVarint(b);
        if (n < 0 || n > b.remaining()) {
            throw new SerializationException("stored channel state: bad count of sources " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = getVarint(b);
            if (len < 0 || len > b.remaining()) {
                throw new SerializationException("stored channel state: bad length of a source name " + len);
            }
            byte[] utf8 = new byte[len];
            b.get(utf8);
            out.add(new String(utf8, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static int bit(long time, int bit) {
        return time == NONE ? 0 : bit;
    }

    private static void putIfPresent(ByteBuffer b, long time) {
        if (time != NONE) {
            b.putLong(time);
        }
    }

    private static long getIfPresent(ByteBuffer b, int presence, int bit) {
        return (presence & bit) != 0 ? b.getLong() : NONE;
    }

    private static byte statusCode(ChannelStatus status) {
        return switch (status) {
            case UNKNOWN -> 0;
            case UP -> 1;
            case MISSED -> 2;
            case DOWN -> 3;
        };
    }

    private static ChannelStatus status(byte code) {
        return switch (code) {
            case 0 -> ChannelStatus.UNKNOWN;
            case 1 -> ChannelStatus.UP;
            case 2 -> ChannelStatus.MISSED;
            case 3 -> ChannelStatus.DOWN;
            default -> throw new SerializationException("stored channel state: unknown status code " + code);
        };
    }

    static void putVarint(ByteBuffer b, int value) {
        long v = Integer.toUnsignedLong(value);
        while ((v & ~0x7FL) != 0) {
            b.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    static int getVarint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                if (v > 0xFFFF_FFFFL) {
                    break;
                }
                return (int) v;
            }
        }
        throw new SerializationException("stored channel state: bad varint");
    }
}
