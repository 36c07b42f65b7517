package org.hotlinemonitor.core.codec;

import java.time.Instant;
import java.util.Objects;

/**
 * Fast, allocation-free parsing and formatting of ISO-8601 instants as epoch milliseconds.
 *
 * <p>The accepted syntax is strict: {@code YYYY-MM-DDTHH:MM:SS}, an optional fraction of 1 to 9
 * digits, then a zone: {@code Z} or an offset {@code +HH:MM} or {@code +HHMM} (with {@code +} or
 * {@code -}, at most 18 hours). {@code t} and {@code z} may be lower case. Years have exactly four
 * digits (0000 to 9999). Fields are range-checked (the day against the month, with leap years; no
 * hour 24 and no leap second 60). A fraction finer than a millisecond is truncated toward the past,
 * as {@link Instant#toEpochMilli()} does.
 *
 * <p>The arithmetic is done here (days from the civil date) rather than with {@code java.time},
 * which would allocate several objects per call on the replay's hot path; the tests check it
 * against {@link Instant#parse} and {@link Instant#toString}.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Timestamps {

    /** First millisecond of 0000-01-01, the first instant with a four-digit year. */
    static final long MIN_FOUR_DIGIT_YEAR_MILLIS = -62_167_219_200_000L;
    /** First millisecond of 10000-01-01, the first instant past four-digit years. */
    static final long END_FOUR_DIGIT_YEAR_MILLIS = 253_402_300_800_000L;

    private static final int MILLIS_PER_DAY = 86_400_000;
    /** Returned by {@link #parseCanonical} for text it leaves to the general path; never a valid result. */
    private static final long NOT_CANONICAL = Long.MIN_VALUE;
    private static final String ZONE_EXPECTED = "expected zone ('Z' or an offset like +09:00)";

    private Timestamps() {
    }

    /**
     * Parses an ISO-8601 instant, such as {@code 2023-04-06T08:00:41Z} or
     * {@code 2023-04-06T17:00:41.5+09:00}, from ASCII bytes.
     *
     * @param buf the bytes; only {@code [off, off + len)} is read
     * @return epoch milliseconds, the fraction truncated toward the past
     * @throws TimestampFormatException if the text is not such an instant; positions in the message
     *                                  are relative to {@code off}
     * @throws IndexOutOfBoundsException if the range is not inside {@code buf}
     */
    public static long parseMillis(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 20 || len == 24) {
            long millis = parseCanonical(buf, off, len);
            if (millis != NOT_CANONICAL) {
                return millis;
            }
        }
        return parseGeneral(buf, off, len);
    }

    /**
     * The fast path, for the text that {@link #format} writes and that most logs hold:
     * {@code YYYY-MM-DDTHH:MM:SSZ} or {@code YYYY-MM-DDTHH:MM:SS.mmmZ}. Reads each byte once, checks all
     * digits with one test, and reports no errors: for anything else, or anything wrong, it returns
     * {@link #NOT_CANONICAL} and the general path finds and describes the problem.
     *
     * @param len 20 or 24; the range must be inside {@code buf}
     */
    private static long parseCanonical(byte[] buf, int off, int len) {
        if (buf[off + 4] != '-' || buf[off + 7] != '-' || buf[off + 10] != 'T' || buf[off + 13] != ':'
                || buf[off + 16] != ':' || buf[off + len - 1] != 'Z') {
            return NOT_CANONICAL;
        }
        int y0 = buf[off] - '0';
        int y1 = buf[off + 1] - '0';
        int y2 = buf[off + 2] - '0';
        int y3 = buf[off + 3] - '0';
        int m0 = buf[off + 5] - '0';
        int m1 = buf[off + 6] - '0';
        int d0 = buf[off + 8] - '0';
        int d1 = buf[off + 9] - '0';
        int h0 = buf[off + 11] - '0';
        int h1 = buf[off + 12] - '0';
        int n0 = buf[off + 14] - '0';
        int n1 = buf[off + 15] - '0';
        int s0 = buf[off + 17] - '0';
        int s1 = buf[off + 18] - '0';
        int f0 = 0;
        int f1 = 0;
        int f2 = 0;
        if (len == 24) {
            if (buf[off + 19] != '.') {
                return NOT_CANONICAL;
            }
            f0 = buf[off + 20] - '0';
            f1 = buf[off + 21] - '0';
            f2 = buf[off + 22] - '0';
        }
        // A byte that is not a digit makes d or 9 - d negative: one test for all of them.
        int all = y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1 | h0 | h1 | n0 | n1 | s0 | s1 | f0 | f1 | f2;
        int nines = (9 - y0) | (9 - y1) | (9 - y2) | (9 - y3) | (9 - m0) | (9 - m1) | (9 - d0) | (9 - d1)
                | (9 - h0) | (9 - h1) | (9 - n0) | (9 - n1) | (9 - s0) | (9 - s1) | (9 - f0) | (9 - f1) | (9 - f2);
        if ((all | nines) < 0) {
            return NOT_CANONICAL;
        }
        int year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
        int month = m0 * 10 + m1;
        int day = d0 * 10 + d1;
        int hour = h0 * 10 + h1;
        int minute = n0 * 10 + n1;
        int second = s0 * 10 + s1;
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour > 23 || minute > 59
                || second > 59) {
            return NOT_CANONICAL;
        }
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second;
        return seconds * 1000 + f0 * 100 + f1 * 10 + f2;
    }

    /** The full syntax, with positional error messages. */
    private static long parseGeneral(byte[] buf, int off, int len) {
        int end = off + len;
        int year = digit(buf, off, end, 0) * 1000 + digit(buf, off, end, 1) * 100
                + digit(buf, off, end, 2) * 10 + digit(buf, off, end, 3);
        literal(buf, off, end, 4, '-');
        int month = twoDigits(buf, off, end, 5);
        if (month < 1 || month > 12) {
            throw new TimestampFormatException("month " + month + " out of range", -1);
        }
        literal(buf, off, end, 7, '-');
        int day = twoDigits(buf, off, end, 8);
        if (day < 1 || day > lengthOfMonth(year, month)) {
            throw new TimestampFormatException("day " + day + " out of range for "
                    + pad4(year) + '-' + (month < 10 ? "0" : "") + month, -1);
        }
        if (at(buf, off, end, 10) != 'T' && at(buf, off, end, 10) != 't') {
            throw unexpected("expected 'T'", buf, off, end, 10);
        }
        int hour = twoDigits(buf, off, end, 11);
        if (hour > 23) {
            throw new TimestampFormatException("hour " + hour + " out of range", -1);
        }
        literal(buf, off, end, 13, ':');
        int minute = twoDigits(buf, off, end, 14);
        if (minute > 59) {
            throw new TimestampFormatException("minute " + minute + " out of range", -1);
        }
        literal(buf, off, end, 16, ':');
        int second = twoDigits(buf, off, end, 17);
        if (second > 59) {
            throw new TimestampFormatException("second " + second + " out of range", -1);
        }

        int i = 19;
        int millis = 0;
        if (at(buf, off, end, i) == '.') {
            i++;
            int first = i;
            int scale = 100;
            int d;
            while ((d = at(buf, off, end, i) - '0') >= 0 && d <= 9) {
                millis += d * scale;
                scale /= 10;
                i++;
            }
            if (i == first) {
                throw unexpected("expected digit", buf, off, end, i);
            }
            if (i - first > 9) {
                throw new TimestampFormatException("fraction longer than 9 digits at position " + (first + 9),
                        first + 9);
            }
        }

        int offsetSeconds;
        int z = at(buf, off, end, i);
        if (z == 'Z' || z == 'z') {
            offsetSeconds = 0;
            i++;
        } else if (z == '+' || z == '-') {
            int offsetHours = twoDigits(buf, off, end, i + 1);
            i += 3;
            if (at(buf, off, end, i) == ':') {
                i++;
            }
            int offsetMinutes = twoDigits(buf, off, end, i);
            i += 2;
            if (offsetHours > 18) {
                throw new TimestampFormatException("offset hour " + offsetHours + " out of range", -1);
            }
            if (offsetMinutes > 59) {
                throw new TimestampFormatException("offset minute " + offsetMinutes + " out of range", -1);
            }
            if (offsetHours == 18 && offsetMinutes != 0) {
                throw new TimestampFormatException("offset " + (char) z + "18:" + offsetMinutes
                        + " out of range (at most 18:00)", -1);
            }
            offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
            if (z == '-') {
                offsetSeconds = -offsetSeconds;
            }
        } else {
            throw unexpected(ZONE_EXPECTED, buf, off, end, i);
        }
        if (i != len) {
            throw unexpected("expected end of timestamp", buf, off, end, i);
        }

        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds;
        return seconds * 1000 + millis;
    }

    /**
     * Parses an ISO-8601 instant as {@link #parseMillis(byte[], int, int)} does; for the readers of this package, which
     * have the text as a string. A character beyond ASCII is out of place and refused as any other.
     *
     * @throws TimestampFormatException if the text is not such an instant
     */
    static long parseMillis(String text) {
        int n = text.length();
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            // Anything beyond ASCII is out of place in a timestamp: map it to a byte that matches nothing.
            bytes[i] = c < 0x80 ? (byte) c : (byte) 0xFF;
        }
        return parseMillis(bytes, 0, n);
    }

    /**
     * Formats epoch milliseconds as {@link Instant#toString()} does: {@code 2023-04-06T08:00:41Z}, or
     * {@code 2023-04-06T08:00:41.500Z} when the milliseconds are not zero.
     */
    public static String format(long epochMillis) {
        if (epochMillis < MIN_FOUR_DIGIT_YEAR_MILLIS || epochMillis >= END_FOUR_DIGIT_YEAR_MILLIS) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        char[] out = new char[24];
        int n = write(out, epochMillis);
        return new String(out, 0, n);
    }

    /** Appends {@link #format(long) format(epochMillis)} to {@code sb}. */
    static void appendTo(StringBuilder sb, long epochMillis) {
        if (epochMillis < MIN_FOUR_DIGIT_YEAR_MILLIS || epochMillis >= END_FOUR_DIGIT_YEAR_MILLIS) {
            sb.append(Instant.ofEpochMilli(epochMillis));
            return;
        }
        char[] out = new char[24];
        int n = write(out, epochMillis);
        sb.append(out, 0, n);
    }

    /**
     * True when {@code epochMillis} falls in the years 0000 to 9999, whose {@link #format(long)} text
     * {@link #parseMillis(String)} accepts; outside them, {@code Instant.toString()} writes a signed
     * year of five or more digits that strict parsing rejects.
     */
    static boolean hasFourDigitYear(long epochMillis) {
        return epochMillis >= MIN_FOUR_DIGIT_YEAR_MILLIS && epochMillis < END_FOUR_DIGIT_YEAR_MILLIS;
    }

    /** Writes the text for a four-digit-year instant into {@code out}; returns its length (20 or 24). */
    private static int write(char[] out, long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int msOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);

        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, eras of 400 years).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int doe = (int) (z - era * 146_097);
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int day = doy - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);

        int secondOfDay = msOfDay / 1000;
        int millis = msOfDay % 1000;
        int hour = secondOfDay / 3600;
        int minute = secondOfDay / 60 % 60;
        int second = secondOfDay % 60;

        out[0] = (char) ('0' + year / 1000);
        out[1] = (char) ('0' + year / 100 % 10);
        out[2] = (char) ('0' + year / 10 % 10);
        out[3] = (char) ('0' + year % 10);
        out[4] = '-';
        two(out, 5, month);
        out[7] = '-';
        two(out, 8, day);
        out[10] = 'T';
        two(out, 11, hour);
        out[13] = ':';
        two(out, 14, minute);
        out[16] = ':';
        two(out, 17, second);
        if (millis == 0) {
            out[19] = 'Z';
            return 20;
        }
        out[19] = '.';
        out[20] = (char) ('0' + millis / 100);
        out[21] = (char) ('0' + millis / 10 % 10);
        out[22] = (char) ('0' + millis % 10);
        out[23] = 'Z';
        return 24;
    }

    private static void two(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
    }

    /** Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468;
    }

    private static int lengthOfMonth(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** The byte at relative position {@code i} as an unsigned value, or -1 past the end. */
    private static int at(byte[] buf, int off, int end, int i) {
        int p = off + i;
        return p < end ? buf[p] & 0xFF : -1;
    }

    private static int digit(byte[] buf, int off, int end, int i) {
        int d = at(buf, off, end, i) - '0';
        if (d < 0 || d > 9) {
            throw unexpected("expected digit", buf, off, end, i);
        }
        return d;
    }

    private static int twoDigits(byte[] buf, int off, int end, int i) {
        return digit(buf, off, end, i) * 10 + digit(buf, off, end, i + 1);
    }

    private static void literal(byte[] buf, int off, int end, int i, char expected) {
        if (at(buf, off, end, i) != expected) {
            throw unexpected("expected '" + expected + "'", buf, off, end, i);
        }
    }

    private static TimestampFormatException unexpected(String expected, byte[] buf, int off, int end, int i) {
        int c = at(buf, off, end, i);
        String found;
        if (c < 0) {
            found = "end of text";
        } else if (c >= 0x20 && c < 0x7F) {
            found = "'" + (char) c + "'";
        } else if (c < 0x80) {
            found = String.format("character U+%04X", c);
        } else {
            found = "a non-ASCII character";
        }
        return new TimestampFormatException(expected + " at position " + i + ", found " + found, i);
    }

    private static String pad4(int year) {
        String s = Integer.toString(year);
        return "0000".substring(s.length()) + s;
    }
}
