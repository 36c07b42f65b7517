package org.hotlinemonitor.app.calls;

import java.time.Instant;
import org.hotlinemonitor.core.codec.Timestamps;
import org.hotlinemonitor.core.model.EventKind;

/**
 * Deterministic event ids: an event published again (a producer retry, a scheduler restart that
 * re-sends) carries the same id, so that it is recognisably the same event.
 *
 * <ul>
 *   <li>scheduler attempts: {@code channel/slot/KIND/attempt}, e.g.
 *       {@code liaison-office/2023-04-07T00:00:00Z/CALL_PLACED/1};</li>
 *   <li>operator records: {@code channel/slot/KIND/@at}, the last part the time of the outcome, e.g.
 *       {@code liaison-office/2023-04-07T00:00:00Z/NO_ANSWER/@2023-04-07T00:01:10Z}; {@code unscheduled}
 *       in place of the slot for an event outside any slot's window;</li>
 *   <li>heartbeats: {@code source/HEARTBEAT/ts}; the copies on the topic's partitions share it.</li>
 * </ul>
 *
 * Instants are written as in events ({@link Timestamps#format(long)}: UTC, milliseconds only when not zero).
 */
public final class EventIds {

    private EventIds() {
    }

    /** The id of the scheduler's event {@code kind} for attempt {@code attempt} at {@code slot}. */
    public static String attempt(String channel, Instant slot, EventKind kind, int attempt) {
        return channel + '/' + Timestamps.format(slot.toEpochMilli()) + '/' + kind.name() + '/' + attempt;
    }

    /** The id of an event an operator recorded at {@code at}; {@code slot} null when unscheduled. */
    public static String recorded(String channel, Instant slot, EventKind kind, Instant at) {
        String slotPart = slot == null ? "unscheduled" : Timestamps.format(slot.toEpochMilli());
        return channel + '/' + slotPart + '/' + kind.name() + "/@" + Timestamps.format(at.toEpochMilli());
    }

    /** The id of {@code source}'s heartbeat at {@code ts}. */
    public static String heartbeat(String source, Instant ts) {
        return source + "/HEARTBEAT/" + Timestamps.format(ts.toEpochMilli());
    }

    /**
     * The attempt number of a scheduler event id ({@link #attempt}), or 0 when {@code id} is not one
     * (null, an operator's id, another producer's format).
     */
    public static int attemptOf(String id) {
        if (id == null) {
            return 0;
        }
        int slash = id.lastIndexOf('/');
        if (slash < 0 || slash == id.length() - 1 || id.length() - slash > 10) {
            return 0;
        }
        int n = 0;
        for (int i = slash + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
