package org.hotlinemonitor.core.model;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;
import org.hotlinemonitor.core.schedule.Schedule;

/**
 * A monitored channel: a line that is checked with routine calls at the slots of its schedule.
 *
 * @param id           {@code [a-z0-9._-]{1,64}}, unique within a configuration
 * @param name         human-readable name (defaults to the id)
 * @param schedule     when the routine calls are due, in the channel's zone
 * @param answerWithin the answer window: a slot's deadline is {@code slot + answerWithin}; positive, at most
 *                     {@link #MAX_ANSWER_WITHIN}
 * @param downAfter    consecutive missed slots that make the channel DOWN; at least 1
 */
public record Channel(String id, String name, Schedule schedule, Duration answerWithin, int downAfter) {

    /** The syntax of channel ids. */
    public static final Pattern ID = Pattern.compile("[a-z0-9._-]{1,64}");

    /**
     * The {@code channel} of the alerts about our own side ({@code OUR_SIDE_SILENT}, {@code OUR_SIDE_RESUMED}):
     * a valid id, so it can be routed and labelled like a channel, and reserved: no channel may have it.
     */
    public static final String OUR_SIDE = "our-side";

    /**
     * The longest answer window: a day. The live scheduler reads its own events back from a day ago when it starts
     * (its restart lookback), so a longer window could not be resumed; and a routine check answered more than a day
     * after its slot is no check. Longer durations would also put slots past the range of an instant in milliseconds.
     */
    public static final Duration MAX_ANSWER_WITHIN = Duration.ofDays(1);

    public Channel {
        Objects.requireNonNull(id, "id");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("id must match [a-z0-9._-]{1,64}, was '" + id + "'");
        }
        name = name == null || name.isBlank() ? id : name;
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(answerWithin, "answerWithin");
        if (answerWithin.isNegative() || answerWithin.isZero()) {
            throw new IllegalArgumentException("answerWithin must be positive, was " + answerWithin);
        }
        if (answerWithin.compareTo(MAX_ANSWER_WITHIN) > 0) {
            throw new IllegalArgumentException("answerWithin must be at most " + MAX_ANSWER_WITHIN + " (P1D), was " + answerWithin);
        }
        if (downAfter < 1) {
            throw new IllegalArgumentException("downAfter must be at least 1, was " + downAfter);
        }
    }

    /** Whether {@code id} matches {@link #ID}: checked by hand, as it runs for every channel of a file. */
    public static boolean isValidId(String id) {
        int n = id.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public ZoneId zone() {
        return schedule.zone();
    }
}
