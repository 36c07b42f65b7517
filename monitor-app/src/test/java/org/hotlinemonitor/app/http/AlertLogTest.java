package org.hotlinemonitor.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.hotlinemonitor.core.alert.Alert;
import org.junit.jupiter.api.Test;

class AlertLogTest {

    private static Alert at(int hour) {
        Instant t = Instant.parse("2023-04-07T00:00:00Z").plusSeconds(3600L * hour);
        return Alert.callNotPlaced("ship", t.minusSeconds(3600), t);
    }

    @Test
    void keepsTheNewestArrivalsAndSaysWhenAnAnswerMayMissEvictedOnes() {
        AlertLog log = new AlertLog(3);
        for (int h = 1; h <= 5; h++) {
            log.add(at(h));
        }
        AlertLog.Page all = log.since(Instant.EPOCH, 10);
        assertThat(all.alerts()).containsExactly(at(3), at(4), at(5));
        assertThat(all.complete()).as("hours 1 and 2 were evicted").isFalse();
        AlertLog.Page recent = log.since(at(3).at(), 10);
        assertThat(recent.complete()).as("nothing at or after hour 3 was evicted").isTrue();
        AlertLog.Page first = log.since(Instant.EPOCH, 2);
        assertThat(first.alerts()).containsExactly(at(3), at(4));
        assertThat(first.more()).isTrue();
    }

    @Test
    void aCursorWhoseAlertWasEvictedStartsAfterItsChannel() {
        Instant slot = Instant.parse("2023-04-07T00:00:00Z");
        Instant at = slot.plusSeconds(3600);
        AlertLog log = new AlertLog(3);
        Alert gone = Alert.slotMissed("a", slot, at, org.hotlinemonitor.core.alert.MissCause.NO_ANSWER);
        Alert down = Alert.channelDown("b", slot.minusSeconds(86_400), at, 2);
        Alert missed = Alert.slotMissed("b", slot, at, org.hotlinemonitor.core.alert.MissCause.NO_ANSWER);
        Alert other = Alert.slotMissed("c", slot, at, org.hotlinemonitor.core.alert.MissCause.NO_ANSWER);
        for (Alert a : new Alert[] {gone, missed, down, other}) { // b's own order: SLOT_MISSED, then CHANNEL_DOWN
            log.add(a);
        }
        assertThat(log.since(at, null, 10).alerts()).containsExactly(missed, down, other);
        assertThat(log.since(at, missed.id(), 10).alerts()).as("after a held alert: the rest of its channel").containsExactly(down, other);
        assertThat(log.since(at, gone.id(), 10).alerts()).as("after an evicted one: from the next channel").containsExactly(missed, down, other);
        assertThat(log.since(at, "b/SLOT_MISSED/1999-01-01T00:00:00Z", 10).alerts()).containsExactly(other);
    }
}
