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
 */
public record MonitorConfig(List<Channel> channels, Duration allowedLateness) {

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
    }

    public MonitorConfig(Collection<Channel> channels) {
        this(List.copyOf(channels), null);
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
