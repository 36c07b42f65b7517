package org.hotlinemonitor.core.fast;

import static org.hotlinemonitor.core.codec.EventFields.CHANNEL;
import static org.hotlinemonitor.core.codec.EventFields.ID;
import static org.hotlinemonitor.core.codec.EventFields.KIND;
import static org.hotlinemonitor.core.codec.EventFields.NOTE;
import static org.hotlinemonitor.core.codec.EventFields.SIG;
import static org.hotlinemonitor.core.codec.EventFields.SLOT;
import static org.hotlinemonitor.core.codec.EventFields.SOURCE;
import static org.hotlinemonitor.core.codec.EventFields.TS;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFields;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.TimestampFormatException;
import org.hotlinemonitor.core.codec.Timestamps;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * Parses one call-check event from one line of JSON, at replay speed: the {@link EventDecoder} of replay, the live
 * detector and the API. Besides the decoder's two operations it can leave a line's channel id unresolved, for a reader
 * that resolves a batch of ids at once ({@link #deferringChannels}).
 *
 * <p>The line is a JSON object, for example
 * <pre>{"channel":"liaison-office","kind":"ANSWERED","ts":"2023-04-06T08:00:41Z","slot":"2023-04-06T08:00:00Z"}</pre>
 * with the fields in any order and whitespace wherever JSON allows it:
 * <ul>
 *   <li>{@code kind}: a string, exactly one of the {@link EventKind} names; required;</li>
 *   <li>{@code ts}: an ISO-8601 instant string (see {@link Timestamps}) or an integer number of epoch
 *       milliseconds; required;</li>
 *   <li>{@code channel}: a non-empty string; required unless the kind is HEARTBEAT, for which it may
 *       be absent or null;</li>
 *   <li>{@code slot}: like {@code ts}, or null; optional;</li>
 *   <li>{@code id}, {@code source}, {@code note}, {@code sig}: strings or null; optional.</li>
 * </ul>
 * Any other field is skipped whatever its value, so that producers can add fields before this code
 * knows them; the skipped value must still be valid JSON. A known field may appear only once.
 * Strings may use every JSON escape, surrogate pairs included; bytes that are not valid UTF-8 become
 * U+FFFD rather than errors. Whitespace-only lines are rejected as {@code empty line}; callers that
 * want to skip blank lines check for them first.
 *
 * <p>Errors are reported at the first problem in reading order, as an {@link EventFormatException}
 * naming the field (or none, for a syntax error) and the column.
 *
 * <p>Why hand-written: a replay must read millions of events per second, and a general JSON parser
 * costs over ten times more (a Jackson tree and {@code Instant.parse} took about 3 µs a line where this
 * takes about 0.25 µs, on the same machine). This is a single pass over the bytes that allocates only
 * the event and its strings. Strings are scanned eight bytes at a time; known field names, kind names
 * and canonical UTC timestamps take fast paths that compare whole words, and a timestamp in the same
 * hour as the previous one reuses that hour; anything else takes the general path, which also
 * explains errors. Channel and source strings come from a bounded cache keyed by their bytes, so a
 * repeated channel id costs no allocation. The tests hold all of it to Jackson's reading of the same
 * lines.
 *
 * <p>Thread-safety: an instance is <em>not</em> thread-safe (it keeps the current line and its caches
 * in fields); use one per reading thread.
 */
public final class JsonEventParser implements EventDecoder {

    private static final int F_CHANNEL = 0;
    private static final int F_KIND = 1;
    private static final int F_TS = 2;
    private static final int F_SLOT = 3;
    private static final int F_ID = 4;
    private static final int F_SOURCE = 5;
    private static final int F_NOTE = 6;
    private static final int F_SIG = 7;
    private static final String[] FIELD_NAMES = {CHANNEL, KIND, TS, SLOT, ID, SOURCE, NOTE, SIG};

    /** String flags set by {@link #scanString()}. */
    private static final int ESCAPED = 1;
    private static final int NON_ASCII = 2;

    /** Container kinds on the stack of {@link #skipValue()}. */
    private static final byte OBJECT = 1;
    private static final byte ARRAY = 2;

    /** Reads eight bytes of a {@code byte[]} as one little-endian long: the first byte is the lowest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The known field names with their closing quote, as {@link #LONGS} reads them, and masks to compare them. */
    private static final long CHANNEL_KEY = word("channel\"");
    private static final long KIND_KEY = word("kind\"");
    private static final long TS_KEY = word("ts\"");
    private static final long SLOT_KEY = word("slot\"");
    private static final long ID_KEY = word("id\"");
    private static final long SOURCE_KEY = word("source\"");
    private static final long NOTE_KEY = word("note\"");
    private static final long SIG_KEY = word("sig\"");
    private static final long MASK_3 = 0xFF_FFFFL;
    private static final long MASK_4 = 0xFFFF_FFFFL;
    private static final long MASK_5 = 0xFF_FFFF_FFFFL;
    private static final long MASK_7 = 0xFF_FFFF_FFFF_FFFFL;

    /**
     * The kind names with their closing quote as two masked words, for the same trick: entry
     * {@code 2i} for the first eight bytes, {@code 2i + 1} for up to eight more. A name too long for
     * two words gets a mask that matches nothing and is left to the general path.
     */
    /** The kinds, and their names as bytes for matching without decoding. */
    private static final EventKind[] KINDS = EventKind.values();
    private static final byte[][] KIND_NAMES = Arrays.stream(KINDS)
            .map(k -> k.name().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    /** What {@link #parseCanonicalTime} returns for text it leaves to the general path; never a valid time. */
    private static final long NOT_CANONICAL = Long.MIN_VALUE;
    private static final long[] KIND_WORDS = new long[KINDS.length * 2];
    private static final long[] KIND_MASKS = new long[KINDS.length * 2];

    static {
        for (int i = 0; i < KINDS.length; i++) {
            String quoted = KINDS[i].name() + '"';
            if (quoted.length() > 16) {
                KIND_WORDS[2 * i] = 1; // (w & 0) == 1 never holds
                continue;
            }
            int first = Math.min(quoted.length(), 8);
            KIND_WORDS[2 * i] = word(quoted.substring(0, first));
            KIND_MASKS[2 * i] = -1L >>> (64 - 8 * first);
            KIND_WORDS[2 * i + 1] = word(quoted.substring(first));
            KIND_MASKS[2 * i + 1] = quoted.length() == first ? 0 : -1L >>> (64 - 8 * (quoted.length() - first));
        }
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Channel ids are at most 64 characters. */
    private final StringCache channels;
    private final StringCache sources = new StringCache(4_096, 64);

    // The line being parsed.
    private byte[] buf;
    private int pos;
    private int end;
    private int base;

    // The string last scanned by scanString(): content bounds (without quotes) and flags.
    private int strStart;
    private int strEnd;
    private int strFlags;

    private byte[] stack = new byte[16];

    private int channelTag = NO_TAG;
    private final boolean deferChannels;
    private boolean deferChannel;
    private int channelOffset = -1;
    private int channelLength;
    /** Stands for a deferred channel id until it is resolved. */
    private static final String UNRESOLVED = new String("(unresolved)");

    // The parts of the event last parsed.
    private String channel;
    private EventKind kind;
    private long tsMillis;
    private long slotMillis = Millis.NONE;
    private String id;
    private String source;
    private String note;
    private String sig;

    // The hour of the last canonical timestamp: its text "YYYY-MM-DDTHH" as read by LONGS (the second
    // word masked to five bytes) and its first epoch millisecond. The initial words match no digits.
    private long hourPrefix0 = -1;
    private long hourPrefix1 = -1;
    private long hourMillis;

    /** A parser without channel tags: {@link #channelTag()} is always {@link #NO_TAG}. */
    public JsonEventParser() {
        this(null, 0, false);
    }

    /**
     * A parser that also numbers channels: {@code channelTags} is asked once per distinct channel id (for example for
     * its index in the configuration), and {@link #channelTag()} hands the number out for each parsed event without
     * looking the id up again. {@code channels}: how many configured channels the events may name; the cache of channel
     * ids holds that many more ids than its usual {@value #CACHED_CHANNELS}, so that every configured channel is found
     * with its tag (an id past the cache is a new string and a lookup each time).
     */
    public JsonEventParser(ToIntFunction<String> channelTags, int channels) {
        this(channelTags, channels, false);
    }

    /**
     * As {@link #JsonEventParser(ToIntFunction, int)}, but {@link #decodeParts} leaves the channel id unresolved when it
     * can: its bytes are at {@link #channelOffset()} (from the line's {@code off}) for {@link #channelLength()} bytes,
     * and {@link #resolveChannel} turns them into the id and its tag later; until then {@link #channel()} and
     * {@link #channelTag()} mean nothing. A caller that parses a batch of lines first and then resolves all their ids
     * in one tight loop lets the processor overlap the ids' cache misses instead of waiting for each. When the id cannot
     * be deferred (it has escapes, or is absent) it is resolved at once and {@link #channelOffset()} is -1.
     * {@link #decode} always resolves the id.
     */
    public static JsonEventParser deferringChannels(ToIntFunction<String> channelTags, int channels) {
        return new JsonEventParser(channelTags, channels, true);
    }

    private JsonEventParser(ToIntFunction<String> channelTags, int channels, boolean deferChannels) {
        this.channels = new StringCache(CACHED_CHANNELS + Math.max(0, channels), 64, channelTags);
        this.deferChannels = deferChannels;
    }

    /** Channel ids cached beyond the configured channels (unknown ids, or all of them without a count). */
    private static final int CACHED_CHANNELS = 65_536;

    @Override
    public int channelTag() {
        return channelTag;
    }

    @Override
    public CallEvent decode(byte[] line, int off, int len) throws EventFormatException {
        parse(line, off, len, false);
        return event();
    }

    @Override
    public void decodeParts(byte[] line, int off, int len) throws EventFormatException {
        parse(line, off, len, deferChannels);
    }

    private void parse(byte[] line, int off, int len, boolean defer) throws EventFormatException {
        Objects.checkFromIndexSize(off, len, line.length);
        buf = line;
        pos = off;
        end = off + len;
        base = off;
        channelTag = NO_TAG;
        deferChannel = defer;
        channelOffset = -1;
        try {
            parseEvent();
        } catch (EventFormatException e) {
            channelTag = NO_TAG;
            throw e;
        } finally {
            buf = null; // do not keep the caller's buffer reachable
        }
    }

    @Override
    public CallEvent event() {
        return new CallEvent(channel, kind, Instant.ofEpochMilli(tsMillis),
                slotMillis == Millis.NONE ? null : Instant.ofEpochMilli(slotMillis), id, source, note, sig);
    }

    /** For a {@linkplain #deferringChannels deferring} parser: where the unresolved id starts, from the line's start; -1 if resolved. */
    public int channelOffset() {
        return channelOffset;
    }

    /** For a {@linkplain #deferringChannels deferring} parser: the unresolved id's length in bytes. */
    public int channelLength() {
        return channelLength;
    }

    /**
     * Resolves a channel id left unresolved by a {@linkplain #deferringChannels deferring} parser (whose bytes the
     * caller may have copied elsewhere): afterwards {@link #channel()} is the id and {@link #channelTag()} its tag.
     */
    public String resolveChannel(byte[] bytes, int off, int len) {
        channel = channels.get(bytes, off, len, false);
        channelTag = channels.lastTag();
        return channel;
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public EventKind kind() {
        return kind;
    }

    @Override
    public long tsMillis() {
        return tsMillis;
    }

    /** The optional {@code id} of the event last parsed, or {@code null}. */
    String id() {
        return id;
    }

    @Override
    public String source() {
        return source;
    }

    /** The optional {@code note} of the event last parsed, or {@code null}. */
    String note() {
        return note;
    }

    /** The optional {@code sig} of the event last parsed, or {@code null}. */
    String sig() {
        return sig;
    }

    @Override
    public long slotMillis() {
        return slotMillis;
    }

    /**
     * {@link #decode} of {@code line}, encoded as UTF-8 first (an unpaired surrogate becomes {@code ?}, as
     * {@link String#getBytes} makes it); for the tests, which hold the parser to Jackson line by line.
     */
    CallEvent parse(String line) throws EventFormatException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return decode(bytes, 0, bytes.length);
    }

    private void parseEvent() throws EventFormatException {
        skipWhitespace();
        if (pos == end) {
            throw new EventFormatException("empty line", null, 1);
        }
        if (buf[pos] != '{') {
            throw syntax(pos, "expected '{'");
        }
        pos++;

        String channel = null;
        EventKind kind = null;
        long ts = 0;
        long slot = 0;
        boolean hasSlot = false;
        String id = null;
        String source = null;
        String note = null;
        String sig = null;
        int seen = 0;
        int channelColumn = 0;

        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            for (;;) {
                int keyPos = pos;
                int field = readKey();
                if (pos < end && buf[pos] == ':') { // as written without spaces, mostly
                    pos++;
                } else {
                    skipWhitespace();
                    expect(':');
                }
                skipWhitespace();
                if (field < 0) {
                    skipValue();
                } else {
                    if ((seen & (1 << field)) != 0) {
                        String name = FIELD_NAMES[field];
                        throw new EventFormatException("duplicate field '" + name + "'", name, column(keyPos));
                    }
                    seen |= 1 << field;
                    switch (field) {
                        case F_CHANNEL:
                            channelColumn = column(pos);
                            channel = readChannel();
                            break;
                        case F_KIND:
                            kind = readKind();
                            break;
                        case F_TS:
                            ts = readTime(F_TS);
                            break;
                        case F_SLOT:
                            if (peek() == 'n') {
                                literal(NULL);
                            } else {
                                slot = readTime(F_SLOT);
                                hasSlot = true;
                            }
                            break;
                        case F_ID:
                            id = readOptionalString(F_ID, null);
                            break;
                        case F_SOURCE:
                            source = readOptionalString(F_SOURCE, sources);
                            break;
                        case F_NOTE:
                            note = readOptionalString(F_NOTE, null);
                            break;
                        default:
                            sig = readOptionalString(F_SIG, null);
                    }
                }
                skipWhitespace();
                byte c = peek();
                if (c == ',') {
                    pos++;
                    skipWhitespace();
                } else if (c == '}') {
                    pos++;
                    break;
                } else {
                    throw syntax(pos, "expected ',' or '}'");
                }
            }
        }
        int closingBrace = pos - 1;
        skipWhitespace();
        if (pos < end) {
            throw syntax(pos, "unexpected data after the object");
        }

        if (kind == null) {
            throw new EventFormatException(EventFields.missing(KIND), KIND, column(closingBrace));
        }
        if ((seen & (1 << F_TS)) == 0) {
            throw new EventFormatException(EventFields.missing(TS), TS, column(closingBrace));
        }
        if (channel == null && kind != EventKind.HEARTBEAT) {
            if ((seen & (1 << F_CHANNEL)) != 0) {
                throw new EventFormatException("field 'channel': null is only allowed for HEARTBEAT",
                        CHANNEL, channelColumn);
            }
            throw new EventFormatException(EventFields.missingChannel(kind), CHANNEL, column(closingBrace));
        }
        this.channel = channel;
        this.kind = kind;
        this.tsMillis = ts;
        this.slotMillis = hasSlot ? slot : Millis.NONE;
        this.id = id;
        this.source = source;
        this.note = note;
        this.sig = sig;
    }

    /** Reads a quoted field name and the index of the field it names, or -1 for a field we skip. */
    private int readKey() throws EventFormatException {
        if (peek() != '"') {
            throw syntax(pos, "expected a field name in double quotes");
        }
        if (pos + 9 <= end) {
            // Fast path: a known name written plainly, compared with its closing quote as one word.
            long w = (long) LONGS.get(buf, pos + 1);
            int field = w == CHANNEL_KEY ? F_CHANNEL
                    : (w & MASK_5) == KIND_KEY ? F_KIND
                    : (w & MASK_3) == TS_KEY ? F_TS
                    : (w & MASK_5) == SLOT_KEY ? F_SLOT
                    : (w & MASK_3) == ID_KEY ? F_ID
                    : (w & MASK_7) == SOURCE_KEY ? F_SOURCE
                    : (w & MASK_5) == NOTE_KEY ? F_NOTE
                    : (w & MASK_4) == SIG_KEY ? F_SIG
                    : -1;
            if (field >= 0) {
                pos += FIELD_NAMES[field].length() + 2;
                return field;
            }
        }
        scanString();
        if ((strFlags & ESCAPED) != 0) {
            return Arrays.asList(FIELD_NAMES).indexOf(decodeString());
        }
        int s = strStart;
        switch (strEnd - s) {
            case 2:
                if (buf[s] == 't' && buf[s + 1] == 's') {
                    return F_TS;
                }
                if (buf[s] == 'i' && buf[s + 1] == 'd') {
                    return F_ID;
                }
                return -1;
            case 3:
                return matches(s, SIG) ? F_SIG : -1;
            case 4:
                if (matches(s, KIND)) {
                    return F_KIND;
                }
                if (matches(s, SLOT)) {
                    return F_SLOT;
                }
                if (matches(s, NOTE)) {
                    return F_NOTE;
                }
                return -1;
            case 6:
                return matches(s, SOURCE) ? F_SOURCE : -1;
            case 7:
                return matches(s, CHANNEL) ? F_CHANNEL : -1;
            default:
                return -1;
        }
    }

    /** Up to eight ASCII characters as {@link #LONGS} would read them from a byte array (zero for none). */
    private static long word(String ascii) {
        long w = 0;
        for (int i = ascii.length() - 1; i >= 0; i--) {
            w = w << 8 | ascii.charAt(i);
        }
        return w;
    }

    /** True when the bytes at {@code s} spell the ASCII {@code name} (the length is checked by the caller). */
    private boolean matches(int s, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (buf[s + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String readChannel() throws EventFormatException {
        byte c = peek();
        if (c == 'n') {
            literal(NULL);
            return null;
        }
        if (c != '"') {
            throw wrongType(F_CHANNEL, "a string or null");
        }
        int start = pos;
        scanString();
        if (strEnd == strStart) {
            throw new EventFormatException("field 'channel': must not be empty", CHANNEL, column(start));
        }
        if ((strFlags & ESCAPED) != 0) {
            return decodeString(); // rare; such an id gets no tag
        }
        if (deferChannel) {
            channelOffset = strStart - base;
            channelLength = strEnd - strStart;
            return UNRESOLVED;
        }
        String id = channels.get(buf, strStart, strEnd - strStart, (strFlags & NON_ASCII) == 0);
        channelTag = channels.lastTag();
        return id;
    }

    private EventKind readKind() throws EventFormatException {
        if (peek() != '"') {
            throw wrongType(F_KIND, "a string");
        }
        int start = pos;
        int s = pos + 1;
        if (s + 16 <= buf.length) {
            // Fast path: compare two words with each name and its closing quote. The words may reach past
            // the line, but a match counts only when its closing quote is inside the line.
            long w0 = (long) LONGS.get(buf, s);
            long w1 = (long) LONGS.get(buf, s + 8);
            for (int i = 0; i < KINDS.length; i++) {
                if ((w0 & KIND_MASKS[2 * i]) == KIND_WORDS[2 * i]
                        && (w1 & KIND_MASKS[2 * i + 1]) == KIND_WORDS[2 * i + 1]) {
                    int quote = s + KIND_NAMES[i].length;
                    if (quote < end) {
                        pos = quote + 1;
                        return KINDS[i];
                    }
                }
            }
        }
        scanString();
        if ((strFlags & ESCAPED) == 0) {
            int len = strEnd - strStart;
            byte[][] names = KIND_NAMES;
            for (int i = 0; i < names.length; i++) {
                byte[] name = names[i];
                if (name.length == len && Arrays.equals(name, 0, len, buf, strStart, strEnd)) {
                    return KINDS[i];
                }
            }
        }
        String name = decodeString();
        EventKind kind = EventFields.kind(name);
        if (kind == null) {
            throw new EventFormatException(EventFields.unknownKind(name), KIND, column(start));
        }
        return kind;
    }

    /** Reads a timestamp: an ISO-8601 string or an integer of epoch milliseconds. */
    private long readTime(int field) throws EventFormatException {
        byte c = peek();
        int start = pos;
        if (c == '"') {
            // Fast path: the canonical forms, whose closing quote is 20 or 24 bytes on. Every byte before
            // it must be a digit or separator for the canonical path to accept, so there is no escape to miss.
            int s = pos + 1;
            int len = s + 20 < end && buf[s + 20] == '"' ? 20 : s + 24 < end && buf[s + 24] == '"' ? 24 : 0;
            if (len != 0) {
                long millis = parseCanonicalTime(s, len);
                if (millis != NOT_CANONICAL) {
                    pos = s + len + 1;
                    return millis;
                }
            }
            scanString();
            String name = FIELD_NAMES[field];
            if ((strFlags & ESCAPED) == 0) {
                try {
                    return Timestamps.parseMillis(buf, strStart, strEnd - strStart);
                } catch (TimestampFormatException e) {
                    int column = e.position() >= 0 ? column(strStart) + e.position() : column(start);
                    throw new EventFormatException(EventFields.badTimestamp(name, decodeString(), e), name, column, e);
                }
            }
            String text = decodeString();
            try {
                return Timestamps.parseMillis(ascii(text), 0, text.length());
            } catch (TimestampFormatException e) {
                throw new EventFormatException(EventFields.badTimestamp(name, text, e), name, column(start), e);
            }
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return readEpochMillis(field);
        }
        throw wrongType(field, "an ISO-8601 string or an integer (epoch milliseconds)");
    }

    /** {@code text} as bytes for {@link Timestamps}, a character beyond ASCII as a byte that matches nothing. */
    private static byte[] ascii(String text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            bytes[i] = c < 0x80 ? (byte) c : (byte) 0xFF;
        }
        return bytes;
    }

    /**
     * {@link #canonical} with a memo of the last hour: a log's events come in time
     * order, mostly many to an hour, so when the text starts with the same {@code YYYY-MM-DDTHH} as the
     * last canonical timestamp, only the minutes, seconds and fraction are left to read. Returns
     * {@link #NOT_CANONICAL} for anything it does not accept, for the general path to explain.
     */
    private long parseCanonicalTime(int s, int len) {
        long prefix0 = (long) LONGS.get(buf, s);
        long prefix1 = (long) LONGS.get(buf, s + 8) & MASK_5;
        if (prefix0 == hourPrefix0 && prefix1 == hourPrefix1) {
            if (buf[s + 13] != ':' || buf[s + 16] != ':' || buf[s + len - 1] != 'Z') {
                return NOT_CANONICAL;
            }
            int m0 = buf[s + 14] - '0';
            int m1 = buf[s + 15] - '0';
            int s0 = buf[s + 17] - '0';
            int s1 = buf[s + 18] - '0';
            int f0 = 0;
            int f1 = 0;
            int f2 = 0;
            if (len == 24) {
                if (buf[s + 19] != '.') {
                    return NOT_CANONICAL;
                }
                f0 = buf[s + 20] - '0';
                f1 = buf[s + 21] - '0';
                f2 = buf[s + 22] - '0';
            }
            // A byte that is not a digit makes d or 9 - d negative; minutes and seconds stop at 59.
            int all = m0 | m1 | s0 | s1 | f0 | f1 | f2 | (5 - m0) | (9 - m1) | (5 - s0) | (9 - s1) | (9 - f0)
                    | (9 - f1) | (9 - f2);
            if (all < 0) {
                return NOT_CANONICAL;
            }
            return hourMillis + ((m0 * 10 + m1) * 60 + s0 * 10 + s1) * 1000L + f0 * 100 + f1 * 10 + f2;
        }
        long millis = canonical(s, len);
        if (millis != NOT_CANONICAL) {
            hourPrefix0 = prefix0;
            hourPrefix1 = prefix1;
            hourMillis = Math.floorDiv(millis, 3_600_000L) * 3_600_000L;
        }
        return millis;
    }

    /**
     * The time of a canonical text {@code YYYY-MM-DDTHH:MM:SSZ} or {@code YYYY-MM-DDTHH:MM:SS.mmmZ} ({@code len} 20 or
     * 24) at {@code s}, or {@link #NOT_CANONICAL} for anything else, a date or time that does not exist included: the
     * general path then finds and describes the problem. The separators and the {@code Z} are checked here, so that a
     * text with an offset ({@code +0900} is as long as {@code .000Z}) never becomes the hour memo; {@link Timestamps}
     * checks the digits and ranges (on its own fast path for canonical text) and refuses anything else.
     */
    private long canonical(int s, int len) {
        if (buf[s + 4] != '-' || buf[s + 7] != '-' || buf[s + 10] != 'T' || buf[s + 13] != ':' || buf[s + 16] != ':'
                || buf[s + len - 1] != 'Z' || (len == 24 && buf[s + 19] != '.')) {
            return NOT_CANONICAL;
        }
        try {
            return Timestamps.parseMillis(buf, s, len);
        } catch (TimestampFormatException e) {
            return NOT_CANONICAL; // not digits, or a field out of range (month 13, February 30): a line refused anyway
        }
    }

    private long readEpochMillis(int field) throws EventFormatException {
        int start = pos;
        boolean integer = scanNumber();
        String name = FIELD_NAMES[field];
        if (!integer) {
            throw new EventFormatException("field '" + name + "': expected an integer (epoch milliseconds), found "
                    + text(start, pos), name, column(start));
        }
        boolean negative = buf[start] == '-';
        int first = negative ? start + 1 : start;
        if (pos - first > 18) { // might not fit in a long: let the JDK decide
            try {
                return Long.parseLong(text(start, pos));
            } catch (NumberFormatException e) {
                throw new EventFormatException("field '" + name + "': epoch milliseconds out of range: "
                        + text(start, pos), name, column(start));
            }
        }
        long value = 0;
        for (int p = first; p < pos; p++) {
            value = value * 10 + (buf[p] - '0');
        }
        return negative ? -value : value;
    }

    private String readOptionalString(int field, StringCache cache) throws EventFormatException {
        byte c = peek();
        if (c == 'n') {
            literal(NULL);
            return null;
        }
        if (c != '"') {
            throw wrongType(field, "a string or null");
        }
        scanString();
        if (cache != null && (strFlags & ESCAPED) == 0) {
            return cache.get(buf, strStart, strEnd - strStart, (strFlags & NON_ASCII) == 0);
        }
        return decodeString();
    }

    /**
     * The value at {@code pos} has the wrong JSON type for {@code field}. Checks that it is at least
     * valid JSON first, so that a syntax error is reported as one.
     */
    private EventFormatException wrongType(int field, String expected) throws EventFormatException {
        int start = pos;
        String found;
        switch (buf[pos]) {
            case '"':
                found = "a string";
                break;
            case '{':
                found = "an object";
                break;
            case '[':
                found = "an array";
                break;
            case 't':
            case 'f':
                found = "a boolean";
                break;
            case 'n':
                found = "null";
                break;
            default:
                found = "a number";
        }
        skipValue();
        String name = FIELD_NAMES[field];
        return new EventFormatException("field '" + name + "': expected " + expected + ", found " + found,
                name, column(start));
    }

    // ---- JSON syntax -------------------------------------------------------------------------------

    /**
     * Skips JSON whitespace. Small enough for the quick compiler to inline: most calls find none, and then cost two
     * comparisons, with no call.
     */
    private void skipWhitespace() {
        if (pos < end && buf[pos] <= ' ') {
            skipWhitespaceRun();
        }
    }

    private void skipWhitespaceRun() {
        while (pos < end) {
            byte c = buf[pos];
            if (c > ' ' || (c != ' ' && c != '\t' && c != '\n' && c != '\r')) {
                return;
            }
            pos++;
        }
    }

    /** The byte at {@code pos}; a truncated line is an error. */
    private byte peek() throws EventFormatException {
        if (pos >= end) {
            throw syntax(pos, null);
        }
        return buf[pos];
    }

    private void expect(char c) throws EventFormatException {
        if (peek() != c) {
            throw syntax(pos, "expected '" + c + "'");
        }
        pos++;
    }

    private void literal(byte[] word) throws EventFormatException {
        for (int i = 0; i < word.length; i++) {
            if (pos + i >= end) {
                throw syntax(pos + i, null);
            }
            if (buf[pos + i] != word[i]) {
                throw syntax(pos, "expected '" + new String(word, StandardCharsets.US_ASCII) + "'");
            }
        }
        pos += word.length;
    }

    /**
     * Scans the string literal whose opening quote is at {@code pos}, leaving {@code pos} after the
     * closing quote and the content's bounds and flags in {@code strStart}, {@code strEnd} and
     * {@code strFlags}. Checks escapes but does not decode them.
     */
    private void scanString() throws EventFormatException {
        int p = pos + 1;
        int flags = 0;
        strStart = p;
        for (;;) {
            // Eight bytes at a time while none is special: a quote, a backslash, a control or non-ASCII byte.
            while (p + 8 <= end) {
                long special = specialBytes((long) LONGS.get(buf, p));
                if (special != 0) {
                    p += Long.numberOfTrailingZeros(special) >>> 3; // the first special byte
                    break;
                }
                p += 8;
            }
            if (p >= end) {
                throw syntax(p, null);
            }
            byte b = buf[p];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                flags |= ESCAPED;
                p = checkEscape(p);
                continue;
            }
            if (b < 0x20) {
                if (b >= 0) {
                    throw syntax(p, "unescaped control character in string");
                }
                flags |= NON_ASCII; // a byte >= 0x80: part of a UTF-8 sequence
            }
            p++;
        }
        strEnd = p;
        strFlags = flags;
        pos = p + 1;
    }

    /**
     * The high bit of each byte of {@code w} that is a quote, a backslash, below 0x20 or above 0x7F, give
     * or take false alarms above the first such byte (borrows carry upward); zero when there is none.
     * The lowest bit set is always exact, which is all {@link #scanString()} uses.
     */
    private static long specialBytes(long w) {
        long quote = w ^ 0x2222_2222_2222_2222L;
        long backslash = w ^ 0x5C5C_5C5C_5C5C_5C5CL;
        long zeroInQuote = (quote - 0x0101_0101_0101_0101L) & ~quote;
        long zeroInBackslash = (backslash - 0x0101_0101_0101_0101L) & ~backslash;
        long control = w - 0x2020_2020_2020_2020L; // a byte below 0x20 borrows into its own high bit
        return (zeroInQuote | zeroInBackslash | control | w) & 0x8080_8080_8080_8080L;
    }

    /** Checks the escape whose backslash is at {@code p}; returns the position after it. */
    private int checkEscape(int p) throws EventFormatException {
        if (p + 1 >= end) {
            throw syntax(p + 1, null);
        }
        byte e = buf[p + 1];
        switch (e) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return p + 2;
            case 'u':
                for (int i = p + 2; i < p + 6; i++) {
                    if (i >= end) {
                        throw syntax(i, null);
                    }
                    if (hexValue(buf[i]) < 0) {
                        throw syntax(i, "expected a hex digit in \\u escape");
                    }
                }
                return p + 6;
            default:
                throw syntax(p, "invalid escape " + (e >= 0x20 && e < 0x7F ? "'\\" + (char) e + "'" : "sequence"));
        }
    }

    /** The content of the string last scanned, unescaped and decoded. */
    private String decodeString() {
        int s = strStart;
        int e = strEnd;
        if ((strFlags & ESCAPED) == 0) {
            return new String(buf, s, e - s,
                    (strFlags & NON_ASCII) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(e - s);
        int segment = s;
        int p = s;
        while (p < e) {
            if (buf[p] != '\\') {
                p++;
                continue;
            }
            if (p > segment) {
                sb.append(new String(buf, segment, p - segment, StandardCharsets.UTF_8));
            }
            byte c = buf[p + 1];
            switch (c) {
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    // Surrogate pairs arrive as two escapes and come out as the two chars of the pair.
                    sb.append((char) (hexValue(buf[p + 2]) << 12 | hexValue(buf[p + 3]) << 8
                            | hexValue(buf[p + 4]) << 4 | hexValue(buf[p + 5])));
                    p += 4;
                    break;
                default: // " \ /
                    sb.append((char) c);
            }
            p += 2;
            segment = p;
        }
        if (segment < e) {
            sb.append(new String(buf, segment, e - segment, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Scans the JSON number at {@code pos}, leaving {@code pos} after it.
     *
     * @return true when it is an integer (no fraction, no exponent)
     */
    private boolean scanNumber() throws EventFormatException {
        int p = pos;
        boolean integer = true;
        if (buf[p] == '-') {
            p++;
        }
        if (p < end && buf[p] == '0') {
            p++; // JSON allows no leading zeros: a digit after this one is an error for the caller
        } else if (p < end && isDigit(buf[p])) {
            while (p < end && isDigit(buf[p])) {
                p++;
            }
        } else {
            throw syntax(p, "expected a digit");
        }
        if (p < end && buf[p] == '.') {
            integer = false;
            p++;
            if (p >= end || !isDigit(buf[p])) {
                throw syntax(p, "expected a digit after '.'");
            }
            while (p < end && isDigit(buf[p])) {
                p++;
            }
        }
        if (p < end && (buf[p] == 'e' || buf[p] == 'E')) {
            integer = false;
            p++;
            if (p < end && (buf[p] == '+' || buf[p] == '-')) {
                p++;
            }
            if (p >= end || !isDigit(buf[p])) {
                throw syntax(p, "expected a digit in the exponent");
            }
            while (p < end && isDigit(buf[p])) {
                p++;
            }
        }
        pos = p;
        return integer;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * Skips the JSON value at {@code pos}, whatever it is, checking its syntax. Iterative, with an
     * explicit stack, so that deeply nested input cannot overflow the thread's stack.
     */
    private void skipValue() throws EventFormatException {
        int depth = 0;
        for (;;) {
            byte c = peek();
            switch (c) {
                case '{':
                    pos++;
                    skipWhitespace();
                    if (peek() == '}') {
                        pos++;
                        break;
                    }
                    depth = push(depth, OBJECT);
                    skipFieldName();
                    continue; // on to the member's value
                case '[':
                    pos++;
                    skipWhitespace();
                    if (peek() == ']') {
                        pos++;
                        break;
                    }
                    depth = push(depth, ARRAY);
                    continue; // on to the first element
                case '"':
                    scanString();
                    break;
                case 't':
                    literal(TRUE);
                    break;
                case 'f':
                    literal(FALSE);
                    break;
                case 'n':
                    literal(NULL);
                    break;
                default:
                    if (c != '-' && !isDigit(c)) {
                        throw syntax(pos, "expected a value");
                    }
                    scanNumber();
            }
            // A value is complete: close the containers that end here, or move on to the next value.
            for (;;) {
                if (depth == 0) {
                    return;
                }
                skipWhitespace();
                byte d = peek();
                boolean inObject = stack[depth - 1] == OBJECT;
                if (d == ',') {
                    pos++;
                    skipWhitespace();
                    if (inObject) {
                        skipFieldName();
                    }
                    break;
                }
                if (d == (inObject ? '}' : ']')) {
                    pos++;
                    depth--;
                    continue;
                }
                throw syntax(pos, inObject ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        }
    }

    /** Skips {@code "name" :} and the whitespace after it. */
    private void skipFieldName() throws EventFormatException {
        if (peek() != '"') {
            throw syntax(pos, "expected a field name in double quotes");
        }
        scanString();
        skipWhitespace();
        expect(':');
        skipWhitespace();
    }

    private int push(int depth, byte container) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth] = container;
        return depth + 1;
    }

    private int column(int p) {
        return p - base + 1;
    }

    private String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** A syntax error at {@code p}; past the end of the line it is always "unexpected end of line". */
    private EventFormatException syntax(int p, String expected) {
        String what = p >= end || expected == null ? "unexpected end of line" : expected;
        return new EventFormatException("malformed JSON at column " + column(p) + ": " + what, null, column(p));
    }
}
