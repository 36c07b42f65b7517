package org.hotlinemonitor.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.model.EventKind;

/** What the JSON and CSV event formats share: field names, kind lookup and the wording of errors. */
final class EventFields {

    static final String CHANNEL = "channel";
    static final String KIND = "kind";
    static final String TS = "ts";
    static final String SLOT = "slot";
    static final String ID = "id";
    static final String SOURCE = "source";
    static final String NOTE = "note";
    static final String SIG = "sig";

    /** The kinds, and their names as bytes for matching without decoding. */
    static final EventKind[] KINDS = EventKind.values();
    static final byte[][] KIND_NAMES = Arrays.stream(KINDS)
            .map(k -> k.name().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private static final String KIND_LIST = Arrays.stream(KINDS).map(Enum::name).collect(Collectors.joining(", "));

    /** Values longer than this are cut short when quoted in a message. */
    private static final int MAX_QUOTED = 64;

    private EventFields() {
    }

    /** The kind named exactly {@code name}, or {@code null}. */
    static EventKind kind(String name) {
        for (EventKind k : KINDS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    static String unknownKind(String name) {
        return "field 'kind': unknown kind " + quoteForMessage(name) + " (expected one of " + KIND_LIST + ")";
    }

    static String badTimestamp(String field, String text, TimestampFormatException e) {
        return "field '" + field + "': bad timestamp " + quoteForMessage(text) + ": " + e.getMessage();
    }

    static String missing(String field) {
        return "missing field '" + field + "'";
    }

    static String missingChannel(EventKind kind) {
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
