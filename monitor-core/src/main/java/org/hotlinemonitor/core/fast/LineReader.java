package org.hotlinemonitor.core.fast;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding them, for parsers that work on UTF-8 bytes.
 * Accepts {@code \n} and {@code \r\n}; strips a UTF-8 byte-order mark at the start. A line longer than
 * {@link #MAX_LINE} is skipped and reported with {@link #tooLong()}, its first 200 bytes kept as its text.
 * A read error (a truncated or corrupt gzip stream) ends the lines as the end of the stream would, so that every
 * line before it is used: {@link #damage()} then holds the error, and a last line the error cut short is flagged
 * {@link #cutShort()}. Not thread-safe; does not close the stream.
 */
public final class LineReader {

    /** The longest line read whole, in bytes (1 MiB). */
    public static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf = new byte[1 << 20];
    private int start;
    private int end;
    private boolean eof;
    private long lineNumber;
    private int lineStart;
    private int lineLength;
    private boolean tooLong;
    private byte[] longHead;
    private IOException damage;
    private boolean cutShort;
    private boolean endsCutShort;

    /** Lines of {@code in}, which the caller closes. */
    public LineReader(InputStream in) {
        this.in = in;
    }

    /** Moves to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        tooLong = false;
        cutShort = false;
        while (true) {
            int nl = indexOf((byte) '\n', start, end);
            if (nl >= 0) {
                emit(start, nl);
                start = nl + 1;
                return true;
            }
            if (eof) {
                if (start < end) {
                    cutShort = damage != null;
                    endsCutShort = cutShort;
                    emit(start, end);
                    start = end;
                    return true;
                }
                return false;
            }
            if (end - start >= MAX_LINE) {
                skipRestOfLine();
                return true;
            }
            fill();
        }
    }

    private void emit(int from, int to) {
        lineNumber++;
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        if (lineNumber == 1 && to - from >= 3 && (buf[from] & 0xff) == 0xEF && (buf[from + 1] & 0xff) == 0xBB
                && (buf[from + 2] & 0xff) == 0xBF) {
            from += 3;
        }
        lineStart = from;
        lineLength = to - from;
    }

    private void skipRestOfLine() throws IOException {
        lineNumber++;
        tooLong = true;
        longHead = Arrays.copyOfRange(buf, start, start + 200);
        while (true) {
            if (start == end) {
                if (eof) {
                    return;
                }
                fill();
                continue;
            }
            int nl = indexOf((byte) '\n', start, end);
            if (nl >= 0) {
                start = nl + 1;
                return;
            }
            start = end;
        }
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n;
        try {
            n = in.read(buf, end, buf.length - end);
        } catch (IOException e) {
            damage = e;
            n = -1;
        }
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private int indexOf(byte b, int from, int to) {
        byte[] a = buf;
        int i = from;
        // Eight bytes at a time: a byte of x is zero where the word matches; the lowest flagged byte is
        // the first match (flags above a match may be false, never below it).
        long pattern = 0x0101_0101_0101_0101L * (b & 0xFF);
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ pattern;
            long found = (x - 0x0101_0101_0101_0101L) & ~x & 0x8080_8080_8080_8080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The current line is {@code buffer()[lineStart(), lineStart() + lineLength())}, without its terminator (the first 200
     * bytes of a line {@link #tooLong()}); valid until {@link #next()}, which reuses the buffer.
     */
    public byte[] buffer() {
        return tooLong ? longHead : buf;
    }

    public int lineStart() {
        return tooLong ? 0 : lineStart;
    }

    public int lineLength() {
        return tooLong ? longHead.length : lineLength;
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    /** True when the current line was longer than {@link #MAX_LINE}; its head is kept as its text. */
    public boolean tooLong() {
        return tooLong;
    }

    /** True when the current line is the last, cut short by a read error ({@link #damage()}). */
    public boolean cutShort() {
        return cutShort;
    }

    /** At the end of the lines: how many were whole (all but one cut short by {@link #damage()}). */
    public long completeLines() {
        return endsCutShort ? lineNumber - 1 : lineNumber;
    }

    /** The read error that ended the lines early, or {@code null}. */
    public IOException damage() {
        return damage;
    }
    /** True when the current line is empty or only spaces, tabs and carriage returns. */
    public boolean blank() {
        if (tooLong) {
            return false;
        }
        for (int i = lineStart, e = lineStart + lineLength; i < e; i++) {
            byte c = buf[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The current line decoded as UTF-8 (malformed bytes as U+FFFD). */
    public String text() {
        return new String(buffer(), lineStart(), lineLength(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
