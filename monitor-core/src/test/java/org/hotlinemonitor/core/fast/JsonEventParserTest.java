package org.hotlinemonitor.core.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.codec.TimestampFormatException;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class JsonEventParserTest {

    private static final String CH = "\"channel\":\"liaison-office\"";
    private static final String KIND = "\"kind\":\"ANSWERED\"";
    private static final String TS = "\"ts\":\"2023-04-06T08:00:41Z\"";
    private static final String SLOT = "\"slot\":\"2023-04-06T08:00:00Z\"";
    private static final String CANONICAL = "{" + CH + "," + KIND + "," + TS + "," + SLOT + "}";

    private static final Instant T = Instant.parse("2023-04-06T08:00:41Z");
    private static final Instant S = Instant.parse("2023-04-06T08:00:00Z");
    private static final CallEvent ANSWERED = CallEvent.of("liaison-office", EventKind.ANSWERED, T, S);
    private static final CallEvent NO_SLOT = CallEvent.of("liaison-office", EventKind.ANSWERED, T, null);

    private final JsonEventParser parser = new JsonEventParser();

    static Stream<Arguments> validLines() {
        return Stream.of(
                valid("canonical", CANONICAL, ANSWERED),
                valid("fields in another order", "{" + SLOT + "," + TS + "," + KIND + "," + CH + "}", ANSWERED),
                valid("whitespace wherever JSON allows it",
                        " \t{ \"channel\" :\t\"liaison-office\" ,\r\n\"kind\"\n:\"ANSWERED\" , " + TS + " ,"
                                + SLOT + " }\r ", ANSWERED),
                valid("no slot", "{" + CH + "," + KIND + "," + TS + "}", NO_SLOT),
                valid("null slot", "{" + CH + "," + KIND + "," + TS + ",\"slot\":null}", NO_SLOT),
                valid("unknown string with escapes", withExtra("\"x\":\"a\\\"}b\\\\,{\\u0041\\n\""), ANSWERED),
                valid("unknown numbers", withExtra("\"a\":0,\"b\":-1.5e+10,\"c\":2E-3,\"d\":12345678901234567890123,"
                        + "\"e\":-0,\"f\":0.25"), ANSWERED),
                valid("unknown literals", withExtra("\"t\":true,\"f\":false,\"n\":null"), ANSWERED),
                valid("unknown nested containers", withExtra("\"o\":{\"a\":[1,{\"b\":[]},\"]}\"],\"c\":{},"
                        + "\"d\":{\"e\":{\"f\":null}}},\"arr\":[ [ ], [[1 , 2]] ,{ } ,\"x\" ]"), ANSWERED),
                valid("unknown empty name and repeats", withExtra("\"\":1,\"z\":1,\"z\":2"), ANSWERED),
                valid("unknown field first", "{\"version\":{\"major\":2}," + CH + "," + KIND + "," + TS + ","
                        + SLOT + "}", ANSWERED),
                valid("name that is a prefix of a known one", withExtra("\"channels\":[],\"t\":1,\"kinds\":2,"
                        + "\"sourc\":3,\"Ts\":4"), ANSWERED),
                valid("escaped field names", "{\"\\u0063hannel\":\"liaison-office\",\"kin\\u0064\":\"ANSWERED\","
                        + "\"t\\u0073\":\"2023-04-06T08:00:41Z\",\"\\u0073lot\":\"2023-04-06T08:00:00Z\"}", ANSWERED),
                valid("escaped channel and kind", "{\"channel\":\"liaison\\u002doffice\",\"kind\":\"\\u0041NSWERED\","
                        + TS + "," + SLOT + "}", ANSWERED),
                valid("escaped timestamp", "{" + CH + "," + KIND + ",\"ts\":\"2023-04-06\\u005408:00:41Z\","
                        + SLOT + "}", ANSWERED),
                valid("epoch millis", "{" + CH + "," + KIND + ",\"ts\":1680768041000,\"slot\":1680768000000}", ANSWERED),
                valid("epoch millis before 1970", "{" + CH + "," + KIND + ",\"ts\":-1}",
                        CallEvent.of("liaison-office", EventKind.ANSWERED, Instant.ofEpochMilli(-1), null)),
                valid("epoch millis zero", "{" + CH + "," + KIND + ",\"ts\":0}",
                        CallEvent.of("liaison-office", EventKind.ANSWERED, Instant.EPOCH, null)),
                valid("epoch millis at the limits of long", "{" + CH + "," + KIND
                                + ",\"ts\":-9223372036854775808,\"slot\":9223372036854775807}",
                        CallEvent.of("liaison-office", EventKind.ANSWERED, Instant.ofEpochMilli(Long.MIN_VALUE),
                                Instant.ofEpochMilli(Long.MAX_VALUE))),
                valid("offsets and fractions", "{" + CH + "," + KIND + ",\"ts\":\"2023-04-06T17:00:41.9999+09:00\","
                        + "\"slot\":\"2023-04-06t03:00:00-0500\"}",
                        CallEvent.of("liaison-office", EventKind.ANSWERED, Instant.parse("2023-04-06T08:00:41.999Z"), S)),
                valid("optional strings", "{" + CH + "," + KIND + "," + TS + ",\"id\":\"e-1\",\"source\":\"scheduler\","
                        + "\"note\":\"checked by hand\"}",
                        new CallEvent("liaison-office", EventKind.ANSWERED, T, null, "e-1", "scheduler", "checked by hand")),
                valid("optional strings null", "{" + CH + "," + KIND + "," + TS + ",\"id\":null,\"source\":null,"
                        + "\"note\":null}", NO_SLOT),
                valid("every escape", "{" + CH + "," + KIND + "," + TS + ",\"note\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t"
                                + " \\u00e9 \\u00E9 \\ud83d\\ude00 \\u0000\"}",
                        new CallEvent("liaison-office", EventKind.ANSWERED, T, null, null, null,
                                "q\" b\\ s/ \b\f\n\r\t \u00e9 \u00e9 \ud83d\ude00 \u0000")),
                valid("raw UTF-8", "{\"channel\":\"bureau-\u00e9t\u00e9\"," + KIND + "," + TS
                                + ",\"source\":\"\u4e2d\u6587\",\"note\":\"\ud83d\ude00 \u00e9\"}",
                        new CallEvent("bureau-\u00e9t\u00e9", EventKind.ANSWERED, T, null, null, "\u4e2d\u6587",
                                "\ud83d\ude00 \u00e9")),
                valid("lone surrogate escape kept", "{" + CH + "," + KIND + "," + TS + ",\"note\":\"a\\ud800b\"}",
                        new CallEvent("liaison-office", EventKind.ANSWERED, T, null, null, null, "a\ud800b")),
                valid("DEL and non-BMP raw", "{" + CH + "," + KIND + "," + TS + ",\"id\":\"\u007f\ud834\udd1e\"}",
                        new CallEvent("liaison-office", EventKind.ANSWERED, T, null, "\u007f\ud834\udd1e", null, null)),
                valid("heartbeat without channel", "{\"kind\":\"HEARTBEAT\",\"ts\":\"2023-04-06T08:00:41Z\","
                        + "\"source\":\"scheduler-1\"}", CallEvent.heartbeat(T, "scheduler-1")),
                valid("heartbeat with null channel", "{\"channel\":null,\"kind\":\"HEARTBEAT\",\"ts\":1680768041000}",
                        CallEvent.heartbeat(T, null)),
                valid("heartbeat with a channel", "{" + CH + ",\"kind\":\"HEARTBEAT\"," + TS + "}",
                        CallEvent.of("liaison-office", EventKind.HEARTBEAT, T, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validLines")
    void parsesValidLines(String name, String line, CallEvent expected) throws Exception {
        assertThat(parser.parse(line)).isEqualTo(expected);
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[utf8.length + 4];
        framed[0] = '{';
        framed[1] = '"';
        System.arraycopy(utf8, 0, framed, 2, utf8.length);
        framed[framed.length - 2] = '}';
        framed[framed.length - 1] = '\n';
        assertThat(parser.decode(framed, 2, utf8.length)).as("within a larger buffer").isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(EventKind.class)
    void parsesEveryKind(EventKind kind) throws Exception {
        CallEvent event = parser.parse("{" + CH + ",\"kind\":\"" + kind.name() + "\"," + TS + "}");
        assertThat(event.kind()).isEqualTo(kind);
    }

    /**
     * Bad lines: the field at fault (null for syntax errors), a fragment of the message, and where the
     * problem is: the column of the first occurrence of {@code at} in the line (or of the spot marked
     * with '|' in it), "START" for column 1 or "END" for just past the end.
     */
    static Stream<Arguments> badLines() {
        String kt = KIND + "," + TS;
        return Stream.of(
                // Syntax
                bad("", null, "empty line", "START"),
                bad(" \t ", null, "empty line", "START"),
                bad("[]", null, "malformed JSON at column 1: expected '{'", "["),
                bad("\"kind\"", null, "malformed JSON at column 1: expected '{'", "\""),
                bad("{", null, "malformed JSON at column 2: unexpected end of line", "END"),
                bad("{" + CH + "," + kt, null, "unexpected end of line", "END"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"2023-04-06T08:00", null, "unexpected end of line", "END"),
                bad("{\"channel\":\"liaison-office\" \"kind\":\"ANSWERED\"}", null,
                        "malformed JSON at column 29: expected ',' or '}'", " |\"kind"),
                bad("{" + CH + "," + kt + "} x", null, "unexpected data after the object", "x"),
                bad("{" + CH + "," + kt + "}{}", null, "unexpected data after the object", "}|{"),
                bad("{channel:\"a\"}", null, "expected a field name in double quotes", "channel"),
                bad("{\"channel\" \"a\"}", null, "expected ':'", " |\"a"),
                bad("{" + CH + ",}", null, "expected a field name in double quotes", "}"),
                bad("{" + CH + ",," + kt + "}", null, "expected a field name in double quotes", ",\"kind"),
                bad("{'channel':'a'}", null, "expected a field name in double quotes", "'"),
                bad("{" + kt + ",\"x\":tru}", null, "expected 'true'", "tru"),
                bad("{" + kt + ",\"x\":nul", null, "unexpected end of line", "END"),
                bad("{" + kt + ",\"x\":[1,2", null, "unexpected end of line", "END"),
                bad("{" + kt + ",\"x\":[1 2]}", null, "expected ',' or ']'", "2]"),
                bad("{" + kt + ",\"x\":{\"a\"}}", null, "expected ':'", "}}"),
                bad("{" + kt + ",\"x\":{\"a\":1,}}", null, "expected a field name in double quotes", "}}"),
                bad("{" + kt + ",\"x\":[1,]}", null, "expected a value", "]}"),
                bad("{" + kt + ",\"x\":01}", null, "expected ',' or '}'", "1}"),
                bad("{" + kt + ",\"x\":1.}", null, "expected a digit after '.'", "}"),
                bad("{" + kt + ",\"x\":.5}", null, "expected a value", ".5"),
                bad("{" + kt + ",\"x\":-}", null, "expected a digit", "}"),
                bad("{" + kt + ",\"x\":+1}", null, "expected a value", "+"),
                bad("{" + kt + ",\"x\":1e}", null, "expected a digit in the exponent", "}"),
                bad("{" + kt + ",\"x\":NaN}", null, "expected a value", "NaN"),
                bad("{" + kt + ",\"x\":'a'}", null, "expected a value", "'"),
                bad("{" + kt + ",\"x\":\"\\x\"}", null, "invalid escape '\\x'", "\\x"),
                bad("{" + kt + ",\"x\":\"\\u12G4\"}", null, "expected a hex digit in \\u escape", "G"),
                bad("{" + kt + ",\"x\":\"\\u12\"}", null, "expected a hex digit in \\u escape", "\"}"),
                bad("{" + kt + ",\"x\":\"a\tb\"}", null, "unescaped control character in string", "\t"),
                bad("{" + kt + ",\"note\":\"line\nbreak\"}", null, "unescaped control character in string", "\n"),
                bad("{" + kt + ",\"x\":\"abc}", null, "unexpected end of line", "END"),
                bad("{" + kt + ",\"x\":\"abc\\", null, "unexpected end of line", "END"),
                bad("{" + kt + ",\"ts2\":tru}", null, "expected 'true'", "tru"),
                bad("{\"ts\":tru}", null, "expected 'true'", "tru"),

                // kind
                bad("{" + CH + ",\"kind\":\"ANSWER\"," + TS + "}", "kind",
                        "field 'kind': unknown kind 'ANSWER' (expected one of CALL_PLACED, ANSWERED, NO_ANSWER, "
                                + "LINE_FAULT, HEARTBEAT)", "\"ANSWER\""),
                bad("{" + CH + ",\"kind\":\"answered\"," + TS + "}", "kind", "unknown kind 'answered'", "\"answered"),
                bad("{" + CH + ",\"kind\":\"\"," + TS + "}", "kind", "unknown kind ''", "\"\","),
                bad("{" + CH + ",\"kind\":\"ANSWERED \"," + TS + "}", "kind", "unknown kind 'ANSWERED '", "\"ANSWERED"),
                bad("{" + CH + ",\"kind\":\"\\u0041NSWER\"," + TS + "}", "kind", "unknown kind 'ANSWER'", "\"\\u"),
                bad("{" + CH + ",\"kind\":1," + TS + "}", "kind", "field 'kind': expected a string, found a number", "1,"),
                bad("{" + CH + ",\"kind\":null," + TS + "}", "kind", "field 'kind': expected a string, found null", "null"),
                bad("{" + CH + ",\"kind\":[\"ANSWERED\"]," + TS + "}", "kind", "found an array", "["),
                bad("{" + CH + "," + TS + "}", "kind", "missing field 'kind'", "}"),
                bad("{}", "kind", "missing field 'kind'", "}"),

                // ts and slot
                bad("{" + CH + "," + KIND + "}", "ts", "missing field 'ts'", "}"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"2023-13-06T08:00:41Z\"}", "ts",
                        "field 'ts': bad timestamp '2023-13-06T08:00:41Z': month 13 out of range", "\"2023"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"2023-02-30T08:00:41Z\"}", "ts",
                        "field 'ts': bad timestamp '2023-02-30T08:00:41Z': day 30 out of range for 2023-02", "\"2023"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"2023-04-06T08:00:41\"}", "ts",
                        "field 'ts': bad timestamp '2023-04-06T08:00:41': expected zone ('Z' or an offset like +09:00) "
                                + "at position 19, found end of text", "\"}"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"2023-04-06 08:00:41Z\"}", "ts",
                        "expected 'T' at position 10, found ' '", " 08"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"soon\"}", "ts",
                        "field 'ts': bad timestamp 'soon': expected digit at position 0, found 's'", "soon"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"\"}", "ts", "bad timestamp ''", "\"|\"}"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"1680768041000\"}", "ts", "bad timestamp '1680768041000'", "768041"),
                bad("{" + CH + "," + KIND + ",\"ts\":\"2023-04-06T08:00:61\\u005a\"}", "ts",
                        "bad timestamp '2023-04-06T08:00:61Z': second 61 out of range", "\"2023"),
                bad("{" + CH + "," + KIND + ",\"ts\":true}", "ts",
                        "field 'ts': expected an ISO-8601 string or an integer (epoch milliseconds), found a boolean",
                        "true"),
                bad("{" + CH + "," + KIND + ",\"ts\":null}", "ts", "found null", "null"),
                bad("{" + CH + "," + KIND + ",\"ts\":{\"ms\":1}}", "ts", "found an object", "{\"ms"),
                bad("{" + CH + "," + KIND + ",\"ts\":1.5}", "ts",
                        "field 'ts': expected an integer (epoch milliseconds), found 1.5", "1.5"),
                bad("{" + CH + "," + KIND + ",\"ts\":1e3}", "ts", "expected an integer (epoch milliseconds), found 1e3", "1e3"),
                bad("{" + CH + "," + KIND + ",\"ts\":9223372036854775808}", "ts",
                        "field 'ts': epoch milliseconds out of range: 9223372036854775808", "9223"),
                bad("{" + CH + "," + KIND + ",\"ts\":-99999999999999999999}", "ts", "out of range", "-9999"),
                bad("{" + CH + "," + KIND + "," + TS + ",\"slot\":\"2023-04-06T08:00:00+25:00\"}", "slot",
                        "field 'slot': bad timestamp '2023-04-06T08:00:00+25:00': offset hour 25 out of range",
                        "\"2023-04-06T08:00:00+"),
                bad("{" + CH + "," + KIND + "," + TS + ",\"slot\":[]}", "slot", "field 'slot': expected", "[]"),
                bad("{" + CH + "," + KIND + "," + TS + ",\"slot\":false}", "slot", "found a boolean", "false"),

                // channel
                bad("{" + kt + "}", "channel", "missing field 'channel' (required for ANSWERED)", "}"),
                bad("{\"channel\":null," + kt + "}", "channel",
                        "field 'channel': null is only allowed for HEARTBEAT", "null"),
                bad("{\"channel\":\"\"," + kt + "}", "channel", "field 'channel': must not be empty", "\"\""),
                bad("{\"channel\":42," + kt + "}", "channel", "field 'channel': expected a string or null, found a number", "42"),
                bad("{\"channel\":[\"a\"]," + kt + "}", "channel", "found an array", "["),
                bad("{\"channel\":{}," + kt + "}", "channel", "found an object", "{},"),

                // optional strings
                bad("{" + CH + "," + kt + ",\"note\":1}", "note", "field 'note': expected a string or null, found a number", "1}"),
                bad("{" + CH + "," + kt + ",\"id\":true}", "id", "field 'id': expected a string or null, found a boolean", "true"),
                bad("{" + CH + "," + kt + ",\"source\":{\"a\":1}}", "source", "found an object", "{\"a"),
                bad("{" + CH + "," + kt + ",\"source\":{\"a\":1", null, "unexpected end of line", "END"),

                // duplicates
                bad("{" + CH + "," + kt + "," + KIND + "}", "kind", "duplicate field 'kind'", ",|\"kind\":\"ANSWERED\"}"),
                bad("{" + CH + "," + kt + ",\"\\u006bind\":\"ANSWERED\"}", "kind", "duplicate field 'kind'", "\"\\u006b"),
                bad("{" + CH + "," + kt + ",\"slot\":null,\"slot\":null}", "slot", "duplicate field 'slot'", "\"slot\":null}"),
                bad("{" + CH + "," + kt + "," + CH + "}", "channel", "duplicate field 'channel'", ",|\"channel"),
                bad("{" + CH + "," + kt + ",\"ts\":0}", "ts", "duplicate field 'ts'", "\"ts\":0"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badLines")
    void rejectsBadLines(String line, String field, String message, String at) {
        EventFormatException e = catchThrowableOfType(EventFormatException.class, () -> parser.parse(line));
        assertThat(e).as("no error for %s", line).isNotNull();
        assertThat(e.getMessage()).contains(message);
        assertThat(e.field()).isEqualTo(field);
        int bytesBefore;
        if (at.equals("END")) {
            bytesBefore = line.getBytes(StandardCharsets.UTF_8).length;
        } else if (at.equals("START")) {
            bytesBefore = 0;
        } else {
            // The spot is the start of the marker, or where its '|' is.
            int bar = Math.max(at.indexOf('|'), 0);
            int index = line.indexOf(at.replace("|", ""));
            assertThat(index).as("marker %s in the line", at).isNotNegative();
            bytesBefore = line.substring(0, index + bar).getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(e.column()).as("column").isEqualTo(bytesBefore + 1);
        if (field == null && !message.equals("empty line")) {
            assertThat(e.getMessage()).startsWith("malformed JSON at column " + e.column() + ": ");
        }
    }

    @Test
    void timestampErrorsPointAtTheCharacterAndKeepTheCause() {
        String line = "{" + CH + "," + KIND + ",\"ts\":\"2023-04-06X08:00:41Z\"}";
        EventFormatException e = catchThrowableOfType(EventFormatException.class, () -> parser.parse(line));
        assertThat(e.column()).isEqualTo(line.indexOf('X') + 1);
        assertThat(e.getCause()).isInstanceOf(TimestampFormatException.class)
                .hasMessage("expected 'T' at position 10, found 'X'");
    }

    @Test
    void columnsCountFromTheOffsetGiven() {
        byte[] bytes = ("garbage{\"kind\":\"ANSWER\"}").getBytes(StandardCharsets.US_ASCII);
        EventFormatException e = catchThrowableOfType(EventFormatException.class,
                () -> parser.decode(bytes, 7, bytes.length - 7));
        assertThat(e.column()).isEqualTo(9);
        assertThat(e.field()).isEqualTo("kind");
    }

    @Test
    void columnsCountUtf8Bytes() {
        String line = "{\"note\":\"\u00e9\u00e9\",\"kind\":7}";
        EventFormatException e = catchThrowableOfType(EventFormatException.class, () -> parser.parse(line));
        assertThat(e.column()).isEqualTo(line.indexOf('7') + 1 + 2); // each é is two bytes
    }

    @Test
    void readsOnlyTheGivenRange() throws Exception {
        byte[] bytes = (CANONICAL + "garbage").getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.decode(bytes, 0, CANONICAL.length())).isEqualTo(ANSWERED);
        assertThatThrownBy(() -> parser.decode(bytes, 0, CANONICAL.length() - 1))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("unexpected end of line");
        assertThatThrownBy(() -> parser.decode(bytes, 5, bytes.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void everyTruncationIsAnErrorEvenWhenTheBufferGoesOn() {
        // The fast paths read whole words, which may reach past the line into the rest of the buffer;
        // none of them may take a byte past the line's end as part of the line.
        String line = "{" + CH + "," + KIND + ",\"ts\":\"2023-04-06T08:00:41.500Z\"," + SLOT
                + ",\"id\":\"e-1\",\"source\":\"scheduler\",\"note\":\"n\"}";
        byte[] bytes = (line + line).getBytes(StandardCharsets.US_ASCII);
        for (int len = 0; len < line.length(); len++) {
            int cut = len;
            assertThatThrownBy(() -> parser.decode(bytes, 0, cut)).as("cut at %d", cut)
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageMatching(cut == 0 ? "empty line" : "malformed JSON at column \\d+: unexpected end of line"
                            + "|malformed JSON at column \\d+: expected ',' or '}'|field 'ts': bad timestamp .*");
        }
    }

    @Test
    void timestampsInTheHourOfThePreviousOneAreCheckedAsFully() throws Exception {
        String head = "{" + CH + "," + KIND + ",\"ts\":\"";
        String[][] cases = {
            {"2023-04-06T08:00:41Z", "2023-04-06T08:00:41Z"},
            {"2023-04-06T08:59:59.999Z", "2023-04-06T08:59:59.999Z"},
            {"2023-04-06T08:00:00Z", "2023-04-06T08:00:00Z"},
            {"2023-04-06T08:60:00Z", "minute 60 out of range"},
            {"2023-04-06T08:00:60Z", "second 60 out of range"},
            {"2023-04-06T08:0a:00Z", "expected digit at position 15, found 'a'"},
            {"2023-04-06T08:00:00z", "2023-04-06T08:00:00Z"},
            {"2023-04-06T08:00:00X", "expected zone ('Z' or an offset like +09:00) at position 19, found 'X'"},
            {"2023-04-06T08:00-00Z", "expected ':' at position 16, found '-'"},
            {"2023-04-06T08:00:00,123Z", "expected zone"},
            {"2023-04-06T08:00:00.12aZ", "expected zone"},
            {"2023-04-06T08:30:00+01:00", "2023-04-06T07:30:00Z"},
            {"2023-04-06T08:30:00.5Z", "2023-04-06T08:30:00.500Z"},
            {"2023-04-07T08:30:00Z", "2023-04-07T08:30:00Z"},
            {"2023-04-06T08:30:00Z", "2023-04-06T08:30:00Z"},
            {"1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"},
            {"1969-12-31T23:00:00.001Z", "1969-12-31T23:00:00.001Z"},
        };
        for (String[] c : cases) {
            String line = head + c[0] + "\"}";
            if (c[1].startsWith("1") || c[1].startsWith("2")) {
                assertThat(parser.parse(line).ts()).as(c[0]).isEqualTo(Instant.parse(c[1]));
            } else {
                assertThatThrownBy(() -> parser.parse(line)).as(c[0]).hasMessageContaining(c[1]);
            }
        }
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws Exception {
        byte[] head = ("{\"channel\":\"a").getBytes(StandardCharsets.US_ASCII);
        byte[] mid = ("\"," + KIND + "," + TS + ",\"note\":\"x").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "y\\n\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] line = concat(head, new byte[] {(byte) 0xFF}, mid, new byte[] {(byte) 0xC3}, tail);
        CallEvent event = parser.decode(line, 0, line.length);
        assertThat(event.channel()).isEqualTo("a\ufffd");
        assertThat(event.note()).isEqualTo("x\ufffdy\n");
    }

    @Test
    void invalidUtf8InAKindOrTimestampIsAnErrorNotACrash() {
        byte[] kind = concat("{\"kind\":\"ANSWERED".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0x80},
                "\"}".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> parser.decode(kind, 0, kind.length)).hasMessageContaining("unknown kind 'ANSWERED\ufffd'");
        byte[] ts = concat(("{" + CH + "," + KIND + ",\"ts\":\"2023").getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xE2, (byte) 0x80, (byte) 0x90}, "04-06T08:00:41Z\"}".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> parser.decode(ts, 0, ts.length))
                .hasMessageContaining("expected '-' at position 4, found a non-ASCII character");
    }

    @Test
    void repeatedChannelsAndSourcesShareOneString() throws Exception {
        String line = "{" + CH + "," + KIND + "," + TS + ",\"source\":\"scheduler\"}";
        CallEvent first = parser.parse(line);
        CallEvent second = parser.decode(line.getBytes(StandardCharsets.UTF_8), 0, line.length());
        assertThat(second.channel()).isSameAs(first.channel());
        assertThat(second.source()).isSameAs(first.source());
        // Not interned (a parser's cache is its own; the JVM's string table is slow at a million ids): equal only.
        assertThat(new JsonEventParser().parse(line).channel()).isEqualTo(first.channel()).isNotSameAs(first.channel());
    }

    @Test
    void aStreamOfUniqueChannelsStillParsesOnceTheCacheIsFull() throws Exception {
        for (int i = 0; i < 70_000; i++) {
            String channel = "ch-" + i;
            assertThat(parser.parse("{\"channel\":\"" + channel + "\"," + KIND + "," + TS + "}").channel())
                    .isEqualTo(channel);
        }
        assertThat(parser.parse(CANONICAL)).isEqualTo(ANSWERED);
    }

    @Test
    void deeplyNestedUnknownValuesDoNotOverflowTheStack() throws Exception {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertThat(parser.parse("{\"x\":" + deep + "," + CH + "," + KIND + "," + TS + "," + SLOT + "}"))
                .isEqualTo(ANSWERED);
        String deepObjects = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
        assertThat(parser.parse("{\"x\":" + deepObjects + "," + CH + "," + KIND + "," + TS + "," + SLOT + "}"))
                .isEqualTo(ANSWERED);
        assertThatThrownBy(() -> parser.parse("{\"x\":" + "[".repeat(1000) + "]".repeat(999) + "}"))
                .hasMessageContaining("expected ',' or ']'");
    }

    @Test
    void longValuesAreCutShortInMessages() {
        String longKind = "X".repeat(10_000);
        EventFormatException e = catchThrowableOfType(EventFormatException.class,
                () -> parser.parse("{\"kind\":\"" + longKind + "\"}"));
        assertThat(e.getMessage()).contains("'" + "X".repeat(64) + "...'").hasSizeLessThan(300);
    }

    @Test
    void controlCharactersInQuotedValuesStayOnOneLine() {
        EventFormatException e = catchThrowableOfType(EventFormatException.class,
                () -> parser.parse("{\"kind\":\"A\\nB\"}"));
        assertThat(e.getMessage()).contains("unknown kind 'A\\u000aB'").doesNotContain("\n");
    }

    @Test
    void theParserRecoversAfterAnError() throws Exception {
        assertThatThrownBy(() -> parser.parse("{\"kind\":\"ANSWERED\",\"x\":[[[")).isInstanceOf(EventFormatException.class);
        assertThat(parser.parse(CANONICAL)).isEqualTo(ANSWERED);
    }

    private static Arguments valid(String name, String line, CallEvent expected) {
        return Arguments.of(name, line, expected);
    }

    private static Arguments bad(String line, String field, String message, String at) {
        return Arguments.of(line, field, message, at);
    }

    private static String withExtra(String extra) {
        return "{" + CH + "," + extra + "," + KIND + "," + TS + "," + SLOT + "}";
    }

    /** A deferring parser leaves the channel id's bytes where they are until asked; the rest is read at once. */
    @Test
    void aDeferringParserResolvesTheChannelWhenAsked() throws Exception {
        JsonEventParser parser = JsonEventParser.deferringChannels(id -> id.equals("liaison-office") ? 7 : -1, 1);
        byte[] line = ("  {\"kind\":\"ANSWERED\",\"channel\":\"liaison-office\",\"ts\":\"2023-04-06T08:00:41Z\","
                + "\"slot\":\"2023-04-06T08:00:00Z\",\"source\":\"field-1\"}").getBytes(StandardCharsets.UTF_8);
        parser.decodeParts(line, 2, line.length - 2);
        assertThat(parser.kind()).isEqualTo(EventKind.ANSWERED);
        assertThat(parser.tsMillis()).isEqualTo(Instant.parse("2023-04-06T08:00:41Z").toEpochMilli());
        assertThat(parser.slotMillis()).isEqualTo(Instant.parse("2023-04-06T08:00:00Z").toEpochMilli());
        assertThat(parser.source()).isEqualTo("field-1");
        int at = 2 + parser.channelOffset();
        assertThat(new String(line, at, parser.channelLength(), StandardCharsets.UTF_8)).isEqualTo("liaison-office");
        byte[] copy = java.util.Arrays.copyOfRange(line, at, at + parser.channelLength());
        assertThat(parser.resolveChannel(copy, 0, copy.length)).isEqualTo("liaison-office");
        assertThat(parser.channel()).isEqualTo("liaison-office");
        assertThat(parser.channelTag()).isEqualTo(7);

        byte[] escaped = "{\"channel\":\"liai\\u0073on-office\",\"kind\":\"NO_ANSWER\",\"ts\":1680768041000}"
                .getBytes(StandardCharsets.UTF_8);
        parser.decodeParts(escaped, 0, escaped.length);
        assertThat(parser.channelOffset()).as("an id with escapes is resolved at once").isEqualTo(-1);
        assertThat(parser.channel()).isEqualTo("liaison-office");
        assertThat(parser.channelTag()).as("nor tagged: the caller looks it up").isEqualTo(JsonEventParser.NO_TAG);

        assertThat(parser.decode(line, 2, line.length - 2).channel()).as("decode always resolves")
                .isEqualTo("liaison-office");
        assertThat(parser.channelTag()).isEqualTo(7);
    }

    /** The parts and the event agree, and a parser that does not defer never leaves an id unresolved. */
    @Test
    void partsAreTheEvent() throws Exception {
        byte[] line = CANONICAL.getBytes(StandardCharsets.UTF_8);
        parser.decodeParts(line, 0, line.length);
        assertThat(parser.channelOffset()).isEqualTo(-1);
        assertThat(parser.channelTag()).isEqualTo(JsonEventParser.NO_TAG);
        assertThat(parser.event()).isEqualTo(parser.decode(line, 0, line.length)).isEqualTo(ANSWERED);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
