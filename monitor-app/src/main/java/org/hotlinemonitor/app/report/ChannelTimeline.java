package org.hotlinemonitor.app.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.status.StatusLedger;
import org.hotlinemonitor.core.status.StatusLedger.Day;

/**
 * One channel's local days over a replayed period, as the ledger judges them, in its own time zone.
 *
 * @param channel the channel
 * @param days    every local day from the period's first to its last, in order
 */
public record ChannelTimeline(Channel channel, List<Day> days) {

    public ChannelTimeline {
        Objects.requireNonNull(channel, "channel");
        days = List.copyOf(days);
    }

    /** The channel's zone. */
    public ZoneId zone() {
        return channel.zone();
    }

    /** The channel's days from {@code from} to {@code to} (inclusive; instants read as local dates in its zone). */
    public static ChannelTimeline of(StatusLedger ledger, Channel channel, Instant from, Instant to) {
        ZoneId zone = channel.zone();
        LocalDate first = from.atZone(zone).toLocalDate();
        LocalDate last = to.atZone(zone).toLocalDate();
        int count = (int) ChronoUnit.DAYS.between(first, last) + 1;
        return new ChannelTimeline(channel, ledger.days(channel.id(), last, count));
    }
}
