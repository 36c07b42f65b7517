package org.hotlinemonitor.app.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hotlinemonitor.core.notify.Silence;

/**
 * An API silence as the value of its record on the silences topic (key: the silence id, UTF-8), and back. Pure.
 *
 * <pre>{@code
 * {"id":"maint-1","channels":["liaison-office"],"start":"2023-04-10T01:00:00Z","end":"2023-04-10T03:00:00Z",
 *  "comment":"line maintenance","createdBy":"ops-kim","createdAt":"2023-04-10T00:55:12.345Z"}
 * }</pre>
 *
 * A recurring window adds {@code zone}, {@code from}, {@code to} ({@code HH:mm}) and {@code days}
 * ({@code ["MONDAY",...]}); {@code start}/{@code end} are then optional bounds. Absent and {@code null} fields mean
 * the same. Unknown fields are ignored, so that a newer instance may add some. A record over the limits of
 * {@link SilenceStore} (or of {@link #MAX_VALUE} bytes) is refused like a malformed one.
 */
final class SilenceRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The largest record value read (64 KiB): a silence within the limits of {@link SilenceStore} (20 channels of 128
     * characters, 1,000 of comment) takes under 12 KiB as {@link #toJson} writes it (UTF-8, at most 3 bytes a
     * character).
     */
    static final int MAX_VALUE = 64 * 1024;

    private SilenceRecords() {
    }

    static byte[] toJson(SilenceStore.Entry entry) {
        Map<String, Object> m = entry.silenceFields(DayOfWeek::name);
        m.put("createdBy", entry.createdBy());
        m.put("createdAt", entry.createdAt().toString());
        try {
            return JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a silence did not serialize", e);
        }
    }

    /**
     * The API silence a record holds.
     *
     * @param key   the record's key: must be the silence's id
     * @param value the record's value, not a tombstone
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static SilenceStore.Entry fromJson(String key, byte[] value) {
        if (value.length > MAX_VALUE) {
            throw new IllegalArgumentException(value.length + " bytes, more than a silence within the limits can take ("
                    + MAX_VALUE + ")");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, was " + new String(value, StandardCharsets.UTF_8));
        }
        String id = text(tree, "id");
        if (id == null || !id.equals(key)) {
            throw new IllegalArgumentException("the id '" + id + "' is not the record's key '" + key + "'");
        }
        List<String> channels = new ArrayList<>();
        JsonNode c = tree.get("channels");
        if (c != null && !c.isNull()) {
            if (!c.isArray()) {
                throw new IllegalArgumentException("channels: expected a list, was " + c);
            }
            c.forEach(item -> channels.add(item.asText()));
        }
        Silence.Recurrence recurrence = null;
        String zone = text(tree, "zone");
        try {
            if (zone != null) {
                Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                JsonNode d = tree.get("days");
                if (d != null && d.isArray()) {
                    d.forEach(item -> days.add(DayOfWeek.valueOf(item.asText())));
                }
                recurrence = new Silence.Recurrence(ZoneId.of(zone), LocalTime.parse(required(tree, "from")),
                        LocalTime.parse(required(tree, "to")), days);
            }
            Instant start = instant(tree, "start");
            Instant end = instant(tree, "end");
            Silence silence = new Silence(id, channels, start, end, recurrence, text(tree, "comment"));
            String problem = SilenceStore.sizeProblem(silence);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            String createdBy = required(tree, "createdBy");
            if (createdBy.length() > SilenceStore.MAX_CREATED_BY) {
                throw new IllegalArgumentException("createdBy: at most " + SilenceStore.MAX_CREATED_BY + " characters, was "
                        + createdBy.length());
            }
            return SilenceStore.Entry.api(silence, createdBy, Instant.parse(required(tree, "createdAt")));
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String text(JsonNode tree, String field) {
        JsonNode n = tree.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String required(JsonNode tree, String field) {
        String t = text(tree, field);
        if (t == null) {
            throw new IllegalArgumentException(field + ": missing");
        }
        return t;
    }

    private static Instant instant(JsonNode tree, String field) {
        String t = text(tree, field);
        return t == null ? null : Instant.parse(t);
    }
}
