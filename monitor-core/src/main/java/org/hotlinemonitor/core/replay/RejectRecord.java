package org.hotlinemonitor.core.replay;

import java.util.Objects;
import org.hotlinemonitor.core.ingest.Rejection;

/**
 * A refused input record, kept with where it came from and why.
 *
 * @param where   where it was read: a file's line, or a topic's partition and offset
 * @param reason  the {@link Rejection} code
 * @param field   the field at fault, or {@code null}
 * @param message a sentence for people
 * @param raw     the record as read (the first 200 bytes of an over-long line): its text when its bytes are valid
 *                UTF-8, else their base64 ({@code rawBase64})
 * @param rawBase64 whether {@code raw} is the base64 of bytes that are not valid UTF-8
 */
public record RejectRecord(Origin where, String reason, String field, String message, String raw, boolean rawBase64) {

    /**
     * A record's bytes as kept: their text when they are valid UTF-8; else their base64, so that the bytes can be
     * recovered exactly (decoding them with replacement characters would lose them).
     *
     * @param value  the text, or the base64
     * @param base64 whether {@code value} is base64
     */
    public record Raw(String value, boolean base64) {
        public static final Raw EMPTY = new Raw("", false);

        public Raw {
            Objects.requireNonNull(value, "value");
        }

        /** Text that is already decoded. */
        public static Raw text(String text) {
            return new Raw(text, false);
        }

        /** {@code bytes[off, off + len)}: text when valid UTF-8, else base64. */
        public static Raw of(byte[] bytes, int off, int len) {
            try {
                return new Raw(java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes, off, len)).toString(), false);
            } catch (java.nio.charset.CharacterCodingException e) {
                return new Raw(java.util.Base64.getEncoder().encodeToString(
                        java.util.Arrays.copyOfRange(bytes, off, off + len)), true);
            }
        }

        /** The whole of {@code bytes} ({@code null}: none). */
        public static Raw of(byte[] bytes) {
            return bytes == null ? EMPTY : of(bytes, 0, bytes.length);
        }
    }

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

    /** A refused line of a file, its text decoded. */
    public RejectRecord(String file, long line, String reason, String field, String message, String raw) {
        this(new Line(file, line), reason, field, message, raw, false);
    }

    /** A refused record, its text decoded. */
    public RejectRecord(Origin where, String reason, String field, String message, String raw) {
        this(where, reason, field, message, raw, false);
    }

    /** A refused record with its bytes as kept. */
    public RejectRecord(Origin where, String reason, String field, String message, Raw raw) {
        this(where, reason, field, message, raw.value(), raw.base64());
    }

    /** The record's bytes exactly as read (the base64 decoded, or the text encoded in UTF-8). */
    public byte[] rawBytes() {
        return rawBase64 ? java.util.Base64.getDecoder().decode(raw) : raw.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
