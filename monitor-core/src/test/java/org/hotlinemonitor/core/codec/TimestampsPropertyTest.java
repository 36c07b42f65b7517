package org.hotlinemonitor.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Timestamps agrees with java.time, which is slow but trusted. */
class TimestampsPropertyTest {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in epoch seconds. */
    private static final long MIN_SECOND = -62_167_219_200L;
    private static final long MAX_SECOND = 253_402_300_799L;

    @Property(tries = 2000)
    void parseAgreesWithInstantParse(@ForAll("instants") Instant instant, @ForAll("offsets") ZoneOffset offset,
                                     @ForAll @IntRange(min = 0, max = 9) int fractionDigits,
                                     @ForAll boolean lowerCase, @ForAll boolean compactOffset) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, offset);
        if (local.getYear() < 0 || local.getYear() > 9999) {
            return; // outside the four-digit years this syntax can write
        }
        String fraction = "";
        if (fractionDigits > 0) {
            fraction = "." + String.format("%09d", instant.getNano()).substring(0, fractionDigits);
        }
        String zone = offset.getTotalSeconds() == 0 ? "Z" : offset.getId();
        String text = local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")) + fraction + zone;
        long expected = Instant.parse(text).toEpochMilli(); // java.time truncates to millis toward the past too

        String written = text;
        if (compactOffset && zone.length() == 6) {
            written = written.substring(0, written.length() - 3) + zone.substring(4); // +09:00 -> +0900
        }
        if (lowerCase) {
            written = written.replace('T', 't').replace('Z', 'z');
        }
        assertThat(Timestamps.parseMillis(written)).as(written).isEqualTo(expected);
        // And java.time means what we think: whole seconds, plus the written fraction cut to millis.
        assertThat(expected).isEqualTo(instant.getEpochSecond() * 1000
                + truncatedNanos(instant.getNano(), fractionDigits) / 1_000_000);
    }

    @Property(tries = 5000)
    void acceptsExactlyTheDatesAndTimesThatExist(@ForAll("years") int year,
                                                @ForAll @IntRange(min = 0, max = 13) int month,
                                                @ForAll("days") int day,
                                                @ForAll @IntRange(min = 0, max = 24) int hour,
                                                @ForAll @IntRange(min = 0, max = 60) int minute,
                                                @ForAll @IntRange(min = 0, max = 60) int second) {
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second);
        Long expected;
        try {
            expected = LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException e) {
            expected = null;
        }
        if (expected == null) {
            assertThatThrownBy(() -> Timestamps.parseMillis(text)).as(text)
                    .isInstanceOf(TimestampFormatException.class).hasMessageContaining("out of range");
        } else {
            assertThat(Timestamps.parseMillis(text)).as(text).isEqualTo(expected);
        }
    }

    @Property(tries = 2000)
    void formatAgreesWithInstantToString(@ForAll @LongRange(min = -62_167_219_200_000L * 2,
            max = 253_402_300_800_000L * 2) long millis) {
        assertThat(Timestamps.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }

    @Property(tries = 2000)
    void formatAgreesForWholeSecondsAndMillisNearEpoch(@ForAll @LongRange(min = -5_000_000_000L,
            max = 5_000_000_000L) long seconds, @ForAll @IntRange(min = 0, max = 999) int millis) {
        long ms = seconds * 1000 + (millis % 3 == 0 ? 0 : millis);
        assertThat(Timestamps.format(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }

    @Property(tries = 2000)
    void parseInvertsFormat(@ForAll @LongRange(min = -62_167_219_200_000L, max = 253_402_300_799_999L) long millis) {
        assertThat(Timestamps.parseMillis(Timestamps.format(millis))).isEqualTo(millis);
    }

    /** Any four-digit year, often one where the leap-year rule has an exception. */
    @Provide
    Arbitrary<Integer> years() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 9999),
                Arbitraries.of(0, 1600, 1900, 2000, 2023, 2024, 2100, 2400, 9999),
                Arbitraries.integers().between(0, 99).map(c -> c * 100));
    }

    /** Any day number from 0 to 32, often one at the end of a month. */
    @Provide
    Arbitrary<Integer> days() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 32), Arbitraries.integers().between(28, 32));
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.oneOf(
                Arbitraries.longs().between(MIN_SECOND, MAX_SECOND),
                Arbitraries.longs().between(0, 7_258_118_400L)); // 1970 to 2200, where real events live
        Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-18 * 60, 18 * 60).map(m -> ZoneOffset.ofTotalSeconds(m * 60)),
                Arbitraries.of(ZoneOffset.UTC, ZoneOffset.ofHours(9), ZoneOffset.ofHours(-5),
                        ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.MAX, ZoneOffset.MIN));
    }

    private static long truncatedNanos(int nanos, int digits) {
        long unit = (long) Math.pow(10, 9 - digits);
        return nanos / unit * unit;
    }

    @Property(tries = 500)
    void javaTimeTruncatesTowardThePastToo(@ForAll("instants") Instant instant) {
        // The contract both sides rely on: epoch millis floor, including before 1970.
        assertThat(instant.toEpochMilli()).isEqualTo(instant.truncatedTo(ChronoUnit.MILLIS).toEpochMilli());
    }
}
