package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * The detection rules for one channel, as a pure function: {@code step(state, input) -> (state, alerts)}.
 * No clock, no I/O; time moves only by {@link #advance} and by the time of the events themselves, so a
 * live run and a replay of the same events produce the same alerts.
 *
 * <h2>The rules</h2>
 * <ol>
 *   <li><b>Slots.</b> The channel's schedule gives its slots; a slot's deadline is
 *       {@code slot + answerWithin}. An event belongs to the slot it names, or else to the latest slot
 *       whose window {@code [slot, deadline]} contains its time; otherwise it is unscheduled.</li>
 *   <li><b>Verdict at the deadline</b>, from the events of that slot with time &le; deadline: any
 *       {@code ANSWERED} makes it <em>answered</em> (retries count); else any {@code CALL_PLACED},
 *       {@code NO_ANSWER} or {@code LINE_FAULT} makes it <em>missed</em>, cause {@code LINE_FAULT} if a
 *       fault was seen, else {@code NO_ANSWER}; else it is <em>not placed</em>.</li>
 *   <li><b>Missed</b>: the streak of consecutive missed slots grows. While the channel is not down,
 *       {@code SLOT_MISSED} (at the deadline). When the streak reaches {@code downAfter},
 *       {@code CHANNEL_DOWN} (at the same deadline, after the SLOT_MISSED), with the streak's first
 *       missed slot as {@code since}.</li>
 *   <li><b>Not placed</b>: {@code CALL_NOT_PLACED} (our side's fault). It neither counts as a miss nor
 *       breaks a streak, and leaves the status as it was.</li>
 *   <li><b>Any answer</b>, scheduled or not, even after its slot's deadline, proves the line works: it
 *       ends the streak, and if the channel was down raises {@code CHANNEL_RESTORED} at the answer's
 *       time, with the outage's {@code since}, its missed slots and its duration.</li>
 *   <li><b>Time.</b> {@code advance(t)} decides every slot whose deadline is before {@code t}. An event at
 *       {@code ts} first advances to {@code ts} (so an answer exactly at the deadline still counts), then
 *       applies. An event before the watermark is {@link EventOutcome#LATE}: it changes nothing.
 *       Duplicates change nothing: a slot's record is a set of flags, and a second answer finds the
 *       channel already up.</li>
 *   <li><b>Sources.</b> An alert names the sources of the events its decision used ({@link Alert#sources()}):
 *       {@code SLOT_MISSED} and {@code CHANNEL_DOWN} those of the events applied to the slot decided,
 *       {@code CHANNEL_RESTORED} that of the answer; {@code CALL_NOT_PLACED} none. Sources change no decision.</li>
 * </ol>
 *
 * <h2>Two forms, one set of rules</h2>
 * The public methods are pure: state in, {@link Step} out. The rules themselves work in place on a
 * {@link Cursor} (the state in mutable form) and hand each decision to a {@link Decisions} sink as it
 * is made; the pure methods copy the state into a cursor, run the rules and freeze the result. The
 * {@link Monitor} keeps one cursor per channel and runs the same rules without the copies, which is
 * what lets a replay decide millions of events per second. There is no second implementation: the rules about our
 * own side (heartbeats, silence, and the {@code CALL_NOT_PLACED} a silence covers) are {@link OurSideRule}'s, in the
 * same two forms, and the {@link Monitor} only orders the steps of both.
 *
 * <p>Thread-safety: immutable; share freely (a cursor belongs to one thread at a time).
 */
public final class Detector {

    private final Channel channel;
    private final String id;
    private final Schedule schedule;
    private final long answerWithin;
    private final int downAfter;

    public Detector(Channel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.id = channel.id();
        this.schedule = channel.schedule();
        this.answerWithin = channel.answerWithin().toMillis();
        this.downAfter = channel.downAfter();
    }

    public Channel channel() {
        return channel;
    }

    /** The state of this channel when monitoring starts at {@code start}: slots due before it are not judged. */
    public ChannelState initial(Instant start) {
        long t = start.toEpochMilli();
        return ChannelState.initial(t, schedule.firstAtOrAfter(t - answerWithin));
    }

    /** {@link #initial(Instant)} in place. */
    void start(Cursor c, long start) {
        c.load(ChannelState.initial(start, schedule.firstAtOrAfter(start - answerWithin)));
    }

    /** The deadline of the earliest undecided slot, or {@link Millis#NONE}. */
    public long nextDeadline(ChannelState state) {
        return deadlineOf(state.cursor());
    }

    /** The deadline of the cursor's earliest undecided slot, or {@link Millis#NONE}. */
    long nextDeadline(Cursor c) {
        return deadlineOf(c.cursor);
    }

    private long deadlineOf(long slot) {
        return slot == NONE ? NONE : slot + answerWithin;
    }

    /** Moves time to {@code to}: decides every slot whose deadline is before it. */
    public Step advance(ChannelState state, Instant to) {
        return advance(state, to.toEpochMilli());
    }

    /** {@link #advance(ChannelState, Instant)} in epoch milliseconds. */
    public Step advance(ChannelState state, long to) {
        if (to <= state.watermark()) {
            return Step.unchanged(state, EventOutcome.TIME_ONLY);
        }
        if (state.cursor() == NONE || state.cursor() + answerWithin >= to) {
            return Step.unchanged(state.withWatermark(to), EventOutcome.TIME_ONLY);
        }
        Cursor c = new Cursor(state);
        Collector out = new Collector();
        advance(c, to, out);
        return out.step(c, EventOutcome.TIME_ONLY);
    }

    /** {@link #advance(ChannelState, long)} in place. */
    void advance(Cursor c, long to, Decisions out) {
        while (c.cursor != NONE && c.cursor + answerWithin < to) {
            decide(c, c.cursor, out);
            c.cursor = schedule.firstAfter(c.cursor);
        }
        c.watermark = Math.max(c.watermark, to);
    }

    /** Applies one event, first advancing time to the event's time. */
    public Step onEvent(ChannelState state, CallEvent event) {
        long ts = event.ts().toEpochMilli();
        if (ts < state.watermark()) {
            return Step.unchanged(state, EventOutcome.LATE);
        }
        if (event.kind() == EventKind.HEARTBEAT) {
            return advance(state, ts);
        }
        EventOutcome invalid = validate(event);
        if (invalid != null) {
            return Step.unchanged(state, invalid);
        }
        return applyValidated(state, event);
    }

    /** {@link #onEvent} for an event that already passed {@link #validate} (at or after the watermark, not a heartbeat). */
    Step applyValidated(ChannelState state, CallEvent event) {
        if (event.ts().toEpochMilli() < state.watermark()) {
            return Step.unchanged(state, EventOutcome.LATE);
        }
        Cursor c = new Cursor(state);
        Collector out = new Collector();
        EventOutcome outcome = apply(c, event.kind(), event.ts().toEpochMilli(),
                event.slot() == null ? NONE : event.slot().toEpochMilli(), event.source(), out);
        return out.step(c, outcome);
    }

    /**
     * {@link #applyValidated} in place, on the event's parts: {@code named} is the slot the event names,
     * or {@link Millis#NONE}; {@code source} is the event's source or {@code null}. A
     * {@link EventOutcome#LATE} event changes nothing.
     */
    EventOutcome apply(Cursor c, EventKind kind, long ts, long named, String source, Decisions out) {
        if (ts < c.watermark) {
            return EventOutcome.LATE;
        }
        long target;
        EventOutcome outcome;
        if (named != NONE) {
            boolean inWindow = ts <= named + answerWithin;
            target = inWindow ? named : NONE;
            outcome = inWindow ? EventOutcome.APPLIED : EventOutcome.AFTER_DEADLINE;
        } else {
            long latest = schedule.lastAtOrBefore(ts);
            boolean inWindow = latest != NONE && ts <= latest + answerWithin;
            target = inWindow ? latest : NONE;
            outcome = inWindow ? EventOutcome.APPLIED : EventOutcome.UNSCHEDULED;
        }

        advance(c, ts, out);
        if (target != NONE && target >= c.cursor) {
            c.record(target, flag(kind), kind == EventKind.ANSWERED ? ts : Millis.NONE, source);
        } else if (target != NONE) {
            // Cannot happen: a slot whose window holds ts has a deadline >= ts > every decided deadline.
            throw new IllegalStateException("slot " + Instant.ofEpochMilli(target) + " of " + id
                    + " is already decided at " + Instant.ofEpochMilli(ts));
        }
        if (kind == EventKind.ANSWERED) {
            answered(c, ts, source, out);
        }
        return outcome;
    }

    /**
     * Checks what can be checked without state: a named slot must be one of the schedule's, and the event
     * may not happen more than {@code answerWithin} before it. Returns the rejection, or {@code null}.
     */
    public EventOutcome validate(CallEvent event) {
        if (event.slot() != null && event.slot().getNano() % 1_000_000 != 0 && event.kind() != EventKind.HEARTBEAT) {
            return EventOutcome.NOT_A_SLOT; // sub-millisecond digits: no slot has them; the rest is checked below
        }
        return validate(event.kind(), event.ts().toEpochMilli(), event.slot() == null ? NONE : event.slot().toEpochMilli());
    }

    /** {@link #validate(CallEvent)} on the event's parts (epoch milliseconds; {@code slot} may be {@link Millis#NONE}). */
    EventOutcome validate(EventKind kind, long ts, long slot) {
        return validate(schedule, answerWithin, kind, ts, slot);
    }

    /** The rule of {@link #validate(EventKind, long, long)}, for a caller that holds the channel's schedule and window. */
    static EventOutcome validate(Schedule schedule, long answerWithin, EventKind kind, long ts, long slot) {
        if (slot == NONE || kind == EventKind.HEARTBEAT) {
            return null;
        }
        if (!schedule.isSlot(slot)) {
            return EventOutcome.NOT_A_SLOT;
        }
        if (ts < slot - answerWithin) {
            return EventOutcome.TOO_EARLY;
        }
        return null;
    }

    /** The channel's answer window in milliseconds. */
    long answerWithinMillis() {
        return answerWithin;
    }

    private void decide(Cursor c, long slot, Decisions out) {
        long deadline = slot + answerWithin;
        if (c.openSlot != slot) { // records are ascending and never below the cursor: nothing seen
            out.verdict(slot, deadline, Verdict.NOT_PLACED, null, NONE);
            out.alert(Alert.callNotPlaced(id, Instant.ofEpochMilli(slot), Instant.ofEpochMilli(deadline)));
            return;
        }
        int seen = c.openFlags;
        long firstAnswer = c.openFirstAnswer;
        List<String> sources = c.openSources;
        c.dropOpen();
        if ((seen & OpenSlot.SEEN_ANSWER) != 0) {
            out.verdict(slot, deadline, Verdict.ANSWERED, null, firstAnswer);
            c.endStreak();
            return;
        }
        MissCause cause = (seen & OpenSlot.SEEN_FAULT) != 0 ? MissCause.LINE_FAULT : MissCause.NO_ANSWER;
        out.verdict(slot, deadline, Verdict.MISSED, cause, NONE);
        c.streak++;
        if (c.streak == 1) {
            c.streakSince = slot;
        }
        if (c.status != ChannelStatus.DOWN) {
            Instant deadlineAt = Instant.ofEpochMilli(deadline);
            out.alert(Alert.slotMissed(id, Instant.ofEpochMilli(slot), deadlineAt, cause).withSources(sources));
            if (c.streak >= downAfter) {
                c.status = ChannelStatus.DOWN;
                out.alert(Alert.channelDown(id, Instant.ofEpochMilli(c.streakSince), deadlineAt, c.streak)
                        .withSources(sources));
            } else {
                c.status = ChannelStatus.MISSED;
            }
        }
    }

    private void answered(Cursor c, long ts, String source, Decisions out) {
        c.lastAnswer = Math.max(c.lastAnswer, ts);
        if (c.status == ChannelStatus.DOWN) {
            out.alert(Alert.channelRestored(id, Instant.ofEpochMilli(c.streakSince), Instant.ofEpochMilli(ts),
                    c.streak).withSources(source == null ? List.of() : List.of(source)));
        }
        c.endStreak();
    }

    private static int flag(EventKind kind) {
        return switch (kind) {
            case CALL_PLACED -> OpenSlot.SEEN_PLACED;
            case NO_ANSWER -> OpenSlot.SEEN_NO_ANSWER;
            case LINE_FAULT -> OpenSlot.SEEN_FAULT;
            case ANSWERED -> OpenSlot.SEEN_ANSWER;
            case HEARTBEAT -> 0;
        };
    }

    /** Receives the decisions of the rules as they are made, in time order. */
    interface Decisions {
        /**
         * A slot was decided. Times in epoch milliseconds; {@code cause} only for {@link Verdict#MISSED},
         * {@code firstAnswer} only for {@link Verdict#ANSWERED} (else {@link Millis#NONE}).
         */
        void verdict(long slot, long deadline, Verdict verdict, MissCause cause, long firstAnswer);

        void alert(Alert alert);
    }

    /** Collects one pure step's decisions. */
    private final class Collector implements Decisions {
        private List<Alert> alerts = List.of();
        private List<SlotVerdict> verdicts = List.of();

        @Override
        public void verdict(long slot, long deadline, Verdict verdict, MissCause cause, long firstAnswer) {
            if (verdicts.isEmpty()) {
                verdicts = new ArrayList<>(2);
            }
            verdicts.add(SlotVerdict.ofMillis(id, slot, deadline, verdict, cause, firstAnswer));
        }

        @Override
        public void alert(Alert alert) {
            if (alerts.isEmpty()) {
                alerts = new ArrayList<>(2);
            }
            alerts.add(alert);
        }

        Step step(Cursor c, EventOutcome outcome) {
            return new Step(c.freeze(), alerts, verdicts, outcome);
        }
    }

    /**
     * A channel's {@link ChannelState} in mutable form, for the rules to work on in place. The fields
     * mean what the record's components mean. Owned by one thread at a time.
     */
    static class Cursor {
        long watermark;
        long cursor;
        ChannelStatus status;
        int streak;
        long streakSince;
        long lastAnswer;
        long openSlot;
        int openFlags;
        long openFirstAnswer;
        List<OpenSlot> moreOpen;
        /** The open slot's sources: a {@link SourceSet}, shared between lanes where the {@link Monitor} interns it. */
        List<String> openSources;

        Cursor() {
            load(ChannelState.initial(NONE, NONE));
        }

        Cursor(ChannelState s) {
            load(s);
        }

        final void load(ChannelState s) {
            watermark = s.watermark();
            cursor = s.cursor();
            status = s.status();
            streak = s.streak();
            streakSince = s.streakSince();
            lastAnswer = s.lastAnswer();
            openSlot = s.openSlot();
            openFlags = s.openFlags();
            openFirstAnswer = s.openFirstAnswer();
            moreOpen = s.moreOpen();
            openSources = s.openSources();
        }

        final ChannelState freeze() {
            return new ChannelState(watermark, cursor, status, streak, streakSince, lastAnswer, openSlot, openFlags,
                    openFirstAnswer, moreOpen, openSources);
        }

        final void endStreak() {
            streak = 0;
            streakSince = NONE;
            status = ChannelStatus.UP;
        }

        /** Drops the record of the earliest open slot, moving the next one up. */
        final void dropOpen() {
            if (moreOpen.isEmpty()) {
                openSlot = NONE;
                openFlags = 0;
                openFirstAnswer = NONE;
                openSources = List.of();
            } else {
                OpenSlot next = moreOpen.get(0);
                openSlot = next.slot();
                openFlags = next.flags();
                openFirstAnswer = next.firstAnswer();
                openSources = next.sources();
                moreOpen = List.copyOf(moreOpen.subList(1, moreOpen.size()));
            }
        }

        final void record(long slot, int flag, long answerAt, String source) {
            if (openSlot == NONE || openSlot == slot) { // the common case: one slot in its window
                openSlot = slot;
                openFlags |= flag;
                openFirstAnswer = earlier(openFirstAnswer, answerAt);
                openSources = withSource(openSources, source);
                return;
            }
            List<OpenSlot> all = new ArrayList<>(moreOpen.size() + 2);
            all.add(new OpenSlot(openSlot, openFlags, openFirstAnswer, openSources));
            all.addAll(moreOpen);
            int i = 0;
            while (i < all.size() && all.get(i).slot() < slot) {
                i++;
            }
            if (i < all.size() && all.get(i).slot() == slot) {
                OpenSlot old = all.get(i);
                all.set(i, new OpenSlot(slot, old.flags() | flag, earlier(old.firstAnswer(), answerAt),
                        withSource(old.sources(), source)));
            } else {
                all.add(i, new OpenSlot(slot, flag, answerAt, withSource(List.of(), source)));
            }
            OpenSlot first = all.get(0);
            openSlot = first.slot();
            openFlags = first.flags();
            openFirstAnswer = first.firstAnswer();
            openSources = first.sources();
            moreOpen = List.copyOf(all.subList(1, all.size()));
        }

        /** {@link SourceSet#add}; the {@link Monitor}'s lanes share equal sets instead of allocating one per slot. */
        List<String> withSource(List<String> set, String source) {
            return SourceSet.add(set, source);
        }

        private static long earlier(long a, long b) {
            if (a == NONE) {
                return b;
            }
            return b == NONE ? a : Math.min(a, b);
        }
    }
}
