package org.hotlinemonitor.core.codec;

import java.time.Instant;
import org.hotlinemonitor.core.model.CallEvent;

/**
 * Writes call-check events as canonical JSON lines, the format an {@link EventDecoder} reads.
 *
 * <p>Canonical means: fields in the order channel, kind, ts, slot, id, source, note, sig; null fields
 * left out; no whitespace; instants as {@link Timestamps#format(long)} text in UTC, with millisecond
 * precision (finer digits are truncated toward the past, as the parser would); strings escaped by
 * {@link JsonStrings}. Equal events give equal bytes.
 *
 * <p>An instant outside the years 0000 to 9999, which the strict ISO-8601 syntax cannot write, is
 * written as an integer of epoch milliseconds, which the parser accepts too; so every event that
 * an {@link EventDecoder} can return survives a round trip.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class EventWriter {

    private EventWriter() {
    }

    /** The canonical JSON line for {@code event}, without a line terminator. */
    public static String toJson(CallEvent event) {
        StringBuilder sb = new StringBuilder(160);
        appendJson(sb, event);
        return sb.toString();
    }

    /**
     * Appends the canonical JSON line for {@code event} to {@code sb}, without a line terminator.
     *
     * @throws IllegalArgumentException if an instant is too far from 1970 for epoch milliseconds in a long
     */
    public static void appendJson(StringBuilder sb, CallEvent event) {
        sb.append('{');
        if (event.channel() != null) {
            sb.append("\"channel\":");
            JsonStrings.appendQuoted(sb, event.channel());
            sb.append(',');
        }
        sb.append("\"kind\":\"").append(event.kind().name()).append("\",\"ts\":");
        appendInstant(sb, event.ts(), EventFields.TS);
        if (event.slot() != null) {
            sb.append(",\"slot\":");
            appendInstant(sb, event.slot(), EventFields.SLOT);
        }
        appendOptional(sb, EventFields.ID, event.id());
        appendOptional(sb, EventFields.SOURCE, event.source());
        appendOptional(sb, EventFields.NOTE, event.note());
        appendOptional(sb, EventFields.SIG, event.sig());
        sb.append('}');
    }

    private static void appendOptional(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(",\"").append(name).append("\":");
            JsonStrings.appendQuoted(sb, value);
        }
    }

    /** Appends {@code instant} as a quoted ISO-8601 string, or as epoch millis outside four-digit years. */
    static void appendInstant(StringBuilder sb, Instant instant, String field) {
        long millis;
        try {
            millis = instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + " out of range for epoch milliseconds: " + instant, e);
        }
        if (Timestamps.hasFourDigitYear(millis)) {
            sb.append('"');
            Timestamps.appendTo(sb, millis);
            sb.append('"');
        } else {
            sb.append(millis);
        }
    }
}
