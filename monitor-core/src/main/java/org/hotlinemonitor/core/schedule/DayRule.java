package org.hotlinemonitor.core.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/** Which local dates a schedule's check times apply to. Implementations are immutable. */
@FunctionalInterface
public interface DayRule {

    boolean matches(LocalDate date);

    /** Every day, holidays included. */
    static DayRule everyDay() {
        return date -> true;
    }

    /** Only on these days of the week. */
    static DayRule daysOfWeek(Set<DayOfWeek> days) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("days must not be empty");
        }
        EnumSet<DayOfWeek> copy = EnumSet.copyOf(days);
        return date -> copy.contains(date.getDayOfWeek());
    }
}
