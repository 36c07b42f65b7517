package org.hotlinemonitor.core.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.model.Millis;

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

    /**
     * A verdict from the parts {@link Detector.Decisions#verdict} and {@link Monitor.Listener#onVerdict} hand over:
     * times in epoch milliseconds, {@code firstAnswer} {@link Millis#NONE} when not answered.
     */
    static SlotVerdict ofMillis(String channel, long slot, long deadline, Verdict verdict, MissCause cause,
                                long firstAnswer) {
        return new SlotVerdict(channel, Instant.ofEpochMilli(slot), Instant.ofEpochMilli(deadline), verdict, cause,
                firstAnswer == Millis.NONE ? null : Instant.ofEpochMilli(firstAnswer));
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
