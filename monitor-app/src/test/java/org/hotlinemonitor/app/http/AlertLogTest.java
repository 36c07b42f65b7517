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
}
