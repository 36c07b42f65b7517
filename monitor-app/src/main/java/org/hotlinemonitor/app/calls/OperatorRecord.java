package org.hotlinemonitor.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.hotlinemonitor.core.codec.Timestamps;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.model.MonitorConfig;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * The event an operator records with the {@code record} command: checked against the channel
 * configuration and the channel's schedule, so that a typo is refused at once instead of becoming an
 * event the detector rejects later. Pure: the caller supplies the current time.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@code channel} must be configured;</li>
 *   <li>{@code at} (when the outcome happened) may not be more than {@link #FUTURE_TOLERANCE} (the maximum clock
 *       skew, 10 s) in the future, nor before 1970-01-01T00:00:00Z ({@link #EARLIEST}: the event's instant is its
 *       Kafka record's timestamp, which cannot be negative);</li>
 *   <li>{@code slot}, when given, must be one of the channel's slots, and {@code at} may not be more than
 *       the answer window before it (the detector would refuse the event as {@code too-early}); an
 *       {@code at} after the slot's deadline is allowed with a warning (the event cannot change the
 *       slot's verdict, though an answer still proves the line works);</li>
 *   <li>without {@code slot}, the event belongs to the slot whose answer window contains {@code at}, and
 *       is unscheduled (with a warning) when there is none;</li>
 *   <li>{@code note} at most {@value #MAX_NOTE} characters.</li>
 * </ul>
 * The id is {@link EventIds#recorded}: recording the same outcome at the same {@code at} again gives the
 * same id.
 */
public final class OperatorRecord {

    /**
     * How far in the future {@code at} may be: the maximum clock skew between the operator's machine and ours
     * (docs/time.md). The detector's default bound is this one.
     */
    public static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(10);

    public static final int MAX_NOTE = 1000;

    /**
     * The earliest {@code at}: the epoch. An event's instant is its Kafka record's timestamp (epoch milliseconds),
     * which Kafka refuses when negative; an earlier {@code at} could never be written.
     */
    public static final Instant EARLIEST = Instant.EPOCH;

    private OperatorRecord() {
    }

    /** A recorded event, with warnings for the operator (things that are allowed but probably not meant). */
    public record Result(CallEvent event, List<String> warnings) {
        public Result {
            Objects.requireNonNull(event, "event");
            warnings = List.copyOf(warnings);
        }
    }

    /** One bad field: {@link #field()} is {@code channel}, {@code at}, {@code slot}, {@code note} or {@code source}. */
    public static final class InvalidRecord extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidRecord(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * @param kind   {@code ANSWERED}, {@code NO_ANSWER} or {@code LINE_FAULT} (the {@code record} command), or
     *               {@code CALL_PLACED} (the HTTP API: a call placed by hand whose outcome comes later)
     * @param at     when the outcome happened; truncated to milliseconds
     * @param slot   the slot it belongs to, or null to derive it from {@code at}
     * @param note   free text, or null
     * @param source who records it
     * @param now    the current time
     * @throws InvalidRecord naming the first bad field
     */
    public static Result build(MonitorConfig config, String channelId, EventKind kind, Instant at, Instant slot, String note,
                               String source, Instant now) throws InvalidRecord {
        if (kind == EventKind.HEARTBEAT) {
            throw new IllegalArgumentException("an operator records CALL_PLACED, ANSWERED, NO_ANSWER or LINE_FAULT, not " + kind);
        }
        Channel channel = config.channel(channelId);
        if (channel == null) {
            String shown = channelId.length() <= 64 ? channelId : channelId.substring(0, 64) + "... (" + channelId.length() + " characters)";
            throw new InvalidRecord("channel", "unknown channel '" + shown + "' (configured: "
                    + config.channels().stream().map(Channel::id).limit(20).collect(Collectors.joining(", "))
                    + (config.channels().size() > 20 ? ", ..." : "") + ")");
        }
        if (source == null || source.isBlank()) {
            throw new InvalidRecord("source", "must not be blank");
        }
        if (note != null && note.length() > MAX_NOTE) {
            throw new InvalidRecord("note", "at most " + MAX_NOTE + " characters, was " + note.length());
        }
        if (at.isBefore(EARLIEST)) {
            throw new InvalidRecord("at", format(at) + " is before " + format(EARLIEST) + ", the earliest instant an event "
                    + "can have (its Kafka record's timestamp)");
        }
        Instant ts = Instant.ofEpochMilli(at.toEpochMilli());
        if (ts.isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new InvalidRecord("at", format(ts) + " is in the future (now is " + format(now) + "; at most "
                    + FUTURE_TOLERANCE.toSeconds() + " s of clock skew is allowed)");
        }
        Duration window = channel.answerWithin();
        List<String> warnings = new ArrayList<>();
        Schedule schedule = channel.schedule();
        if (slot != null) {
            if (!schedule.isSlot(slot)) {
                throw new InvalidRecord("slot", format(slot) + " is not a slot of " + channel.id() + "; " + slotsNear(channel, slot));
            }
            if (ts.isBefore(slot.minus(window))) {
                throw new InvalidRecord("slot", format(slot) + " is more than its answer window (" + window + ") after --at "
                        + format(ts) + ": the detector would refuse the event as too early");
            }
            Instant deadline = slot.plus(window);
            if (ts.isAfter(deadline)) {
                warnings.add("--at " + format(ts) + " is after the slot's deadline " + format(deadline)
                        + ": the event cannot change the slot's verdict" + (kind == EventKind.ANSWERED ? " (the answer still shows the line works)" : ""));
            }
        } else {
            long s = schedule.lastAtOrBefore(ts.toEpochMilli());
            if (s != Millis.NONE && !ts.isAfter(Instant.ofEpochMilli(s).plus(window))) {
                slot = Instant.ofEpochMilli(s);
            } else {
                warnings.add("no slot's answer window contains " + format(ts) + ": recorded as unscheduled"
                        + (kind == EventKind.ANSWERED ? " (an answer still shows the line works)" : ""));
            }
        }
        CallEvent event = new CallEvent(channel.id(), kind, ts, slot, EventIds.recorded(channel.id(), slot, kind, ts), source, note);
        return new Result(event, warnings);
    }

    /**
     * Why the detector would drop {@code event} as late, judged from its channel's committed watermark, or
     * {@code null} when it would not. For the HTTP API (a 409) and the {@code record} command (refused before writing).
     *
     * <p>Exact in one direction, the one that matters: an event is late exactly when its {@code ts} is before its
     * channel's own watermark at the moment the detector applies it (docs/time.md: a deadline at or after it decided, a
     * later event applied, or the channel started after it); a channel's watermark never goes back (a restart or a
     * configuration change resumes at or after it), and the committed state trails the running detector. So an event
     * before the committed watermark is certainly dropped, and nothing the detector would take is refused. An event
     * at or after it may still turn out late, if the detector moves on before the event reaches it (0.5 s live).
     *
     * @param watermark the channel's committed watermark (epoch millis), or {@code Millis.NONE} when the detector
     *                  has none for the channel: then nothing can be said, and nothing is refused
     * @param now       for the upper end of the range taken
     */
    public static String late(CallEvent event, long watermark, Instant now) {
        if (watermark == Millis.NONE || event.ts().toEpochMilli() >= watermark) {
            return null;
        }
        String from = Timestamps.format(watermark);
        return Timestamps.format(event.ts().toEpochMilli()) + " is before " + from + ", up to which the detector has "
                + "decided " + event.channel() + " (a deadline at or after ts decided, or a later event applied): it would "
                + "drop the event as late, changing nothing. It takes events of " + event.channel() + " from " + from
                + " (later as time goes on) to " + Timestamps.format(now.plus(FUTURE_TOLERANCE).toEpochMilli());
    }

    /** "its slots on 2023-04-07 (Asia/Seoul) are ..." for the local date of {@code instant}. */
    private static String slotsNear(Channel channel, Instant instant) {
        LocalDate date = LocalDate.ofInstant(instant, channel.zone());
        List<Instant> slots = channel.schedule().slotsOn(date);
        String where = "its slots on " + date + " (" + channel.zone() + ")";
        if (slots.isEmpty()) {
            return where + ": none";
        }
        return where + " are " + slots.stream().map(OperatorRecord::format).collect(Collectors.joining(", "));
    }

    private static String format(Instant instant) {
        return Timestamps.format(instant.toEpochMilli());
    }
}
