package org.hotlinemonitor.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.time.api.constraints.DateRange;

/** Cron fields checked against plain-Java oracles. */
class CronPropertyTest {

    @Property
    void aStepRangeIsEveryNthValue(@ForAll @IntRange(min = 0, max = 59) int from,
                                   @ForAll @IntRange(min = 0, max = 59) int to,
                                   @ForAll @IntRange(min = 1, max = 59) int step) {
        Assume.that(from <= to);
        List<LocalTime> expected = new ArrayList<>();
        for (int m = from; m <= to; m += step) {
            expected.add(LocalTime.of(7, m));
        }

        assertThat(Cron.parse(from + "-" + to + "/" + step + " 7 * * *", ZoneOffset.UTC).times()).isEqualTo(expected);
    }

    @Property
    void restrictedDayOfMonthAndDayOfWeekMatchEither(@ForAll @IntRange(min = 1, max = 31) int dayOfMonth,
                                                     @ForAll @IntRange(min = 0, max = 7) int dayOfWeek,
                                                     @ForAll @DateRange(min = "2000-01-01", max = "2099-12-31") LocalDate date) {
        DayRule days = Cron.parse("0 0 " + dayOfMonth + " * " + dayOfWeek, ZoneOffset.UTC).days();

        boolean expected = date.getDayOfMonth() == dayOfMonth || date.getDayOfWeek().getValue() % 7 == dayOfWeek % 7;
        assertThat(days.matches(date)).isEqualTo(expected);
    }

    @Property
    void anUnrestrictedDayOfWeekLeavesOnlyTheDayOfMonth(@ForAll @IntRange(min = 1, max = 31) int dayOfMonth,
                                                        @ForAll @DateRange(min = "2000-01-01", max = "2099-12-31") LocalDate date) {
        DayRule days = Cron.parse("0 0 " + dayOfMonth + " * *", ZoneOffset.UTC).days();

        assertThat(days.matches(date)).isEqualTo(date.getDayOfMonth() == dayOfMonth);
    }
}
