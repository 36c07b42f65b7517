package org.hotlinemonitor.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.Millis;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * The scheduler's decisions, as a pure function of the channels, the clock's time and what was
 * already placed. No clock, no I/O: tests call it from tables.
 *
 * <p>For each channel, in configuration order:
 * <ol>
 *   <li><b>Retries</b>: a placed slot that was not answered gets its next attempt once its retry is
 *       due, while its answer window is open.</li>
 *   <li><b>New slots</b> after the channel's cursor, up to and including {@code now}, in slot order:
 *       <ul>
 *         <li>window still open ({@code now < slot + answerWithin}): {@link Place} attempt 1, marked
 *             {@code late} when {@code now} is more than {@code lateAfter} after the slot (the scheduler
 *             was not running at the slot, or the process stalled);</li>
 *         <li>window closed: {@link NotPlaced}. Placing it now would be pointless (the detector cannot
 *             count an answer after the deadline), and the detector already reports such a slot as
 *             {@code CALL_NOT_PLACED}, our side's fault, which is the truth.</li>
 *       </ul></li>
 * </ol>
 * A channel with no cursor (never placed, or not within the restart look-back) starts fresh: only slots
 * whose window is still open are considered; older ones are before monitoring began.
 *
 * <p>The caller applies the decisions to its {@link Placements} and then moves every cursor to {@code now}.
 */
public final class SlotPlanner {

    private SlotPlanner() {
    }

    /** A decision about one slot. */
    public sealed interface Decision permits Place, NotPlaced {
        Channel channel();

        Instant slot();
    }

    /** Place attempt {@code attempt} of {@code slot} now. */
    public record Place(Channel channel, Instant slot, int attempt, boolean late) implements Decision {
        public Place {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(slot, "slot");
        }
    }

    /** {@code slot}'s answer window closed before it could be placed. */
    public record NotPlaced(Channel channel, Instant slot) implements Decision {
        public NotPlaced {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(slot, "slot");
        }
    }

    /**
     * What to do at {@code now}.
     *
     * @param lateAfter how long after its slot a first attempt still counts as on time; not negative
     * @return the decisions, per channel in configuration order, each channel's by slot
     */
    public static List<Decision> plan(List<Channel> channels, Instant now, Placements placed, Duration lateAfter) {
        if (lateAfter.isNegative()) {
            throw new IllegalArgumentException("lateAfter must not be negative, was " + lateAfter);
        }
        List<Decision> out = new ArrayList<>();
        long nowMs = now.toEpochMilli();
        for (Channel c : channels) {
            for (Placements.SlotRecord r : placed.slots(c.id())) {
                if (!r.inFlight() && !r.answered() && r.retryAt() != null && !r.retryAt().isAfter(now)
                        && now.isBefore(r.deadline())) {
                    out.add(new Place(c, r.slot(), r.attempts() + 1, false));
                }
            }
            long window = c.answerWithin().toMillis();
            Instant cursor = placed.cursor(c.id());
            // Fresh: the slots whose window is open, i.e. slot > now - answerWithin.
            long from = cursor != null ? cursor.toEpochMilli() : nowMs - window;
            Schedule schedule = c.schedule();
            for (long s = schedule.firstAfter(from); s != Millis.NONE && s <= nowMs; s = schedule.firstAfter(s)) {
                Instant slot = Instant.ofEpochMilli(s);
                if (placed.slot(c.id(), slot) != null) {
                    continue;
                }
                if (nowMs < s + window) {
                    out.add(new Place(c, slot, 1, nowMs - s > lateAfter.toMillis()));
                } else {
                    out.add(new NotPlaced(c, slot));
                }
            }
        }
        return out;
    }

    /** The earliest slot of any channel strictly after {@code now}, or null when none fires. */
    public static Instant nextSlot(List<Channel> channels, Instant now) {
        long best = Long.MAX_VALUE;
        long nowMs = now.toEpochMilli();
        for (Channel c : channels) {
            long s = c.schedule().firstAfter(nowMs);
            if (s != Millis.NONE && s < best) {
                best = s;
            }
        }
        return best == Long.MAX_VALUE ? null : Instant.ofEpochMilli(best);
    }
}
