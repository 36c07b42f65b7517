package org.hotlinemonitor.core.replay;

import org.hotlinemonitor.core.codec.JsonStrings;

/** The rejects file format: one JSON object per refused line. */
public final class Rejects {
    private Rejects() {
    }

    /**
     * {@code {"file":..,"line":..,"reason":..,"field":..,"message":..,"raw":..}}; {@code field} is omitted
     * when the line as a whole is at fault.
     */
    public static String toJson(RejectRecord r) {
        StringBuilder b = new StringBuilder(128 + r.raw().length());
        b.append("{\"file\":");
        JsonStrings.appendQuoted(b, r.file());
        b.append(",\"line\":").append(r.line());
        b.append(",\"reason\":");
        JsonStrings.appendQuoted(b, r.reason());
        if (r.field() != null) {
            b.append(",\"field\":");
            JsonStrings.appendQuoted(b, r.field());
        }
        b.append(",\"message\":");
        JsonStrings.appendQuoted(b, r.message());
        b.append(",\"raw\":");
        JsonStrings.appendQuoted(b, r.raw());
        return b.append('}').toString();
    }
}
