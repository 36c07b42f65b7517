package org.hotlinemonitor.core.replay;

import java.util.Objects;

/**
 * A refused input record, kept with where it came from and why.
 *
 * @param where   where it was read: a file's line, or a topic's partition and offset
 * @param reason  the {@link Rejection} code
 * @param field   the field at fault, or {@code null}
 * @param message a sentence for people
 * @param raw     the record as read (the first 200 bytes of an over-long line)
 */
public record RejectRecord(Origin where, String reason, String field, String message, String raw) {

    /** Where a record was read. */
    public sealed interface Origin permits Line, Offset {
        /** "{@code file:line}" or "{@code topic/partition@offset}", for messages. */
        String describe();
    }

    /**
     * A line of a file.
     *
     * @param file the input's name as given ({@code -} for standard input)
     * @param line 1-based line number
     */
    public record Line(String file, long line) implements Origin {
        public Line {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            return file + ":" + line;
        }
    }

    /**
     * A record of a partitioned log (a Kafka topic).
     *
     * @param topic     the topic
     * @param partition the partition, from 0
     * @param offset    the record's offset in the partition, from 0
     */
    public record Offset(String topic, int partition, long offset) implements Origin {
        public Offset {
            Objects.requireNonNull(topic, "topic");
        }

        @Override
        public String describe() {
            return topic + "/" + partition + "@" + offset;
        }
    }

    public RejectRecord {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(raw, "raw");
    }

    /** A refused line of a file. */
    public RejectRecord(String file, long line, String reason, String field, String message, String raw) {
        this(new Line(file, line), reason, field, message, raw);
    }

    /** The file, or {@code null} when the record was not read from a file. */
    public String file() {
        return where instanceof Line l ? l.file() : null;
    }

    /** The 1-based line number, or -1 when the record was not read from a file. */
    public long line() {
        return where instanceof Line l ? l.line() : -1;
    }

    /** "{@code file:line: field 'x': message}" (or {@code topic/partition@offset: ...}), the form used on stderr and in exceptions. */
    public String describe() {
        return where.describe() + ": " + message;
    }
}
