package org.hotlinemonitor.core.replay;

import java.util.Objects;

/**
 * A refused input record, kept with where it came from and why.
 *
 * @param file    the input's name as given ({@code -} for standard input)
 * @param line    1-based line number
 * @param reason  the {@link Rejection} code
 * @param field   the field at fault, or {@code null}
 * @param message a sentence for people
 * @param raw     the line as read (the first 200 bytes of an over-long line)
 */
public record RejectRecord(String file, long line, String reason, String field, String message, String raw) {

    public RejectRecord {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(raw, "raw");
    }

    /** "{@code file:line: field 'x': message}", the form used on stderr and in exceptions. */
    public String describe() {
        return file + ":" + line + ": " + message;
    }
}
