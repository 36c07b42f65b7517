package org.hotlinemonitor.core.ingest;

import java.util.Objects;

/**
 * Why an input record was refused.
 *
 * @param reason  a stable code: {@code malformed}, {@code invalid-field}, {@code unknown-channel},
 *                {@code not-a-slot}, {@code too-early}, {@code late}, {@code beyond-until},
 *                {@code outlier}, {@code bad-signature}, {@code wrong-partition}
 * @param field   the field at fault, or {@code null} when the record as a whole is
 * @param message a sentence for people, starting with {@code field 'x': } when a field is at fault
 */
public record Rejection(String reason, String field, String message) {

    public static final String MALFORMED = "malformed";
    public static final String INVALID_FIELD = "invalid-field";
    public static final String UNKNOWN_CHANNEL = "unknown-channel";
    public static final String NOT_A_SLOT = "not-a-slot";
    public static final String TOO_EARLY = "too-early";
    public static final String LATE = "late";
    public static final String BEYOND_UNTIL = "beyond-until";
    /** More than maxJump away from the replay's time, and no other event confirmed the jump (replay's {@code ReplayDriver}). */
    public static final String OUTLIER = "outlier";
    /** From a source configured to sign, unsigned or not signed with its key ({@link Signing}). */
    public static final String BAD_SIGNATURE = "bad-signature";
    /** Read from a partition of the events topic that does not own its channel ({@link EventGate#wrongPartition}). */
    public static final String WRONG_PARTITION = "wrong-partition";

    /**
     * The message names the field at fault first ({@code field 'ts': ...}), added here when the text does not already:
     * the one wording of a refusal, in replay's rejects file and on the live detector's dead letters alike.
     */
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        if (field != null && !message.startsWith("field '")) {
            message = "field '" + field + "': " + message;
        }
    }
}
