package org.hotlinemonitor.app.http;

import java.util.Locale;

/** What a token may do: record calls, add and remove silences, read (when reads are protected). */
public enum Scope {
    /** {@code POST /api/v1/calls}. */
    RECORD,
    /** {@code POST /api/v1/silences}, {@code DELETE /api/v1/silences/{id}}. */
    SILENCE,
    /** Every {@code GET} under {@code /api/v1/}, when {@code protectReads} is on (else reads are open). */
    READ;

    /** As written in the tokens file and the {@code token} command: {@code record}, {@code silence}, {@code read}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope written {@code id}, or {@code null}. */
    public static Scope of(String id) {
        for (Scope s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }
}
