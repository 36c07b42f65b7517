package org.hotlinemonitor.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Slots on daylight-saving days, through the detector: in New York a 02:30 check on the spring-forward
 * day fires once at the jump (03:00 EDT = 07:00Z); a 01:30 check on the fall-back day fires once, at its
 * first occurrence (01:30 EDT = 05:30Z). Nothing is placed, so every slot yields one CALL_NOT_PLACED.
 */
class DaylightSavingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            spring forward | 2024-03-09T00:00:00Z | 2024-03-12T00:00:00Z | 2024-03-09T06:30:00Z 2024-03-09T07:30:00Z 2024-03-10T06:30:00Z 2024-03-10T07:00:00Z 2024-03-11T05:30:00Z 2024-03-11T06:30:00Z
            fall back      | 2024-11-02T00:00:00Z | 2024-11-05T00:00:00Z | 2024-11-02T05:30:00Z 2024-11-02T06:30:00Z 2024-11-03T05:30:00Z 2024-11-03T07:30:00Z 2024-11-04T06:30:00Z 2024-11-04T07:30:00Z
            """)
    void eachLocalCheckFiresExactlyOnce(String day, Instant start, Instant end, String expectedSlots) {
        var channel = Fixtures.channel("c", "America/New_York", Duration.ofMinutes(10), 2, "01:30", "02:30");
        var run = Fixtures.run(List.of(channel), start, end, List.of());
        List<String> slots = run.alerts.stream().map(Alert::slot).map(Instant::toString).toList();
        assertThat(slots).containsExactly(expectedSlots.split(" "));
        assertThat(run.alerts).allSatisfy(a -> assertThat(a.at()).isEqualTo(a.slot().plus(Duration.ofMinutes(10))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            gap and the jump on one instant   | 2024-03-10 | 02:00 02:30 03:00 | 2024-03-10T07:00:00Z
            overlap, both halves              | 2024-11-03 | 01:00 01:59 02:00 | 2024-11-03T05:00:00Z 2024-11-03T05:59:00Z 2024-11-03T07:00:00Z
            """)
    void slotsOnTransitionDays(String name, java.time.LocalDate date, String checks, String expected) {
        var channel = Fixtures.channel("c", "America/New_York", Duration.ofMinutes(10), 2, checks.split(" "));
        assertThat(channel.schedule().slotsOn(date)).extracting(Instant::toString).containsExactly(expected.split(" "));
    }
}
