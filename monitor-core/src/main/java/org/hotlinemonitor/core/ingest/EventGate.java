package org.hotlinemonitor.core.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.hotlinemonitor.core.codec.EventDecoder;
import org.hotlinemonitor.core.codec.EventFormatException;
import org.hotlinemonitor.core.detect.EventOutcome;
import org.hotlinemonitor.core.detect.Monitor;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;

/**
 * The one path an event takes before the detector applies it, for replay and for the live detector alike: what a
 * record that does not parse is refused as, the checks of a parsed event in their one order ({@link #admit}: signature
 * when its source signs, partition when read from Kafka, not after {@code until}, channel configured, slot valid, not
 * too early), the judgement of an event behind the watermark (allowed lateness), the judgement of an event ahead of the
 * clock (clock skew), and every reason's code ({@link Rejection}) and wording, one per reason. The callers keep only
 * what is theirs: replay its jumps of time, the live detector its Kafka record metadata and its punctuation; both
 * order the events that wait with the core's {@link org.hotlinemonitor.core.detect.ReorderBuffer}.
 *
 * <p>No clock and no I/O: the times a decision needs (the watermark, the clock's reading) are passed in. The checks
 * cost no allocation for an event that passes them; a rejection allocates its message.
 *
 * <p>Thread-safety: not thread-safe (the signature check holds a {@link javax.crypto.Mac} per signing source); a
 * thread that checks events beside the one that applies them works with its own {@link #copy()}.
 */
public final class EventGate {

    private final Monitor.Validator validator;
    private final Signing signing;
    private final Instant until;
    private final long untilMillis;
    private final Duration futureTolerance;
    private final long futureToleranceMillis;
    private final Duration allowedLateness;

    /**
     * @param validator       the configured channels and their rules
     * @param signing         the sources that must sign
     * @param allowedLateness how far behind the newest event an event may come (for messages)
     * @param until           events after it are refused ({@code beyond-until}); {@code null}: no bound
     * @param futureTolerance how far ahead of the clock an event may be (the maximum clock skew); {@code null}: no
     *                        clock ({@link #ahead} is then never called)
     */
    public EventGate(Monitor.Validator validator, Signing signing, Duration allowedLateness, Instant until,
                     Duration futureTolerance) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.signing = Objects.requireNonNull(signing, "signing");
        this.allowedLateness = Objects.requireNonNull(allowedLateness, "allowedLateness");
        this.until = until;
        this.untilMillis = until == null ? Long.MAX_VALUE : until.toEpochMilli();
        this.futureTolerance = futureTolerance;
        this.futureToleranceMillis = futureTolerance == null ? Long.MAX_VALUE : futureTolerance.toMillis();
    }

    /** A gate for another thread, with the same rules; made on that thread, so that it lives apart from this one. */
    public EventGate copy() {
        return new EventGate(validator.copy(), signing.copy(), allowedLateness, until, futureTolerance);
    }

    // ---- parse -------------------------------------------------------------------------------------------------

    /** A record that did not parse: {@code malformed} when the record as a whole is at fault, else {@code invalid-field}. */
    public static Rejection unreadable(EventFormatException e) {
        return new Rejection(e.field() == null ? Rejection.MALFORMED : Rejection.INVALID_FIELD, e.field(), e.getMessage());
    }

    /** A record without a value (a Kafka tombstone). */
    public static Rejection noValue() {
        return new Rejection(Rejection.MALFORMED, null, "record has no value");
    }

    // ---- validate ----------------------------------------------------------------------------------------------

    /** The position of a configured channel, or -1. */
    public int indexOf(String channel) {
        return validator.indexOf(channel);
    }

    /** How many channels are configured. */
    public int channels() {
        return validator.channels();
    }

    /** Whether events of {@code source} must be signed ({@code null}: no); one map lookup. */
    public boolean signs(String source) {
        return signing.signs(source);
    }

    /** {@code null} when {@code event}'s signature is as its source requires, else its {@code bad-signature} rejection. */
    public Rejection signature(CallEvent event) {
        return signing.check(event);
    }

    /**
     * The signature check of a record just parsed into parts by {@code parts} ({@link EventDecoder#decodeParts}):
     * {@code null} when its source does not sign (one map lookup) or it is signed as required, else its
     * {@code bad-signature} rejection. Callers check it first: a forged event is {@code bad-signature} whatever else is
     * wrong with it. The signed form is the event the parts make ({@link EventDecoder#event()}); the parts stay.
     */
    public Rejection signature(EventDecoder parts) {
        return signing.signs(parts.source()) ? signing.check(parts.event()) : null;
    }

    // ---- the checks in their one order ------------------------------------------------------------------------------

    /** {@link #admit}'s {@code owner} when there is no partition to check: the input has none, or the record is a heartbeat. */
    public static final int NO_OWNER = -1;

    /**
     * Every check of a parsed event that needs no state, in their one order, for every path (replay of a file or of the
     * events topic, the live detector, a record restored from its store): the signature when its source signs (a forged
     * event is {@code bad-signature} whatever else is wrong with it), then the partition (a channel read from a
     * partition that does not own it is {@code wrong-partition}), then {@link #check(EventKind, int, String, long, long)
     * until, channel, slot, too early}. Returns the first rejection, or {@code null}. No allocation for an event that
     * passes.
     *
     * @param parts      the event just decoded in parts ({@link EventDecoder#decodeParts})
     * @param channel    its channel's index here, or negative (unknown, none, or configured for another partition)
     * @param owner      the partition that owns the channel, or {@link #NO_OWNER}
     * @param partitions how many partitions the input has (for the message)
     * @param readFrom   the partition the record was read from (ignored with {@link #NO_OWNER})
     */
    public Rejection admit(EventDecoder parts, int channel, int owner, int partitions, int readFrom) {
        Rejection forged = signature(parts);
        return forged != null ? forged : admitSigned(parts.kind(), channel, parts.channel(), parts.tsMillis(),
                parts.slotMillis(), owner, partitions, readFrom);
    }

    /**
     * {@link #admit} after its first step, for a reader that settled the signature already (it passed, or the source
     * does not sign: {@link #signs}): the partition, then {@link #check(EventKind, int, String, long, long)}. Replay's
     * reading thread checks a signing source's event at once and the others once their channels are looked up in a
     * batch; the order is still this one.
     */
    public Rejection admitSigned(EventKind kind, int channel, String channelId, long ts, long slot, int owner,
                                 int partitions, int readFrom) {
        if (owner != NO_OWNER && owner != readFrom) {
            return wrongPartition(channelId, owner, partitions, readFrom);
        }
        return check(kind, channel, channelId, ts, slot);
    }

    /**
     * Checks what can be checked of an event without any state: not after {@code until}, its channel configured, a
     * slot it names valid. Returns the rejection, or {@code null}. The signature is checked apart ({@link #signature}),
     * first, by callers that have the event whole.
     */
    public Rejection check(CallEvent event) {
        return check(event.kind(), event.kind() == EventKind.HEARTBEAT ? -1 : validator.indexOf(event.channel()),
                event.channel(), event.ts().toEpochMilli(), event.slot() == null ? Millis.NONE : event.slot().toEpochMilli());
    }

    /**
     * {@link #check(CallEvent)} on an event's parts: {@code channel} its index (negative: unknown or none),
     * {@code channelId} its id (for messages; needed only when the channel is unknown), times in epoch milliseconds,
     * {@code slot} the named slot or {@link Millis#NONE}.
     */
    public Rejection check(EventKind kind, int channel, String channelId, long ts, long slot) {
        if (ts > untilMillis) {
            return beyondUntil(ts);
        }
        EventOutcome invalid = validator.validate(kind, channel, ts, slot);
        return invalid == null ? null : refusal(invalid, channel, channelId, ts, slot);
    }

    /**
     * The rejection for a validation outcome ({@code unknown-channel}, {@code not-a-slot}, {@code too-early}); the
     * channel's configuration comes from its index ({@code channel}, negative: none), or else its id.
     */
    public Rejection refusal(EventOutcome outcome, int channel, String channelId, long ts, long slot) {
        Instant at = Instant.ofEpochMilli(ts);
        Instant slotAt = slot == Millis.NONE ? null : Instant.ofEpochMilli(slot);
        Channel c = channel >= 0 ? validator.channelAt(channel) : channelId == null ? null : validator.channel(channelId);
        String name = c != null ? c.id() : channelId;
        return switch (outcome) {
            case UNKNOWN_CHANNEL -> new Rejection(Rejection.UNKNOWN_CHANNEL, "channel",
                    "unknown channel '" + name + "' (not in the channel configuration)");
            case NOT_A_SLOT -> new Rejection(Rejection.NOT_A_SLOT, "slot",
                    "slot " + slotAt + " is not a scheduled slot of channel '" + name + "' (" + c.schedule() + ")");
            case TOO_EARLY -> new Rejection(Rejection.TOO_EARLY, "ts",
                    "event at " + at + " is more than answerWithin (" + c.answerWithin() + ") before its slot " + slotAt);
            default -> throw new IllegalArgumentException("not a validation outcome: " + outcome);
        };
    }

    /**
     * An event of a channel read from a partition that does not own it ({@code wrong-partition}): its detector is
     * another task's, and keying by the channel id is the producer's contract.
     *
     * @param owner      the partition the channel belongs to
     * @param partitions the events topic's partitions
     * @param readFrom   the partition the record was read from
     */
    public static Rejection wrongPartition(String channelId, int owner, int partitions, int readFrom) {
        return new Rejection(Rejection.WRONG_PARTITION, "channel", "channel '" + channelId
                + "' belongs to partition " + owner + " of " + partitions
                + " (default partitioner on the channel id), but the record was read from partition "
                + readFrom + "; produce events keyed by their channel id");
    }

    // ---- lateness ----------------------------------------------------------------------------------------------

    /**
     * Judges and, when it may be, applies an event behind the watermark of the ordering (older than the newest event
     * minus the allowed lateness): it is judged against its own channel's time, not by how long it travelled. Before
     * the monitor's time it is applied at once when nothing of its channel happened since
     * ({@link Monitor#acceptValidated(int, EventKind, long, long, int)}); otherwise, or before the monitor started,
     * it is {@link EventOutcome#LATE}. The event passed {@link #check}.
     *
     * @return what the monitor did with it; {@link EventOutcome#rejected()} when it is late
     */
    public static EventOutcome behind(Monitor monitor, int channel, EventKind kind, long ts, long slot, int source) {
        if (!monitor.started() || ts >= monitor.watermark()) {
            return EventOutcome.LATE;
        }
        return monitor.acceptValidated(channel, kind, ts, slot, source);
    }

    /**
     * The {@code late} of an event that {@link #behind} refused, one wording for replay and the live detector: the
     * event, its channel ({@code channel}: its index, negative for a heartbeat, whose time is our side's), and the
     * watermark it was judged at with the allowed lateness.
     */
    public Rejection late(int channel, long ts, long watermark) {
        String whose = channel >= 0 ? "channel '" + validator.channelAt(channel).id() + "'" : "our side";
        return new Rejection(Rejection.LATE, "ts", "event at " + Instant.ofEpochMilli(ts) + " came after " + whose
                + " had moved past it or before it started (a deadline at or after it was decided, or a later event"
                + " applied; the watermark is " + Instant.ofEpochMilli(watermark) + ", allowed lateness " + allowedLateness
                + "); verdicts before it are final");
    }

    // ---- the future: until, clock skew ---------------------------------------------------------------------------

    /** An event after {@code until}: {@link #future}. */
    public Rejection beyondUntil(long ts) {
        return future(ts, untilMillis);
    }

    /**
     * The {@code beyond-until} of an event after the latest time taken ({@code limit}), one wording for replay (its
     * {@code --until}) and the live detector (its clock plus the maximum clock skew).
     */
    private static Rejection future(long ts, long limit) {
        return new Rejection(Rejection.BEYOND_UNTIL, "ts", "event at " + Instant.ofEpochMilli(ts) + " is after "
                + Instant.ofEpochMilli(limit) + ", the latest event time taken (replay: --until; live: the detector's clock"
                + " plus the maximum clock skew), and would move time for every channel at once; check its producer's clock");
    }

    /**
     * Replay's {@code outlier}: an event more than {@code maxJump} ahead of the replay's time that no other event
     * confirmed a jump to. {@code newest}: the newest event time taken, or {@link Millis#NONE} when none was.
     */
    public static Rejection outlierAhead(long ts, long maxJump, long newest) {
        return new Rejection(Rejection.OUTLIER, "ts", "event at " + Instant.ofEpochMilli(ts) + " is more than "
                + jump(maxJump) + " ahead of the replay's time "
                + (newest == Millis.NONE ? "(no event taken)" : Instant.ofEpochMilli(newest) + " (newest event time taken)")
                + " and no other event confirms a jump; an outlier moves time for no one");
    }

    /**
     * Replay's {@code outlier}: an event held in a gap, more than {@code maxJump} before the events read after it
     * (from {@code jumpStart}) that confirmed a jump. {@code newest}: as for {@link #outlierAhead}.
     */
    public static Rejection outlierBefore(long ts, long maxJump, long jumpStart, long newest) {
        return new Rejection(Rejection.OUTLIER, "ts", "event at " + Instant.ofEpochMilli(ts)
                + " is more than " + jump(maxJump) + " before the events read after it (from "
                + Instant.ofEpochMilli(jumpStart) + ") that moved the replay's time"
                + (newest == Millis.NONE ? "" : " on from " + Instant.ofEpochMilli(newest))
                + ", and no other event confirms it; an outlier moves time for no one");
    }

    /** maxJump as written: {@code P1D} rather than {@code PT24H}. */
    private static String jump(long maxJump) {
        long day = Duration.ofDays(1).toMillis();
        return maxJump % day == 0 ? "P" + maxJump / day + "D" : Duration.ofMillis(maxJump).toString();
    }

    /**
     * Whether an event at {@code ts} is no further behind the clock's reading {@code now} than the maximum clock skew:
     * the live detector starts a task at such an event (one from the distant past must not start it years ago).
     */
    public boolean nearClock(long ts, long now) {
        return now - ts <= futureToleranceMillis;
    }

    /**
     * {@code null} when an event at {@code ts} is within the maximum clock skew of the clock's reading {@code now}
     * (or behind it), else its {@code beyond-until} rejection ({@link #future}).
     */
    public Rejection ahead(long ts, long now) {
        if (ts <= now + futureToleranceMillis || now > Long.MAX_VALUE - futureToleranceMillis) {
            return null;
        }
        return future(ts, now + futureToleranceMillis);
    }
}
