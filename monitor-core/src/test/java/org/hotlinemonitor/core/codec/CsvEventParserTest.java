package org.hotlinemonitor.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvEventParserTest {

    private static final Instant T = Instant.parse("2023-04-06T08:00:41Z");
    private static final Instant S = Instant.parse("2023-04-06T08:00:00Z");
    private static final String FULL = "ts,channel,kind,slot,id,source,note";

    static Stream<Arguments> validLines() {
        return Stream.of(
                valid("ts,channel,kind", "2023-04-06T08:00:41Z,liaison-office,ANSWERED",
                        CallEvent.of("liaison-office", EventKind.ANSWERED, T, null)),
                valid("Kind, Channel ,TS,SLOT", "NO_ANSWER,liaison-office,2023-04-06T08:00:41Z,2023-04-06T08:00:00Z",
                        CallEvent.of("liaison-office", EventKind.NO_ANSWER, T, S)),
                valid(FULL, "2023-04-06T08:00:41Z,a,CALL_PLACED,,,,",
                        CallEvent.of("a", EventKind.CALL_PLACED, T, null)),
                valid(FULL, "2023-04-06T08:00:41Z,a,LINE_FAULT,2023-04-06T08:00:00Z,e-1,scheduler,\"no tone, \"\"dead\"\" line\"",
                        new CallEvent("a", EventKind.LINE_FAULT, T, S, "e-1", "scheduler", "no tone, \"dead\" line")),
                valid(FULL, "\"2023-04-06T08:00:41Z\",\"a\",\"ANSWERED\",\"\",\"\",\"\",\"\"",
                        CallEvent.of("a", EventKind.ANSWERED, T, null)),
                valid(FULL, "2023-04-06T08:00:41Z,,HEARTBEAT,,,scheduler-1,",
                        CallEvent.heartbeat(T, "scheduler-1")),
                valid("ts,channel,kind", "1680768041000,a,ANSWERED", CallEvent.of("a", EventKind.ANSWERED, T, null)),
                valid("ts,channel,kind", "-1,a,ANSWERED",
                        CallEvent.of("a", EventKind.ANSWERED, Instant.ofEpochMilli(-1), null)),
                valid("ts,channel,kind,slot", "2023-04-06T17:00:41.9999+09:00,a,ANSWERED,2023-04-06t03:00:00-0500",
                        CallEvent.of("a", EventKind.ANSWERED, Instant.parse("2023-04-06T08:00:41.999Z"), S)),
                valid("ts,channel,kind\r", "2023-04-06T08:00:41Z,a,ANSWERED\r", CallEvent.of("a", EventKind.ANSWERED, T, null)),
                valid("\uFEFFts,channel,kind", "2023-04-06T08:00:41Z,a,ANSWERED", CallEvent.of("a", EventKind.ANSWERED, T, null)),
                valid("ts,channel,kind,note", "2023-04-06T08:00:41Z,bureau-\u00e9t\u00e9,ANSWERED, \u4e2d\u6587 \ud83d\ude00 ",
                        new CallEvent("bureau-\u00e9t\u00e9", EventKind.ANSWERED, T, null, null, null, " \u4e2d\u6587 \ud83d\ude00 ")),
                valid("\"ts\",\"channel\",\"kind\"", "2023-04-06T08:00:41Z,a,ANSWERED", CallEvent.of("a", EventKind.ANSWERED, T, null)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("validLines")
    void parsesValidLines(String header, String line, CallEvent expected) throws Exception {
        assertThat(CsvEventParser.fromHeader(header).parse(line)).isEqualTo(expected);
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                Arguments.of("", "empty header line", null, 1),
                Arguments.of("ts,channel", "missing column 'kind' in header", "kind", 11),
                Arguments.of("channel,kind,slot", "missing column 'ts' in header", "ts", 18),
                Arguments.of("ts,channel,kind,foo", "unknown column 'foo' in header (expected ts, channel, kind, slot, "
                        + "id, source, note, sig)", null, 17),
                Arguments.of("ts,channel,kind,", "unknown column '' in header", null, 17),
                Arguments.of("ts,channel,kind,TS", "duplicate column 'ts' in header", "ts", 17),
                Arguments.of("ts,channel,\"kind", "unterminated quoted cell", null, 12));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badHeaders")
    void rejectsBadHeaders(String header, String message, String field, int column) {
        EventFormatException e = catchThrowableOfType(EventFormatException.class, () -> CsvEventParser.fromHeader(header));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith(message);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.column()).isEqualTo(column);
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                bad("ts,channel,kind", "", null, "empty line", 1),
                bad("ts,channel,kind", "  ", null, "empty line", 1),
                bad("ts,channel,kind", "2023-04-06T08:00:41Z,a", null,
                        "expected 3 cells (ts, channel, kind), found 2", 23),
                bad("ts,channel,kind", "2023-04-06T08:00:41Z,a,ANSWERED,x", null,
                        "expected 3 cells (ts, channel, kind), found 4", 33),
                bad("ts,channel,kind", "2023-04-06T08:00:41Z,a,ANSWER", "kind",
                        "field 'kind': unknown kind 'ANSWER' (expected one of CALL_PLACED, ANSWERED, NO_ANSWER, "
                                + "LINE_FAULT, HEARTBEAT)", 24),
                bad("ts,channel,kind", "2023-04-06T08:00:41Z,a,answered", "kind", "unknown kind 'answered'", 24),
                bad("ts,channel,kind", "2023-04-06T08:00:41Z,a,", "kind", "missing field 'kind'", 24),
                bad("ts,channel,kind", ",a,ANSWERED", "ts", "missing field 'ts'", 1),
                bad("ts,channel,kind", "2023-04-06T08:00:41Z,,ANSWERED", "channel",
                        "missing field 'channel' (required for ANSWERED)", 22),
                bad("ts,channel,kind", "2023-13-06T08:00:41Z,a,ANSWERED", "ts",
                        "field 'ts': bad timestamp '2023-13-06T08:00:41Z': month 13 out of range", 1),
                bad("ts,channel,kind", "2023-02-30T08:00:41Z,a,ANSWERED", "ts", "day 30 out of range for 2023-02", 1),
                bad("ts,channel,kind", "2023-04-06 08:00:41Z,a,ANSWERED", "ts", "expected 'T' at position 10, found ' '", 11),
                bad("ts,channel,kind", "\"2023-04-06 08:00:41Z\",a,ANSWERED", "ts", "expected 'T' at position 10", 12),
                bad("ts,channel,kind", "2023-04-06T08:00:41,a,ANSWERED", "ts", "expected zone", 20),
                bad("channel,kind,ts", "a,ANSWERED,soon", "ts", "field 'ts': bad timestamp 'soon'", 12),
                bad("channel,kind,ts", "a,ANSWERED,99999999999999999999", "ts",
                        "field 'ts': epoch milliseconds out of range: '99999999999999999999'", 12),
                bad("ts,channel,kind,slot", "2023-04-06T08:00:41Z,a,ANSWERED,tomorrow", "slot",
                        "field 'slot': bad timestamp 'tomorrow'", 33),
                bad("ts,channel,kind,note", "2023-04-06T08:00:41Z,a,ANSWERED,\"open", null, "unterminated quoted cell", 33),
                bad("ts,channel,kind,note", "2023-04-06T08:00:41Z,a,ANSWERED,\"a\"b", null,
                        "expected ',' after the closing quote", 36),
                bad("ts,channel,kind,note", "2023-04-06T08:00:41Z,a,ANSWERED,say \"hi\"", null,
                        "quote inside an unquoted cell", 37));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badLines")
    void rejectsBadLines(String header, String line, String field, String message, int column) throws Exception {
        CsvEventParser parser = CsvEventParser.fromHeader(header);
        EventFormatException e = catchThrowableOfType(EventFormatException.class, () -> parser.parse(line));
        assertThat(e).as("no error for %s", line).isNotNull();
        assertThat(e.getMessage()).contains(message);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.column()).isEqualTo(column);
    }

    @Test
    void messagesMatchTheJsonFormat() throws Exception {
        CsvEventParser csv = CsvEventParser.fromHeader("ts,channel,kind");
        EventDecoder json = new JsonEventParser();
        String[][] pairs = {
            {"2023-04-06T08:00:41Z,a,RANG", "{\"ts\":\"2023-04-06T08:00:41Z\",\"channel\":\"a\",\"kind\":\"RANG\"}"},
            {"2023-04-06T08:00:61Z,a,ANSWERED", "{\"ts\":\"2023-04-06T08:00:61Z\",\"channel\":\"a\",\"kind\":\"ANSWERED\"}"},
            {"2023-04-06T08:00:41Z,,NO_ANSWER", "{\"ts\":\"2023-04-06T08:00:41Z\",\"kind\":\"NO_ANSWER\"}"},
        };
        for (String[] pair : pairs) {
            String fromCsv = catchThrowableOfType(EventFormatException.class, () -> csv.parse(pair[0])).getMessage();
            String fromJson = catchThrowableOfType(EventFormatException.class, () -> {
                byte[] line = pair[1].getBytes(StandardCharsets.UTF_8);
                json.decode(line, 0, line.length);
            }).getMessage();
            assertThat(fromCsv).isEqualTo(fromJson);
        }
    }

    @Test
    void reportsItsColumns() throws Exception {
        assertThat(CsvEventParser.fromHeader("Kind,TS,channel").columns()).containsExactly("kind", "ts", "channel");
    }

    // ---- property: whatever the column order, a written line parses back ----------------------------------

    @Property(tries = 1000)
    void parsesBackWhatAnRfc4180WriterWrites(@ForAll("events") CallEvent event, @ForAll("seeds") long seed)
            throws Exception {
        Random random = new Random(seed);
        List<String> columns = new ArrayList<>(List.of("ts", "channel", "kind", "slot", "id", "source", "note"));
        Collections.shuffle(columns, random);
        List<String> header = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        for (String column : columns) {
            String value = switch (column) {
                case "ts" -> timestamp(event.ts(), random);
                case "channel" -> event.channel();
                case "kind" -> event.kind().name();
                case "slot" -> event.slot() == null ? null : timestamp(event.slot(), random);
                case "id" -> event.id();
                case "source" -> event.source();
                default -> event.note();
            };
            if (value == null && !List.of("ts", "channel", "kind").contains(column) && random.nextBoolean()) {
                continue; // an optional column may be left out altogether
            }
            header.add(random.nextBoolean() ? column : column.toUpperCase(java.util.Locale.ROOT));
            cells.add(cell(value == null ? "" : value, random));
        }
        CsvEventParser parser = CsvEventParser.fromHeader(String.join(",", header));
        String line = String.join(",", cells);
        assertThat(parser.parse(line)).as(line).isEqualTo(event);
    }

    private static String timestamp(Instant instant, Random random) {
        return random.nextInt(4) == 0 ? Long.toString(instant.toEpochMilli()) : Timestamps.format(instant.toEpochMilli());
    }

    /** RFC 4180: quote when needed, or at random when not. */
    private static String cell(String value, Random random) {
        if (value.contains(",") || value.contains("\"") || random.nextInt(4) == 0) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withoutEdgeCases();
    }

    @Provide
    Arbitrary<CallEvent> events() {
        Arbitrary<String> channels = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(64);
        Arbitrary<Instant> instants = Arbitraries.longs().between(0, 7_258_118_399_999L).map(Instant::ofEpochMilli);
        // One line per record: no line breaks; an empty cell means absent, so no empty strings.
        Arbitrary<String> text = Arbitraries.oneOf(
                        Arbitraries.strings().withChars("ab ,\"'\\;\t\u00e9\u4e2d").ofMinLength(1).ofMaxLength(12),
                        Arbitraries.strings().withCharRange('\u0020', '\ud7ff').ofMinLength(1).ofMaxLength(8),
                        Arbitraries.of("\ud83d\ude00", "\"\"", ",", "\","))
                .injectNull(0.4);
        Arbitrary<Tuple.Tuple3<String, EventKind, Instant>> head = Combinators.combine(
                channels.injectNull(0.1), Arbitraries.of(EventKind.class), instants).as(Tuple::of);
        return Combinators.combine(head, instants.injectNull(0.4), text, text, text)
                .as((h, slot, id, source, note) -> new CallEvent(
                        h.get1() == null && h.get2() != EventKind.HEARTBEAT ? "fallback" : h.get1(),
                        h.get2(), h.get3(), slot, id, source, note));
    }

    private static Arguments valid(String header, String line, CallEvent expected) {
        return Arguments.of(header, line, expected);
    }

    private static Arguments bad(String header, String line, String field, String message, int column) {
        return Arguments.of(header, line, field, message, column);
    }
}
