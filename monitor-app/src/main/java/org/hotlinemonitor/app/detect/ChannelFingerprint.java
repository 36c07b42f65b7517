package org.hotlinemonitor.app.detect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.schedule.DayRule;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * A 64-bit digest of what a channel's detector state depends on: its schedule (zone, check times, day
 * rule and how it was written), {@code answerWithin} and {@code downAfter}. Kept next to each stored state,
 * so that on restart the detector can tell the channels whose configuration changed. The name does not
 * count. The same configuration gives the same fingerprint in every JVM (SHA-256 of a canonical text, not
 * {@code hashCode}).
 *
 * <p>Conservative: two writings of the same schedule (cron {@code 0 9 * * *} and {@code 0 9 * * 0-6})
 * count as a change; that only restarts the channel's schedule position (see {@link DetectorProcessor}).
 */
public final class ChannelFingerprint {

    private ChannelFingerprint() {
    }

    public static long of(Channel channel) {
        return digest(canonical(channel));
    }

    /** The text that is digested; exposed for tests and for messages. */
    static String canonical(Channel channel) {
        Schedule s = channel.schedule();
        return "v1"
                + "|zone=" + s.zone().getId()
                + "|times=" + s.times()
                + "|days=" + days(s.days())
                + "|schedule=" + s
                + "|answerWithin=" + channel.answerWithin()
                + "|downAfter=" + channel.downAfter();
    }

    private static String days(DayRule rule) {
        if (rule instanceof DayRule.EveryDay) {
            return "every-day";
        }
        if (rule instanceof DayRule.DaysOfWeek d) {
            // Set.copyOf iterates in a per-JVM order: sort.
            return d.days().stream().sorted().map(Enum::name).collect(Collectors.joining(","));
        }
        // Records (the cron day rule) print their components deterministically; anything else is
        // described by the schedule's own text, already part of the digest.
        return rule.getClass().isRecord() ? rule.toString() : rule.getClass().getName();
    }

    private static long digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
