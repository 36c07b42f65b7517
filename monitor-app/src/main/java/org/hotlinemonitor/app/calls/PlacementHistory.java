package org.hotlinemonitor.app.calls;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hotlinemonitor.app.produce.EventHistoryReader;
import org.hotlinemonitor.core.model.CallEvent;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.model.EventKind;

/**
 * Rebuilds a restarted scheduler's {@link Placements} from the events it published before: its memory
 * is the event log itself, so there is no second store to keep consistent with it.
 *
 * <p>Only events whose {@code source} is this scheduler's, whose channel is configured and which name a
 * slot count. Per channel:
 * <ul>
 *   <li>the cursor is the latest slot with a {@code CALL_PLACED}: the previous run dealt with every slot
 *       up to it, because it deals with each channel's slots in order;</li>
 *   <li>each placed slot whose window is still open at {@code now} is restored with its attempts
 *       (the highest attempt number in its {@code CALL_PLACED} ids) and whether one was answered. If the
 *       latest attempt ended unanswered, its retry is due as the policy says. If it has no outcome, it
 *       was in flight when the previous run stopped and its outcome is lost: it counts as an attempt
 *       that ended unanswered at {@code now}, so the next attempt (a new number, never the same one
 *       again) is placed at once if the policy allows one more.</li>
 * </ul>
 * Pure: no clock, no I/O; the Kafka side reads the events ({@code EventHistoryReader}).
 */
public final class PlacementHistory {

    private PlacementHistory() {
    }

    private static final class SlotEvents {
        int attempts;
        boolean answered;
        /** Outcome end time per attempt number. */
        final Map<Integer, Instant> ended = new HashMap<>();
    }

    /**
     * @param events   events read back from the topic, in any order; others' events are ignored
     * @param channels the configured channels
     * @param source   this scheduler's instance name
     * @param now      the restart time
     * @param retry    the retry policy the scheduler will use
     */
    public static Placements rebuild(Iterable<CallEvent> events, List<Channel> channels, String source, Instant now,
                                     RetryPolicy retry) {
        Map<String, Channel> byId = new HashMap<>();
        for (Channel c : channels) {
            byId.put(c.id(), c);
        }
        Map<String, TreeMap<Instant, SlotEvents>> seen = new HashMap<>();
        for (CallEvent e : events) {
            if (!source.equals(e.source()) || e.slot() == null || !byId.containsKey(e.channel())
                    || e.kind() == EventKind.HEARTBEAT) {
                continue;
            }
            SlotEvents s = seen.computeIfAbsent(e.channel(), k -> new TreeMap<>()).computeIfAbsent(e.slot(), k -> new SlotEvents());
            int attempt = Math.max(1, EventIds.attemptOf(e.id()));
            switch (e.kind()) {
                case CALL_PLACED -> s.attempts = Math.max(s.attempts, attempt);
                case ANSWERED -> {
                    s.answered = true;
                    s.ended.merge(attempt, e.ts(), (a, b) -> a.isAfter(b) ? a : b);
                }
                default -> s.ended.merge(attempt, e.ts(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        Placements placements = new Placements();
        seen.forEach((channelId, slots) -> {
            Channel channel = byId.get(channelId);
            slots.forEach((slot, s) -> {
                if (s.attempts == 0) {
                    return; // outcomes without a CALL_PLACED: not ours to resume
                }
                placements.handled(channelId, slot);
                Instant deadline = slot.plus(channel.answerWithin());
                if (!now.isBefore(deadline)) {
                    return;
                }
                Instant endedAt = s.ended.get(s.attempts);
                Instant retryAt;
                if (s.answered) {
                    retryAt = null;
                } else if (endedAt != null) {
                    retryAt = retry.next(s.attempts, endedAt, deadline);
                } else {
                    retryAt = s.attempts < retry.maxAttempts() ? now : null; // interrupted: no reason to wait
                }
                placements.restore(channelId, new Placements.SlotRecord(slot, deadline, s.attempts, false, s.answered, retryAt));
            });
        });
        return placements;
    }
}
