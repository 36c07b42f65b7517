package org.hotlinemonitor.core.codec;

/**
 * A timestamp that is not a strict ISO-8601 instant, or names a date or time that does not exist.
 *
 * <p>The message says what is wrong and, for a syntax problem, where ({@code expected 'T' at position
 * 10, found ' '}); it does not repeat the text, so that callers can put it in their own context.
 */
public final class TimestampFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Where in the text the problem was found (0-based), or -1 when it concerns a whole value. */
    private final int position;

    public TimestampFormatException(String message, int position) {
        super(message);
        this.position = position;
    }

    /**
     * The 0-based index in the timestamp text (in characters, which are bytes for the ASCII that a
     * valid timestamp consists of) where the problem was found, or -1 when the problem is a value out
     * of range rather than a character out of place.
     */
    public int position() {
        return position;
    }
}
