package org.hotlinemonitor.app.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.hotlinemonitor.core.notify.Silence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The silences topic's values: what is written is read back the same, and what is not a silence says why. */
class SilenceRecordsTest {

    private static final Instant CREATED = Instant.parse("2023-04-10T00:55:12.345Z");

    @Test
    void aOneOffSilenceIsReadBackAsWritten() {
        SilenceStore.Entry entry = SilenceStore.Entry.api(new Silence("maint", List.of("liaison-office", "east-*"),
                Instant.parse("2023-04-10T01:00:00Z"), Instant.parse("2023-04-10T03:00:00Z"), null, "line maintenance"),
                "ops-kim", CREATED);
        byte[] json = SilenceRecords.toJson(entry);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"maint\",\"channels\":[\"liaison-office\",\"east-*\"],"
                + "\"start\":\"2023-04-10T01:00:00Z\",\"end\":\"2023-04-10T03:00:00Z\",\"comment\":\"line maintenance\","
                + "\"createdBy\":\"ops-kim\",\"createdAt\":\"2023-04-10T00:55:12.345Z\"}");
        assertThat(SilenceRecords.fromJson("maint", json)).isEqualTo(entry);
    }

    @Test
    void aRecurringSilenceIsReadBackAsWritten() {
        SilenceStore.Entry entry = SilenceStore.Entry.api(new Silence("nightly", List.of(), null, Instant.parse("2023-05-01T00:00:00Z"),
                new Silence.Recurrence(ZoneId.of("Asia/Seoul"), LocalTime.of(23, 0), LocalTime.of(1, 30),
                        Set.of(DayOfWeek.FRIDAY, DayOfWeek.MONDAY)), null), "api-token", CREATED);
        assertThat(SilenceRecords.fromJson("nightly", SilenceRecords.toJson(entry))).isEqualTo(entry);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json                                                                  | not JSON",
        "[1]                                                                       | expected a JSON object",
        "{\"id\":\"other\",\"start\":\"2023-04-10T01:00:00Z\",\"end\":\"2023-04-10T03:00:00Z\",\"createdBy\":\"a\",\"createdAt\":\"2023-04-10T00:00:00Z\"} | the id 'other' is not the record's key 'maint'",
        "{\"id\":\"maint\",\"start\":\"2023-04-10T01:00:00Z\",\"end\":\"2023-04-10T03:00:00Z\",\"createdAt\":\"2023-04-10T00:00:00Z\"} | createdBy: missing",
        "{\"id\":\"maint\",\"start\":\"2023-04-10T03:00:00Z\",\"end\":\"2023-04-10T01:00:00Z\",\"createdBy\":\"a\",\"createdAt\":\"2023-04-10T00:00:00Z\"} | end must be after start",
        "{\"id\":\"maint\",\"zone\":\"Mars/Olympus\",\"from\":\"01:00\",\"to\":\"02:00\",\"createdBy\":\"a\",\"createdAt\":\"2023-04-10T00:00:00Z\"} | Mars/Olympus",
    })
    void whatIsNotASilenceSaysWhy(String value, String why) {
        assertThatThrownBy(() -> SilenceRecords.fromJson("maint", value.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
