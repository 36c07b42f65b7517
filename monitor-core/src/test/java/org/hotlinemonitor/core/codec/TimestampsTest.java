package org.hotlinemonitor.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2023-04-06T08:00:41Z            | 2023-04-06T08:00:41Z
            2023-04-06t08:00:41z            | 2023-04-06T08:00:41Z
            2023-04-06T08:00:41.5Z          | 2023-04-06T08:00:41.500Z
            2023-04-06T08:00:41.123Z        | 2023-04-06T08:00:41.123Z
            2023-04-06T08:00:41.123999999Z  | 2023-04-06T08:00:41.123Z
            2023-04-06T08:00:41.000000001Z  | 2023-04-06T08:00:41Z
            2023-04-06T17:00:41+09:00       | 2023-04-06T08:00:41Z
            2023-04-06T17:00:41+0900        | 2023-04-06T08:00:41Z
            2023-04-06T03:00:41-05:00       | 2023-04-06T08:00:41Z
            2023-04-06T03:00:41-0500        | 2023-04-06T08:00:41Z
            2023-04-06T08:00:41-00:00       | 2023-04-06T08:00:41Z
            2023-04-06T05:30:41.999+05:30   | 2023-04-06T00:00:41.999Z
            2023-01-01T00:30:00+01:00       | 2022-12-31T23:30:00Z
            2024-02-29T12:00:00Z            | 2024-02-29T12:00:00Z
            2000-02-29T00:00:00Z            | 2000-02-29T00:00:00Z
            1970-01-01T00:00:00Z            | 1970-01-01T00:00:00Z
            1969-12-31T23:59:59.999Z        | 1969-12-31T23:59:59.999Z
            1969-12-31T23:59:59.9999Z       | 1969-12-31T23:59:59.999Z
            0000-01-01T00:00:00Z            | 0000-01-01T00:00:00Z
            0000-02-29T00:00:00Z            | 0000-02-29T00:00:00Z
            9999-12-31T23:59:59.999Z        | 9999-12-31T23:59:59.999Z
            9999-12-31T23:59:59-18:00       | +10000-01-01T17:59:59Z
            2023-04-06T08:00:41+18:00       | 2023-04-05T14:00:41Z
            """)
    void parsesValidInstants(String text, String expected) {
        long millis = Instant.parse(expected).toEpochMilli();
        assertThat(Timestamps.parseMillis(text)).isEqualTo(millis);
        byte[] padded = ("xx" + text + "yy").getBytes(StandardCharsets.US_ASCII);
        assertThat(Timestamps.parseMillis(padded, 2, text.length())).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            ''                          | expected digit at position 0, found end of text                      | 0
            garbage                     | expected digit at position 0, found 'g'                              | 0
            2023-13-06T08:00:41Z        | month 13 out of range                                                | -1
            2023-00-06T08:00:41Z        | month 0 out of range                                                 | -1
            2023-02-30T08:00:41Z        | day 30 out of range for 2023-02                                      | -1
            2023-02-29T08:00:41Z        | day 29 out of range for 2023-02                                      | -1
            1900-02-29T08:00:41Z        | day 29 out of range for 1900-02                                      | -1
            2023-04-31T08:00:41Z        | day 31 out of range for 2023-04                                      | -1
            2023-04-00T08:00:41Z        | day 0 out of range for 2023-04                                       | -1
            2023-04-06 08:00:41Z        | expected 'T' at position 10, found ' '                               | 10
            2023-04-06T24:00:00Z        | hour 24 out of range                                                 | -1
            2023-04-06T08:60:00Z        | minute 60 out of range                                               | -1
            2023-04-06T08:00:60Z        | second 60 out of range                                               | -1
            2023-04-06T08:00:41         | expected zone ('Z' or an offset like +09:00) at position 19, found end of text | 19
            2023-04-06T08:00            | expected ':' at position 16, found end of text                       | 16
            2023-04-06T08:00:41.Z       | expected digit at position 20, found 'Z'                             | 20
            2023-04-06T08:00:41.1234567891Z | fraction longer than 9 digits at position 29                     | 29
            2023-04-06T08:00:41+09      | expected digit at position 22, found end of text                     | 22
            2023-04-06T08:00:41+9:00    | expected digit at position 21, found ':'                             | 21
            2023-04-06T08:00:41+19:00   | offset hour 19 out of range                                          | -1
            2023-04-06T08:00:41+09:60   | offset minute 60 out of range                                        | -1
            2023-04-06T08:00:41+18:30   | offset +18:30 out of range (at most 18:00)                           | -1
            2023-04-06T08:00:41ZZ       | expected end of timestamp at position 20, found 'Z'                  | 20
            2023-04-06T08:00:41Z        | NULL                                                                 | -2
            +2023-04-06T08:00:41Z       | expected digit at position 0, found '+'                              | 0
            12023-04-06T08:00:41Z       | expected '-' at position 4, found '3'                                | 4
            2023-4-06T08:00:41Z         | expected digit at position 6, found '-'                              | 6
            1680768041000               | expected '-' at position 4, found '7'                                | 4
            2023-04-06T08:00:41 Z       | expected zone ('Z' or an offset like +09:00) at position 19, found ' ' | 19
            """)
    void rejectsBadInstants(String text, String message, int position) {
        if (position == -2) {
            return; // a row kept to show the valid form next to its broken variants
        }
        assertThatThrownBy(() -> Timestamps.parseMillis(text))
                .isInstanceOf(TimestampFormatException.class)
                .hasMessage(message)
                .extracting(e -> ((TimestampFormatException) e).position()).isEqualTo(position);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Timestamps.parseMillis(bytes, 0, bytes.length)).hasMessage(message);
    }

    @Test
    void nonAsciiIsNamedWithoutGuessingItsEncoding() {
        assertThatThrownBy(() -> Timestamps.parseMillis("2023-04-06T08:00:41\u00a0Z"))
                .hasMessage("expected zone ('Z' or an offset like +09:00) at position 19, found a non-ASCII character");
        byte[] utf8 = "２023-04-06T08:00:41Z".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Timestamps.parseMillis(utf8, 0, utf8.length))
                .hasMessage("expected digit at position 0, found a non-ASCII character");
    }

    @Test
    void controlCharactersAreNamedByCodePoint() {
        assertThatThrownBy(() -> Timestamps.parseMillis("2023-04-06T08:00:41\tZ"))
                .hasMessageEndingWith("found character U+0009");
    }

    @Test
    void readsOnlyTheGivenRange() {
        byte[] bytes = "2023-04-06T08:00:41Z2023".getBytes(StandardCharsets.US_ASCII);
        assertThat(Timestamps.parseMillis(bytes, 0, 20)).isEqualTo(Instant.parse("2023-04-06T08:00:41Z").toEpochMilli());
        assertThatThrownBy(() -> Timestamps.parseMillis(bytes, 0, 19))
                .hasMessageStartingWith("expected zone");
        assertThatThrownBy(() -> Timestamps.parseMillis(bytes, 10, 20))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            2023-04-06T08:00:41Z
            2023-04-06T08:00:41.500Z
            2023-04-06T08:00:41.001Z
            1970-01-01T00:00:00Z
            1969-12-31T23:59:59.999Z
            0000-01-01T00:00:00Z
            -0001-12-31T23:59:59.999Z
            9999-12-31T23:59:59.999Z
            +10000-01-01T00:00:00Z
            -10000-01-01T00:00:00Z
            2024-02-29T23:59:00Z
            2100-03-01T00:00:00Z
            """)
    void formatsAsInstantToString(String text) {
        long millis = Instant.parse(text).toEpochMilli();
        assertThat(Timestamps.format(millis)).isEqualTo(text);
        StringBuilder sb = new StringBuilder("at ");
        Timestamps.appendTo(sb, millis);
        assertThat(sb).hasToString("at " + text);
    }

    @Test
    void formatsTheExtremesOfLong() {
        assertThat(Timestamps.format(Long.MAX_VALUE)).isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE).toString());
        assertThat(Timestamps.format(Long.MIN_VALUE)).isEqualTo(Instant.ofEpochMilli(Long.MIN_VALUE).toString());
    }

    @Test
    void fourDigitYearsAreExactlyTheParseableRange() {
        assertThat(Timestamps.hasFourDigitYear(Instant.parse("0000-01-01T00:00:00Z").toEpochMilli())).isTrue();
        assertThat(Timestamps.hasFourDigitYear(Instant.parse("0000-01-01T00:00:00Z").toEpochMilli() - 1)).isFalse();
        assertThat(Timestamps.hasFourDigitYear(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli())).isTrue();
        assertThat(Timestamps.hasFourDigitYear(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli() + 1)).isFalse();
    }
}
