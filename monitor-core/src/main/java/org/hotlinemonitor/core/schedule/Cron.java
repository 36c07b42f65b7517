package org.hotlinemonitor.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Five-field cron expressions ({@code minute hour day-of-month month day-of-week}) as {@link Schedule}s.
 *
 * <p>Each field is {@code *}, a number, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or
 * {@code a/n} (from {@code a} to the field's maximum), or a comma-separated list of those. Months may be
 * written JAN-DEC and days of the week SUN-SAT, in any case. Day-of-week 0 and 7 are both Sunday; a
 * day-of-week range may end on Sunday after later days ({@code FRI-SUN}, {@code 5-0}), while {@code *} and
 * {@code a/n} stop at Saturday (6), so {@code 1/2} is Monday, Wednesday and Friday.
 *
 * <p>Days follow Vixie cron: the month must always match; when both day-of-month and day-of-week are
 * restricted a date matches if <em>either</em> matches, otherwise both must. As in Vixie cron, a field
 * counts as unrestricted when it starts with {@code *}, so {@code *}{@code /2} does too.
 *
 * <p>The schedule fires at every (hour, minute) combination on matching days, in the given zone, with
 * the daylight-saving rules of {@link Schedule}. There are no seconds, years or {@code @daily} macros.
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

    private Cron() {
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
        String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("cron \"" + expression + "\" must have 5 fields"
                    + " (minute hour day-of-month month day-of-week), has " + parts.length);
        }
        long minutes = Field.MINUTE.parse(parts[0], expression);
        long hours = Field.HOUR.parse(parts[1], expression);
        long daysOfMonth = Field.DAY_OF_MONTH.parse(parts[2], expression);
        long months = Field.MONTH.parse(parts[3], expression);
        long daysOfWeek = Field.DAY_OF_WEEK.parse(parts[4], expression);
        if ((daysOfWeek & bit(7)) != 0) {
            daysOfWeek = (daysOfWeek & ~bit(7)) | bit(0);
        }
        boolean either = !parts[2].startsWith("*") && !parts[4].startsWith("*");

        List<LocalTime> times = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            for (int m = 0; m < 60; m++) {
                if (has(hours, h) && has(minutes, m)) {
                    times.add(LocalTime.of(h, m));
                }
            }
        }
        Schedule schedule = Schedule.of(zone, times, new CronDays(daysOfMonth, months, daysOfWeek, either),
                "cron \"" + expression + "\"");
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

    /** One of the five fields, with its bounds and optional names (index + offset = value). */
    private enum Field {
        MINUTE("minute", 0, 59, 59, List.of(), 0),
        HOUR("hour", 0, 23, 23, List.of(), 0),
        DAY_OF_MONTH("day-of-month", 1, 31, 31, List.of(), 0),
        MONTH("month", 1, 12, 12, MONTH_NAMES, 1),
        // 7 is Sunday too, but * and a/n stop at Saturday so that 1/2 means MON,WED,FRI without Sunday.
        DAY_OF_WEEK("day-of-week", 0, 7, 6, DAY_NAMES, 0);

        private final String label;
        private final int min;
        private final int max;
        /** Where {@code *} and {@code a/n} end. */
        private final int last;
        private final List<String> names;
        private final int nameOffset;

        Field(String label, int min, int max, int last, List<String> names, int nameOffset) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.last = last;
            this.names = names;
            this.nameOffset = nameOffset;
        }

        /** The field's values as a bit set: bit {@code v} is set when value {@code v} is included. */
        long parse(String text, String expression) {
            long bits = 0;
            for (String item : text.split(",", -1)) {
                bits |= parseItem(item, expression);
            }
            return bits;
        }

        private long parseItem(String item, String expression) {
            if (item.isEmpty()) {
                throw fail("has an empty list item", expression);
            }
            String[] stepParts = item.split("/", -1);
            if (stepParts.length > 2) {
                throw fail("item '" + item + "' has more than one '/'", expression);
            }
            String range = stepParts[0];
            int step = 1;
            if (stepParts.length == 2) {
                step = number(stepParts[1], "step", expression);
                if (step < 1 || step > last - min) {
                    throw fail("step " + step + " is out of range 1-" + (last - min), expression);
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = last;
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
                to = stepParts.length == 2 ? Math.max(from, last) : from;
            }
            long bits = 0;
            for (int v = from; v <= to; v += step) {
                bits |= bit(v);
            }
            return bits;
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
                String expected = names.isEmpty() || what.equals("step")
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
     * @param either true when both day fields are restricted: then either may match (Vixie cron)
     */
    private record CronDays(long daysOfMonth, long months, long daysOfWeek, boolean either) implements DayRule {

        @Override
        public boolean matches(LocalDate date) {
            if (!has(months, date.getMonthValue())) {
                return false;
            }
            boolean dayOfMonth = has(daysOfMonth, date.getDayOfMonth());
            boolean dayOfWeek = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
            return either ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
        }
    }
}
