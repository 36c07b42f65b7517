package org.hotlinemonitor.app.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.hotlinemonitor.core.model.Channel;
import org.hotlinemonitor.core.status.StatusLedger;
import org.hotlinemonitor.core.status.StatusLedger.Availability;
import org.hotlinemonitor.core.status.StatusLedger.Day;

/**
 * One channel over a replayed period, in its own time zone: its local days (as the ledger judges them), and its
 * availability per local month and per local year, maintenance left out (the ledger's rule). Months and years
 * without a counted slot are absent.
 *
 * @param channel the channel
 * @param days    every local day from the period's first to its last, in order
 * @param months  counted slots per local month
 * @param years   counted slots per local year
 */
public record ChannelTimeline(Channel channel, List<Day> days, Map<YearMonth, Availability> months,
                              Map<Integer, Availability> years) {

    public ChannelTimeline {
        Objects.requireNonNull(channel, "channel");
        days = List.copyOf(days);
        months = java.util.Collections.unmodifiableMap(new TreeMap<>(months));
        years = java.util.Collections.unmodifiableMap(new TreeMap<>(years));
    }

    /** The channel's zone. */
    public ZoneId zone() {
        return channel.zone();
    }

    /**
     * The channel's days from {@code from} to {@code to} (inclusive; instants read as local dates in its zone), one
     * pass over the ledger's slots.
     */
    public static ChannelTimeline of(StatusLedger ledger, Channel channel, Instant from, Instant to) {
        ZoneId zone = channel.zone();
        LocalDate first = from.atZone(zone).toLocalDate();
        LocalDate last = to.atZone(zone).toLocalDate();
        int count = (int) ChronoUnit.DAYS.between(first, last) + 1;
        List<Day> days = ledger.days(channel.id(), last, count);
        Map<YearMonth, long[]> perMonth = new TreeMap<>();
        Map<Integer, long[]> perYear = new TreeMap<>();
        for (Day d : days) {
            if (d.answered() + d.missed() == 0) {
                continue;
            }
            add(perMonth.computeIfAbsent(YearMonth.from(d.date()), m -> new long[2]), d);
            add(perYear.computeIfAbsent(d.date().getYear(), y -> new long[2]), d);
        }
        return new ChannelTimeline(channel, days, freeze(perMonth), freeze(perYear));
    }

    private static void add(long[] counts, Day d) {
        counts[0] += d.answered();
        counts[1] += d.missed();
    }

    private static <K> Map<K, Availability> freeze(Map<K, long[]> counts) {
        Map<K, Availability> out = new TreeMap<>();
        counts.forEach((k, c) -> out.put(k, new Availability(c[0], c[1])));
        return out;
    }

    /** The timelines of every channel of the ledger over [from, to], in configuration order. */
    public static List<ChannelTimeline> all(StatusLedger ledger, Instant from, Instant to) {
        return ledger.channels().stream().map(c -> of(ledger, c, from, to)).toList();
    }
}
