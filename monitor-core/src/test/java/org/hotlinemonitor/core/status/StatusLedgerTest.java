package org.hotlinemonitor.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.config.ConfigLoader;
import org.hotlinemonitor.core.detect.Verdict;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.status.StatusLedger.DayKind;
import org.hotlinemonitor.core.status.StatusLedger.Slot;
import org.hotlinemonitor.core.status.StatusLedger.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusLedgerTest {

    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    // 09:00 and 16:00 in Seoul: 00:00 and 07:00 UTC
    static final Instant MORNING = Instant.parse("2023-04-07T00:00:00Z");
    static final Instant AFTERNOON = Instant.parse("2023-04-07T07:00:00Z");

    static MonitorConfig config() throws Exception {
        return ConfigLoader.load("monitor.yaml", new StringReader("""
                channels:
                  - {id: liaison-office, zone: Asia/Seoul, checks: ['09:00', '16:00'], answerWithin: PT1H, downAfter: 2}
                  - {id: ship-to-ship, zone: UTC, checks: ['00:00'], answerWithin: PT1H, downAfter: 2}
                """));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource({
            "'',                    unknown",
            "'A A',                 answered",
            "'M M',                 missed",
            "'A M',                 partly",
            "'N N',                 unknown",
            "'A N',                 answered",
            "'m m',                 maintenance",
            "'m M',                 missed",
            "'m A',                 answered",
    })
    void aDaysKindFollowsItsCountedSlots(String slots, String kind) {
        List<Slot> list = slots.isBlank() ? List.of() : java.util.Arrays.stream(slots.trim().split(" ")).map(c -> switch (c) {
            case "A" -> new Slot(MORNING, Verdict.ANSWERED, null, false);
            case "M" -> new Slot(MORNING, Verdict.MISSED, MissCause.NO_ANSWER, false);
            case "N" -> new Slot(MORNING, Verdict.NOT_PLACED, null, false);
            default -> new Slot(MORNING, Verdict.MISSED, MissCause.NO_ANSWER, true);
        }).toList();
        assertThat(StatusLedger.day(LocalDate.of(2023, 4, 7), list).kind().wireName()).isEqualTo(kind);
    }

    @Test
    void anOutageFromItsAlertsWithStateSinceIncidentAndDaysInTheChannelsZone() throws Exception {
        StatusLedger ledger = new StatusLedger(config(), 2);
        assertThat(ledger.state("liaison-office")).isEqualTo(State.UNKNOWN);
        Instant dayBefore = MORNING.minus(Duration.ofDays(1));
        ledger.verdict("liaison-office", dayBefore, Verdict.ANSWERED, null, false);
        assertThat(ledger.state("liaison-office")).isEqualTo(State.UP);
        ledger.verdict("liaison-office", MORNING, Verdict.MISSED, MissCause.NO_ANSWER, false);
        ledger.verdict("liaison-office", AFTERNOON, Verdict.MISSED, MissCause.LINE_FAULT, false);
        Instant detected = AFTERNOON.plus(Duration.ofHours(1));
        ledger.alert(Alert.channelDown("liaison-office", MORNING, detected, 2));
        assertThat(ledger.state("liaison-office")).isEqualTo(State.DOWN);
        assertThat(ledger.downSince("liaison-office")).isEqualTo(MORNING);
        assertThat(ledger.incidents()).singleElement().satisfies(i -> {
            assertThat(i.open()).isTrue();
            assertThat(i.duration(detected)).isEqualTo(Duration.ofHours(8));
        });

        // Seoul's 2023-04-07 holds both slots; UTC would have put the morning on the 6th.
        List<StatusLedger.Day> days = ledger.days("liaison-office", LocalDate.of(2023, 4, 7), 3);
        assertThat(days).extracting(d -> d.kind()).containsExactly(DayKind.UNKNOWN, DayKind.ANSWERED, DayKind.MISSED);
        assertThat(days.get(2).describe(SEOUL))
                .isEqualTo("Fri 2023-04-07: 09:00 missed (no answer); 16:00 missed (line fault)");
        assertThat(days.get(0).describe(SEOUL)).isEqualTo("Wed 2023-04-05: no data");

        // Missed again while down: the open outage's count grows (the CHANNEL_DOWN said 2 at detection).
        ledger.verdict("liaison-office", Instant.parse("2023-04-07T08:00:00Z"), Verdict.MISSED, MissCause.NO_ANSWER, false);
        assertThat(ledger.incidents()).singleElement().satisfies(i -> assertThat(i.missedSlots()).isEqualTo(3));
        Instant answer = Instant.parse("2023-04-08T00:10:00Z");
        ledger.verdict("liaison-office", Instant.parse("2023-04-08T00:00:00Z"), Verdict.ANSWERED, null, false);
        ledger.alert(Alert.channelRestored("liaison-office", MORNING, answer, 3));
        assertThat(ledger.state("liaison-office")).isEqualTo(State.UP);
        assertThat(ledger.lastAnswered("liaison-office")).isEqualTo(Instant.parse("2023-04-08T00:00:00Z"));
        assertThat(ledger.incidents()).singleElement().satisfies(i -> {
            assertThat(i.end()).isEqualTo(answer);
            assertThat(i.duration(Instant.MAX)).isEqualTo(Duration.between(MORNING, answer));
        });
        assertThat(ledger.availability("liaison-office", Instant.EPOCH, Instant.MAX).ratio()).hasValue(2.0 / 5);
        assertThat(ledger.recentAlerts()).hasSize(2);
        assertThat(ledger.state("ship-to-ship")).isEqualTo(State.UNKNOWN);
    }

    @Test
    void maintenanceDoesNotCountAgainstAvailabilityAndOurSideSilenceHidesTheFarSide() throws Exception {
        StatusLedger ledger = new StatusLedger(config(), 0);
        ledger.verdict("ship-to-ship", MORNING, Verdict.MISSED, MissCause.NO_ANSWER, true);
        ledger.verdict("ship-to-ship", MORNING.plus(Duration.ofDays(1)), Verdict.ANSWERED, null, false);
        assertThat(ledger.availability("ship-to-ship", Instant.EPOCH, Instant.MAX)).isEqualTo(new StatusLedger.Availability(1, 0));
        assertThat(ledger.availability("ship-to-ship", MORNING, MORNING.plusSeconds(1)).ratio()).isEmpty();

        ledger.alert(Alert.ourSideSilent(MORNING, MORNING.plus(Duration.ofMinutes(5))));
        assertThat(ledger.state("ship-to-ship")).isEqualTo(State.OUR_SIDE_SILENT);
        assertThat(ledger.state("liaison-office")).isEqualTo(State.OUR_SIDE_SILENT);
        ledger.alert(Alert.ourSideResumed(MORNING, MORNING.plus(Duration.ofMinutes(9))));
        assertThat(ledger.state("ship-to-ship")).isEqualTo(State.UP);
        assertThat(ledger.recentAlerts()).isEmpty();
    }

    @Test
    void slotsOutOfOrderAreKeptInOrderAndForgetDropsTheOldOnes() throws Exception {
        StatusLedger ledger = new StatusLedger(config(), 10);
        Instant d1 = Instant.parse("2023-04-01T00:00:00Z");
        Instant d3 = Instant.parse("2023-04-03T00:00:00Z");
        Instant d2 = Instant.parse("2023-04-02T00:00:00Z");
        ledger.verdict("ship-to-ship", d1, Verdict.ANSWERED, null, false);
        ledger.verdict("ship-to-ship", d3, Verdict.ANSWERED, null, false);
        ledger.verdict("ship-to-ship", d2, Verdict.MISSED, MissCause.NO_ANSWER, false);
        assertThat(ledger.slots("ship-to-ship", Instant.EPOCH, Instant.MAX)).extracting(Slot::slot).containsExactly(d1, d2, d3);
        assertThat(ledger.firstSlot()).isEqualTo(d1);
        assertThat(ledger.lastSlot()).isEqualTo(d3);
        ledger.forget(d2);
        assertThat(ledger.slots("ship-to-ship", Instant.EPOCH, Instant.MAX)).extracting(Slot::slot).containsExactly(d2, d3);
        ledger.verdict("removed-channel", d3, Verdict.ANSWERED, null, false); // ignored
        assertThatThrownBy(() -> ledger.state("removed-channel")).hasMessageContaining("unknown channel 'removed-channel'");
    }

    @Test
    void theSameSlotOrAlertAgainIsKnownOnce() throws Exception {
        // A live detector whose commit failed decides the same slots and sends the same alerts again.
        StatusLedger ledger = new StatusLedger(config(), 10);
        Alert down = Alert.channelDown("liaison-office", MORNING, AFTERNOON.plus(Duration.ofHours(1)), 2);
        for (int i = 0; i < 2; i++) {
            ledger.verdict("liaison-office", MORNING, Verdict.MISSED, MissCause.NO_ANSWER, false);
            ledger.verdict("liaison-office", AFTERNOON, Verdict.MISSED, MissCause.NO_ANSWER, false);
            ledger.alert(down);
        }
        ledger.verdict("liaison-office", AFTERNOON, Verdict.MISSED, MissCause.LINE_FAULT, false);
        assertThat(ledger.slots("liaison-office", Instant.EPOCH, Instant.MAX))
                .extracting(Slot::slot, Slot::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MORNING, MissCause.NO_ANSWER),
                        org.assertj.core.groups.Tuple.tuple(AFTERNOON, MissCause.LINE_FAULT));
        assertThat(ledger.incidents()).hasSize(1);
        assertThat(ledger.recentAlerts()).containsExactly(down);
    }

    @Test
    void aChannelResumedFromTheDetectorsStateIsKnownAndItsOutageOpenUntilRestored() throws Exception {
        StatusLedger ledger = new StatusLedger(config(), 10);
        ledger.resumed("ship-to-ship", null, 0);
        assertThat(ledger.state("ship-to-ship")).isEqualTo(State.UP);
        ledger.resumed("liaison-office", MORNING, 2);
        ledger.resumed("liaison-office", MORNING, 2); // the task moved away and back: known once
        ledger.resumed("removed-channel", MORNING, 2); // ignored
        assertThat(ledger.state("liaison-office")).isEqualTo(State.DOWN);
        assertThat(ledger.downSince("liaison-office")).isEqualTo(MORNING);
        assertThat(ledger.incidents()).singleElement().satisfies(i -> {
            assertThat(i.open()).isTrue();
            assertThat(i.detected()).isNull();
        });
        // its CHANNEL_DOWN, committed just before the restart and heard now, says when it was detected
        Instant detected = AFTERNOON.plus(Duration.ofHours(1));
        ledger.alert(Alert.channelDown("liaison-office", MORNING, detected, 2));
        assertThat(ledger.incidents()).singleElement().satisfies(i -> assertThat(i.detected()).isEqualTo(detected));
        // Missed again while down: the open outage's count grows (the CHANNEL_DOWN said 2 at detection).
        ledger.verdict("liaison-office", Instant.parse("2023-04-07T08:00:00Z"), Verdict.MISSED, MissCause.NO_ANSWER, false);
        assertThat(ledger.incidents()).singleElement().satisfies(i -> assertThat(i.missedSlots()).isEqualTo(3));
        Instant answer = Instant.parse("2023-04-08T00:10:00Z");
        ledger.alert(Alert.channelRestored("liaison-office", MORNING, answer, 3));
        assertThat(ledger.state("liaison-office")).isEqualTo(State.UP);
        assertThat(ledger.incidents()).singleElement().satisfies(i -> {
            assertThat(i.end()).isEqualTo(answer);
            assertThat(i.missedSlots()).isEqualTo(3);
        });
    }

    @Test
    void aChannelOurSideNeverCalledStaysUnknown() throws Exception {
        StatusLedger ledger = new StatusLedger(config(), 10);
        ledger.verdict("ship-to-ship", MORNING, Verdict.NOT_PLACED, null, false);
        ledger.alert(Alert.callNotPlaced("ship-to-ship", MORNING, MORNING.plus(Duration.ofHours(1))));
        assertThat(ledger.state("ship-to-ship")).isEqualTo(State.UNKNOWN);
        ledger.verdict("ship-to-ship", MORNING.plus(Duration.ofDays(1)), Verdict.MISSED, MissCause.NO_ANSWER, false);
        assertThat(ledger.state("ship-to-ship")).isEqualTo(State.UP); // one missed slot: not down yet
    }
}
