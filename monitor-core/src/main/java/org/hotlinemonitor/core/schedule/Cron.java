package org.hotlinemonitor.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Five-field cron expressions ({@code minute hour day-of-month month day-of-week}) as {@link Schedule}s,
 * read as Vixie/Debian cron and Healthchecks' cronsim read them (docs/formats.md lists the grammar).
 *
 * <p>Each field is {@code *}, a number, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or
 * {@code a/n} (from {@code a} to the field's maximum), or a comma-separated list of those. A step may be
 * larger than its range (then only the range's start). {@code a-a/n} is just {@code a}, as in Vixie cron.
 * Months may be written JAN-DEC and days of the week SUN-SAT, in any case. Day-of-week 0 and 7 are both
 * Sunday, and {@code *} and {@code a/n} run to 7, so {@code 1/2} is Monday, Wednesday, Friday and Sunday; a
 * day-of-week range may end on Sunday after later days ({@code FRI-SUN}, {@code 5-0}).
 *
 * <p>Day-of-month also takes {@code L} (the month's last day), {@code LW} (its last weekday) and
 * {@code nW} (the weekday nearest the n-th, within the month). Day-of-week also takes {@code nL} (the
 * month's last such day, n a number 0-7) and {@code d#k} (its k-th such day, k 1-5). The macros
 * {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}
 * and {@code @hourly} stand for their Vixie cron expansions.
 *
 * <p>Days follow Vixie cron: the month must always match; when both day-of-month and day-of-week are
 * restricted a date matches if <em>either</em> matches, otherwise both must. As in Vixie cron, a field
 * counts as unrestricted when it starts with {@code *}, so {@code *}{@code /2} does too.
 *
 * <p>The schedule fires at every (hour, minute) combination on matching days, in the given zone. Daylight
 * saving follows Vixie cron: when the minute or the hour field starts with {@code *} the schedule runs on
 * real elapsed time ({@link Schedule.Dst#ELAPSED}), otherwise skipped times fire once at the jump and
 * repeated ones once ({@link Schedule.Dst#ONCE}). There are no seconds or years.
 */
public final class Cron {

    /**
     * Where a parsed schedule must find a slot within {@link Schedule#HORIZON_DAYS} days. A cron has no
     * year, so one point would do for most expressions; later points catch those that fire only on rare
     * calendar coincidences (a leap day that falls on a given weekday) and would leave gaps longer than
     * the horizon the schedule's searches rely on. 2096-03-01 starts the longest leap-day gap (to 2104).
     */
    private static final List<Instant> REFERENCES = List.of(
            Instant.parse("2000-01-01T00:00:00Z"),
            Instant.parse("2030-01-01T00:00:00Z"),
            Instant.parse("2060-01-01T00:00:00Z"),
            Instant.parse("2096-03-01T00:00:00Z"));

    private static final List<String> MONTH_NAMES =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAY_NAMES = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /** Vixie cron's macros ({@code @reboot} has no meaning here). */
    private static final Map<String, String> MACROS = macros();

    private static Map<String, String> macros() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("@yearly", "0 0 1 1 *");
        m.put("@annually", "0 0 1 1 *");
        m.put("@monthly", "0 0 1 * *");
        m.put("@weekly", "0 0 * * 0");
        m.put("@daily", "0 0 * * *");
        m.put("@midnight", "0 0 * * *");
        m.put("@hourly", "0 * * * *");
        return Collections.unmodifiableMap(m);
    }

    private Cron() {
    }

    /** How a cron schedule's description starts: {@code cron "EXPRESSION"}. */
    private static final String DESCRIPTION_START = "cron \"";

    /** The expression a schedule was parsed from by {@link #parse}, or {@code null} for a schedule of check times. */
    public static String expressionOf(Schedule schedule) {
        String d = schedule.description();
        return d.startsWith(DESCRIPTION_START) && d.endsWith("\"")
                ? d.substring(DESCRIPTION_START.length(), d.length() - 1) : null;
    }

    /**
     * Parses a five-field cron expression into a schedule in {@code zone}.
     *
     * @throws IllegalArgumentException if the expression is malformed (the message names the field, the
     *                                  bad part and the whole expression), or if the schedule never fires
     */
    public static Schedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
        String trimmed = expression.trim();
        if (trimmed.startsWith("@")) {
            String expansion = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
            if (expansion == null) {
                throw new IllegalArgumentException("cron macro \"" + trimmed + "\" is not supported; use one of "
                        + String.join(", ", MACROS.keySet()) + " or five fields");
            }
            trimmed = expansion;
        }
        String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("cron \"" + expression + "\" must have 5 fields"
                    + " (minute hour day-of-month month day-of-week), has " + parts.length);
        }
        long minutes = Field.MINUTE.parse(parts[0], expression).bits;
        long hours = Field.HOUR.parse(parts[1], expression).bits;
        Parsed daysOfMonth = Field.DAY_OF_MONTH.parse(parts[2], expression);
        long months = Field.MONTH.parse(parts[3], expression).bits;
        Parsed daysOfWeek = Field.DAY_OF_WEEK.parse(parts[4], expression);
        long weekdays = daysOfWeek.bits;
        if ((weekdays & bit(7)) != 0) {
            weekdays = (weekdays & ~bit(7)) | bit(0);
        }
        boolean either = !parts[2].startsWith("*") && !parts[4].startsWith("*");
        Schedule.Dst dst = parts[0].startsWith("*") || parts[1].startsWith("*")
                ? Schedule.Dst.ELAPSED
                : Schedule.Dst.ONCE;

        List<LocalTime> times = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            for (int m = 0; m < 60; m++) {
                if (has(hours, h) && has(minutes, m)) {
                    times.add(LocalTime.of(h, m));
                }
            }
        }
        CronDays days = new CronDays(daysOfMonth.bits, daysOfMonth.last, daysOfMonth.lastWeekday,
                daysOfMonth.nearestWeekday, months, weekdays, daysOfWeek.lastOfMonth, daysOfWeek.nth, either);
        Schedule schedule = Schedule.of(zone, times, days, DESCRIPTION_START + expression + "\"", dst);
        checkFires(schedule, expression);
        return schedule;
    }

    private static void checkFires(Schedule schedule, String expression) {
        List<Instant> silent = new ArrayList<>();
        for (Instant from : REFERENCES) {
            if (!schedule.firesAfter(from)) {
                silent.add(from);
            }
        }
        if (silent.size() == REFERENCES.size()) {
            throw new IllegalArgumentException("cron \"" + expression + "\" never fires");
        }
        if (!silent.isEmpty()) {
            throw new IllegalArgumentException("cron \"" + expression + "\" fires too rarely: no slot within "
                    + Schedule.HORIZON_DAYS + " days after " + LocalDate.ofInstant(silent.get(0), ZoneOffset.UTC));
        }
    }

    private static long bit(int value) {
        return 1L << value;
    }

    private static boolean has(long bits, int value) {
        return (bits & bit(value)) != 0;
    }

    /**
     * A parsed field: the plain values as a bit set, and the special day items. For day-of-month,
     * {@code nearestWeekday} has bit n for {@code nW}; for day-of-week, {@code lastOfMonth} has bit d for
     * {@code dL} and {@code nth} has bit {@code d * 5 + k - 1} for {@code d#k} (d already 0-6).
     */
    private static final class Parsed {
        long bits;
        boolean last;
        boolean lastWeekday;
        long nearestWeekday;
        long lastOfMonth;
        long nth;
    }

    /** One of the five fields, with its bounds and optional names (index + offset = value). */
    private enum Field {
        MINUTE("minute", 0, 59, List.of(), 0),
        HOUR("hour", 0, 23, List.of(), 0),
        DAY_OF_MONTH("day-of-month", 1, 31, List.of(), 0),
        MONTH("month", 1, 12, MONTH_NAMES, 1),
        DAY_OF_WEEK("day-of-week", 0, 7, DAY_NAMES, 0);

        private final String label;
        private final int min;
        private final int max;
        private final List<String> names;
        private final int nameOffset;

        Field(String label, int min, int max, List<String> names, int nameOffset) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
            this.nameOffset = nameOffset;
        }

        /** The field's values: bit {@code v} of {@code bits} is set when value {@code v} is included. */
        Parsed parse(String text, String expression) {
            Parsed parsed = new Parsed();
            for (String item : text.split(",", -1)) {
                parseItem(item, expression, parsed);
            }
            return parsed;
        }

        private void parseItem(String item, String expression, Parsed parsed) {
            if (item.isEmpty()) {
                throw fail("has an empty list item", expression);
            }
            String upper = item.toUpperCase(Locale.ROOT);
            if (this == DAY_OF_MONTH && (upper.equals("L") || upper.equals("LW"))) {
                parsed.last |= upper.equals("L");
                parsed.lastWeekday |= upper.equals("LW");
                return;
            }
            if (this == DAY_OF_MONTH && upper.endsWith("W") && upper.length() > 1) {
                String day = item.substring(0, item.length() - 1);
                if (!day.matches("[0-9]{1,9}")) {
                    throw fail("item '" + item + "' is not of the form nW (n a day 1-31)", expression);
                }
                parsed.nearestWeekday |= bit(value(day, expression));
                return;
            }
            if (this == DAY_OF_WEEK && upper.endsWith("L") && upper.length() > 1 && !DAY_NAMES.contains(upper)) {
                String day = item.substring(0, item.length() - 1);
                if (!day.matches("[0-9]{1,9}")) {
                    throw fail("item '" + item + "' is not of the form nL (n a day-of-week number 0-7)", expression);
                }
                parsed.lastOfMonth |= bit(value(day, expression) % 7);
                return;
            }
            if (this == DAY_OF_WEEK && item.contains("#")) {
                String[] hash = item.split("#", -1);
                if (hash.length != 2 || hash[0].isEmpty()) {
                    throw fail("item '" + item + "' is not of the form d#k", expression);
                }
                int day = value(hash[0], expression) % 7;
                int k = number(hash[1], "occurrence", expression);
                if (k < 1 || k > 5) {
                    throw fail("occurrence " + k + " in '" + item + "' is out of range 1-5", expression);
                }
                parsed.nth |= 1L << (day * 5 + k - 1);
                return;
            }
            String[] stepParts = item.split("/", -1);
            if (stepParts.length > 2) {
                throw fail("item '" + item + "' has more than one '/'", expression);
            }
            String range = stepParts[0];
            if ((this == DAY_OF_MONTH || this == DAY_OF_WEEK) && withoutNames(upper).matches(".*[LW#].*")) {
                throw fail("item '" + item + "': L, W and # cannot be combined with ranges or steps", expression);
            }
            int step = 1;
            if (stepParts.length == 2) {
                step = number(stepParts[1], "step", expression);
                if (step < 1) {
                    throw fail("step " + step + " must be at least 1", expression);
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2 || ends[0].isEmpty() || ends[1].isEmpty()) {
                    throw fail("range '" + range + "' is not of the form a-b", expression);
                }
                from = value(ends[0], expression);
                to = value(ends[1], expression);
                if (this == DAY_OF_WEEK && to == 0 && from > 0) {
                    to = 7; // FRI-SUN: Sunday is also 7
                }
                if (from > to) {
                    throw fail("range " + ends[0] + "-" + ends[1] + " is backwards", expression);
                }
            } else {
                from = value(range, expression);
                to = stepParts.length == 2 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                parsed.bits |= bit(v);
            }
        }

        /** {@code item} without the field's names (so that the W of WED is not read as a W item). */
        private String withoutNames(String upperItem) {
            String rest = upperItem;
            for (String name : names) {
                rest = rest.replace(name, "");
            }
            return rest;
        }

        /** A number or, for months and days of the week, a name; within the field's range. */
        private int value(String text, String expression) {
            int index = names.indexOf(text.toUpperCase(Locale.ROOT));
            if (index >= 0) {
                return index + nameOffset;
            }
            int value = number(text, "value", expression);
            if (value < min || value > max) {
                throw fail("value " + value + " is out of range " + min + "-" + max, expression);
            }
            return value;
        }

        private int number(String text, String what, String expression) {
            // Nine digits cannot overflow an int; longer numbers are out of every range anyway.
            if (!text.matches("[0-9]{1,9}")) {
                String expected = names.isEmpty() || !what.equals("value")
                        ? "a number"
                        : "a number or a name " + names.get(0) + "-" + names.get(names.size() - 1);
                throw fail(what + " '" + text + "' is not " + expected, expression);
            }
            return Integer.parseInt(text);
        }

        private IllegalArgumentException fail(String detail, String expression) {
            return new IllegalArgumentException(
                    "cron field '" + label + "' " + detail + " in \"" + expression + "\"");
        }
    }

    /**
     * The day part of a cron expression, as bit sets (day-of-week 0 = Sunday, 7 already folded into 0).
     *
     * @param lastDay        {@code L}: the month's last day
     * @param lastWeekday    {@code LW}: the month's last Monday-to-Friday
     * @param nearestWeekday {@code nW}: bit n, the Monday-to-Friday nearest the n-th within the month
     * @param lastOfMonth    {@code dL}: bit d, the month's last such day of the week
     * @param nth            {@code d#k}: bit {@code d * 5 + k - 1}, the month's k-th such day of the week
     * @param either         true when both day fields are restricted: then either may match (Vixie cron)
     */
    private record CronDays(long daysOfMonth, boolean lastDay, boolean lastWeekday, long nearestWeekday,
                            long months, long daysOfWeek, long lastOfMonth, long nth, boolean either)
            implements DayRule {

        @Override
        public boolean matches(LocalDate date) {
            if (!has(months, date.getMonthValue())) {
                return false;
            }
            boolean dayOfMonth = matchesDayOfMonth(date);
            boolean dayOfWeek = matchesDayOfWeek(date);
            return either ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
        }

        private boolean matchesDayOfMonth(LocalDate date) {
            int day = date.getDayOfMonth();
            if (has(daysOfMonth, day)) {
                return true;
            }
            if (!lastDay && !lastWeekday && nearestWeekday == 0) {
                return false;
            }
            int length = date.lengthOfMonth();
            if (lastDay && day == length) {
                return true;
            }
            if (lastWeekday && day == nearestWeekday(date, length, length)) {
                return true;
            }
            for (int n = Math.max(1, day - 2); nearestWeekday != 0 && n <= Math.min(length, day + 2); n++) {
                if (has(nearestWeekday, n) && nearestWeekday(date, n, length) == day) {
                    return true;
                }
            }
            return false;
        }

        private boolean matchesDayOfWeek(LocalDate date) {
            int weekday = date.getDayOfWeek().getValue() % 7;
            if (has(daysOfWeek, weekday)) {
                return true;
            }
            int day = date.getDayOfMonth();
            return (lastOfMonth != 0 && has(lastOfMonth, weekday) && day + 7 > date.lengthOfMonth())
                    || (nth != 0 && (nth & (1L << (weekday * 5 + (day - 1) / 7))) != 0);
        }

        /**
         * The Monday-to-Friday nearest day {@code n} of {@code date}'s month: a Saturday moves to the Friday
         * before, a Sunday to the Monday after, never out of the month (a Saturday 1st moves to Monday the 3rd,
         * a Sunday last day to the Friday before).
         */
        private static int nearestWeekday(LocalDate date, int n, int length) {
            int weekday = date.withDayOfMonth(n).getDayOfWeek().getValue(); // 1 = Monday .. 7 = Sunday
            if (weekday == 6) {
                return n > 1 ? n - 1 : n + 2;
            }
            if (weekday == 7) {
                return n < length ? n + 1 : n - 2;
            }
            return n;
        }
    }
}
