package org.hotlinemonitor.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import org.hotlinemonitor.core.fast.JsonEventParser;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventWriterTest {

    private static final Instant T = Instant.parse("2023-04-06T08:00:41Z");
    private static final Instant S = Instant.parse("2023-04-06T08:00:00Z");

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of(CallEvent.of("liaison-office", EventKind.ANSWERED, T, S),
                        "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T08:00:41Z\","
                                + "\"slot\":\"2023-04-06T08:00:00Z\"}"),
                Arguments.of(CallEvent.of("liaison-office", EventKind.NO_ANSWER, T.plusMillis(500), null),
                        "{\"channel\":\"liaison-office\",\"kind\":\"NO_ANSWER\",\"ts\":\"2023-04-06T08:00:41.500Z\"}"),
                Arguments.of(new CallEvent("a", EventKind.CALL_PLACED, T, S, "id-1", "scheduler", "n"),
                        "{\"channel\":\"a\",\"kind\":\"CALL_PLACED\",\"ts\":\"2023-04-06T08:00:41Z\","
                                + "\"slot\":\"2023-04-06T08:00:00Z\",\"id\":\"id-1\",\"source\":\"scheduler\",\"note\":\"n\"}"),
                Arguments.of(new CallEvent("a", EventKind.LINE_FAULT, T, null, null, null, "no \"tone\"\n\\ \u00e9"),
                        "{\"channel\":\"a\",\"kind\":\"LINE_FAULT\",\"ts\":\"2023-04-06T08:00:41Z\","
                                + "\"note\":\"no \\\"tone\\\"\\n\\\\ \u00e9\"}"),
                Arguments.of(CallEvent.heartbeat(T, "scheduler-1"),
                        "{\"kind\":\"HEARTBEAT\",\"ts\":\"2023-04-06T08:00:41Z\",\"source\":\"scheduler-1\"}"),
                Arguments.of(CallEvent.of("a", EventKind.ANSWERED, Instant.parse("2023-04-06T08:00:41.123999999Z"), null),
                        "{\"channel\":\"a\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T08:00:41.123Z\"}"),
                Arguments.of(CallEvent.of("a", EventKind.ANSWERED, Instant.parse("1969-12-31T23:59:59.999999Z"), null),
                        "{\"channel\":\"a\",\"kind\":\"ANSWERED\",\"ts\":\"1969-12-31T23:59:59.999Z\"}"),
                Arguments.of(CallEvent.of("a", EventKind.ANSWERED, Instant.ofEpochMilli(Long.MAX_VALUE),
                                Instant.parse("-0001-01-01T00:00:00Z")),
                        "{\"channel\":\"a\",\"kind\":\"ANSWERED\",\"ts\":9223372036854775807,\"slot\":-62198755200000}"));
    }

    @ParameterizedTest
    @MethodSource("events")
    void writesCanonicalJson(CallEvent event, String json) throws Exception {
        assertThat(EventWriter.toJson(event)).isEqualTo(json);
        StringBuilder sb = new StringBuilder("> ");
        EventWriter.appendJson(sb, event);
        assertThat(sb).hasToString("> " + json);
        CallEvent back = decode(json);
        assertThat(EventWriter.toJson(back)).as("the parser reads it back").isEqualTo(json);
    }

    @Test
    void refusesInstantsBeyondEpochMillis() {
        CallEvent far = CallEvent.of("a", EventKind.ANSWERED, Instant.MAX, null);
        assertThatThrownBy(() -> EventWriter.toJson(far))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ts out of range for epoch milliseconds");
    }

    /** The event in one JSON line, read as replay and the detector read it. */
    private static CallEvent decode(String line) throws EventFormatException {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new JsonEventParser().decode(bytes, 0, bytes.length);
    }
}
