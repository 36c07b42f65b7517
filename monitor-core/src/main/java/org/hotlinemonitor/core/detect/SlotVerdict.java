package org.hotlinemonitor.core.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.hotlinemonitor.core.alert.MissCause;

/**
 * The decision on one slot, made at its deadline. Emitted next to alerts so that reports and metrics
 * can count slots by verdict and measure answer latency.
 *
 * @param channel     the channel id
 * @param slot        the scheduled instant
 * @param deadline    {@code slot + answerWithin}
 * @param verdict     the decision
 * @param cause       for {@link Verdict#MISSED}, why; else {@code null}
 * @param firstAnswer for {@link Verdict#ANSWERED}, when the first answer came; else {@code null}
 */
public record SlotVerdict(String channel, Instant slot, Instant deadline, Verdict verdict, MissCause cause,
                          Instant firstAnswer) {

    public SlotVerdict {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** Time from the slot to its first answer, or {@code null} when not answered. */
    public Duration answerLatency() {
        return firstAnswer == null ? null : Duration.ofMillis(answerLatencyMillis());
    }

    /** {@link #answerLatency()} in milliseconds, or -1 when not answered. */
    public long answerLatencyMillis() {
        return firstAnswer == null ? -1 : firstAnswer.toEpochMilli() - slot.toEpochMilli();
    }
}
