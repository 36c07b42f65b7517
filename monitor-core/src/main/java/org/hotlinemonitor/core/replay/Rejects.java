package org.hotlinemonitor.core.replay;

import org.hotlinemonitor.core.codec.JsonStrings;

/** The rejects file format: one JSON object per refused line (or Kafka record). */
public final class Rejects {
    private Rejects() {
    }

    /**
     * {@code {"file":..,"line":..,"reason":..,"field":..,"message":..,"raw":..}}; {@code field} is omitted
     * when the line as a whole is at fault. A record read from a topic has {@code "topic":..,"partition":..,
     * "offset":..} where a line has {@code "file":..,"line":..}. A record whose bytes are not valid UTF-8 has
     * {@code "rawBase64":..} (their base64) in place of {@code "raw"}.
     */
    public static String toJson(RejectRecord r) {
        StringBuilder b = new StringBuilder(128 + r.raw().length());
        if (r.where() instanceof RejectRecord.Offset o) {
            b.append("{\"topic\":");
            JsonStrings.appendQuoted(b, o.topic());
            b.append(",\"partition\":").append(o.partition());
            b.append(",\"offset\":").append(o.offset());
        } else {
            RejectRecord.Line l = (RejectRecord.Line) r.where();
            b.append("{\"file\":");
            JsonStrings.appendQuoted(b, l.file());
            b.append(",\"line\":").append(l.line());
        }
        b.append(",\"reason\":");
        JsonStrings.appendQuoted(b, r.reason());
        if (r.field() != null) {
            b.append(",\"field\":");
            JsonStrings.appendQuoted(b, r.field());
        }
        b.append(",\"message\":");
        JsonStrings.appendQuoted(b, r.message());
        b.append(r.rawBase64() ? ",\"rawBase64\":" : ",\"raw\":");
        JsonStrings.appendQuoted(b, r.raw());
        return b.append('}').toString();
    }
}
