package org.hotlinemonitor.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.model.Millis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** The local check times the schedule fires at on {@code date}, as "HH:mm HH:mm ...", or "" for none. */
    private static String localSlots(Schedule schedule, LocalDate date) {
        return schedule.slotsOn(date).stream()
                .map(slot -> slot.atZone(schedule.zone()).toLocalTime().toString())
                .collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "\"{0}\" on {1} fires at [{2}]")
    @CsvSource(delimiter = '|', textBlock = """
            # expression          | date       | local slots on that date (Asia/Seoul)
            0 9,17 * * MON-FRI    | 2024-03-15 | 09:00 17:00
            0 9,17 * * MON-FRI    | 2024-03-16 | ''
            0 9,17 * * mon-fri    | 2024-03-18 | 09:00 17:00
            30 9 * * *            | 2024-03-16 | 09:30
            0 */6 * * *           | 2024-03-16 | 00:00 06:00 12:00 18:00
            */15 9-10 * * *       | 2024-03-16 | 09:00 09:15 09:30 09:45 10:00 10:15 10:30 10:45
            0-10/5 8 * * *        | 2024-03-16 | 08:00 08:05 08:10
            40/10 6 * * *         | 2024-03-16 | 06:40 06:50
            0 22/1 * * *          | 2024-03-16 | 22:00 23:00
            5,1-3,50-59/4 7 * * * | 2024-03-16 | 07:01 07:02 07:03 07:05 07:50 07:54 07:58
            0 0 1 JAN *           | 2025-01-01 | 00:00
            0 0 1 JAN *           | 2025-02-01 | ''
            0 12 * jan,Mar *      | 2025-03-09 | 12:00
            0 12 * jan,Mar *      | 2025-02-09 | ''
            0 12 * 6-8 *          | 2025-07-31 | 12:00
            0 12 * */3 *          | 2025-04-30 | 12:00
            0 12 * */3 *          | 2025-05-01 | ''
            0 12 * * 0            | 2024-03-17 | 12:00
            0 12 * * 7            | 2024-03-17 | 12:00
            0 12 * * Sun          | 2024-03-17 | 12:00
            0 12 * * 7            | 2024-03-16 | ''
            0 12 * * 5-7          | 2024-03-16 | 12:00
            0 12 * * 5-7          | 2024-03-17 | 12:00
            0 12 * * 5-7          | 2024-03-18 | ''
            0 12 * * FRI-SUN      | 2024-03-17 | 12:00
            0 12 * * FRI-SUN      | 2024-03-14 | ''
            0 12 * * 1/2          | 2024-03-20 | 12:00
            0 12 * * 1/2          | 2024-03-17 | 12:00
            0 12 * * 1/2          | 2024-03-18 | 12:00
            0 12 * * 1/2          | 2024-03-19 | ''
            0 12 * * */2          | 2024-03-17 | 12:00
            0 12 * * */2          | 2024-03-18 | ''
            0 9 29 2 *            | 2024-02-29 | 09:00
            0 12 * * WED-FRI      | 2024-03-15 | 12:00
            0 12 * * WED-FRI/2    | 2024-03-15 | 12:00
            0 12 * * WED-FRI/2    | 2024-03-14 | ''
            0 12 * JUL-DEC *      | 2024-07-01 | 12:00
            0 12 * JUL-DEC/2 *    | 2024-08-01 | ''
            0 9 L * *             | 2024-02-29 | 09:00
            0 9 L * *             | 2024-02-28 | ''
            0 9 l 2 *             | 2025-02-28 | 09:00
            0 9 LW * *            | 2024-06-28 | 09:00
            0 9 LW * *            | 2024-06-30 | ''
            0 9 * * 5L            | 2024-03-29 | 09:00
            0 9 * * 5L            | 2024-03-22 | ''
            0 9 * * 7L            | 2024-03-31 | 09:00
            0 9 * * 1#2           | 2024-03-11 | 09:00
            0 9 * * MON#2         | 2024-03-04 | ''
            0 9 * * 1#1,5L        | 2024-03-04 | 09:00
            0 9 15W * *           | 2024-06-14 | 09:00
            0 9 15W * *           | 2024-06-15 | ''
            0 9 15W * *           | 2024-09-16 | 09:00
            0 9 1W * *            | 2024-06-03 | 09:00
            0 9 31W * *           | 2024-03-29 | 09:00
            0 9 L,15 * *          | 2024-04-15 | 09:00
            */60 9 * * *          | 2024-03-16 | 09:00
            0 */24 * * *          | 2024-03-16 | 00:00
            0 12 * * */7          | 2024-03-17 | 12:00
            0 12 * * */7          | 2024-03-18 | ''
            0 12 * JAN/12 *       | 2025-01-31 | 12:00
            5-5/10 9 * * *        | 2024-03-16 | 09:05
            @daily                | 2024-03-16 | 00:00
            @MIDNIGHT             | 2024-03-16 | 00:00
            @weekly               | 2024-03-17 | 00:00
            @weekly               | 2024-03-16 | ''
            @monthly              | 2024-03-01 | 00:00
            @yearly               | 2024-03-01 | ''
            @annually             | 2025-01-01 | 00:00
            """)
    void firesAtTheExpectedLocalTimes(String expression, LocalDate date, String expected) {
        assertThat(localSlots(Cron.parse(expression, SEOUL), date)).isEqualTo(expected);
    }

    /**
     * Vixie cron: when day-of-month and day-of-week are both restricted, either may match; when one of them
     * starts with {@code *}, both must; the month must always match.
     */
    @ParameterizedTest(name = "\"{0}\" on {1} ({2}): {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # expression   | date       | what the date is          | fires
            0 9 13 * FRI   | 2024-09-13 | Friday the 13th           | true
            0 9 13 * FRI   | 2024-09-20 | a Friday, not the 13th    | true
            0 9 13 * FRI   | 2024-10-13 | the 13th, a Sunday        | true
            0 9 13 * FRI   | 2024-10-14 | neither                   | false
            0 9 13 * *     | 2024-09-20 | a Friday, not the 13th    | false
            0 9 13 * *     | 2024-10-13 | the 13th                  | true
            0 9 * * FRI    | 2024-09-20 | a Friday                  | true
            0 9 * * FRI    | 2024-10-13 | the 13th, a Sunday        | false
            0 9 1-7 * MON  | 2024-09-03 | a Tuesday in 1-7          | true
            0 9 1-7 * MON  | 2024-09-09 | a Monday after the 7th    | true
            0 9 1-7 * MON  | 2024-09-10 | neither                   | false
            0 9 13 2 FRI   | 2024-09-13 | Friday the 13th, not Feb  | false
            0 9 13 2 FRI   | 2024-02-16 | a Friday in Feb           | true
            0 9 */2 * MON  | 2024-09-09 | an odd Monday             | true
            0 9 */2 * MON  | 2024-09-02 | an even Monday            | false
            0 9 */2 * MON  | 2024-09-03 | an odd Tuesday            | false
            0 9 13 * */3   | 2024-09-13 | the 13th, a Friday        | false
            0 9 13 * */6   | 2024-10-13 | the 13th, a Sunday        | true
            0 9 13 * */6   | 2024-10-12 | a Saturday, not the 13th  | false
            """)
    void daysOfMonthAndWeekFollowVixieCron(String expression, LocalDate date, String what, boolean fires) {
        Schedule schedule = Cron.parse(expression, SEOUL);

        assertThat(schedule.days().matches(date)).as(what).isEqualTo(fires);
        assertThat(schedule.slotsOn(date)).hasSize(fires ? 1 : 0);
    }

    @ParameterizedTest(name = "\"{0}\" has check times {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0 9,17 * * *         | 09:00 17:00
            */30 */12 * * *      | 00:00 00:30 12:00 12:30
            59 23 * * *          | 23:59
            0,0,0 9,9 * * *      | 09:00
            15 9-11/2 * * *      | 09:15 11:15
            """)
    void checkTimesAreEveryHourMinuteCombination(String expression, String expected) {
        List<LocalTime> expectedTimes = Arrays.stream(expected.split(" ")).map(LocalTime::parse).toList();

        assertThat(Cron.parse(expression, SEOUL).times()).isEqualTo(expectedTimes);
    }

    @Test
    void everyMinuteHas1440CheckTimes() {
        assertThat(Cron.parse("* * * * *", SEOUL).times()).hasSize(1440);
    }

    @Test
    void whitespaceBetweenFieldsIsFlexible() {
        assertThat(Cron.parse("  0\t9,17  *  * MON-FRI ", SEOUL).times())
                .containsExactly(LocalTime.of(9, 0), LocalTime.of(17, 0));
    }

    @Test
    void describesItselfAsWritten() {
        assertThat(Cron.parse("0 9,16 * * *", SEOUL)).hasToString("cron \"0 9,16 * * *\" (Asia/Seoul)");
    }

    @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # expression        | expected message
            0 25 * * *          | cron field 'hour' value 25 is out of range 0-23 in "0 25 * * *"
            60 * * * *          | cron field 'minute' value 60 is out of range 0-59 in "60 * * * *"
            0 0 0 * *           | cron field 'day-of-month' value 0 is out of range 1-31 in "0 0 0 * *"
            0 0 32 * *          | cron field 'day-of-month' value 32 is out of range 1-31 in "0 0 32 * *"
            0 0 * 13 *          | cron field 'month' value 13 is out of range 1-12 in "0 0 * 13 *"
            0 0 * 0 *           | cron field 'month' value 0 is out of range 1-12 in "0 0 * 0 *"
            0 0 * * 8           | cron field 'day-of-week' value 8 is out of range 0-7 in "0 0 * * 8"
            0 0 * FOO *         | cron field 'month' value 'FOO' is not a number or a name JAN-DEC in "0 0 * FOO *"
            0 0 * * MOX         | cron field 'day-of-week' value 'MOX' is not a number or a name SUN-SAT in "0 0 * * MOX"
            0 0 * * MONDAY      | cron field 'day-of-week' value 'MONDAY' is not a number or a name SUN-SAT in "0 0 * * MONDAY"
            0 MON * * *         | cron field 'hour' value 'MON' is not a number in "0 MON * * *"
            0 0 JAN * *         | cron field 'day-of-month' value 'JAN' is not a number in "0 0 JAN * *"
            -5 * * * *          | cron field 'minute' range '-5' is not of the form a-b in "-5 * * * *"
            1-2-3 * * * *       | cron field 'minute' range '1-2-3' is not of the form a-b in "1-2-3 * * * *"
            5-1 * * * *         | cron field 'minute' range 5-1 is backwards in "5-1 * * * *"
            0 0 * DEC-JAN *     | cron field 'month' range DEC-JAN is backwards in "0 0 * DEC-JAN *"
            0 0 * * SAT-FRI     | cron field 'day-of-week' range SAT-FRI is backwards in "0 0 * * SAT-FRI"
            */0 * * * *         | cron field 'minute' step 0 must be at least 1 in "*/0 * * * *"
            */x * * * *         | cron field 'minute' step 'x' is not a number in "*/x * * * *"
            1/2/3 * * * *       | cron field 'minute' item '1/2/3' has more than one '/' in "1/2/3 * * * *"
            1,,2 * * * *        | cron field 'minute' has an empty list item in "1,,2 * * * *"
            0 9, * * *          | cron field 'hour' has an empty list item in "0 9, * * *"
            9999999999 * * * *  | cron field 'minute' value '9999999999' is not a number in "9999999999 * * * *"
            0 9 * *             | cron "0 9 * *" must have 5 fields (minute hour day-of-month month day-of-week), has 4
            0 9 * * * *         | cron "0 9 * * * *" must have 5 fields (minute hour day-of-month month day-of-week), has 6
            ''                  | cron "" must have 5 fields (minute hour day-of-month month day-of-week), has 0
            @reboot             | cron macro "@reboot" is not supported; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or five fields
            0 0 L/2 * *         | cron field 'day-of-month' item 'L/2': L, W and # cannot be combined with ranges or steps in "0 0 L/2 * *"
            0 0 32W * *         | cron field 'day-of-month' value 32 is out of range 1-31 in "0 0 32W * *"
            0 0 xW * *          | cron field 'day-of-month' item 'xW' is not of the form nW (n a day 1-31) in "0 0 xW * *"
            0 0 1-5W * *        | cron field 'day-of-month' item '1-5W' is not of the form nW (n a day 1-31) in "0 0 1-5W * *"
            0 0 * * 1-2#2       | cron field 'day-of-week' value '1-2' is not a number or a name SUN-SAT in "0 0 * * 1-2#2"
            0 0 * * 8L          | cron field 'day-of-week' value 8 is out of range 0-7 in "0 0 * * 8L"
            0 0 * * MONL        | cron field 'day-of-week' item 'MONL' is not of the form nL (n a day-of-week number 0-7) in "0 0 * * MONL"
            0 0 * * 5L-6        | cron field 'day-of-week' item '5L-6': L, W and # cannot be combined with ranges or steps in "0 0 * * 5L-6"
            0 0 * * 1#6         | cron field 'day-of-week' occurrence 6 in '1#6' is out of range 1-5 in "0 0 * * 1#6"
            0 0 * * 1#0         | cron field 'day-of-week' occurrence 0 in '1#0' is out of range 1-5 in "0 0 * * 1#0"
            0 0 * * #2          | cron field 'day-of-week' item '#2' is not of the form d#k in "0 0 * * #2"
            0 0 * * 1#2#3       | cron field 'day-of-week' item '1#2#3' is not of the form d#k in "0 0 * * 1#2#3"
            0 0 * * 1#x         | cron field 'day-of-week' occurrence 'x' is not a number in "0 0 * * 1#x"
            0 9 */100 * MON#4   | cron "0 9 */100 * MON#4" never fires
            0 9 30W 2 *         | cron "0 9 30W 2 *" never fires
            0 9 30 2 *          | cron "0 9 30 2 *" never fires
            0 9 31 4,6,9,11 *   | cron "0 9 31 4,6,9,11 *" never fires
            0 9 29 2 */6        | cron "0 9 29 2 */6" fires too rarely: no slot within 3000 days after 2096-03-01
            0 9 */28 2 MON      | cron "0 9 */28 2 MON" fires too rarely: no slot within 3000 days after 2000-01-01
            """)
    void rejectsBadExpressionsNamingTheField(String expression, String message) {
        assertThatThrownBy(() -> Cron.parse(expression, SEOUL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void anExpressionWhoseHourFieldStartsWithAStarRunsOnElapsedTime() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2024-10-27: 03:00 CEST goes back to 02:00 CET, so 02:00-02:59 happens twice.
        Schedule everyMinuteAtTwo = Cron.parse("* 2 * * *", berlin);
        assertThat(everyMinuteAtTwo.slotsOn(LocalDate.of(2024, 10, 27))).hasSize(120);
        // 2024-03-31: 02:00 CET jumps to 03:00 CEST, so no 02:xx at all.
        assertThat(everyMinuteAtTwo.slotsOn(LocalDate.of(2024, 3, 31))).isEmpty();
        // Neither field starts with *: once at the jump, once at the first occurrence.
        Schedule once = Cron.parse("0-59 2 * * *", berlin);
        assertThat(once.dst()).isEqualTo(Schedule.Dst.ONCE);
        assertThat(once.slotsOn(LocalDate.of(2024, 10, 27))).hasSize(60);
        assertThat(once.slotsOn(LocalDate.of(2024, 3, 31))).containsExactly(Instant.parse("2024-03-31T01:00:00Z"));
    }

    @Test
    void aLeapDayScheduleIsAccepted() {
        Schedule leapDay = Cron.parse("0 9 29 2 *", SEOUL);

        assertThat(leapDay.slotsBetween(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2029-01-01T00:00:00Z")))
                .containsExactly(Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2028-02-29T00:00:00Z"));
    }

    // Daylight saving in America/New_York: 2024-03-10 jumps from 02:00 to 03:00 EDT (07:00Z);
    // 2024-11-03 repeats 01:00-02:00, first in EDT (UTC-4), then in EST (UTC-5).

    @Test
    void aCheckTimeInTheSpringForwardGapFiresOnceAtTheJump() {
        Schedule schedule = Cron.parse("30 2 * * *", NEW_YORK);
        Instant jump = Instant.parse("2024-03-10T07:00:00Z");

        assertThat(schedule.slotsOn(LocalDate.of(2024, 3, 10))).containsExactly(jump);
        assertThat(schedule.slotsBetween(Instant.parse("2024-03-10T05:00:00Z"), Instant.parse("2024-03-11T04:00:00Z")))
                .containsExactly(jump);
        assertThat(schedule.slotsOn(LocalDate.of(2024, 3, 11))).containsExactly(Instant.parse("2024-03-11T06:30:00Z"));
    }

    @Test
    void twoCheckTimesInTheGapAreOneSlot() {
        Schedule schedule = Cron.parse("0,30 2 * * *", NEW_YORK);

        assertThat(schedule.slotsOn(LocalDate.of(2024, 3, 10))).containsExactly(Instant.parse("2024-03-10T07:00:00Z"));
    }

    @Test
    void aRepeatedCheckTimeOnTheFallBackDayFiresOnceAtItsFirstOccurrence() {
        Schedule schedule = Cron.parse("30 1 * * *", NEW_YORK);
        Instant first = Instant.parse("2024-11-03T05:30:00Z");

        assertThat(schedule.slotsOn(LocalDate.of(2024, 11, 3))).containsExactly(first);
        assertThat(schedule.slotsBetween(Instant.parse("2024-11-03T04:00:00Z"), Instant.parse("2024-11-04T05:00:00Z")))
                .containsExactly(first);
        assertThat(schedule.isSlot(Instant.parse("2024-11-03T06:30:00Z"))).isFalse();
    }

    @Test
    void anHourlyScheduleRunsOnElapsedTime23SlotsOnTheSpringForwardDayAnd25OnTheFallBackDay() {
        Schedule hourly = Cron.parse("0 * * * *", NEW_YORK);

        assertThat(hourly.dst()).isEqualTo(Schedule.Dst.ELAPSED);
        assertThat(hourly.slotsOn(LocalDate.of(2024, 3, 10))).hasSize(23);
        assertThat(hourly.slotsOn(LocalDate.of(2024, 11, 3))).hasSize(25)
                .contains(Instant.parse("2024-11-03T05:00:00Z"), Instant.parse("2024-11-03T06:00:00Z"));
        assertThat(hourly.slotsOn(LocalDate.of(2024, 11, 4))).hasSize(24);
    }

    /** Schedule's "no slot" is the project's one "no instant", which callers compare with. */
    @Test
    void noSlotIsMillisNone() {
        Schedule daily = Cron.parse("0 9 * * *", SEOUL);
        assertThat(daily.firstAfter(Long.MAX_VALUE)).isEqualTo(Millis.NONE);
        long nineInSeoul = Instant.parse("2024-03-15T00:00:00Z").toEpochMilli();
        assertThat(daily.firstAfter(nineInSeoul - 1)).isEqualTo(nineInSeoul);
    }
}
