package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hotlinemonitor.app.calls.OperatorRecord;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallRequestTest {

    /** 09:00 and 17:00 in Seoul: 00:00Z and 08:00Z. */
    static final MonitorConfig CONFIG = config("""
            channels:
              - id: liaison-office
                zone: Asia/Seoul
                checks: ['09:00', '17:00']
                answerWithin: PT1H
            """);
    static final Instant NOW = Instant.parse("2023-04-07T08:30:00Z");

    static MonitorConfig config(String yaml) {
        try {
            return ConfigLoader.load("test.yaml", new StringReader(yaml));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static OperatorRecord.Result parse(String json) throws ApiProblem {
        return CallRequest.parse(json.getBytes(StandardCharsets.UTF_8), CONFIG, "desk-2", NOW);
    }

    @Test
    void defaultsTsToNowAndTheSlotToTheOneWhoseWindowHoldsItWithRecordsId() throws ApiProblem {
        CallEvent e = parse("{\"channel\":\"liaison-office\",\"kind\":\"NO_ANSWER\",\"note\":\"rang out\"}").event();
        assertThat(e).isEqualTo(new CallEvent("liaison-office", EventKind.NO_ANSWER, NOW, Instant.parse("2023-04-07T08:00:00Z"),
                "liaison-office/2023-04-07T08:00:00Z/NO_ANSWER/@2023-04-07T08:30:00Z", "desk-2", "rang out"));
    }

    @Test
    void keepsGivenTsSlotIdAndAcceptsCallPlacedWithTheTokensNameAsSource() throws ApiProblem {
        CallEvent e = parse("{\"channel\":\"liaison-office\",\"kind\":\"CALL_PLACED\",\"ts\":\"2023-04-07T17:00:05+09:00\","
                + "\"slot\":\"2023-04-07T08:00:00Z\",\"id\":\"my-id-1\"}").event();
        assertThat(e).isEqualTo(new CallEvent("liaison-office", EventKind.CALL_PLACED, Instant.parse("2023-04-07T08:00:05Z"),
                Instant.parse("2023-04-07T08:00:00Z"), "my-id-1", "desk-2", null));
    }

    @Test
    void warnsOfAnUnscheduledCall() throws ApiProblem {
        OperatorRecord.Result r = parse("{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-07T05:00:00Z\"}");
        assertThat(r.event().slot()).isNull();
        assertThat(r.warnings()).singleElement().asString().contains("unscheduled");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "not json                                                                   | -       | not a JSON object",
            "[1,2]                                                                      | -       | expected a JSON object",
            "''                                                                         | -       | expected a JSON object",
            "{\"kind\":\"ANSWERED\"}                                                    | channel | channel",
            "{\"channel\":\"liaison-office\"}                                           | kind    | kind",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWER\"}                       | kind    | unknown kind 'ANSWER'",
            "{\"channel\":\"liaison-office\",\"kind\":\"HEARTBEAT\"}                    | kind    | not HEARTBEAT",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"kind\":\"ANSWERED\"} | kind  | field 'kind' given twice",
            "{\"channel\":\"liason-office\",\"kind\":\"ANSWERED\"}                      | channel | unknown channel 'liason-office'",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"yesterday\"} | ts     | ts",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-07T09:00:00Z\"} | ts | in the future",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"slot\":\"2023-04-07T08:30:00Z\"} | slot | not a slot of liaison-office",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"ts\":\"2023-04-06T20:00:00Z\",\"slot\":\"2023-04-07T08:00:00Z\"} | slot | too early",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"channel\":\"x\"}   | channel | field 'channel' given twice",
            "{\"channel\":7,\"kind\":\"ANSWERED\"}                                      | channel | channel",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"source\":\"scheduler\"} | source | set by the server to the name of the token",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"source\":\"desk-2\"} | source | leave it out",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"source\":null}  | source | leave it out",
            "{\"channel\":\"liaison-office\",\"kind\":\"ANSWERED\",\"sig\":\"abc\"}  | sig | the API does not take signed events",
    })
    void refusesNamingTheField(String body, String field, String message) {
        ApiProblem p = catchThrowableOfType(ApiProblem.class, () -> parse(body));
        assertThat(p).as("refused").isNotNull();
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo(field);
        assertThat(p.getMessage()).contains(message);
    }
}
