package org.hotlinemonitor.app.detect;

import static org.hotlinemonitor.core.model.Millis.NONE;

import java.time.Instant;
import java.util.List;
import org.hotlinemonitor.core.detect.ChannelState;
import org.hotlinemonitor.core.detect.Detector;
import org.hotlinemonitor.core.detect.OpenSlot;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * What the detector keeps of a channel whose configuration (schedule, {@code answerWithin} or
 * {@code downAfter}) changed between two runs.
 *
 * <p>The schedule position restarts at {@code at} (the task's watermark): the first undecided slot is the
 * new schedule's earliest slot whose deadline is not before {@code at}, exactly as for a channel that
 * starts then. What the line did is kept, because it is still true under the new configuration:
 * <ul>
 *   <li>status, streak and the streak's first missed slot: an open outage stays open (it was paged, and
 *       must get its {@code CHANNEL_RESTORED} with the same id), and a miss before the change still counts
 *       towards {@code downAfter} after it;</li>
 *   <li>the last answer;</li>
 *   <li>what was seen of undecided slots that are also slots of the new schedule (a call answered at
 *       09:00 still counts if the change happens at 09:30 and 09:00 is still a check time). Records of slots
 *       the new schedule does not have are dropped.</li>
 * </ul>
 */
final class ChannelRestart {

    private ChannelRestart() {
    }

    /** The state of a changed channel, restarted at {@code at} (epoch ms) from its state under the old configuration. */
    static ChannelState restart(Detector detector, ChannelState old, long at) {
        ChannelState fresh = detector.initial(Instant.ofEpochMilli(Math.max(at, old.watermark())));
        Schedule schedule = detector.channel().schedule();
        long cursor = fresh.cursor();
        List<OpenSlot> kept = cursor == NONE ? List.of() : old.open().stream()
                .filter(o -> o.slot() >= cursor && schedule.isSlot(o.slot()))
                .toList();
        if (kept.isEmpty()) {
            return new ChannelState(fresh.watermark(), cursor, old.status(), old.streak(), old.streakSince(),
                    old.lastAnswer(), NONE, 0, NONE, List.of());
        }
        OpenSlot first = kept.get(0);
        return new ChannelState(fresh.watermark(), cursor, old.status(), old.streak(), old.streakSince(),
                old.lastAnswer(), first.slot(), first.flags(), first.firstAnswer(), kept.subList(1, kept.size()),
                first.sources());
    }
}
