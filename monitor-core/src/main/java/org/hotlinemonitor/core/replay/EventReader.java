package org.hotlinemonitor.core.replay;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.ToIntFunction;
import org.hotlinemonitor.core.codec.CsvEventParser;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.fast.LineReader;
import org.hotlinemonitor.core.ingest.EventGate;
import org.hotlinemonitor.core.ingest.Rejection;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * Reads one {@link LogInput} record by record: each non-blank line becomes either an event or a
 * {@link Rejection} saying what is wrong with it. Blank lines are skipped; a CSV input's first non-blank
 * line is its header. Not thread-safe; closes the input's file (never standard input).
 */
public final class EventReader implements AutoCloseable {

    private final LogInput input;
    private final Counting raw;
    private final LogInput.Decoded decoded;
    private final LineReader lines;
    private final JsonEventParser json;
    private CsvEventParser csv;
    private String csvProblem;
    private boolean csvHeaderSeen;
    private CallEvent event;
    /** The current event is held in parts by the JSON parser; {@link #event} is built on demand. */
    private boolean inParts;
    private Rejection rejection;

    /** A reader of {@code input} ({@code stdin} when it names standard input). */
    public EventReader(LogInput input, InputStream stdin) {
        this(input, stdin, null, 0, false);
    }

    /**
     * A reader that also numbers channels ({@link #channelTag()}, see
     * {@link JsonEventParser#JsonEventParser(ToIntFunction, int)}) and, with {@code deferChannels}, leaves a JSON line's
     * channel id unresolved when it can ({@link JsonEventParser#deferringChannels}): then {@link #channelOffset()} is
     * where its bytes start in the line, and {@link #resolveChannel} must be called before {@link #channelId()} or
     * {@link #channelTag()} mean anything.
     */
    EventReader(LogInput input, InputStream stdin, ToIntFunction<String> channelTags, int channels,
            boolean deferChannels) {
        this.input = input;
        this.json = deferChannels ? JsonEventParser.deferringChannels(channelTags, channels)
                : new JsonEventParser(channelTags, channels);
        try {
            this.raw = new Counting(input.openRaw(stdin), input.path() != null);
            this.decoded = LogInput.decoded(raw);
            this.lines = new LineReader(decoded);
        } catch (IOException e) {
            throw LogInput.unreadable(input.name(), e);
        }
    }

    public LogInput input() {
        return input;
    }

    /**
     * Moves to the next record; false at the end of the input. Then the record is either an event ({@link #hasEvent()}),
     * held in parts ({@link #kind()}, {@link #tsMillis()}, {@link #slotMillis()}, {@link #channelId()},
     * {@link #source()}) with {@link #event()} building it on demand, so that JSON lines are read without allocating; or
     * a {@link #rejection()}.
     */
    public boolean next() throws IOException {
        event = null;
        inParts = false;
        rejection = null;
        while (lines.next()) {
            if (lines.blank()) {
                continue;
            }
            if (lines.cutShort()) {
                rejection = new Rejection(Rejection.MALFORMED, null,
                        "line cut short: the input is damaged after it (" + problem(lines.damage()) + ")");
                return true;
            }
            if (lines.tooLong()) {
                rejection = new Rejection(Rejection.MALFORMED, null, "line longer than " + LineReader.MAX_LINE + " bytes");
                return true;
            }
            if (input.format() == LogInput.Format.CSV) {
                if (!csvHeaderSeen) {
                    csvHeaderSeen = true;
                    try {
                        csv = CsvEventParser.fromHeader(lines.text());
                        continue;
                    } catch (EventFormatException e) {
                        csvProblem = e.getMessage();
                        rejection = new Rejection(Rejection.MALFORMED, e.field(), "bad CSV header: " + e.getMessage());
                        return true;
                    }
                }
                if (csv == null) {
                    rejection = new Rejection(Rejection.MALFORMED, null,
                            "not read: this file has no valid CSV header (" + csvProblem + ")");
                    return true;
                }
            }
            try {
                if (csv != null) {
                    event = csv.parse(lines.text());
                } else {
                    json.decodeParts(lines.buffer(), lines.lineStart(), lines.lineLength());
                    inParts = true;
                }
            } catch (EventFormatException e) {
                rejection = EventGate.unreadable(e);
            }
            return true;
        }
        return false;
    }

    /** With deferred channels: where the unresolved channel id starts in the line, or -1 if it is resolved. */
    int channelOffset() {
        return inParts ? json.channelOffset() : -1;
    }

    /** With deferred channels: the unresolved channel id's length in bytes. */
    int channelLength() {
        return json.channelLength();
    }

    /** The channel id last resolved by {@link #resolveChannel}. */
    String resolvedChannel() {
        return json.channel();
    }

    /** Resolves a channel id left unresolved (its bytes copied anywhere); returns its tag, as {@link #channelTag()}. */
    int resolveChannel(byte[] bytes, int off, int len) {
        json.resolveChannel(bytes, off, len);
        return json.channelTag();
    }

    /** The current record's event, or {@code null} when it was refused. */
    public CallEvent event() {
        if (event == null && inParts) {
            event = json.event();
        }
        return event;
    }

    /** Whether the current record is an event (else it was refused: {@link #rejection()}). */
    public boolean hasEvent() {
        return inParts || event != null;
    }

    /** The current event's kind; only when {@link #hasEvent()}. */
    public EventKind kind() {
        return inParts ? json.kind() : event.kind();
    }

    /** The current event's source, or {@code null}; only when {@link #hasEvent()}. */
    public String source() {
        return inParts ? json.source() : event.source();
    }

    /** The current event's time, epoch milliseconds; only when {@link #hasEvent()}. */
    public long tsMillis() {
        return inParts ? json.tsMillis() : event.ts().toEpochMilli();
    }

    /** The slot the current event names, epoch milliseconds, or {@link Millis#NONE}; only when {@link #hasEvent()}. */
    public long slotMillis() {
        if (inParts) {
            return json.slotMillis();
        }
        return event.slot() == null ? Millis.NONE : event.slot().toEpochMilli();
    }

    /** The current event's channel id ({@code null} for a heartbeat without one); only when {@link #hasEvent()}. */
    public String channelId() {
        return inParts ? json.channel() : event.channel();
    }

    /**
     * The tag of the current event's channel, or {@link EventDecoder#NO_TAG} when it has none (CSV input,
     * no channel, or no tagger given); then look the channel up by its id.
     */
    int channelTag() {
        return hasEvent() && csv == null ? json.channelTag() : EventDecoder.NO_TAG;
    }

    /** Why the current record was refused, or {@code null}. */
    public Rejection rejection() {
        return rejection;
    }

    /** The current record's 1-based line number. */
    public long lineNumber() {
        return lines.lineNumber();
    }

    /** The current record's bytes are {@code lineBuffer()[lineStart(), lineStart() + lineLength())}, valid until {@link #next}. */
    byte[] lineBuffer() {
        return lines.buffer();
    }

    int lineStart() {
        return lines.lineStart();
    }

    int lineLength() {
        return lines.lineLength();
    }

    /**
     * After {@link #next} has returned false: why the input ended before its end (a truncated or corrupt gzip file, a
     * read error), or {@code null} when it was read to its end.
     */
    public InputDamage damage() {
        IOException e = lines.damage();
        if (e == null) {
            return null;
        }
        return new InputDamage(input.name(), raw.count - decoded.unused(), decoded.compressed(), lines.completeLines(),
                problem(e));
    }

    private static String problem(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "it ends in the middle of its compressed data: truncated";
        }
        if (e instanceof java.util.zip.ZipException) {
            return "corrupt compressed data: " + e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Raw (possibly compressed) bytes read so far, for progress. */
    public long bytesRead() {
        return raw.count;
    }

    @Override
    public void close() {
        try {
            raw.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the raw bytes read; closes the stream only when it owns it. */
    private static final class Counting extends FilterInputStream {
        private final boolean owned;
        long count;

        Counting(InputStream in, boolean owned) {
            super(in);
            this.owned = owned;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (owned) {
                super.close();
            }
        }
    }
}
