package org.hotlinemonitor.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.model.Channel;

/**
 * An alert: something about a channel that became true at {@link #at()}.
 *
 * <p>An alert is stamped with the moment it became true (a slot's deadline, or the answer that ended
 * an outage), never with the moment the code noticed; its {@link #id()} is derived from its identity
 * alone. The same input therefore yields the same alerts, byte for byte, live or in replay.
 *
 * @param id          deterministic: {@code channel/TYPE/key}, the key being the slot for slot alerts,
 *                    the outage's first missed slot for CHANNEL_DOWN and CHANNEL_RESTORED, and the last
 *                    heartbeat before the silence for OUR_SIDE_SILENT and OUR_SIDE_RESUMED
 * @param type        what happened
 * @param channel     the channel id; {@link Channel#OUR_SIDE} for OUR_SIDE_SILENT and OUR_SIDE_RESUMED
 * @param at          when the alert became true (UTC instant)
 * @param slot        the slot it concerns (SLOT_MISSED, CALL_NOT_PLACED), else {@code null}
 * @param cause       why the slot was missed (SLOT_MISSED), else {@code null}
 * @param since       first missed slot of the outage (CHANNEL_DOWN, CHANNEL_RESTORED), or the last heartbeat
 *                    before the silence (OUR_SIDE_SILENT, OUR_SIDE_RESUMED), else {@code null}
 * @param missedSlots missed slots in the outage so far (CHANNEL_DOWN, CHANNEL_RESTORED), else {@code null}
 * @param duration    the outage's or the silence's length, from {@code since} to {@code at} (CHANNEL_RESTORED,
 *                    OUR_SIDE_RESUMED), else {@code null}
 * @param sources     the sources of the events the decision used, ascending, at most {@value #MAX_SOURCES} names
 *                    then {@value #MORE_SOURCES} when there were more: for SLOT_MISSED and CHANNEL_DOWN the events
 *                    applied to the slot decided at {@code at}; for CHANNEL_RESTORED the answer; for OUR_SIDE_SILENT
 *                    the last heartbeat, for OUR_SIDE_RESUMED the heartbeat that ended the silence. Empty for
 *                    CALL_NOT_PLACED (no event) and when the events named no source (old logs); never {@code null}
 */
public record Alert(String id, AlertType type, String channel, Instant at, Instant slot, MissCause cause,
                    Instant since, Integer missedSlots, Duration duration, List<String> sources) {

    /** At most this many source names on an alert (and per open slot in the detector's state). */
    public static final int MAX_SOURCES = 8;
    /** The last entry of {@link #sources()} when more than {@link #MAX_SOURCES} sources took part. */
    public static final String MORE_SOURCES = "+more";

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(at, "at");
        sources = sources == null ? List.of() : List.copyOf(sources);
        if (sources.size() > MAX_SOURCES + 1) {
            throw new IllegalArgumentException("sources: at most " + MAX_SOURCES + " names and " + MORE_SOURCES
                    + ", was " + sources.size() + " entries");
        }
    }

    /** An alert without sources. */
    public Alert(String id, AlertType type, String channel, Instant at, Instant slot, MissCause cause,
                 Instant since, Integer missedSlots, Duration duration) {
        this(id, type, channel, at, slot, cause, since, missedSlots, duration, List.of());
    }

    /** This alert with {@code sources} instead of its own. */
    public Alert withSources(List<String> sources) {
        return new Alert(id, type, channel, at, slot, cause, since, missedSlots, duration, sources);
    }

    public Severity severity() {
        return type.severity();
    }

    public static Alert slotMissed(String channel, Instant slot, Instant deadline, MissCause cause) {
        return new Alert(id(channel, AlertType.SLOT_MISSED, slot), AlertType.SLOT_MISSED, channel, deadline,
                slot, Objects.requireNonNull(cause, "cause"), null, null, null);
    }

    public static Alert callNotPlaced(String channel, Instant slot, Instant deadline) {
        return new Alert(id(channel, AlertType.CALL_NOT_PLACED, slot), AlertType.CALL_NOT_PLACED, channel,
                deadline, slot, null, null, null, null);
    }

    public static Alert channelDown(String channel, Instant since, Instant deadline, int missedSlots) {
        return new Alert(id(channel, AlertType.CHANNEL_DOWN, since), AlertType.CHANNEL_DOWN, channel, deadline,
                null, null, since, missedSlots, null);
    }

    public static Alert channelRestored(String channel, Instant since, Instant answeredAt, int missedSlots) {
        return new Alert(id(channel, AlertType.CHANNEL_RESTORED, since), AlertType.CHANNEL_RESTORED, channel,
                answeredAt, null, null, since, missedSlots, Duration.between(since, answeredAt));
    }

    /**
     * Our side went silent: its last heartbeat was at {@code lastHeartbeat}, and none came within
     * {@code silentAfter}; {@code at} is {@code lastHeartbeat + silentAfter}.
     */
    public static Alert ourSideSilent(Instant lastHeartbeat, Instant at) {
        return new Alert(id(Channel.OUR_SIDE, AlertType.OUR_SIDE_SILENT, lastHeartbeat), AlertType.OUR_SIDE_SILENT,
                Channel.OUR_SIDE, at, null, null, lastHeartbeat, null, null);
    }

    /** Our side is heard again: a heartbeat at {@code heardAt} ends the silence that followed {@code lastHeartbeat}. */
    public static Alert ourSideResumed(Instant lastHeartbeat, Instant heardAt) {
        return new Alert(id(Channel.OUR_SIDE, AlertType.OUR_SIDE_RESUMED, lastHeartbeat), AlertType.OUR_SIDE_RESUMED,
                Channel.OUR_SIDE, heardAt, null, null, lastHeartbeat, null, Duration.between(lastHeartbeat, heardAt));
    }

    /** The deterministic id of an alert of {@code type} for {@code channel} keyed by {@code key}. */
    public static String id(String channel, AlertType type, Instant key) {
        return channel + '/' + type.name() + '/' + key;
    }
}
