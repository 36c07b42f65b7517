package org.hotlinemonitor.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.hotlinemonitor.app.notify.SilenceStore;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.notify.Route;
import org.hotlinemonitor.core.notify.Silence;

/**
 * The body of {@code POST /api/v1/silences}, checked (pure), and a silence as JSON. The fields are those of the
 * YAML's {@code silences:} entries (docs/api.md): {@code id} (optional: one is made up), {@code channels} (ids or
 * globs; none: every channel), and either {@code start} and {@code end} (instants), or a recurring window
 * {@code zone}, {@code from}, {@code to} (local {@code HH:mm}), {@code days} (optional), with optional
 * {@code start}/{@code end} bounds; {@code comment} (the reason). Who created it ({@code createdBy}) is the name of
 * the token that asks, set by the server: a body that gives {@code createdBy} is refused. Unknown fields are refused
 * too, with the nearest known name: a misspelt {@code ened} must not make a silence that never ends. The body is read
 * strictly ({@link JsonBody}), and each field is bounded ({@link SilenceStore#sizeProblem}'s limits).
 */
final class SilenceRequest {

    private static final List<String> FIELDS = List.of("id", "channels", "start", "end", "zone", "from", "to", "days", "comment");

    /** A checked request: the silence, and who asked for it. */
    record Parsed(Silence silence, String createdBy) {
    }

    private SilenceRequest() {
    }

    /**
     * @param createdBy the name of the token that asks
     * @param newId     makes an id when the body gives none
     * @param now   a one-off silence must not have ended already
     */
    static Parsed parse(byte[] body, MonitorConfig config, String createdBy, Supplier<String> newId, Instant now) throws ApiProblem {
        ObjectNode tree = JsonBody.object(body, "a silence");
        if (tree.has("createdBy")) {
            throw ApiProblem.badField("createdBy", "field 'createdBy': set by the server to the name of the token that adds the "
                    + "silence ('" + createdBy + "'); leave it out");
        }
        JsonBody.onlyKnownFields(tree, FIELDS);
        String id = text(tree, "id");
        if (id == null) {
            id = newId.get();
        } else if (!Silence.ID.matcher(id).matches()) {
            throw ApiProblem.badField("id", "field 'id': use 1 to 64 of a-z, 0-9, '.', '_' and '-', was '" + JsonBody.shorten(id) + "'");
        }
        List<String> channels = new ArrayList<>();
        JsonNode c = tree.get("channels");
        if (c != null && !c.isNull()) {
            if (!c.isArray()) {
                throw ApiProblem.badField("channels", "field 'channels': expected a list of channel ids or globs");
            }
            if (c.size() > SilenceStore.MAX_CHANNELS) {
                throw ApiProblem.badField("channels", "field 'channels': at most " + SilenceStore.MAX_CHANNELS
                        + " entries, was " + c.size() + " (a glob like east-* names many channels in one)");
            }
            for (JsonNode item : c) {
                if (!item.isTextual()) {
                    throw ApiProblem.badField("channels", "field 'channels': expected strings, found " + JsonBody.shorten(item.toString()));
                }
                String name = item.asText();
                if (name.length() > SilenceStore.MAX_CHANNEL_LENGTH) {
                    throw ApiProblem.badField("channels", "field 'channels': each entry at most " + SilenceStore.MAX_CHANNEL_LENGTH
                            + " characters, was " + name.length());
                }
                if (!Route.isGlob(name) && config.channel(name) == null) {
                    throw ApiProblem.badField("channels", "field 'channels': unknown channel '" + JsonBody.shorten(name) + "'");
                }
                channels.add(name);
            }
        }
        Instant start = instant(tree, "start");
        Instant end = instant(tree, "end");
        Silence.Recurrence recurrence = null;
        boolean recurring = tree.has("zone") || tree.has("from") || tree.has("to") || tree.has("days");
        if (recurring) {
            String zoneText = required(tree, "zone", "a recurring window is read in a time zone, like Asia/Seoul");
            ZoneId zone;
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw ApiProblem.badField("zone", "field 'zone': unknown time zone '" + JsonBody.shorten(zoneText) + "'");
            }
            LocalTime from = localTime(tree, "from");
            LocalTime to = localTime(tree, "to");
            if (from.equals(to)) {
                throw ApiProblem.badField("to", "field 'to': must differ from 'from' (" + from + "): the window would be empty");
            }
            recurrence = new Silence.Recurrence(zone, from, to, days(tree));
        } else {
            if (start == null) {
                throw ApiProblem.badField("start", "field 'start': missing; give start and end, or a recurring window (zone, from, to)");
            }
            if (end == null) {
                throw ApiProblem.badField("end", "field 'end': missing; give start and end, or a recurring window (zone, from, to)");
            }
        }
        if (start != null && end != null && !end.isAfter(start)) {
            throw ApiProblem.badField("end", "field 'end': must be after start (" + start + "), was " + end);
        }
        if (end != null && !end.isAfter(now)) {
            throw ApiProblem.badField("end", "field 'end': " + end + " has passed (now is " + now + ")");
        }
        String comment = text(tree, "comment");
        if (comment != null && comment.length() > SilenceStore.MAX_COMMENT) {
            throw ApiProblem.badField("comment", "field 'comment': at most " + SilenceStore.MAX_COMMENT + " characters, was "
                    + comment.length());
        }
        return new Parsed(new Silence(id, channels, start, end, recurrence, comment), createdBy);
    }

    /** A silence as the API shows it: its fields, {@code origin}, and for an API silence who added it and when. */
    static Map<String, Object> json(SilenceStore.Entry e) {
        Map<String, Object> m = e.silenceFields(d -> d.name().substring(0, 3));
        m.put("origin", e.origin().name().toLowerCase(Locale.ROOT));
        m.put("createdBy", e.createdBy());
        m.put("createdAt", e.createdAt() == null ? null : e.createdAt().toString());
        return m;
    }

    private static String text(JsonNode tree, String field) throws ApiProblem {
        JsonNode n = tree.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiProblem.badField(field, "field '" + field + "': expected a string, was " + JsonBody.shorten(n.toString()));
        }
        return n.asText();
    }

    private static String required(JsonNode tree, String field, String why) throws ApiProblem {
        String t = text(tree, field);
        if (t == null) {
            throw ApiProblem.badField(field, "field '" + field + "': missing; " + why);
        }
        return t;
    }

    private static Instant instant(JsonNode tree, String field) throws ApiProblem {
        String t = text(tree, field);
        if (t == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badField(field, "field '" + field + "': bad instant '" + JsonBody.shorten(t) + "', expected ISO-8601 with Z or an offset");
        }
    }

    private static LocalTime localTime(JsonNode tree, String field) throws ApiProblem {
        String t = required(tree, field, "a local time HH:mm");
        if (!t.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
            throw ApiProblem.badField(field, "field '" + field + "': bad time '" + JsonBody.shorten(t) + "', expected HH:mm like 02:00");
        }
        return LocalTime.parse(t);
    }

    private static Set<DayOfWeek> days(JsonNode tree) throws ApiProblem {
        JsonNode n = tree.get("days");
        if (n == null || n.isNull()) {
            return Set.of();
        }
        if (!n.isArray() || n.isEmpty()) {
            throw ApiProblem.badField("days", "field 'days': expected a non-empty list like [\"MON-FRI\"]");
        }
        if (n.size() > 7) {
            throw ApiProblem.badField("days", "field 'days': at most 7 entries, was " + n.size());
        }
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (JsonNode item : n) {
            String[] ends = item.asText().split("-", -1);
            DayOfWeek first = day(ends[0]);
            DayOfWeek last = ends.length == 2 ? day(ends[1]) : first;
            if (!item.isTextual() || ends.length > 2 || first == null || last == null) {
                throw ApiProblem.badField("days", "field 'days': bad day " + JsonBody.shorten(item.toString()) + "; expected MON..SUN or a range like MON-FRI");
            }
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(upper) || d.name().substring(0, 3).equals(upper)) {
                return d;
            }
        }
        return null;
    }
}
