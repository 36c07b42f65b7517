package org.hotlinemonitor.core.codec;

/**
 * A line that is not a valid call-check event, with the field at fault and where the problem was found.
 *
 * <p>Messages name the field ({@code field 'kind': unknown kind 'ANSWER' (expected one of ...)},
 * {@code missing field 'ts'}) or, for a syntax error, the column
 * ({@code malformed JSON at column 17: expected ',' or '}'}). Bad lines go to a rejects file with
 * this message as the reason, so it is meant for people.
 *
 * <p>No stack trace is recorded: the exception describes the input, not the code, and a replay of a
 * dirty log can throw it millions of times.
 */
public final class EventFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final int column;

    /**
     * @param message what is wrong, meant for people
     * @param field   the field at fault, or {@code null} for a syntax error or an empty line
     * @param column  1-based column where the problem was found
     */
    public EventFormatException(String message, String field, int column) {
        this(message, field, column, null);
    }

    public EventFormatException(String message, String field, int column, Throwable cause) {
        super(message, cause, false, false);
        this.field = field;
        this.column = column;
    }

    /** The field at fault ({@code "ts"}, {@code "kind"}, ...), or {@code null} for a syntax error. */
    public String field() {
        return field;
    }

    /**
     * The 1-based column where the problem was found. For JSON this is the byte offset in the line's
     * UTF-8 encoding plus one; for CSV, the character offset in the line plus one.
     */
    public int column() {
        return column;
    }
}
