package org.hotlinemonitor.core.model;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated channel configuration: the channels, in file order, with unique ids.
 *
 * @param channels        the channels, in configuration order
 * @param allowedLateness how far behind the newest event an event may arrive and still be applied in
 *                        event-time order; {@code null} when the file does not say (the caller's default
 *                        applies)
 * @param silentAfter     how long without a heartbeat before our own side counts as silent (one
 *                        {@code OUR_SIDE_SILENT} alert instead of a {@code CALL_NOT_PLACED} per channel; see
 *                        {@code docs/detector.md}); {@code null} when the file does not set it: the rule is off
 * @param maxJump         replay only: how far ahead of the replay's time an event may be taken without other
 *                        events to confirm the jump (see {@code ReplayDriver}); {@code null} when the file does not
 *                        say (the caller's default applies)
 */
public record MonitorConfig(List<Channel> channels, Duration allowedLateness, Duration silentAfter, Duration maxJump) {

    public MonitorConfig {
        channels = List.copyOf(channels);
        Map<String, Channel> seen = new LinkedHashMap<>();
        for (Channel c : channels) {
            if (seen.put(c.id(), c) != null) {
                throw new IllegalArgumentException("duplicate channel id '" + c.id() + "'");
            }
        }
        if (allowedLateness != null && allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness must not be negative, was " + allowedLateness);
        }
        if (silentAfter != null && (silentAfter.isNegative() || silentAfter.isZero())) {
            throw new IllegalArgumentException("silentAfter must be positive, was " + silentAfter);
        }
        if (maxJump != null && (maxJump.isNegative() || maxJump.isZero())) {
            throw new IllegalArgumentException("maxJump must be positive, was " + maxJump);
        }
        if (seen.containsKey(Channel.OUR_SIDE)) {
            throw new IllegalArgumentException("channel id '" + Channel.OUR_SIDE + "' is reserved for alerts about our own side");
        }
    }

    /** Without a maxJump of its own. */
    public MonitorConfig(List<Channel> channels, Duration allowedLateness, Duration silentAfter) {
        this(channels, allowedLateness, silentAfter, null);
    }

    /** Without the our-side silence rule. */
    public MonitorConfig(List<Channel> channels, Duration allowedLateness) {
        this(channels, allowedLateness, null);
    }

    public MonitorConfig(Collection<Channel> channels) {
        this(List.copyOf(channels), null, null);
    }

    /** The same channels with {@code channels} instead (the rest kept). */
    public MonitorConfig withChannels(Collection<Channel> channels) {
        return new MonitorConfig(List.copyOf(channels), allowedLateness, silentAfter, maxJump);
    }

    /** The same configuration with the our-side silence rule set to {@code silentAfter} ({@code null}: off). */
    public MonitorConfig withSilentAfter(Duration silentAfter) {
        return new MonitorConfig(channels, allowedLateness, silentAfter, maxJump);
    }

    /** The channel with this id, or {@code null}. Linear; build a map for hot paths. */
    public Channel channel(String id) {
        Objects.requireNonNull(id, "id");
        for (Channel c : channels) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }
}
