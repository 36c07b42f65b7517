package org.hotlinemonitor.core.notify;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.alert.Alert;

/**
 * A maintenance window: alerts of the channels it names, stamped with an instant inside it, are recorded as
 * usual but not paged.
 *
 * <p>Two forms: a one-off window {@code [start, end)}; or a {@link Recurrence} (a local time window in a zone,
 * on some days), optionally bounded by {@code start} and/or {@code end}.
 *
 * @param id         [a-z0-9._-]{1,64}; unique among the silences of one instance
 * @param channels   channel ids or globs ({@code *}, {@code ?}); empty: every channel
 * @param start      first instant covered (inclusive), or {@code null}: unbounded (recurring windows only)
 * @param end        first instant no longer covered (exclusive), or {@code null}: unbounded (recurring only)
 * @param recurrence the recurring window, or {@code null} for a one-off window
 * @param comment    free text (who, why), or {@code null}
 */
public record Silence(String id, List<String> channels, Instant start, Instant end, Recurrence recurrence, String comment) {

    /** Ids of silences. */
    public static final Pattern ID = Pattern.compile("[a-z0-9._-]{1,64}");

    public Silence {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1 to 64 of a-z, 0-9, '.', '_' and '-', was '" + id + "'");
        }
        channels = List.copyOf(channels);
        if (recurrence == null && (start == null || end == null)) {
            throw new IllegalArgumentException("a one-off silence needs start and end (or give a recurring window)");
        }
        if (start != null && end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start, was " + start + " .. " + end);
        }
    }

    /** Whether this silence covers {@code alert} at {@code instant}: its channel is named and the instant is inside. */
    public boolean matches(Alert alert, Instant instant) {
        return coversChannel(alert.channel()) && activeAt(instant);
    }

    /** Whether the channel {@code id} is named (or every channel is). */
    public boolean coversChannel(String id) {
        return channels.isEmpty() || channels.stream().anyMatch(glob -> Route.globMatches(glob, id));
    }

    /** Whether {@code instant} is inside the window. */
    public boolean activeAt(Instant instant) {
        return (start == null || !instant.isBefore(start))
                && (end == null || instant.isBefore(end))
                && (recurrence == null || recurrence.contains(instant));
    }

    /**
     * A window of wall-clock time in a zone, on some days: {@code from} (inclusive) to {@code to} (exclusive),
     * local time. When {@code to} is not after {@code from} the window crosses midnight and belongs to the day it
     * starts on ({@code FRI 23:00-01:00} covers Saturday 00:30).
     *
     * <p>Daylight saving: the window is read on the wall clock. On a spring-forward day, local times that do not
     * exist are not covered (a 02:00-03:00 window in New York covers nothing on that day, one of 01:30-03:30 only
     * 01:30-02:00 and 03:00-03:30 local, one real hour); on a fall-back day the repeated hour is covered both times.
     *
     * @param zone the zone the local times are read in
     * @param from local start, inclusive
     * @param to   local end, exclusive; not equal to {@code from}
     * @param days the days a window starts on; every day when empty
     */
    public record Recurrence(ZoneId zone, LocalTime from, LocalTime to, Set<DayOfWeek> days) {

        public Recurrence {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            days = days.isEmpty() ? Set.copyOf(EnumSet.allOf(DayOfWeek.class)) : Set.copyOf(days);
            if (from.equals(to)) {
                throw new IllegalArgumentException("a recurring window must not be empty: from and to are both " + from);
            }
        }

        /** A window on every day. */
        public static Recurrence daily(ZoneId zone, LocalTime from, LocalTime to) {
            return new Recurrence(zone, from, to, Set.of());
        }

        /** Whether {@code instant}, read on the zone's wall clock, is inside a window. */
        public boolean contains(Instant instant) {
            ZonedDateTime local = instant.atZone(zone);
            LocalTime t = local.toLocalTime();
            LocalDate date = local.toLocalDate();
            if (from.isBefore(to)) {
                return !t.isBefore(from) && t.isBefore(to) && days.contains(date.getDayOfWeek());
            }
            // Crosses midnight: the evening part belongs to today, the morning part to yesterday's window.
            return !t.isBefore(from) && days.contains(date.getDayOfWeek())
                    || t.isBefore(to) && days.contains(date.minusDays(1).getDayOfWeek());
        }
    }
}
