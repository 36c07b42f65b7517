package org.hotlinemonitor.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SilencesTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Alert alert(String channel, String at) {
        return Alert.slotMissed(channel, Instant.parse(at).minusSeconds(3600), Instant.parse(at), MissCause.NO_ANSWER);
    }

    private static Silence recurring(ZoneId zone, String from, String to, Set<DayOfWeek> days) {
        return new Silence("s", List.of(), null, null, new Silence.Recurrence(zone, LocalTime.parse(from), LocalTime.parse(to), days),
                null);
    }

    @ParameterizedTest(name = "[{index}] {0} in [{1}, {2}) on {3}: {4}")
    @CsvSource({
            // a one-off window: start inclusive, end exclusive
            "2023-04-07T00:00:00Z, 2023-04-07T00:00:00Z, 2023-04-07T01:00:00Z, liaison-office, true",
            "2023-04-07T00:59:59.999Z, 2023-04-07T00:00:00Z, 2023-04-07T01:00:00Z, liaison-office, true",
            "2023-04-07T01:00:00Z, 2023-04-07T00:00:00Z, 2023-04-07T01:00:00Z, liaison-office, false",
            "2023-04-06T23:59:59Z, 2023-04-07T00:00:00Z, 2023-04-07T01:00:00Z, liaison-office, false",
    })
    void oneOffWindow(String at, String start, String end, String channel, boolean silenced) {
        Silence s = new Silence("maint", List.of(), Instant.parse(start), Instant.parse(end), null, "switch upgrade");
        assertThat(Silences.matches(List.of(s), alert(channel, at), Instant.parse(at))).isEqualTo(silenced);
    }

    @ParameterizedTest(name = "[{index}] {0} on a silence of {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "liaison-office | liaison-office         | true",
            "liaison-office | east-coast-military    | false",
            "liaison-office | liaison-*              | true",
            "liaison-office | '*-military,liaison-?ffice' | true",
            "unc-pink-phone | '*-military,liaison-*' | false",
            "unc-pink-phone | ''                     | true",
    })
    void channels(String channel, String names, boolean silenced) {
        List<String> channels = names.isEmpty() ? List.of() : List.of(names.split(","));
        Silence s = new Silence("maint", channels, Instant.parse("2023-04-07T00:00:00Z"), Instant.parse("2023-04-08T00:00:00Z"), null, null);
        assertThat(s.matches(alert(channel, "2023-04-07T09:00:00Z"), Instant.parse("2023-04-07T09:00:00Z"))).isEqualTo(silenced);
    }

    @ParameterizedTest(name = "[{index}] {0} in {1} {2}-{3} on {4}: {5}")
    @CsvSource(delimiter = '|', value = {
            // daily 02:00-03:00 in Seoul (UTC+9, no daylight saving): 17:00-18:00 UTC the day before
            "2023-04-06T17:00:00Z | Asia/Seoul       | 02:00 | 03:00 | ''      | true",
            "2023-04-06T17:59:59Z | Asia/Seoul       | 02:00 | 03:00 | ''      | true",
            "2023-04-06T18:00:00Z | Asia/Seoul       | 02:00 | 03:00 | ''      | false",
            "2023-04-06T16:59:59Z | Asia/Seoul       | 02:00 | 03:00 | ''      | false",
            // weekdays only: Saturday 2023-04-08 02:30 Seoul is not covered, Friday is
            "2023-04-07T17:30:00Z | Asia/Seoul       | 02:00 | 03:00 | MON-FRI | false",
            "2023-04-06T17:30:00Z | Asia/Seoul       | 02:00 | 03:00 | MON-FRI | true",
            // across midnight, belonging to the day it starts: FRI 23:00-01:00 covers Saturday 00:30, not Friday 00:30
            "2023-04-07T15:30:00Z | Asia/Seoul       | 23:00 | 01:00 | FRI     | true",
            "2023-04-07T14:30:00Z | Asia/Seoul       | 23:00 | 01:00 | FRI     | true",
            "2023-04-06T15:30:00Z | Asia/Seoul       | 23:00 | 01:00 | FRI     | false",
            "2023-04-07T16:00:00Z | Asia/Seoul       | 23:00 | 01:00 | FRI     | false",
            // New York spring forward, Sunday 2023-03-12: 02:00-03:00 local does not exist; 01:59 EST = 06:59Z,
            // 03:00 EDT = 07:00Z. A 02:00-03:00 window covers nothing that day...
            "2023-03-12T06:59:59Z | America/New_York | 02:00 | 03:00 | ''      | false",
            "2023-03-12T07:00:00Z | America/New_York | 02:00 | 03:00 | ''      | false",
            // ... and the next day its hour (EDT: 06:00-07:00Z)
            "2023-03-13T06:30:00Z | America/New_York | 02:00 | 03:00 | ''      | true",
            // 01:30-03:30 keeps its existing parts: 01:30-02:00 EST (06:30-07:00Z) and 03:00-03:30 EDT (07:00-07:30Z)
            "2023-03-12T06:45:00Z | America/New_York | 01:30 | 03:30 | ''      | true",
            "2023-03-12T07:15:00Z | America/New_York | 01:30 | 03:30 | ''      | true",
            "2023-03-12T07:30:00Z | America/New_York | 01:30 | 03:30 | ''      | false",
            // New York fall back, Sunday 2023-11-05: 01:00-02:00 local happens twice (05:00-06:00Z EDT, 06:00-07:00Z EST)
            "2023-11-05T05:30:00Z | America/New_York | 01:00 | 02:00 | ''      | true",
            "2023-11-05T06:30:00Z | America/New_York | 01:00 | 02:00 | ''      | true",
            "2023-11-05T07:00:00Z | America/New_York | 01:00 | 02:00 | ''      | false",
            "2023-11-05T04:59:59Z | America/New_York | 01:00 | 02:00 | ''      | false",
    })
    void recurringWindow(String at, String zone, String from, String to, String days, boolean silenced) {
        Set<DayOfWeek> set = switch (days) {
            case "" -> Set.of();
            case "MON-FRI" -> Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
            case "FRI" -> Set.of(DayOfWeek.FRIDAY);
            default -> throw new IllegalArgumentException(days);
        };
        Silence s = recurring(ZoneId.of(zone), from, to, set);
        assertThat(s.matches(alert("liaison-office", at), Instant.parse(at))).isEqualTo(silenced);
    }

    @Test
    void aRecurringWindowMayBeBounded() {
        Silence s = new Silence("s", List.of(), Instant.parse("2023-04-10T00:00:00Z"), null,
                Silence.Recurrence.daily(SEOUL, LocalTime.of(2, 0), LocalTime.of(3, 0)), null);
        assertThat(s.activeAt(Instant.parse("2023-04-08T17:30:00Z"))).isFalse(); // 04-09 02:30 Seoul, before start
        assertThat(s.activeAt(Instant.parse("2023-04-10T17:30:00Z"))).isTrue();
    }

    @Test
    void matchingReturnsTheFirstSilenceThatCovers() {
        Silence a = new Silence("a", List.of("other"), Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), null, null);
        Silence b = new Silence("b", List.of(), Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), null, null);
        Alert alert = alert("liaison-office", "2023-04-07T09:00:00Z");
        assertThat(Silences.matching(List.of(a, b), alert, alert.at())).map(Silence::id).hasValue("b");
        assertThat(Silences.matching(List.of(a), alert, alert.at())).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        Instant t = Instant.parse("2023-04-07T00:00:00Z");
        assertThatThrownBy(() -> new Silence("s", List.of(), t, t, null, null)).hasMessageContaining("end must be after start");
        assertThatThrownBy(() -> new Silence("s", List.of(), t, null, null, null)).hasMessageContaining("needs start and end");
        assertThatThrownBy(() -> new Silence("Bad Id", List.of(), t, t.plusSeconds(1), null, null)).hasMessageContaining("id must be");
        assertThatThrownBy(() -> Silence.Recurrence.daily(NEW_YORK, LocalTime.NOON, LocalTime.NOON)).hasMessageContaining("must not be empty");
    }
}
