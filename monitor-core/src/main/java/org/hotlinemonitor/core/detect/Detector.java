package org.hotlinemonitor.core.detect;

import static org.hotlinemonitor.core.detect.ChannelState.NONE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.alert.Alert;
import org.hotlinemonitor.core.alert.MissCause;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;
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
 * </ol>
 *
 * <p>Thread-safety: immutable; share freely.
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

    /** The deadline of the earliest undecided slot, or {@link ChannelState#NONE}. */
    public long nextDeadline(ChannelState state) {
        return state.cursor() == NONE ? NONE : state.cursor() + answerWithin;
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
        Work w = new Work(state);
        advance(w, to);
        return w.step(EventOutcome.TIME_ONLY);
    }

    private void advance(Work w, long to) {
        while (w.cursor != NONE && w.cursor + answerWithin < to) {
            decide(w, w.cursor);
            w.cursor = schedule.firstAfter(w.cursor);
        }
        w.watermark = Math.max(w.watermark, to);
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
        long ts = event.ts().toEpochMilli();
        if (ts < state.watermark()) {
            return Step.unchanged(state, EventOutcome.LATE);
        }
        long target;
        EventOutcome outcome;
        if (event.slot() != null) {
            long named = event.slot().toEpochMilli();
            boolean inWindow = ts <= named + answerWithin;
            target = inWindow ? named : NONE;
            outcome = inWindow ? EventOutcome.APPLIED : EventOutcome.AFTER_DEADLINE;
        } else {
            long latest = schedule.lastAtOrBefore(ts);
            boolean inWindow = latest != Schedule.NONE && ts <= latest + answerWithin;
            target = inWindow ? latest : NONE;
            outcome = inWindow ? EventOutcome.APPLIED : EventOutcome.UNSCHEDULED;
        }

        Work w = new Work(state);
        advance(w, ts);
        if (target != NONE && target >= w.cursor) {
            w.record(target, flag(event.kind()), event.kind() == EventKind.ANSWERED ? ts : OpenSlot.NONE);
        } else if (target != NONE) {
            // Cannot happen: a slot whose window holds ts has a deadline >= ts > every decided deadline.
            throw new IllegalStateException("slot " + Instant.ofEpochMilli(target) + " of " + id
                    + " is already decided at " + event.ts());
        }
        if (event.kind() == EventKind.ANSWERED) {
            answered(w, ts);
        }
        return w.step(outcome);
    }

    /**
     * Checks what can be checked without state: a named slot must be one of the schedule's, and the event
     * may not happen more than {@code answerWithin} before it. Returns the rejection, or {@code null}.
     */
    public EventOutcome validate(CallEvent event) {
        if (event.slot() == null || event.kind() == EventKind.HEARTBEAT) {
            return null;
        }
        if (!schedule.isSlot(event.slot())) {
            return EventOutcome.NOT_A_SLOT;
        }
        if (event.ts().toEpochMilli() < event.slot().toEpochMilli() - answerWithin) {
            return EventOutcome.TOO_EARLY;
        }
        return null;
    }

    private void decide(Work w, long slot) {
        OpenSlot seen = w.take(slot);
        Instant slotAt = Instant.ofEpochMilli(slot);
        Instant deadline = Instant.ofEpochMilli(slot + answerWithin);
        if (seen != null && seen.has(OpenSlot.SEEN_ANSWER)) {
            w.verdict(new SlotVerdict(id, slotAt, deadline, Verdict.ANSWERED, null,
                    Instant.ofEpochMilli(seen.firstAnswer())));
            w.endStreak();
        } else if (seen != null) {
            MissCause cause = seen.has(OpenSlot.SEEN_FAULT) ? MissCause.LINE_FAULT : MissCause.NO_ANSWER;
            w.verdict(new SlotVerdict(id, slotAt, deadline, Verdict.MISSED, cause, null));
            w.streak++;
            if (w.streak == 1) {
                w.streakSince = slot;
            }
            if (w.status != ChannelStatus.DOWN) {
                w.alert(Alert.slotMissed(id, slotAt, deadline, cause));
                if (w.streak >= downAfter) {
                    w.status = ChannelStatus.DOWN;
                    w.alert(Alert.channelDown(id, Instant.ofEpochMilli(w.streakSince), deadline, w.streak));
                } else {
                    w.status = ChannelStatus.MISSED;
                }
            }
        } else {
            w.verdict(new SlotVerdict(id, slotAt, deadline, Verdict.NOT_PLACED, null, null));
            w.alert(Alert.callNotPlaced(id, slotAt, deadline));
        }
    }

    private void answered(Work w, long ts) {
        w.lastAnswer = Math.max(w.lastAnswer, ts);
        if (w.status == ChannelStatus.DOWN) {
            w.alert(Alert.channelRestored(id, Instant.ofEpochMilli(w.streakSince), Instant.ofEpochMilli(ts),
                    w.streak));
        }
        w.endStreak();
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

    /** A step's scratch copy of the state; lives for one call only. */
    private static final class Work {
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
        List<Alert> alerts = List.of();
        List<SlotVerdict> verdicts = List.of();

        Work(ChannelState s) {
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
        }

        void alert(Alert a) {
            if (alerts.isEmpty()) {
                alerts = new ArrayList<>(2);
            }
            alerts.add(a);
        }

        void verdict(SlotVerdict v) {
            if (verdicts.isEmpty()) {
                verdicts = new ArrayList<>(2);
            }
            verdicts.add(v);
        }

        void endStreak() {
            streak = 0;
            streakSince = NONE;
            status = ChannelStatus.UP;
        }

        /** Removes and returns the record of {@code slot}, or null when it saw nothing. */
        OpenSlot take(long slot) {
            if (openSlot != slot) {
                return null; // records are ascending and never below the cursor
            }
            OpenSlot taken = new OpenSlot(openSlot, openFlags, openFirstAnswer);
            if (moreOpen.isEmpty()) {
                openSlot = NONE;
                openFlags = 0;
                openFirstAnswer = NONE;
            } else {
                OpenSlot next = moreOpen.get(0);
                openSlot = next.slot();
                openFlags = next.flags();
                openFirstAnswer = next.firstAnswer();
                moreOpen = List.copyOf(moreOpen.subList(1, moreOpen.size()));
            }
            return taken;
        }

        void record(long slot, int flag, long answerAt) {
            if (openSlot == NONE || openSlot == slot) { // the common case: one slot in its window
                openSlot = slot;
                openFlags |= flag;
                openFirstAnswer = earlier(openFirstAnswer, answerAt);
                return;
            }
            List<OpenSlot> all = new ArrayList<>(moreOpen.size() + 2);
            all.add(new OpenSlot(openSlot, openFlags, openFirstAnswer));
            all.addAll(moreOpen);
            int i = 0;
            while (i < all.size() && all.get(i).slot() < slot) {
                i++;
            }
            if (i < all.size() && all.get(i).slot() == slot) {
                OpenSlot old = all.get(i);
                all.set(i, new OpenSlot(slot, old.flags() | flag, earlier(old.firstAnswer(), answerAt)));
            } else {
                all.add(i, new OpenSlot(slot, flag, answerAt));
            }
            OpenSlot first = all.get(0);
            openSlot = first.slot();
            openFlags = first.flags();
            openFirstAnswer = first.firstAnswer();
            moreOpen = List.copyOf(all.subList(1, all.size()));
        }

        private static long earlier(long a, long b) {
            if (a == NONE) {
                return b;
            }
            return b == NONE ? a : Math.min(a, b);
        }

        Step step(EventOutcome outcome) {
            ChannelState s = new ChannelState(watermark, cursor, status, streak, streakSince, lastAnswer,
                    openSlot, openFlags, openFirstAnswer, moreOpen);
            return new Step(s, alerts, verdicts, outcome);
        }
    }
}
