package org.hotlinemonitor.core.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which local dates a schedule's check times apply to. Implementations are immutable, and should be
 * values (records): equal rules let equal schedules be shared (see {@link Schedule#of}).
 */
@FunctionalInterface
public interface DayRule {

    boolean matches(LocalDate date);

    /** Every day, holidays included. */
    static DayRule everyDay() {
        return EveryDay.INSTANCE;
    }

    /** Only on these days of the week. */
    static DayRule daysOfWeek(Set<DayOfWeek> days) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("days must not be empty");
        }
        return new DaysOfWeek(EnumSet.copyOf(days));
    }

    /** Every day. */
    enum EveryDay implements DayRule {
        INSTANCE;

        @Override
        public boolean matches(LocalDate date) {
            return true;
        }
    }

    /** The given days of the week. */
    record DaysOfWeek(Set<DayOfWeek> days) implements DayRule {
        public DaysOfWeek {
            days = Set.copyOf(days);
        }

        @Override
        public boolean matches(LocalDate date) {
            return days.contains(date.getDayOfWeek());
        }
    }
}
