package org.hotlinemonitor.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.AlertType;
import org.hotlinemonitor.core.alert.MissCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertCodecTest {

    private static final Instant SLOT = Instant.parse("2023-04-07T08:00:00Z");
    private static final Instant DEADLINE = Instant.parse("2023-04-07T09:00:00Z");

    static Stream<Arguments> alerts() {
        return Stream.of(
                Arguments.of(Alert.slotMissed("liaison-office", SLOT, DEADLINE, MissCause.NO_ANSWER),
                        "{\"id\":\"liaison-office/SLOT_MISSED/2023-04-07T08:00:00Z\",\"type\":\"SLOT_MISSED\","
                                + "\"channel\":\"liaison-office\",\"severity\":\"warning\",\"at\":\"2023-04-07T09:00:00Z\","
                                + "\"slot\":\"2023-04-07T08:00:00Z\",\"cause\":\"NO_ANSWER\"}"),
                Arguments.of(Alert.callNotPlaced("liaison-office", SLOT, DEADLINE),
                        "{\"id\":\"liaison-office/CALL_NOT_PLACED/2023-04-07T08:00:00Z\",\"type\":\"CALL_NOT_PLACED\","
                                + "\"channel\":\"liaison-office\",\"severity\":\"error\",\"at\":\"2023-04-07T09:00:00Z\","
                                + "\"slot\":\"2023-04-07T08:00:00Z\"}"),
                Arguments.of(Alert.channelDown("liaison-office", SLOT, DEADLINE.plusSeconds(7200), 3),
                        "{\"id\":\"liaison-office/CHANNEL_DOWN/2023-04-07T08:00:00Z\",\"type\":\"CHANNEL_DOWN\","
                                + "\"channel\":\"liaison-office\",\"severity\":\"critical\",\"at\":\"2023-04-07T11:00:00Z\","
                                + "\"since\":\"2023-04-07T08:00:00Z\",\"missedSlots\":3}"),
                Arguments.of(Alert.channelRestored("liaison-office", SLOT, Instant.parse("2023-04-08T09:30:41.250Z"), 4),
                        "{\"id\":\"liaison-office/CHANNEL_RESTORED/2023-04-07T08:00:00Z\",\"type\":\"CHANNEL_RESTORED\","
                                + "\"channel\":\"liaison-office\",\"severity\":\"resolve\",\"at\":\"2023-04-08T09:30:41.250Z\","
                                + "\"since\":\"2023-04-07T08:00:00Z\",\"missedSlots\":4,\"duration\":\"PT25H30M41.25S\"}"),
                Arguments.of(new Alert("a\"b\\c", AlertType.SLOT_MISSED, "caf\u00e9\n", DEADLINE, SLOT, MissCause.LINE_FAULT,
                                null, null, null),
                        "{\"id\":\"a\\\"b\\\\c\",\"type\":\"SLOT_MISSED\",\"channel\":\"caf\u00e9\\n\",\"severity\":\"warning\","
                                + "\"at\":\"2023-04-07T09:00:00Z\",\"slot\":\"2023-04-07T08:00:00Z\",\"cause\":\"LINE_FAULT\"}"),
                Arguments.of(new Alert("x", AlertType.CHANNEL_DOWN, "x", Instant.ofEpochMilli(Long.MAX_VALUE), null, null,
                                Instant.parse("-0001-01-01T00:00:00Z"), 0, null),
                        "{\"id\":\"x\",\"type\":\"CHANNEL_DOWN\",\"channel\":\"x\",\"severity\":\"critical\","
                                + "\"at\":9223372036854775807,\"since\":-62198755200000,\"missedSlots\":0}"));
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void writesCanonicalJsonAndReadsItBack(Alert alert, String json) {
        assertThat(AlertCodec.toJson(alert)).isEqualTo(json);
        assertThat(AlertCodec.fromJson(json)).isEqualTo(alert);
    }

    @Test
    void readsFieldsInAnyOrderWithWhitespaceAndUnknownFields() {
        String json = " { \"at\" : \"2023-04-07T18:00:00+09:00\", \"cause\":\"NO_ANSWER\", \"x-new\": {\"a\": [1]},"
                + "\"slot\":1680854400000, \"severity\":\"warning\", \"channel\":\"liaison-office\", \"since\": null,"
                + "\"type\":\"SLOT_MISSED\", \"id\":\"liaison-office/SLOT_MISSED/2023-04-07T08:00:00Z\" }\n";
        assertThat(AlertCodec.fromJson(json))
                .isEqualTo(Alert.slotMissed("liaison-office", SLOT, DEADLINE, MissCause.NO_ANSWER));
    }

    static Stream<Arguments> badAlerts() {
        String base = "\"id\":\"i\",\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"warning\","
                + "\"at\":\"2023-04-07T09:00:00Z\"";
        return Stream.of(
                Arguments.of("", "malformed alert JSON: expected an object"),
                Arguments.of("[]", "malformed alert JSON: expected an object"),
                Arguments.of("{" + base, "malformed alert JSON"),
                Arguments.of("{" + base + "} {}", "malformed alert JSON"),
                Arguments.of("{" + base + ",\"at\":\"2023-04-07T09:00:00Z\"}", "malformed alert JSON: Duplicate field 'at'"),
                Arguments.of("{\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"warning\",\"at\":0}",
                        "missing field 'id'"),
                Arguments.of("{\"id\":\"i\",\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"warning\"}",
                        "missing field 'at'"),
                Arguments.of("{\"id\":null,\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"warning\",\"at\":0}",
                        "field 'id': must not be null"),
                Arguments.of("{\"id\":7,\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"warning\",\"at\":0}",
                        "field 'id': expected a string, found 7"),
                Arguments.of("{\"id\":\"i\",\"type\":\"MISSED\",\"channel\":\"c\",\"severity\":\"warning\",\"at\":0}",
                        "field 'type': unknown value 'MISSED' (expected one of SLOT_MISSED, CHANNEL_DOWN, "
                                + "CHANNEL_RESTORED, CALL_NOT_PLACED, OUR_SIDE_SILENT, OUR_SIDE_RESUMED)"),
                Arguments.of("{\"id\":\"i\",\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"critical\",\"at\":0}",
                        "field 'severity': 'critical' does not match type SLOT_MISSED (warning)"),
                Arguments.of("{\"id\":\"i\",\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"WARNING\",\"at\":0}",
                        "field 'severity': 'WARNING' does not match"),
                Arguments.of("{\"id\":\"i\",\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"warning\","
                        + "\"at\":\"2023-04-07T25:00:00Z\"}", "field 'at': bad timestamp '2023-04-07T25:00:00Z': hour 25 out of range"),
                Arguments.of("{\"id\":\"i\",\"type\":\"SLOT_MISSED\",\"channel\":\"c\",\"severity\":\"warning\",\"at\":1.5}",
                        "field 'at': expected an ISO-8601 string or an integer (epoch milliseconds), found 1.5"),
                Arguments.of("{" + base + ",\"slot\":true}", "field 'slot': expected an ISO-8601 string"),
                Arguments.of("{" + base + ",\"since\":\"yesterday\"}", "field 'since': bad timestamp 'yesterday'"),
                Arguments.of("{" + base + ",\"cause\":\"BUSY\"}", "field 'cause': unknown value 'BUSY' (expected one of "
                        + "NO_ANSWER, LINE_FAULT)"),
                Arguments.of("{" + base + ",\"missedSlots\":\"3\"}", "field 'missedSlots': expected an integer, found \"3\""),
                Arguments.of("{" + base + ",\"missedSlots\":3.5}", "field 'missedSlots': expected an integer, found 3.5"),
                Arguments.of("{" + base + ",\"missedSlots\":3000000000}", "field 'missedSlots': expected an integer"),
                Arguments.of("{" + base + ",\"duration\":\"1 hour\"}", "field 'duration': bad ISO-8601 duration '1 hour'"),
                Arguments.of("{" + base + ",\"duration\":3600}", "field 'duration': expected a string, found 3600"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badAlerts")
    void rejectsBadAlertsNamingTheField(String json, String message) {
        assertThatThrownBy(() -> AlertCodec.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Property(tries = 1000)
    void roundTrips(@ForAll("anyAlerts") Alert alert) {
        String json = AlertCodec.toJson(alert);
        assertThat(AlertCodec.fromJson(json)).isEqualTo(alert);
        assertThat(AlertCodec.toJson(AlertCodec.fromJson(json))).isEqualTo(json);
    }

    @Property(tries = 300)
    void roundTripsTheDetectorsAlerts(@ForAll("detectorAlerts") Alert alert) {
        assertThat(AlertCodec.fromJson(AlertCodec.toJson(alert))).isEqualTo(alert);
    }

    @Provide
    Arbitrary<Alert> detectorAlerts() {
        Arbitrary<String> channels = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(64);
        Arbitrary<Instant> instants = Arbitraries.longs().between(0, 7_258_118_399_999L).map(Instant::ofEpochMilli);
        Arbitrary<Long> later = Arbitraries.longs().between(1, 400L * 86_400_000);
        Arbitrary<Integer> counts = Arbitraries.integers().between(1, 10_000);
        return Combinators.combine(channels, instants, later, counts, Arbitraries.of(MissCause.class),
                Arbitraries.integers().between(0, 3)).as((channel, t, delta, count, cause, which) -> switch (which) {
                    case 0 -> Alert.slotMissed(channel, t, t.plusMillis(delta), cause);
                    case 1 -> Alert.callNotPlaced(channel, t, t.plusMillis(delta));
                    case 2 -> Alert.channelDown(channel, t, t.plusMillis(delta), count);
                    default -> Alert.channelRestored(channel, t, t.plusMillis(delta), count);
                });
    }

    /** Any combination of fields, including ones the detector never makes: the codec must not care. */
    @Provide
    Arbitrary<Alert> anyAlerts() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withChars("abc/\"\\\n\u00e9\ud83d\ude00").ofMaxLength(10));
        Arbitrary<Instant> instants = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 7_258_118_399_999L),
                Arbitraries.longs()).map(Instant::ofEpochMilli);
        Arbitrary<Duration> durations = Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).map(Duration::ofMillis),
                Arbitraries.longs().map(Duration::ofNanos),
                Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).map(Duration::ofSeconds));
        Arbitrary<Tuple.Tuple4<String, AlertType, String, Instant>> head = Combinators.combine(text,
                Arbitraries.of(AlertType.class), text, instants).as(Tuple::of);
        return Combinators.combine(head, instants.injectNull(0.5), Arbitraries.of(MissCause.class).injectNull(0.5),
                        instants.injectNull(0.5), Arbitraries.integers().injectNull(0.5), durations.injectNull(0.5))
                .as((h, slot, cause, since, missed, duration) -> new Alert(h.get1(), h.get2(), h.get3(), h.get4(),
                        slot, cause, since, missed, duration));
    }
}
