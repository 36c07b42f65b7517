package org.hotlinemonitor.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One call-check event, as produced by a scheduler or an operator and as read from a log.
 *
 * <p>Timestamps have millisecond precision: parsers truncate finer digits, so that the detector's
 * state can hold them as epoch milliseconds.
 *
 * @param channel the channel id; {@code null} only for {@link EventKind#HEARTBEAT}
 * @param kind    what happened
 * @param ts      when it happened (event time)
 * @param slot    the scheduled instant this event belongs to, or {@code null} to derive it from {@code ts}
 * @param id      optional producer-assigned id (deterministic ids make redelivery harmless)
 * @param source  optional name of the producer or operator
 * @param note    optional free text, for example an operator's annotation
 * @param sig     optional signature of the event by its source (base64url HMAC-SHA256 of the event's canonical
 *                form without {@code sig}: {@link org.hotlinemonitor.core.codec.EventSignature}); {@code null} when
 *                unsigned
 */
public record CallEvent(String channel, EventKind kind, Instant ts, Instant slot, String id, String source, String note,
                        String sig) {

    public CallEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ts, "ts");
        if (channel == null && kind != EventKind.HEARTBEAT) {
            throw new IllegalArgumentException("channel is required for " + kind);
        }
    }

    /** An unsigned event. */
    public CallEvent(String channel, EventKind kind, Instant ts, Instant slot, String id, String source, String note) {
        this(channel, kind, ts, slot, id, source, note, null);
    }

    /** This event with {@code sig} as its signature ({@code null}: unsigned). */
    public CallEvent withSig(String sig) {
        return new CallEvent(channel, kind, ts, slot, id, source, note, sig);
    }

    /** A plain event without the optional fields. */
    public static CallEvent of(String channel, EventKind kind, Instant ts, Instant slot) {
        return new CallEvent(channel, kind, ts, slot, null, null, null);
    }

    /** A heartbeat at {@code ts}. */
    public static CallEvent heartbeat(Instant ts, String source) {
        return new CallEvent(null, EventKind.HEARTBEAT, ts, null, null, source, null);
    }
}
