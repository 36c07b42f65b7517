package org.hotlinemonitor.core.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;

/**
 * Alerts as canonical JSON lines, for the alert log, pagers and golden replay files.
 *
 * <p>Canonical means deterministic bytes: fields in the order id, type, channel, severity, at, then,
 * only when not null, slot, cause, since, missedSlots, duration, then, only when not empty, sources (an array of
 * strings, ascending, as {@link Alert#sources()} holds them); no whitespace; severity in lower case
 * ({@link org.hotlinemonitor.core.alert.Severity#wireName()}); instants as {@link Timestamps#format(long)}
 * text with millisecond precision (as integers of epoch milliseconds outside the years 0000 to 9999);
 * the duration as {@link Duration#toString()}. For example:
 * <pre>{"id":"liaison-office/SLOT_MISSED/2023-04-07T08:00:00Z","type":"SLOT_MISSED","channel":"liaison-office","severity":"warning","at":"2023-04-07T09:00:00Z","slot":"2023-04-07T08:00:00Z","cause":"NO_ANSWER"}</pre>
 *
 * <p>{@link #fromJson(String)} is the exact inverse for alerts whose instants have millisecond
 * precision. It reads with Jackson rather than by hand: alerts are few. It ignores fields it does
 * not know, so that an older reader accepts a newer writer's alerts, but rejects duplicate fields,
 * trailing data and a severity that does not match the type.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class AlertCodec {

    /** The reader, made when first used: writing alerts, all a replay does, needs no Jackson mapper. */
    private static final class Reader {
        static final JsonMapper MAPPER = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private AlertCodec() {
    }

    /** The canonical JSON line for {@code alert}, without a line terminator. */
    public static String toJson(Alert alert) {
        StringBuilder sb = new StringBuilder(256);
        appendJson(sb, alert);
        return sb.toString();
    }

    /**
     * Appends the canonical JSON line for {@code alert} to {@code sb}, without a line terminator.
     *
     * @throws IllegalArgumentException if an instant is too far from 1970 for epoch milliseconds in a long
     */
    public static void appendJson(StringBuilder sb, Alert alert) {
        sb.append("{\"id\":");
        JsonStrings.appendQuoted(sb, alert.id());
        sb.append(",\"type\":\"").append(alert.type().name()).append("\",\"channel\":");
        JsonStrings.appendQuoted(sb, alert.channel());
        sb.append(",\"severity\":\"").append(alert.severity().wireName()).append("\",\"at\":");
        EventWriter.appendInstant(sb, alert.at(), "at");
        if (alert.slot() != null) {
            sb.append(",\"slot\":");
            EventWriter.appendInstant(sb, alert.slot(), "slot");
        }
        if (alert.cause() != null) {
            sb.append(",\"cause\":\"").append(alert.cause().name()).append('"');
        }
        if (alert.since() != null) {
            sb.append(",\"since\":");
            EventWriter.appendInstant(sb, alert.since(), "since");
        }
        if (alert.missedSlots() != null) {
            sb.append(",\"missedSlots\":").append(alert.missedSlots().intValue());
        }
        if (alert.duration() != null) {
            sb.append(",\"duration\":\"").append(alert.duration()).append('"');
        }
        List<String> sources = alert.sources();
        if (!sources.isEmpty()) {
            sb.append(",\"sources\":[");
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                JsonStrings.appendQuoted(sb, sources.get(i));
            }
            sb.append(']');
        }
        sb.append('}');
    }

    /**
     * Reads an alert written by {@link #toJson(Alert)}.
     *
     * @throws IllegalArgumentException if {@code json} is not one JSON object holding a valid alert; the
     *                                  message names the field at fault
     */
    public static Alert fromJson(String json) {
        JsonNode root;
        try {
            root = Reader.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed alert JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("malformed alert JSON: expected an object");
        }
        String id = text(root, "id", true);
        AlertType type = enumValue(root, "type", AlertType.values(), true);
        String channel = text(root, "channel", true);
        String severity = text(root, "severity", true);
        if (!severity.equals(type.severity().wireName())) {
            throw new IllegalArgumentException("field 'severity': " + EventFields.quoteForMessage(severity)
                    + " does not match type " + type + " (" + type.severity().wireName() + ")");
        }
        Instant at = instant(root, "at", true);
        Instant slot = instant(root, "slot", false);
        MissCause cause = enumValue(root, "cause", MissCause.values(), false);
        Instant since = instant(root, "since", false);
        Integer missedSlots = integer(root, "missedSlots");
        Duration duration = duration(root, "duration");
        List<String> sources = strings(root, "sources");
        return new Alert(id, type, channel, at, slot, cause, since, missedSlots, duration, sources);
    }

    /** The field's node, or null when it is absent or JSON null; a required field must be there. */
    private static JsonNode field(JsonNode root, String name, boolean required) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new IllegalArgumentException(node == null ? EventFields.missing(name)
                        : "field '" + name + "': must not be null");
            }
            return null;
        }
        return node;
    }

    private static String text(JsonNode root, String name, boolean required) {
        JsonNode node = field(root, name, required);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(name, "a string", node);
        }
        return node.textValue();
    }

    /** An optional array of strings; absent or null reads as empty. */
    private static List<String> strings(JsonNode root, String name) {
        JsonNode node = field(root, name, false);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw wrongType(name, "an array of strings", node);
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw wrongType(name, "an array of strings", node);
            }
            out.add(item.textValue());
        }
        if (out.size() > Alert.MAX_SOURCES + 1) {
            throw new IllegalArgumentException("field '" + name + "': at most " + Alert.MAX_SOURCES + " names and "
                    + Alert.MORE_SOURCES + ", found " + out.size() + " entries");
        }
        return out;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode root, String name, E[] values, boolean required) {
        String text = text(root, name, required);
        if (text == null) {
            return null;
        }
        for (E value : values) {
            if (value.name().equals(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException("field '" + name + "': unknown value " + EventFields.quoteForMessage(text)
                + " (expected one of " + String.join(", ", Arrays.stream(values).map(Enum::name).toList()) + ")");
    }

    private static Instant instant(JsonNode root, String name, boolean required) {
        JsonNode node = field(root, name, required);
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (!node.isTextual()) {
            throw wrongType(name, "an ISO-8601 string or an integer (epoch milliseconds)", node);
        }
        try {
            return Instant.ofEpochMilli(Timestamps.parseMillis(node.textValue()));
        } catch (TimestampFormatException e) {
            throw new IllegalArgumentException(EventFields.badTimestamp(name, node.textValue(), e), e);
        }
    }

    private static Integer integer(JsonNode root, String name) {
        JsonNode node = field(root, name, false);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(name, "an integer", node);
        }
        return node.intValue();
    }

    private static Duration duration(JsonNode root, String name) {
        String text = text(root, name, false);
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + name + "': bad ISO-8601 duration "
                    + EventFields.quoteForMessage(text), e);
        }
    }

    private static IllegalArgumentException wrongType(String name, String expected, JsonNode found) {
        String shown = found.toString();
        if (shown.length() > 64) {
            shown = shown.substring(0, 64) + "...";
        }
        return new IllegalArgumentException("field '" + name + "': expected " + expected + ", found " + shown);
    }
}
