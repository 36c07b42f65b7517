package org.hotlinemonitor.app.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Instant;
import java.util.List;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.ChannelStatus;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.detect.OpenSlot;
import org.hotlinemonitor.core.model.Channel;
import org.junit.jupiter.api.Test;

class ChannelRestartTest {

    static Channel channel(String checks) {
        return Harness.config("channels:\n  - {id: line, zone: UTC, checks: " + checks + ", answerWithin: PT1H}\n")
                .channels().get(0);
    }

    static long t(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void restartsTheScheduleAtTheWatermarkAndKeepsTheOutage() {
        // Down since yesterday 09:00 under 09:00/17:00; it is now 09:30 and 09:00 has seen our call placed.
        ChannelState old = new ChannelState(t("2023-04-07T09:30:00Z"), t("2023-04-07T09:00:00Z"), ChannelStatus.DOWN,
                3, t("2023-04-06T09:00:00Z"), t("2023-04-05T17:00:41Z"), t("2023-04-07T09:00:00Z"),
                OpenSlot.SEEN_PLACED, NONE, List.of());
        Detector moved = new Detector(channel("['08:00', '16:00']"));
        ChannelState s = ChannelRestart.restart(moved, old, t("2023-04-07T09:30:00Z"));
        assertThat(s.cursorInstant()).as("08:00's deadline is past: the next slot is 16:00")
                .isEqualTo(Instant.parse("2023-04-07T16:00:00Z"));
        assertThat(s.watermark()).isEqualTo(t("2023-04-07T09:30:00Z"));
        assertThat(s.status()).isEqualTo(ChannelStatus.DOWN);
        assertThat(s.streak()).isEqualTo(3);
        assertThat(s.streakSinceInstant()).isEqualTo(Instant.parse("2023-04-06T09:00:00Z"));
        assertThat(s.lastAnswer()).isEqualTo(old.lastAnswer());
        assertThat(s.open()).as("09:00 is no slot of the new schedule: its record is dropped").isEmpty();
    }

    @Test
    void keepsWhatWasSeenOfAnOpenSlotTheNewScheduleStillHas() {
        ChannelState old = new ChannelState(t("2023-04-07T09:30:00Z"), t("2023-04-07T09:00:00Z"), ChannelStatus.UP,
                0, NONE, t("2023-04-07T09:00:41Z"), t("2023-04-07T09:00:00Z"),
                OpenSlot.SEEN_PLACED | OpenSlot.SEEN_ANSWER, t("2023-04-07T09:00:41Z"), List.of());
        Detector added = new Detector(channel("['09:00', '12:00', '17:00']"));
        ChannelState s = ChannelRestart.restart(added, old, t("2023-04-07T09:30:00Z"));
        assertThat(s.cursorInstant()).isEqualTo(Instant.parse("2023-04-07T09:00:00Z"));
        assertThat(s.open()).containsExactly(
                new OpenSlot(t("2023-04-07T09:00:00Z"), OpenSlot.SEEN_PLACED | OpenSlot.SEEN_ANSWER, t("2023-04-07T09:00:41Z")));
        // ... so 09:00 is decided answered, not "not placed".
        assertThat(added.advance(s, t("2023-04-07T10:00:01Z")).alerts()).isEmpty();
    }
}
