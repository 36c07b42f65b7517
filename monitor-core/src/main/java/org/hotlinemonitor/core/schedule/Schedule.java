package org.hotlinemonitor.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * When a channel's routine calls are due: a set of local check times on the days a {@link DayRule}
 * accepts, in the channel's zone.
 *
 * <p>Each slot is computed as a local date-time in the zone and converted to an instant at once, by one of
 * two daylight-saving rules ({@link Dst}):
 * <ul>
 *   <li>{@link Dst#ONCE} (check times, and cron expressions whose minute and hour fields do not start with
 *       {@code *}): a check time in a spring-forward gap fires once, at the instant of the jump (if a check
 *       time right after the jump falls on the same instant, the two are one slot); a check time that
 *       repeats on a fall-back day fires once, at its first occurrence;</li>
 *   <li>{@link Dst#ELAPSED} (cron expressions whose minute or hour field starts with {@code *}, as in
 *       Vixie/Debian cron): a check time in a gap never fires; a repeated one fires at both occurrences.</li>
 * </ul>
 *
 * <p>The time-based methods work in epoch milliseconds (the detector's unit) and return {@link Long#MIN_VALUE},
 * the project's one "no instant" ({@code Millis.NONE} in {@code core.model}; callers compare with that), when no slot
 * exists within {@link #HORIZON_DAYS} days of the query, which only happens for schedules that never fire (rejected
 * when the configuration is loaded).
 *
 * <p>Equal schedules (same zone, check times, day rule and description) are one instance: {@link #of} interns
 * them, so that thousands of channels on a few schedules share their computed days.
 *
 * <p>Thread-safety: immutable apart from a cache of recently computed days, an immutable array
 * published through a volatile field; safe to share between threads.
 */
public final class Schedule {

    /**
     * Returned by the search methods when there is no such slot: the value of {@code Millis.NONE}, which this package
     * cannot name (core.model uses this package, not the reverse).
     */
    private static final long NO_SLOT = Long.MIN_VALUE;

    /** How far the search methods look for a slot: long enough for a yearly or leap-day schedule. */
    public static final int HORIZON_DAYS = 3000;

    /** How local check times that a daylight-saving change skips or repeats become slots. */
    public enum Dst {
        /** Skipped: once, at the instant of the jump; repeated: once, at the first occurrence. */
        ONCE,
        /** Skipped: never; repeated: at both occurrences (real elapsed time). */
        ELAPSED
    }

    private final ZoneId zone;
    private final ZoneRules rules;
    private final Dst dst;
    private final LocalTime[] times;
    private final DayRule days;
    private final String description;
    /** Recently computed days, most recent first; channels sharing a schedule straddle day boundaries. */
    private volatile DayPlan[] recent = new DayPlan[0];

    private static final int RECENT_DAYS = 4;
    private static final java.util.concurrent.ConcurrentMap<List<Object>, Schedule> INTERNED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Schedule(ZoneId zone, Collection<LocalTime> times, DayRule days, String description, Dst dst) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.dst = Objects.requireNonNull(dst, "dst");
        this.rules = zone.getRules();
        if (times.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one check time");
        }
        this.times = new TreeSet<>(times).toArray(new LocalTime[0]);
        this.days = Objects.requireNonNull(days, "days");
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * A schedule of local check times on the days {@code days} accepts.
     *
     * @param description how the schedule was written, for messages and reports
     */
    public static Schedule of(ZoneId zone, Collection<LocalTime> times, DayRule days, String description) {
        return of(zone, times, days, description, Dst.ONCE);
    }

    /**
     * A schedule of local check times on the days {@code days} accepts, with the given daylight-saving rule.
     *
     * @param description how the schedule was written, for messages and reports
     */
    public static Schedule of(ZoneId zone, Collection<LocalTime> times, DayRule days, String description, Dst dst) {
        Schedule s = new Schedule(zone, times, days, description, dst);
        return INTERNED.computeIfAbsent(List.of(zone, List.of(s.times), days, description, dst), k -> s);
    }

    public ZoneId zone() {
        return zone;
    }

    /** The distinct local check times, ascending. */
    public List<LocalTime> times() {
        return List.of(times);
    }

    public DayRule days() {
        return days;
    }

    /** How check times skipped or repeated by a daylight-saving change fire. */
    public Dst dst() {
        return dst;
    }

    /** The earliest slot at or after {@code epochMillis}, or {@code Millis.NONE} ({@link Long#MIN_VALUE}). */
    public long firstAtOrAfter(long epochMillis) {
        DayPlan plan = planContaining(epochMillis);
        for (int i = 0; i <= HORIZON_DAYS; i++) {
            for (long slot : plan.slots) {
                if (slot >= epochMillis) {
                    return slot;
                }
            }
            plan = plan(plan.epochDay + 1);
        }
        return NO_SLOT;
    }

    /** The earliest slot strictly after {@code epochMillis}, or {@code Millis.NONE} ({@link Long#MIN_VALUE}). */
    public long firstAfter(long epochMillis) {
        return epochMillis == Long.MAX_VALUE ? NO_SLOT : firstAtOrAfter(epochMillis + 1);
    }

    /** The latest slot at or before {@code epochMillis}, or {@code Millis.NONE} ({@link Long#MIN_VALUE}). */
    public long lastAtOrBefore(long epochMillis) {
        DayPlan plan = planContaining(epochMillis);
        for (int i = 0; i <= HORIZON_DAYS; i++) {
            long[] slots = plan.slots;
            for (int j = slots.length - 1; j >= 0; j--) {
                if (slots[j] <= epochMillis) {
                    return slots[j];
                }
            }
            plan = plan(plan.epochDay - 1);
        }
        return NO_SLOT;
    }

    /** True when {@code epochMillis} is exactly one of this schedule's slots. */
    public boolean isSlot(long epochMillis) {
        return Arrays.binarySearch(planContaining(epochMillis).slots, epochMillis) >= 0;
    }

    /** {@link #isSlot(long)} for an instant; sub-millisecond digits never match. */
    public boolean isSlot(Instant instant) {
        return instant.getNano() % 1_000_000 == 0 && isSlot(instant.toEpochMilli());
    }

    /** The slots on a local date in this schedule's zone, ascending. */
    public List<Instant> slotsOn(LocalDate date) {
        List<Instant> out = new ArrayList<>();
        for (long slot : plan(date.toEpochDay()).slots) {
            out.add(Instant.ofEpochMilli(slot));
        }
        return out;
    }

    /** The slots in {@code [from, to)}, ascending. */
    public List<Instant> slotsBetween(Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        long end = to.toEpochMilli();
        for (long s = firstAtOrAfter(from.toEpochMilli()); s != NO_SLOT && s < end; s = firstAfter(s)) {
            out.add(Instant.ofEpochMilli(s));
        }
        return out;
    }

    /** True when the schedule fires at least once within {@link #HORIZON_DAYS} days after {@code from}. */
    public boolean firesAfter(Instant from) {
        return firstAtOrAfter(from.toEpochMilli()) != NO_SLOT;
    }

    private DayPlan planContaining(long epochMillis) {
        for (DayPlan p : recent) {
            if (p.start <= epochMillis && epochMillis < p.end) {
                return p;
            }
        }
        return plan(LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), zone).toEpochDay());
    }

    /** The plan of a local date given as its epoch day: a number, so stepping from day to day allocates nothing. */
    private DayPlan plan(long epochDay) {
        DayPlan[] r = recent;
        for (DayPlan p : r) {
            if (p.epochDay == epochDay) {
                return p;
            }
        }
        DayPlan p = computePlan(epochDay);
        DayPlan[] next = new DayPlan[Math.min(RECENT_DAYS, r.length + 1)];
        next[0] = p;
        System.arraycopy(r, 0, next, 1, next.length - 1);
        recent = next;
        return p;
    }

    private DayPlan computePlan(long epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        long start = date.atStartOfDay(zone).toInstant().toEpochMilli();
        long end = date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        if (!days.matches(date)) {
            return new DayPlan(epochDay, start, end, new long[0]);
        }
        if (dst == Dst.ELAPSED) {
            return new DayPlan(epochDay, start, end, elapsedSlots(date));
        }
        long[] slots = new long[times.length];
        int n = 0;
        for (LocalTime time : times) {
            long slot = resolve(LocalDateTime.of(date, time));
            if (n == 0 || slot != slots[n - 1]) { // two gap times both fire at the jump: one slot
                slots[n++] = slot;
            }
        }
        return new DayPlan(epochDay, start, end, Arrays.copyOf(slots, n));
    }

    /** Every real instant whose local date-time is one of the check times on {@code date}, ascending. */
    private long[] elapsedSlots(LocalDate date) {
        long[] slots = new long[times.length + 8];
        int n = 0;
        boolean repeated = false;
        for (LocalTime time : times) {
            LocalDateTime local = LocalDateTime.of(date, time);
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            repeated |= offsets.size() > 1;
            for (ZoneOffset offset : offsets) { // none in a gap, two in an overlap
                if (n == slots.length) {
                    slots = Arrays.copyOf(slots, n * 2);
                }
                slots[n++] = local.toInstant(offset).toEpochMilli();
            }
        }
        slots = Arrays.copyOf(slots, n);
        if (repeated) {
            Arrays.sort(slots); // the second pass through a repeated hour comes after later local times
        }
        return slots;
    }

    /** A local date-time as an instant: gap times fire at the jump, repeated times at their first occurrence. */
    private long resolve(LocalDateTime local) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant().toEpochMilli();
        }
        return local.toInstant(offsets.get(0)).toEpochMilli();
    }

    /** How the schedule was written: {@code checks 09:00,16:00 every day}, {@code cron "0 9 * * *"}. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description + " (" + zone + ")";
    }

    /**
     * The slots of one local date (its {@link LocalDate#toEpochDay() epoch day}), with the date's bounds as instants.
     * Immutable.
     */
    private record DayPlan(long epochDay, long start, long end, long[] slots) {
    }
}
