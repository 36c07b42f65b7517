package org.hotlinemonitor.core.fast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;

/**
 * A second, slow reading of the event format built from Jackson and java.time, against which the tests
 * hold {@link JsonEventParser}. It shares no code with the parser.
 */
final class JacksonOracle {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final Set<String> KNOWN = Set.of("channel", "kind", "ts", "slot", "id", "source", "note");
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[Tt](\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(?:([Zz])|([+-]\\d{2}):?(\\d{2}))");

    /** What Jackson makes of a line. */
    record Reading(boolean syntaxOk, boolean duplicateKnownField, CallEvent event, String problem) {
    }

    private JacksonOracle() {
    }

    static Reading read(byte[] line) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        boolean duplicate = false;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Reading(false, false, null, "not an object");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonNode value = MAPPER.readTree(p);
                if (KNOWN.contains(name) && !seen.add(name)) {
                    duplicate = true;
                }
                fields.putIfAbsent(name, value);
            }
            if (p.nextToken() != null) {
                return new Reading(false, duplicate, null, "trailing data");
            }
        } catch (IOException e) {
            return new Reading(false, duplicate, null, e.getMessage());
        }
        try {
            return new Reading(true, duplicate, toEvent(fields), null);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return new Reading(true, duplicate, null, e.getMessage());
        }
    }

    private static CallEvent toEvent(Map<String, JsonNode> fields) {
        JsonNode kindNode = fields.get("kind");
        if (kindNode == null || !kindNode.isTextual()) {
            throw new IllegalArgumentException("kind");
        }
        EventKind kind = EventKind.valueOf(kindNode.textValue()); // IllegalArgumentException when unknown
        if (fields.get("ts") == null) {
            throw new IllegalArgumentException("ts missing");
        }
        Instant ts = instant(fields.get("ts"));
        JsonNode slotNode = fields.get("slot");
        Instant slot = slotNode == null || slotNode.isNull() ? null : instant(slotNode);
        JsonNode channelNode = fields.get("channel");
        String channel;
        if (channelNode == null || channelNode.isNull()) {
            if (kind != EventKind.HEARTBEAT) {
                throw new IllegalArgumentException("channel");
            }
            channel = null;
        } else if (channelNode.isTextual() && !channelNode.textValue().isEmpty()) {
            channel = channelNode.textValue();
        } else {
            throw new IllegalArgumentException("channel");
        }
        return new CallEvent(channel, kind, ts, slot, optional(fields, "id"), optional(fields, "source"),
                optional(fields, "note"));
    }

    private static String optional(Map<String, JsonNode> fields, String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(name);
        }
        return node.textValue();
    }

    private static Instant instant(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new IllegalArgumentException("epoch millis out of range");
            }
            return Instant.ofEpochMilli(node.longValue());
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("not a timestamp");
        }
        Matcher m = ISO.matcher(node.textValue());
        if (!m.matches()) {
            throw new IllegalArgumentException("not strict ISO-8601: " + node.textValue());
        }
        String zone = m.group(3) != null ? "Z" : m.group(4) + ":" + m.group(5);
        String normal = m.group(1) + "T" + m.group(2) + zone;
        // ISO_OFFSET_DATE_TIME resolves strictly: no February 30, no second 60, offsets within 18 hours.
        Instant exact = OffsetDateTime.parse(normal, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        return Instant.ofEpochMilli(exact.toEpochMilli());
    }
}
