package org.hotlinemonitor.core.codec;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.model.EventKind;

/**
 * What the event formats share, for their readers here and in {@code core.fast}: field names, kind lookup and the
 * wording of errors, so that a bad field is described alike whichever reader finds it.
 */
public final class EventFields {

    public static final String CHANNEL = "channel";
    public static final String KIND = "kind";
    public static final String TS = "ts";
    public static final String SLOT = "slot";
    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String NOTE = "note";
    public static final String SIG = "sig";

    private static final EventKind[] KINDS = EventKind.values();

    private static final String KIND_LIST = Arrays.stream(KINDS).map(Enum::name).collect(Collectors.joining(", "));

    /** Values longer than this are cut short when quoted in a message. */
    private static final int MAX_QUOTED = 64;

    private EventFields() {
    }

    /** The kind named exactly {@code name}, or {@code null}. */
    public static EventKind kind(String name) {
        for (EventKind k : KINDS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    public static String unknownKind(String name) {
        return "field 'kind': unknown kind " + quoteForMessage(name) + " (expected one of " + KIND_LIST + ")";
    }

    public static String badTimestamp(String field, String text, TimestampFormatException e) {
        return "field '" + field + "': bad timestamp " + quoteForMessage(text) + ": " + e.getMessage();
    }

    public static String missing(String field) {
        return "missing field '" + field + "'";
    }

    public static String missingChannel(EventKind kind) {
        return "missing field 'channel' (required for " + kind + ")";
    }

    /** {@code 'value'}, cut short when long so that a message stays one readable line. */
    static String quoteForMessage(String value) {
        StringBuilder sb = new StringBuilder().append('\'');
        int n = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c)); // keep the message on one line
            } else {
                sb.append(c);
            }
        }
        if (value.length() > MAX_QUOTED) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
